"""Opening assembly files: upgrades, refusals with clear messages, read-only and locking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assembly.store import (
    AssemblyLocked,
    NewerVersion,
    NotAnAssembly,
    ReadOnlyFile,
    StoreError,
    create_assembly,
    migrations,
    open_assembly,
    write_transaction,
)


@pytest.fixture
def with_migration():
    """Register one more migration for a test (as a later version would), through the store's
    own `register`; the app's schema is registered again afterwards."""
    known = migrations.all_migrations()
    yield lambda extra: migrations.register([*known, extra])
    migrations.register(known)


def test_new_file_has_every_migration_and_settings(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    assembly = create_assembly(path, name="Test assembly")
    db = assembly.db()
    assert migrations.applied_numbers(db) == {m.number for m in migrations.all_migrations()}
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert assembly.name == "Test assembly"
    assert assembly.timezone == "Europe/London"


def test_every_area_registers_its_migrations_in_number_order() -> None:
    from assembly import schema

    numbers = [m.number for m in migrations.all_migrations()]
    assert numbers == sorted(numbers) == [m.number for m in schema.MIGRATIONS]
    assert {1, 100, 200, 250, 280, 300} <= set(numbers)


def test_older_file_is_upgraded_keeping_its_data(tmp_path: Path, with_migration) -> None:
    path = tmp_path / "a.db"
    create_assembly(path, name="Old").close()

    def add_notes(db) -> None:
        db.execute("create table upgrade_notes (text text)")
        db.execute("insert into upgrade_notes values ('added by upgrade')")

    later = migrations.Migration(98, "test: a later schema change", add_notes)
    with_migration(later)
    upgraded = open_assembly(path)
    db = upgraded.db()
    assert 98 in migrations.applied_numbers(db)
    assert db.execute("select text from upgrade_notes").fetchone()[0] == "added by upgrade"
    assert upgraded.name == "Old"


def test_failed_upgrade_leaves_file_as_it_was(tmp_path: Path, with_migration) -> None:
    path = tmp_path / "a.db"
    create_assembly(path, name="Old").close()

    def broken(db) -> None:
        db.execute("create table half_done (x)")
        raise RuntimeError("disk trouble")

    failing = migrations.Migration(98, "test: fails halfway", broken)
    with_migration(failing)
    with pytest.raises(RuntimeError):
        open_assembly(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("select name from sqlite_master")}
    assert "half_done" not in tables
    conn.close()


def test_newer_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    create_assembly(path, name="X").close()
    conn = sqlite3.connect(path)
    conn.execute("insert into _migrations values (9999, 'from the future', '2030-01-01T00:00:00Z')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerVersion, match="newer version"):
        open_assembly(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"name,age\nAnn,40\n", "not an assembly"), (b"", "empty")],
)
def test_not_an_assembly(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "pool.csv"
    path.write_bytes(content)
    with pytest.raises(NotAnAssembly, match=message):
        open_assembly(path)


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnAssembly, match="not an assembly"):
        open_assembly(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="There is no file"):
        open_assembly(tmp_path / "nope.db")


def test_locked_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    create_assembly(path, name="X").close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(AssemblyLocked, match="another program"):
            open_assembly(path)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_read_only_connection_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    create_assembly(path, name="X").close()
    review = open_assembly(path, read_only=True)
    db = review.db()
    assert db.execute("select count(*) from respondents").fetchone()[0] == 0
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        db.execute("insert into assembly_info values ('x', 'y')")
    with pytest.raises(ReadOnlyFile), write_transaction(db):
        pass


def test_write_transaction_rolls_back_everything(tmp_path: Path) -> None:
    assembly = create_assembly(tmp_path / "a.db", name="X")
    db = assembly.db()
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("insert into assembly_info values ('a', '1')")
        raise RuntimeError("halfway")
    assert db.execute("select count(*) from assembly_info where key = 'a'").fetchone()[0] == 0


def test_unknown_timezone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="time zone"):
        create_assembly(tmp_path / "a.db", name="X", timezone="Mars/Olympus")
