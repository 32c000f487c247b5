"""The draw record's table: append-only and hash-chained, like the feedback log's entries.

Triggers refuse any UPDATE or DELETE, and an INSERT must take the next number, link to the
current head and be dated no earlier than it, so a program that bypasses the app cannot quietly
rewrite a draw or a member (it would have to drop the triggers, and the chain would still show
it). A file that already held draws when it was upgraded gets them recorded as the file held
them then, each entry saying so in its reason.
"""

from __future__ import annotations

from sqlite_utils import Database

from assembly.organiser import draws_record
from assembly.store.migrations import migration
from assembly.store.triggers import append_only, chain_order, time_order

UPGRADED = "recorded when the file was upgraded: the facts as the file held them then"  # not words


@migration(
    180,
    "organiser: the draw record, a hash chain of draws, witnesses and member changes",  # not words
)
def create_draw_record(db: Database) -> None:
    kinds = ", ".join(f"'{k}'" for k in draws_record.KINDS)
    db.execute(
        f"""create table draw_record (
            seq integer primary key,
            draw_id integer not null,
            recorded_at text not null,
            kind text not null check (kind in ({kinds})),
            data text not null,
            reason text not null default '',
            prev_hash text not null,
            hash text not null unique
        )"""
    )
    db.execute("create index draw_record_draw on draw_record(draw_id, seq)")
    append_only(
        db,
        "draw_record",
        on_update="the draw record is append-only: record a new entry instead",
        on_delete="the draw record is append-only: its entries cannot be deleted",
    )
    chain_order(db, "draw_record", "draw record entry")  # not words
    time_order(db, "draw_record", "draw record entry")  # not words
    db.execute(
        """create trigger draw_witnesses_no_delete before delete on draw_witnesses
        begin
            select raise(abort, 'a witness of a draw is never removed');
        end"""
    )
    _record_existing(db)


def _record_existing(db: Database) -> None:
    """Draws and members already in the file, recorded as it holds them (see UPGRADED)."""
    times = [
        r[0]
        for r in db.execute(
            "select max(created_at) from draws union all select max(drawn_at) from draws "
            "union all select max(recorded_at) from draw_witnesses "
            "union all select max(status_changed_at) from members"
        )
        if r[0]
    ]
    if not times:
        return
    at = max(times)
    for row in db.query("select * from draws order by id"):
        draws_record.append(
            db, row["id"], "computed", draws_record.computed_facts(row), at=at, reason=UPGRADED
        )
        for w in db.query(
            "select name, role, recorded_at from draw_witnesses where draw_id = ? order by id",
            [row["id"]],
        ):
            draws_record.append(db, row["id"], "witness", dict(w), at=at, reason=UPGRADED)
        if row["seed"] is None:
            continue
        seated = db.execute(
            "select m.number, r.ref from members m join respondents r on r.id = m.respondent_id "
            "where m.draw_id = ? and m.replaces_member_id is null order by m.number",
            [row["id"]],
        ).fetchall()
        draws_record.append(
            db,
            row["id"],
            "drawn",
            draws_record.drawn_facts(row, [[n, ref] for n, ref in seated]),
            at=at,
            reason=UPGRADED,
        )
        _record_members_now(db, row["id"], at)


def _record_members_now(db: Database, draw_id: int, at: str) -> None:
    """Each member's status now, and each replacement, as single entries (history unknown)."""
    rows = list(
        db.query(
            "select m.number, m.status, r.ref, o.number as replaces from members m "
            "join respondents r on r.id = m.respondent_id "
            "left join members o on o.id = m.replaces_member_id "
            "where m.draw_id = ? order by m.number",
            [draw_id],
        )
    )
    status = {r["number"]: "selected" for r in rows if r["replaces"] is None}
    for r in rows:
        if r["replaces"] is None:
            continue
        old = r["replaces"]
        if status.get(old) != "withdrawn":
            draws_record.append(
                db,
                draw_id,
                "status",
                {"number": old, "ref": "", "from": status.get(old, "selected"), "to": "withdrawn"},
                at=at,
                reason=UPGRADED,
            )
        draws_record.append(
            db,
            draw_id,
            "replacement",
            {"seed": None, "algorithm": None, "replaced": [[old, r["number"], r["ref"]]]},
            at=at,
            reason=UPGRADED,
        )
        status[old] = "replaced"
        status[r["number"]] = "selected"
    for r in rows:
        if status[r["number"]] != r["status"]:
            draws_record.append(
                db,
                draw_id,
                "status",
                {
                    "number": r["number"],
                    "ref": r["ref"],
                    "from": status[r["number"]],
                    "to": r["status"],
                },
                at=at,
                reason=UPGRADED,
            )


MIGRATIONS = (create_draw_record,)
