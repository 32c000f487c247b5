"""Tamper evidence for an append-only table: canonical JSON and a SHA-256 chain of its rows.

Each entry's hash covers the previous entry's hash and the entry's canonical form. Changing,
deleting or reordering any stored entry therefore breaks the chain at that entry, and
`check_chain` names the first one. The canonical form is the JSON Canonicalization Scheme
(RFC 8785, the `rfc8785` package), so anyone can recompute it with the file and one published
definition; an entry whose stored `data` is not in that form, or whose time is not a UTC time
like 2026-10-01T09:00:00Z no earlier than the entry before it, is reported as broken too.

Two chains use it, one mechanism: the feedback log (`assembly.feedback.hashchain`, its entry
form) and the draw record (`assembly.organiser.draws_record`: every draw and every change to the
panel it drew). Signed checkpoints cover both heads.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from assembly.core.i18n import N_, Number, Text, _

GENESIS = "0" * 64  # the "previous hash" of the first entry
TIME_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")  # what clock.to_iso writes
LARGEST_EXACT = 2**53 - 1  # RFC 8785 (like JavaScript) keeps integers exact only up to this
_HIGH = "\ue000"  # from here up, UTF-16 and code point order can differ


def jcs(value: Any) -> str:
    """RFC 8785 canonical JSON text of `value`."""
    return rfc8785.dumps(value).decode("utf-8")


def canonical_data(data: Mapping[str, Any]) -> str:
    """How an entry's `data` is stored: the same canonical JSON (RFC 8785) the hash uses."""
    return jcs(data)


def link_hash(prev_hash: str, text: str) -> str:
    """SHA-256 (hex) over the previous hash, a newline, and an entry's canonical text."""
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


class _NeedsReference(Exception):
    """A number the fast check leaves to the reference encoder."""


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not JSON")  # not words


def _fraction(token: str) -> float:
    raise _NeedsReference(token)


def _integer(token: str) -> int:
    if len(token) > 15 and abs(int(token)) > LARGEST_EXACT:
        raise _NeedsReference(token)
    return int(token)


# Built once: json.loads/dumps with options build a new decoder or encoder on every call, which
# would cost more than the check itself (verification runs it once per entry).
_FAST_DECODER = json.JSONDecoder(
    parse_float=_fraction, parse_int=_integer, parse_constant=_refuse_constant
)
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
_FAST_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def is_canonical_data(text: str) -> bool:
    """Whether stored `data` is exactly its RFC 8785 canonical form (fast for the usual case).

    Python's sorted, unspaced JSON (non-ASCII kept) is RFC 8785 byte for byte unless the data
    holds a fraction, an integer too large to be exact, or a character from U+E000 up (where
    sorting by UTF-16 units, as RFC 8785 does, can differ from sorting by code points); only then
    does the slower reference encoder run.
    """
    try:
        if text.isascii() or max(text) < _HIGH:
            return _FAST_ENCODER.encode(_FAST_DECODER.decode(text)) == text
    except _NeedsReference:
        pass
    except (TypeError, ValueError):
        return False
    try:
        return jcs(_DECODER.decode(text)) == text
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        return False


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking a chain: ok, how many entries, and the first problem if any."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    head: str = GENESIS  # the last entry's hash: publish it, and any later rewrite shows
    last_time: str = ""  # the last entry's time (UTC)
    name: str = N_("Log")  # which chain, in the words of its messages (shown with `_()`)

    def describe(self) -> str:
        if self.ok:
            return _(
                "✓ %(name)s intact: all %(entries)s entries check out (SHA-256 chain).",
                name=_(self.name),
                entries=Number(self.entries),
            )
        return _(
            "✗ %(name)s broken at entry %(seq)s: %(problem)s",
            name=_(self.name),
            seq=self.first_bad_seq,
            problem=self.problem,
        )

    def fingerprint(self) -> str:
        """Where the log stands, to print or publish: entry count and the last entry's hash."""
        return _(
            "entry %(entries)s, SHA-256 %(head)s", entries=Number(self.entries), head=self.head
        )


@dataclass(frozen=True)
class ChainForm:
    """How one table's rows are laid out for `check_chain`.

    A row is a tuple: its sequence number first, then the hashed fields, then `prev_hash` and
    `hash` last. `hash_of(prev_hash, row)` recomputes a row's hash (raising TypeError or
    ValueError for content with no canonical form); `time_at` and `data_at` are the positions
    of its UTC time and its stored canonical JSON data.
    """

    hash_of: Callable[[str, tuple], str]
    time_at: int
    data_at: int
    name: str = N_("Log")


def check_chain(rows: Iterable[tuple], form: ChainForm) -> ChainCheck:
    """Check stored entries given in stored order (by `seq`): numbering, links, hashes, times.

    A missing entry shows as a gap in `seq`; a reordered or altered one as a link or hash that no
    longer matches; stored data not in canonical form, or a time that is not UTC or runs
    backwards, as an entry that cannot be trusted. The first problem found is reported; later
    entries are not trusted past it.
    """
    prev_hash = GENESIS
    prev_time = ""
    expected_seq = 1
    count = 0
    hash_of, time_at, data_at, name = form.hash_of, form.time_at, form.data_at, form.name

    def broken(seq: int, problem: Text) -> ChainCheck:
        return ChainCheck(False, count, seq, problem, name=name)

    for row in rows:
        count += 1
        seq = row[0]
        if seq != expected_seq:
            if isinstance(seq, int) and seq > expected_seq:
                missing = (
                    Text(N_("entry %(seq)s is missing (deleted?)."), {"seq": expected_seq})
                    if seq == expected_seq + 1
                    else Text(
                        N_("entries %(first)s-%(last)s are missing (deleted?)."),
                        {"first": expected_seq, "last": seq - 1},
                    )
                )
                return broken(expected_seq, missing)
            return broken(
                expected_seq,
                Text(
                    N_("found entry number %(found)s where %(seq)s belongs."),
                    {"found": repr(seq), "seq": expected_seq},
                ),
            )
        if row[-2] != prev_hash:
            return broken(
                seq,
                Text(
                    N_(
                        "it does not link to the entry before it (entries removed, inserted or "
                        "reordered)."
                    )
                ),
            )
        try:
            digest = hash_of(prev_hash, row)
        except (TypeError, ValueError) as error:
            return broken(
                seq, Text(N_("its stored content cannot be read (%(error)s)."), {"error": error})
            )
        if digest != row[-1]:
            return broken(
                seq,
                Text(N_("its content does not match its hash (changed after it was written).")),
            )
        if not is_canonical_data(row[data_at]):
            return broken(
                seq,
                Text(
                    N_(
                        "its data is not stored in canonical JSON (RFC 8785), so it was not "
                        "written by this app (rewritten outside it?)."
                    )
                ),
            )
        recorded_at = row[time_at]
        if not isinstance(recorded_at, str) or not TIME_FORM.match(recorded_at):
            return broken(
                seq,
                Text(
                    N_("its time %(time)s is not a UTC time like 2026-10-01T09:00:00Z."),
                    {"time": repr(recorded_at)},
                ),
            )
        if recorded_at < prev_time:
            return broken(
                seq,
                Text(
                    N_(
                        "it is dated %(time)s, before the entry before it (%(previous)s): entries "
                        "only ever go forward in time (backdated?)."
                    ),
                    {"time": recorded_at, "previous": prev_time},
                ),
            )
        prev_hash = row[-1]
        prev_time = recorded_at
        expected_seq += 1
    return ChainCheck(True, count, head=prev_hash, last_time=prev_time, name=name)
