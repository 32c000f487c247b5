"""The example assembly's feedback log: intact, showing every kind of answer and some overdue
ones at the example's own clock, the same every time, and built from the assembly's own ideas and
recommendations when the earlier parts of the example made them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assembly.core.clock import FixedClock
from assembly.demo import part_feedback
from assembly.feedback import queries, scrutiny, writes
from assembly.feedback.entries import Item
from assembly.feedback.verify import verify_log
from assembly.store import AssemblyFile, create_assembly, open_assembly

from .conftest import add_ideas

SHOWN = {"in_progress", "not_accepted", "done", "received", "under_consideration"}


def check_part(assembly: AssemblyFile, clock: FixedClock) -> list[Item]:
    db = assembly.db()
    assert verify_log(db, deep=True).ok
    items = queries.all_items(db)
    assert len(items) >= part_feedback.MIN_ITEMS
    assert {i.status for i in items} >= SHOWN
    assert all(i.status_reason for i in items if i.status == "not_accepted")
    assert all(i.responsible_body and i.due for i in items)
    board = scrutiny.dashboard(db, clock.now().date())
    assert board.totals.overdue >= 1 and board.totals.unanswered >= 1
    return items


def test_part_on_its_own_uses_residents_proposals(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    part_feedback.build(empty_file, np.random.default_rng(1), clock)
    items = check_part(empty_file, clock)
    assert {i.source_kind for i in items} == {"recommendation"}


def test_part_after_sessions_and_agenda_tracks_their_items(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    db = empty_file.db()
    add_ideas(empty_file, [f"Idea {n}: more  benches\n{n}" for n in range(1, 6)], withdrawn={5})
    for n in (1, 2, 3):  # as the agenda area tracks passed recommendations
        writes.track(
            db,
            title=f"Recommendation {n}",
            description="Passed by the assembly.",
            source_kind="recommendation",
            source_id=n,
            actor="Agenda",
            clock=clock,
        )
    part_feedback.build(empty_file, np.random.default_rng(1), clock)
    items = check_part(empty_file, clock)
    kinds = [i.source_kind for i in items]
    withdrawn_kept = "withdrawn_at" not in db["ideas"].columns_dict  # only before the merge
    assert kinds.count("recommendation") == 3 and kinds.count("idea") == 4 + withdrawn_kept
    assert "Idea 1: more benches 1" in {i.title for i in items}
    assert len(items) == part_feedback.MIN_ITEMS  # topped up with residents' proposals
    assert "Idea 5: more benches 5" not in {i.title for i in items} or withdrawn_kept


def test_part_is_the_same_every_time(tmp_path: Path) -> None:
    hashes = []
    for name in ("a.db", "b.db"):
        clock = FixedClock(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
        assembly = create_assembly(tmp_path / name, name="Same", clock=clock)
        part_feedback.build(assembly, np.random.default_rng([20261126, 40]), clock)
        assembly.close()
        conn = sqlite3.connect(tmp_path / name)
        hashes.append(conn.execute("select group_concat(hash) from feedback_entries").fetchone())
        conn.close()
    assert hashes[0] == hashes[1] and hashes[0][0]


def test_example_file_log_is_intact(demo_path: Path) -> None:
    db = open_assembly(demo_path, read_only=True).db()
    assert verify_log(db, deep=True).ok
    assert len(queries.all_items(db)) >= part_feedback.MIN_ITEMS
