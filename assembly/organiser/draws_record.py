"""The draw record: every public draw's facts and every change to the panel, hash-chained.

The `draws`, `draw_witnesses` and `members` tables are what the app reads quickly; this table
is what they must agree with. Each entry is appended in the same transaction as the change it
records, chained to the entry before it by the one mechanism the feedback log uses
(`assembly.core.hashchain`), and covered by the same signed checkpoints. Triggers refuse any
UPDATE or DELETE, so an edit means dropping them, and the chain (and, past the chain, a
checkpoint published outside the file) still shows it. `assembly verify` compares the tables
with the record; `draw show` prints what the record holds.

Kinds of entry, each with its draw:
- `computed`: the lottery made: the instance fingerprint (`sortition.instance_digest`), the
  bundle's commitment, the algorithm, sizes, chances and a digest of the stored probabilities;
- `witness`: someone who watched, with their role;
- `drawn`: the public seed, its SHA-256, the panel number it picks, the panel and the member
  number each person was given;
- `status`: a member's status change (from, to), the note as its reason;
- `replacement`: withdrawn members replaced by newcomers, with the replacement seed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _json_str
from typing import Any

from sqlite_utils import Database

from assembly.core.hashchain import (
    GENESIS,
    LARGEST_EXACT,
    ChainCheck,
    ChainForm,
    canonical_data,
    check_chain,
    link_hash,
)
from assembly.core.i18n import N_, _
from assembly.organiser.errors import OrganiserError

TABLE = "draw_record"
KINDS = ("computed", "witness", "drawn", "status", "replacement")
NAME = N_("Draw record")
_NEEDED = {  # what each kind of entry must hold for the replay (and `draw show`) to use it
    "computed": frozenset(
        (
            "algorithm",
            "panel_size",
            "pool_size",
            "fingerprint",
            "commitment",
            "lottery_size",
            "min_probability",
            "largest_change",
            "seconds",
            "stopped_early",
            "upper_bound",
            "time_limit",
            "probabilities_sha256",
        )
    ),
    "witness": frozenset(("name", "role")),
    "drawn": frozenset(("seed", "seed_sha256", "panel_index", "panel", "members")),
    "status": frozenset(("number", "from", "to")),
    "replacement": frozenset(("replaced",)),
}
_COLUMNS = ("seq", "draw_id", "recorded_at", "kind", "data", "reason", "prev_hash", "hash")


def canonical_row(
    seq: int, draw_id: int, recorded_at: str, kind: str, data_text: str, reason: str
) -> str:
    """An entry's canonical text (RFC 8785: keys sorted, no spaces) from its stored columns.

    `data_text` is the stored canonical JSON; the chain check also holds it to that form.
    """
    if type(seq) is not int or type(draw_id) is not int:
        raise TypeError("entry and draw numbers must be whole numbers")  # not words
    if not (0 <= seq <= LARGEST_EXACT and abs(draw_id) <= LARGEST_EXACT):
        raise ValueError("entry numbers beyond 2**53 have no canonical JSON form")  # not words
    return (
        f'{{"data":{data_text},"draw_id":{draw_id},"kind":{_json_str(kind)},'  # not words
        f'"reason":{_json_str(reason)},"recorded_at":{_json_str(recorded_at)},"seq":{seq}}}'
    )


def row_hash(
    prev_hash: str, seq: int, draw_id: int, recorded_at: str, kind: str, data_text: str, reason: str
) -> str:
    return link_hash(prev_hash, canonical_row(seq, draw_id, recorded_at, kind, data_text, reason))


def _stored_hash(prev_hash: str, row: tuple) -> str:
    seq, draw_id, recorded_at, kind, data_text, reason = row[:6]
    return row_hash(prev_hash, seq, draw_id, recorded_at, kind, data_text, reason)


FORM = ChainForm(hash_of=_stored_hash, time_at=2, data_at=4, name=NAME)


def text_sha256(text: str) -> str:
    """SHA-256 of a stored column's text, to pin a large column (the probabilities) in the record."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    db: Database, draw_id: int, kind: str, data: Mapping[str, Any], *, at: str, reason: str = ""
) -> int:
    """Add one entry after the head (inside the caller's write transaction); returns its number.

    The caller writes the tables in the same transaction, so the record and the tables change
    together or not at all.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown draw record kind {kind!r}")  # not words
    head = db.execute(
        f"select seq, hash, recorded_at from {TABLE} order by seq desc limit 1"
    ).fetchone()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    if head and at < head[2]:
        raise OrganiserError(
            _(
                "This computer's clock says %(now)s, earlier than the draw record's last entry "
                "(%(last)s). The record only goes forward in time: check the clock and try "
                "again. Nothing was changed.",
                now=at,
                last=head[2],
            ),
            title=_("Clock"),
        )
    text = canonical_data(dict(data))
    digest = row_hash(prev_hash, seq, draw_id, at, kind, text, reason)
    db.execute(
        f"insert into {TABLE} ({', '.join(_COLUMNS)}) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, draw_id, at, kind, text, reason, prev_hash, digest],
    )
    return seq


def _rows(db: Database) -> Iterator[tuple]:
    return db.conn.execute(f"select {', '.join(_COLUMNS)} from {TABLE} order by seq")


def verify_record(db: Database) -> ChainCheck:
    """Check the draw record's chain: numbering, links, hashes, canonical data, times."""
    return check_chain(_rows(db), FORM)


