"""The feedback log's entry form on the shared SHA-256 chain (`assembly.core.hashchain`).

Each entry's hash covers the previous entry's hash and the entry's canonical form: its sequence
number, item, time, author, kind, what changed and why. `verify_chain` checks the stored
entries with the one chain check every append-only table uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from hashlib import sha256 as _sha256
from json.encoder import encode_basestring as _json_str  # what json.dumps(str) does, in C
from typing import Any

from assembly.core.hashchain import (
    GENESIS,
    LARGEST_EXACT,
    TIME_FORM,
    ChainCheck,
    ChainForm,
    canonical_data,
    check_chain,
    is_canonical_data,
    jcs,
    link_hash,
)
from assembly.core.i18n import N_, _

__all__ = [
    "GENESIS",
    "HASHED_FIELDS",
    "TIME_FORM",
    "ChainCheck",
    "Row",
    "canonical",
    "canonical_data",
    "canonical_row",
    "entry_hash",
    "is_canonical_data",
    "row_hash",
    "verify_chain",
]

HASHED_FIELDS = ("seq", "item_id", "recorded_at", "actor", "kind", "data", "reason")


def canonical(entry: Mapping[str, Any]) -> str:
    """The canonical text of an entry: exactly the hashed fields in RFC 8785 canonical JSON.

    `data` may be given as a dict or as its stored JSON text; both give the same form.
    """
    data = entry["data"]
    if isinstance(data, str):
        data = json.loads(data)
    form = {name: entry[name] for name in HASHED_FIELDS if name != "data"}
    form["data"] = data
    return jcs(form)


def canonical_row(
    seq: int, item_id: int, recorded_at: str, actor: str, kind: str, data_text: str, reason: str
) -> str:
    """`canonical` for a stored row whose `data_text` is already canonical JSON, built directly.

    Verification runs this once per entry, so it avoids re-encoding the whole entry; for
    canonical data it gives exactly the text `canonical` gives (a test holds it to that): RFC 8785
    escapes strings exactly as Python's JSON encoder does with ensure_ascii off.
    """
    if type(seq) is not int or type(item_id) is not int:
        raise TypeError(_("entry numbers must be whole numbers"))
    if not (0 <= seq <= LARGEST_EXACT and abs(item_id) <= LARGEST_EXACT):
        raise ValueError(_("entry numbers beyond 2**53 have no canonical JSON form"))
    return (
        f'{{"actor":{_json_str(actor)},"data":{data_text},"item_id":{item_id},'
        f'"kind":{_json_str(kind)},"reason":{_json_str(reason)},'
        f'"recorded_at":{_json_str(recorded_at)},"seq":{seq}}}'  # not words
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
    return link_hash(
        prev_hash, canonical_row(seq, item_id, recorded_at, actor, kind, data_text, reason)
    )


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the previous hash, a newline, and the entry's canonical form."""
    return link_hash(prev_hash, canonical(entry))


Row = tuple[int, int, str, str, str, str, str, str, str]
"""A stored entry as verification reads it: seq, item_id, recorded_at, actor, kind, data (the
stored canonical JSON text), reason, prev_hash, hash."""


def _stored_hash(prev_hash: str, row: tuple) -> str:
    # once per entry when verifying: the canonical text and its link, with no call between
    text = canonical_row(*row[:7])
    return _sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


LOG_FORM = ChainForm(hash_of=_stored_hash, time_at=2, data_at=5, name=N_("Log"))


def verify_chain(rows: Iterable[Row]) -> ChainCheck:
    """Check the log's stored entries in stored order (by `seq`); see `check_chain`."""
    return check_chain(rows, LOG_FORM)
