"""Log entries only go forward in time: the file refuses a backdated entry even from a program
that bypasses the app, and the app refuses to record when the computer's clock runs behind."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from assembly.core.clock import FixedClock
from assembly.feedback import queries, writes
from assembly.feedback.entries import FeedbackError
from assembly.feedback.hashchain import canonical_data, row_hash
from assembly.feedback.verify import verify_log
from assembly.store import AssemblyFile
from tests.feedback.conftest import clock, empty_file, fill_log  # noqa: F401


def test_the_file_refuses_a_backdated_entry_with_a_valid_hash(
    empty_file: AssemblyFile,  # noqa: F811
    clock: FixedClock,  # noqa: F811
) -> None:
    fill_log(empty_file, clock)
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    seq, prev = conn.execute(
        "select seq, hash from feedback_entries order by seq desc limit 1"
    ).fetchone()
    at, data = "2019-03-01T09:00:00Z", canonical_data({"response": "Done long ago."})
    digest = row_hash(prev, seq + 1, 3, at, "Forger", "update", data, "")
    with pytest.raises(sqlite3.IntegrityError, match="dated before the last entry"):
        conn.execute(
            "insert into feedback_entries values (?, 3, ?, 'Forger', 'update', ?, '', ?, ?)",
            [seq + 1, at, data, prev, digest],
        )
    conn.close()
    assert verify_log(empty_file.db()).ok


def test_the_app_refuses_to_record_when_the_clock_runs_behind(
    empty_file: AssemblyFile,  # noqa: F811
    clock: FixedClock,  # noqa: F811
) -> None:
    ids = fill_log(empty_file, clock)
    behind = FixedClock(datetime(2026, 10, 2, tzinfo=UTC))
    before = queries.entry_count(empty_file.db())
    with pytest.raises(FeedbackError, match=r"clock says 2026-10-02.*check the clock"):
        writes.record(empty_file.db(), ids[2], actor="Officer", clock=behind, progress=10)
    assert queries.entry_count(empty_file.db()) == before
