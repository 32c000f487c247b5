"""The feedback log's tamper evidence: a canonical form for each entry and a SHA-256 chain.

Each entry's hash covers the previous entry's hash and the entry's canonical form (its sequence
number, item, time, author, kind, what changed and why). Changing, deleting or reordering any
stored entry therefore breaks the chain at that entry, and `verify_chain` names the first one.
The canonical form is the JSON Canonicalization Scheme (RFC 8785, the `rfc8785` package), so
anyone can recompute it with the file and one published definition; an entry whose stored `data`
is not in that form, or whose time is not a UTC time like 2026-10-01T09:00:00Z no earlier than
the entry before it, is reported as broken too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_str  # what json.dumps(str) does, in C
from typing import Any

import rfc8785

GENESIS = "0" * 64  # the "previous hash" of the first entry
HASHED_FIELDS = ("seq", "item_id", "recorded_at", "actor", "kind", "data", "reason")
TIME_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")  # what clock.to_iso writes
_LARGEST_EXACT = 2**53 - 1  # RFC 8785 (like JavaScript) keeps integers exact only up to this
_HIGH = "\ue000"  # from here up, UTF-16 and code point order can differ


def _jcs(value: Any) -> str:
    return rfc8785.dumps(value).decode("utf-8")


def canonical(entry: Mapping[str, Any]) -> str:
    """The canonical text of an entry: exactly the hashed fields in RFC 8785 canonical JSON.

    `data` may be given as a dict or as its stored JSON text; both give the same form.
    """
    data = entry["data"]
    if isinstance(data, str):
        data = json.loads(data)
    form = {name: entry[name] for name in HASHED_FIELDS if name != "data"}
    form["data"] = data
    return _jcs(form)


def canonical_row(
    seq: int, item_id: int, recorded_at: str, actor: str, kind: str, data_text: str, reason: str
) -> str:
    """`canonical` for a stored row whose `data_text` is already canonical JSON, built directly.

    Verification runs this once per entry, so it avoids re-encoding the whole entry; for
    canonical data it gives exactly the text `canonical` gives (a test holds it to that): RFC 8785
    escapes strings exactly as Python's JSON encoder does with ensure_ascii off.
    """
    if type(seq) is not int or type(item_id) is not int:
        raise TypeError("entry numbers must be whole numbers")
    if not (0 <= seq <= _LARGEST_EXACT and abs(item_id) <= _LARGEST_EXACT):
        raise ValueError("entry numbers beyond 2**53 have no canonical JSON form")
    return (
        f'{{"actor":{_json_str(actor)},"data":{data_text},"item_id":{item_id},'
        f'"kind":{_json_str(kind)},"reason":{_json_str(reason)},'
        f'"recorded_at":{_json_str(recorded_at)},"seq":{seq}}}'
    )


def row_hash(
    prev_hash: str,
    seq: int,
    item_id: int,
    recorded_at: str,
    actor: str,
    kind: str,
    data_text: str,
    reason: str,
) -> str:
    """The hash of a stored row: what the writer stores and what verification recomputes."""
    text = canonical_row(seq, item_id, recorded_at, actor, kind, data_text, reason)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


def canonical_data(data: Mapping[str, Any]) -> str:
    """How an entry's `data` is stored: the same canonical JSON (RFC 8785) the hash uses."""
    return _jcs(data)


class _NeedsReference(Exception):
    """A number the fast check leaves to the reference encoder."""


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not JSON")


def _fraction(token: str) -> float:
    raise _NeedsReference(token)


def _integer(token: str) -> int:
    if len(token) > 15 and abs(int(token)) > _LARGEST_EXACT:
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
        return _jcs(_DECODER.decode(text)) == text
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        return False


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the previous hash, a newline, and the entry's canonical form."""
    text = prev_hash + "\n" + canonical(entry)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking a chain: ok, how many entries, and the first problem if any."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""
    head: str = GENESIS  # the last entry's hash: publish it, and any later rewrite shows
    last_time: str = ""  # the last entry's time (UTC)

    def describe(self) -> str:
        if self.ok:
            return f"✓ Log intact: all {self.entries:,} entries check out (SHA-256 chain)."
        return f"✗ Log broken at entry {self.first_bad_seq}: {self.problem}"

    def fingerprint(self) -> str:
        """Where the log stands, to print or publish: entry count and the last entry's hash."""
        return f"entry {self.entries:,}, SHA-256 {self.head}"


Row = tuple[int, int, str, str, str, str, str, str, str]
"""A stored entry as verification reads it: seq, item_id, recorded_at, actor, kind, data (the
stored canonical JSON text), reason, prev_hash, hash."""


def verify_chain(rows: Iterable[Row]) -> ChainCheck:
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
    for row in rows:
        count += 1
        seq, item_id, recorded_at, actor, kind, data_text, reason, stored_prev, stored_hash = row
        if seq != expected_seq:
            if isinstance(seq, int) and seq > expected_seq:
                missing = (
                    f"entry {expected_seq} is missing"
                    if seq == expected_seq + 1
                    else f"entries {expected_seq}-{seq - 1} are missing"
                )
                return ChainCheck(False, count, expected_seq, f"{missing} (deleted?).")
            return ChainCheck(
                False,
                count,
                expected_seq,
                f"found entry number {seq!r} where {expected_seq} belongs.",
            )
        if stored_prev != prev_hash:
            return ChainCheck(
                False,
                count,
                seq,
                "it does not link to the entry before it (entries removed, inserted or reordered).",
            )
        try:
            digest = row_hash(prev_hash, seq, item_id, recorded_at, actor, kind, data_text, reason)
        except (TypeError, ValueError) as error:
            return ChainCheck(False, count, seq, f"its stored content cannot be read ({error}).")
        if digest != stored_hash:
            return ChainCheck(
                False,
                count,
                seq,
                "its content does not match its hash (changed after it was written).",
            )
        if not is_canonical_data(data_text):
            return ChainCheck(
                False,
                count,
                seq,
                "its data is not stored in canonical JSON (RFC 8785), so it was not written by "
                "this app (rewritten outside it?).",
            )
        if not TIME_FORM.match(recorded_at):
            return ChainCheck(
                False,
                count,
                seq,
                f"its time {recorded_at!r} is not a UTC time like 2026-10-01T09:00:00Z.",
            )
        if recorded_at < prev_time:
            return ChainCheck(
                False,
                count,
                seq,
                f"it is dated {recorded_at}, before the entry before it ({prev_time}): entries "
                "only ever go forward in time (backdated?).",
            )
        prev_hash = stored_hash
        prev_time = recorded_at
        expected_seq += 1
    return ChainCheck(True, count, head=prev_hash, last_time=prev_time)