def computed_facts(row: dict) -> dict:
    """A stored draw row's facts as the `computed` entry holds them."""
    return {
        "created_at": row["created_at"],
        "algorithm": row["algorithm"],
        "panel_size": row["panel_size"],
        "pool_size": len(json.loads(row["probabilities"])),
        "fingerprint": row["snapshot_sha256"],
        "commitment": row["commitment"],
        "lottery_size": row["lottery_size"],
        "min_probability": float(row["min_probability"]),
        "largest_change": float(row["largest_change"]),
        "seconds": float(row["seconds"]),
        "stopped_early": bool(row["stopped_early"]),
        "upper_bound": None if row["upper_bound"] is None else float(row["upper_bound"]),
        "time_limit": None if row["time_limit"] is None else float(row["time_limit"]),
        "probabilities_sha256": text_sha256(row["probabilities"]),
    }


def drawn_facts(row: dict, seated: list[list]) -> dict:
    """A seeded draw row's facts as the `drawn` entry holds them."""
    return {
        "drawn_at": row["drawn_at"],
        "seed": row["seed"],
        "seed_sha256": row["seed_sha256"],
        "panel_index": row["panel_index"],
        "panel": json.loads(row["panel"]),
        "members": seated,
    }


# --- what the record says -------------------------------------------------------------------


@dataclass(frozen=True)
class Witness:
    name: str
    role: str
    recorded_at: str


@dataclass(frozen=True)
class RecordedDraw:
    """One draw as the record holds it (`computed` facts, then its witnesses and its seed)."""

    id: int
    seq: int  # the `computed` entry
    created_at: str
    facts: Mapping[str, Any]
    witnesses: tuple[tuple[int, Witness], ...] = ()  # (entry number, witness)
    drawn_seq: int | None = None
    drawn: Mapping[str, Any] | None = None  # seed, seed_sha256, panel_index, panel, members
    drawn_at: str | None = None


@dataclass(frozen=True)
class RecordedMember:
    """A member as the record holds them: who, their status now, and whom they replace."""

    number: int
    ref: str
    status: str
    draw_id: int
    replaces: int | None
    seq: int  # the entry that last changed them


