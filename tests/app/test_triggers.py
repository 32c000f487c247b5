"""The one append-only and hash-chain guard every area uses: updates, deletes, out-of-order
and back-dated rows are refused with the message given, quotes and all."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from assembly.core.hashchain import GENESIS
from assembly.store.triggers import append_only, chain_order, time_order


@pytest.fixture
def db() -> Database:
    db = Database(memory=True)
    db.execute("create table log (seq integer, prev_hash text, hash text, recorded_at text)")
    append_only(db, "log", on_update="can't change it", on_delete="can't delete it")
    chain_order(db, "log", "log entry")
    time_order(db, "log", "log entry")
    return db


def test_rows_only_follow_the_last_in_order_and_time(db: Database) -> None:
    db.execute("insert into log values (1, ?, 'a', '2026-01-02T00:00:00Z')", [GENESIS])
    with pytest.raises(sqlite3.IntegrityError, match="log entry out of order"):
        db.execute("insert into log values (3, 'a', 'b', '2026-01-03T00:00:00Z')")
    with pytest.raises(sqlite3.IntegrityError, match="log entry out of order"):
        db.execute("insert into log values (2, 'x', 'b', '2026-01-03T00:00:00Z')")
    with pytest.raises(sqlite3.IntegrityError, match="dated before the last entry"):
        db.execute("insert into log values (2, 'a', 'b', '2026-01-01T00:00:00Z')")
    db.execute("insert into log values (2, 'a', 'b', '2026-01-03T00:00:00Z')")
    assert db.execute("select count(*) from log").fetchone()[0] == 2


def test_nothing_is_changed_or_removed(db: Database) -> None:
    db.execute("insert into log values (1, ?, 'a', '2026-01-02T00:00:00Z')", [GENESIS])
    with pytest.raises(sqlite3.IntegrityError, match="can't change it"):
        db.execute("update log set hash = 'z'")
    with pytest.raises(sqlite3.IntegrityError, match="can't delete it"):
        db.execute("delete from log")
