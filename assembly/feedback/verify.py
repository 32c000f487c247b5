"""Verifying the feedback log: the hash chain, then that every item's summary agrees with it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from assembly.core.clock import from_iso
from assembly.core.i18n import N_, Text
from assembly.feedback.entries import apply_entry, new_state, row_to_state
from assembly.feedback.hashchain import ChainCheck, verify_chain

_ENTRY_COLUMNS = (
    "seq",
    "item_id",
    "recorded_at",
    "actor",
    "kind",
    "data",
    "reason",
    "prev_hash",
    "hash",
)
_COMPARED = (
    "title",
    "description",
    "source_kind",
    "source_id",
    "external_ref",
    "responsible_body",
    "due",
    "status",
    "status_reason",
    "progress",
    "response",
    "milestones",
    "evidence",
    "first_response_at",
    "response_days",
    "created_at",
    "updated_at",
    "entry_count",
    "last_seq",
)


def verify_log(db: Database, *, deep: bool = False) -> ChainCheck:
    """Check the whole log: the hash chain, then that the item summaries agree with it.

    The chain catches a changed, deleted, inserted or reordered entry. Every item's entry count
    and last entry are then compared with the entries (in SQL, quickly): that catches entries cut
    off the end of the log, which leave the chain itself intact. `deep` also replays every
    entry and compares each item's whole summary (status, progress, response, ...), which
    catches a doctored summary too; it takes about twice as long.
    """
    sql = f"select {', '.join(_ENTRY_COLUMNS)} from feedback_entries order by seq"
    if not deep:
        check = verify_chain(db.conn.execute(sql))
        if check.ok:
            check = _check_counts(db, check)
        return check if not check.ok else _check_times(db, check)
    states: dict[int, dict[str, Any]] = {}
    loads = json.loads

    def rows() -> Iterator[tuple]:
        for row in db.conn.execute(sql):
            yield row
            # only reached when the chain accepted this row
            item = row[1]
            state = states.get(item)
            if state is None:
                state = states[item] = new_state(item)
            with contextlib.suppress(KeyError, TypeError, ValueError):  # fails its hash too
                apply_entry(state, row[4], loads(row[5]), row[2], row[6], row[0])

    check = verify_chain(rows())
    if not check.ok:
        return check
    check = _check_counts(db, check)
    if not check.ok:
        return check
    check = _check_times(db, check)
    if not check.ok:
        return check
    for item_row in db.query("select * from feedback_items order by id"):
        state = states[item_row["id"]]
        stored = row_to_state(item_row)
        for name in _COMPARED:
            if stored[name] != state[name]:
                return ChainCheck(
                    False,
                    check.entries,
                    state["last_seq"],
                    _summary_differs(item_row["id"], name),
                )
    return check


def _summary_differs(item: int, field: str) -> Text:
    return Text(
        N_("item %(item)s's summary (%(field)s) does not match its entries."),
        {"item": item, "field": field},
    )


def _check_counts(db: Database, check: ChainCheck) -> ChainCheck:
    """Each item's entry count and last entry, as its summary records them, against the log."""
    last = check.entries
    row = db.execute(
        """select i.id, i.entry_count, i.last_seq, e.n, e.m from feedback_items i
        left join (select item_id, count(*) as n, max(seq) as m from feedback_entries
                   group by item_id) e on e.item_id = i.id
        where e.n is null or e.n != i.entry_count or e.m != i.last_seq
        order by i.last_seq desc limit 1"""
    ).fetchone()
    if row is not None:
        item, count, last_seq, found, _last = row
        if last_seq > last:
            return ChainCheck(
                False,
                check.entries,
                last + 1,
                Text(
                    N_(
                        "the log ends at entry %(last)s, but item %(item)s was last changed at "
                        "entry %(seq)s: entries were cut off the end."
                    ),
                    {"last": last, "item": item, "seq": last_seq},
                ),
            )
        if found is None:
            return ChainCheck(
                False,
                check.entries,
                last_seq,
                Text(
                    N_("item %(item)s has no entries in the log (its entries were removed)."),
                    {"item": item},
                ),
            )
        return ChainCheck(
            False,
            check.entries,
            last_seq,
            Text(
                N_("item %(item)s's summary says %(count)s entries, but the log holds %(found)s."),
                {"item": item, "count": count, "found": found},
            ),
        )
    orphan = db.execute(
        "select e.item_id, max(e.seq) from feedback_entries e left join feedback_items i "
        "on i.id = e.item_id where i.id is null group by e.item_id limit 1"
    ).fetchone()
    if orphan is not None:
        return ChainCheck(
            False,
            check.entries,
            orphan[1],
            Text(N_("item %(item)s is missing its summary."), {"item": orphan[0]}),
        )
    return check


def _check_times(db: Database, check: ChainCheck) -> ChainCheck:
    """The summary fields the dashboard and report show as dates and days, against the entries.

    When an item was received and last changed, when it was first answered and how many days
    that took come straight from entry times, so they are checked on every verification (in SQL,
    quickly), not only by the deep replay.
    """
    answer = (
        "e.kind = 'update' and (json_type(e.data, '$.response') is not null or "
        "(json_type(e.data, '$.status') is not null "
        "and coalesce(json_extract(e.data, '$.status'), '') != 'received'))"  # not words
    )
    rows = db.execute(
        f"""select i.id, i.last_seq, i.created_at, f.recorded_at, i.updated_at, l.recorded_at,
               i.first_response_at, r.recorded_at, i.response_days
        from feedback_items i
        left join feedback_entries f on f.seq =
            (select min(seq) from feedback_entries where item_id = i.id)
        left join feedback_entries l on l.seq = i.last_seq
        left join feedback_entries r on r.seq =
            (select min(e.seq) from feedback_entries e where e.item_id = i.id and {answer})
        order by i.id"""
    )
    for item, last_seq, created, first, updated, last, answered, answer_at, days in rows:
        wrong = None
        if created != first:
            wrong = "created_at"
        elif updated != last:
            wrong = "updated_at"
        elif answered != answer_at:
            wrong = "first_response_at"
        elif answer_at is None:
            wrong = None if days is None else "response_days"
        else:
            try:
                expected = round((from_iso(answer_at) - from_iso(first)).total_seconds() / 86400, 3)
            except (TypeError, ValueError):
                expected = None
            if days != expected:
                wrong = "response_days"
        if wrong:
            return ChainCheck(
                False,
                check.entries,
                last_seq,
                _summary_differs(item, wrong),
            )
    return check
