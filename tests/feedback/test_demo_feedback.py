"""The example assembly's feedback log: intact, varied enough to show every dashboard column
that matters, with overdue answers, and the same every time it is built."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from assembly.demo import build_demo
from assembly.domain import feedback_log, scrutiny
from assembly.store import open_assembly


def test_demo_log_is_intact_and_has_overdue_answers(demo_path: Path) -> None:
    assembly = open_assembly(demo_path, read_only=True)
    db = assembly.db()
    assert feedback_log.verify_log(db).ok
    items = feedback_log.all_items(db)
    assert len(items) >= 10
    statuses = {i.status for i in items}
    assert {"in_progress", "not_accepted", "done", "received"} <= statuses
    last_change = max(i.updated_at for i in items)[:10]
    board = scrutiny.dashboard(db, date.fromisoformat(last_change))
    assert board.totals.overdue >= 1 and board.totals.unanswered >= 1
    refused = [i for i in items if i.status == "not_accepted"]
    assert all(i.status_reason for i in refused)
    assembly.close()


def test_demo_log_is_the_same_every_time(demo_path: Path, tmp_path: Path) -> None:
    build_demo(tmp_path / "again.db").close()
    hashes = []
    for path in (demo_path, tmp_path / "again.db"):
        conn = sqlite3.connect(path)
        hashes.append(conn.execute("select group_concat(hash) from feedback_entries").fetchone())
        conn.close()
    assert hashes[0] == hashes[1] and hashes[0][0]