@dataclass(frozen=True)
class DrawRecord:
    """The record replayed: its chain check, every draw, every member, and what did not add up.

    `problems` (each starting 'seq N: ', the entry) are entries that contradict the ones before
    them (a status change from a status the member did not have, a member numbered twice) or do
    not hold what their kind needs: entries this app never writes.
    """

    chain: ChainCheck
    draws: Mapping[int, RecordedDraw] = field(default_factory=dict)
    members: Mapping[int, RecordedMember] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def read_record(db: Database) -> DrawRecord:
    """Check the chain, then replay it; only entries the chain vouches for are replayed."""
    chain = verify_record(db)
    trusted = chain.entries if chain.ok else (chain.first_bad_seq or 1) - 1
    draws: dict[int, dict[str, Any]] = {}
    members: dict[int, dict[str, Any]] = {}
    problems: list[str] = []
    for seq, draw_id, at, kind, data_text, _reason, _prev, _hash in db.conn.execute(
        f"select {', '.join(_COLUMNS)} from {TABLE} where seq <= ? order by seq", [trusted]
    ):
        where = f"seq {seq}"
        try:
            _replay(draws, members, problems, where, seq, draw_id, at, kind, json.loads(data_text))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # a record rewritten outside the app, every hash recomputed: report, never crash
            problems.append(
                f"{where}: "
                + _("its data is not what this app records (%(error)s).", error=repr(error))
            )
    return DrawRecord(
        chain=chain,
        draws={
            i: RecordedDraw(
                id=d["id"],
                seq=d["seq"],
                created_at=d["created_at"],
                facts=d["facts"],
                witnesses=tuple(d["witnesses"]),
                drawn_seq=d.get("drawn_seq"),
                drawn=d.get("drawn"),
                drawn_at=d.get("drawn_at"),
            )
            for i, d in draws.items()
        },
        members={n: RecordedMember(**m) for n, m in members.items()},
        problems=tuple(problems),
    )


def _replay(
    draws: dict[int, dict[str, Any]],
    members: dict[int, dict[str, Any]],
    problems: list[str],
    where: str,
    seq: int,
    draw_id: int,
    at: str,
    kind: str,
    data: dict[str, Any],
) -> None:
    """Apply one entry to the replayed draws and members (raises on data of the wrong shape)."""
    needed = _NEEDED.get(kind, frozenset()) - set(data)
    if needed:
        raise KeyError(", ".join(sorted(needed)))
    if kind == "computed":
        if draw_id in draws:
            problems.append(
                f"{where}: " + _("draw %(draw)s is recorded as computed twice.", draw=draw_id)
            )
            return
        draws[draw_id] = {
            "id": draw_id,
            "seq": seq,
            "created_at": data.get("created_at", at),
            "facts": data,
            "witnesses": [],
        }
        return
    draw = draws.get(draw_id)
    if draw is None:
        problems.append(
            f"{where}: "
            + _("it names draw %(draw)s, which the record never computed.", draw=draw_id)
        )
        return
    if kind == "witness":
        when = data.get("recorded_at", at)
        draw["witnesses"].append((seq, Witness(data["name"], data["role"], when)))
    elif kind == "drawn":
        if draw.get("drawn") is not None:
            problems.append(
                f"{where}: " + _("draw %(draw)s is recorded as drawn twice.", draw=draw_id)
            )
            return
        draw.update(drawn_seq=seq, drawn=data, drawn_at=data.get("drawn_at", at))
        for number, ref in data["members"]:
            _seat(members, problems, where, number, ref, draw_id, None, seq)
    elif kind == "status":
        member = members.get(data["number"])
        if member is None or member["status"] != data["from"]:
            problems.append(
                f"{where}: "
                + (
                    _(
                        "member %(number)s moves from %(status)s, but the record has them %(had)s.",
                        number=data["number"],
                        status=data["from"],
                        had=member["status"],
                    )
                    if member
                    else _(
                        "member %(number)s moves from %(status)s, but the record has them not "
                        "a member.",
                        number=data["number"],
                        status=data["from"],
                    )
                )
            )
            return
        member.update(status=data["to"], seq=seq)
    elif kind == "replacement":
        for old, new, ref in data["replaced"]:
            gone = members.get(old)
            if gone is None or gone["status"] != "withdrawn":
                problems.append(
                    f"{where}: "
                    + _(
                        "member %(number)s is replaced, but the record does not have them "
                        "withdrawn.",
                        number=old,
                    )
                )
                return
            gone.update(status="replaced", seq=seq)
            _seat(members, problems, where, new, ref, draw_id, old, seq)


def _seat(
    members: dict[int, dict[str, Any]],
    problems: list[str],
    where: str,
    number: int,
    ref: str,
    draw_id: int,
    replaces: int | None,
    seq: int,
) -> None:
    if number in members:
        problems.append(f"{where}: " + _("member number %(number)s is given twice.", number=number))
        return
    members[number] = {
        "number": number,
        "ref": ref,
        "status": "selected",
        "draw_id": draw_id,
        "replaces": replaces,
        "seq": seq,
    }
