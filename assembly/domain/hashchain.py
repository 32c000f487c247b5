"""The feedback log's tamper evidence: a canonical form for each entry and a SHA-256 chain.

Each entry's hash covers the previous entry's hash and the entry's canonical form (its sequence
number, item, time, author, kind, what changed and why). Changing, deleting or reordering any
stored entry therefore breaks the chain at that entry, and `verify_chain` names the first one.
The canonical form is sorted-key JSON without spaces, UTF-8, so it can be recomputed by anyone
with the file and any JSON library.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_str  # what json.dumps(str) does, in C
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry
HASHED_FIELDS = ("seq", "item_id", "recorded_at", "actor", "kind", "data", "reason")


def canonical(entry: Mapping[str, Any]) -> str:
    """The canonical text of an entry: exactly the hashed fields, sorted keys, no whitespace.

    `data` may be given as a dict or as its stored JSON text; both give the same form.
    """
    data = entry["data"]
    if isinstance(data, str):
        data = json.loads(data)
    form = {name: entry[name] for name in HASHED_FIELDS if name != "data"}
    form["data"] = data
    return json.dumps(form, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_row(
    seq: int, item_id: int, recorded_at: str, actor: str, kind: str, data_text: str, reason: str
) -> str:
    """`canonical` for a stored row whose `data_text` is already canonical JSON, built directly.

    Verification runs this once per entry, so it avoids re-encoding the whole entry; for
    canonical data it gives exactly the text `canonical` gives (a test holds it to that).
    """
    if type(seq) is not int or type(item_id) is not int:
        raise TypeError("entry numbers must be whole numbers")
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
    """How an entry's `data` is stored: the same canonical JSON the hash uses."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
    """Check stored entries given in stored order (by `seq`): numbering, links and hashes.

    A missing entry shows as a gap in `seq`; a reordered or altered one as a link or hash that no
    longer matches. The first problem found is reported; later entries are not trusted past it.
    """
    prev_hash = GENESIS
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
        prev_hash = stored_hash
        expected_seq += 1
    return ChainCheck(True, count, head=prev_hash)
