"""The sessions part of the example: runs with or without a drawn panel, fast and the same each time."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from assembly.core.clock import FixedClock
from assembly.demo import DEMO_SEED, DEMO_START, part_pool, part_sessions
from assembly.sessions import sessions as s
from assembly.sessions.speakers import session_equity
from assembly.store import create_assembly, write_transaction


def _example_with_panel(path: Path, members: int = 40):
    """Pool, a stand-in draw of `members` residents (the organiser part does the real one), sessions."""
    clock = FixedClock(DEMO_START)
    assembly = create_assembly(path, name="Example", clock=clock)
    part_pool.build(assembly, np.random.default_rng([DEMO_SEED, 10]), clock)
    db = assembly.db()
    with write_transaction(db):
        for number in range(1, members + 1):
            db.execute(
                "insert into members (respondent_id, number, status, status_changed_at) "
                "values (?, ?, 'confirmed', '2026-09-15T09:00:00Z')",
                [number * 37, number],
            )
    started = time.perf_counter()
    part_sessions.build(assembly, np.random.default_rng([DEMO_SEED, 30]), clock)
    return assembly, time.perf_counter() - started


def test_sessions_part_with_a_panel(tmp_path: Path) -> None:
    assembly, seconds = _example_with_panel(tmp_path / "a.db")
    db = assembly.db()
    assert seconds < 5
    sessions = s.list_sessions(db)
    assert [x.status for x in sessions] == ["finished", "finished", "planned"]
    first, second, third = (x.id for x in sessions)
    assert s.agenda(db, third)[0].started_at is None
    turns = db.execute("select count(*) from speaking_turns").fetchone()[0]
    assert turns > 40
    assert db.execute("select count(*) from session_pauses").fetchone()[0] == 1
    assert db.execute("select count(*) from ideas where member_id is not null").fetchone()[0] > 3
    assert db.execute("select count(*) from idea_revisions where revision = 2").fetchone()[0] == 2
    # the room's usual imbalance shows up in the equity panel
    report = session_equity(db, second, FixedClock(DEMO_START))
    assert report.total_seconds > 3600 and report.flagged_groups()
    # nothing is left open in a finished session
    assert not db.execute("select 1 from speaking_turns where ended_at is null").fetchall()
    assert s.current_item(db, first) is None


def test_sessions_part_is_deterministic(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        assembly, _ = _example_with_panel(tmp_path / name, members=20)
        db = assembly.db()
        dumps.append(
            [
                list(db.execute("select * from speaking_turns")),
                list(db.execute("select * from ideas")),
                list(db.execute("select * from agenda_items")),
            ]
        )
        assembly.close()
    assert dumps[0] == dumps[1]


def test_example_without_a_panel_still_has_sessions(demo_path: Path) -> None:
    from assembly.store import open_assembly

    db = open_assembly(demo_path).db()
    assert len(s.list_sessions(db)) == 3
    assert db.execute("select count(*) from ideas").fetchone()[0] >= 3
