"""Numbered schema migrations: applying them to a file, and refusing a file from a newer version.

Each area of the app declares its migrations in its own `schema` module (core 1-99, organiser
100-199, sessions 200-249, agenda 250-279, tables 280-299, feedback 300-399, budgets 400-449,
invitations 450-499),
so areas grow their schema without touching one shared file. The store knows no area: `assembly.schema` lists
every area's migrations and registers them here once, when `assembly` is imported. A file records
which migrations it has; one holding a number this version does not know came from a newer
version and is refused rather than guessed at.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlite_utils import Database

MIGRATIONS_TABLE = "_migrations"


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[Database], None]


def migration(number: int, name: str) -> Callable[[Callable[[Database], None]], Migration]:
    """Make `fn(db)` migration `number`; it runs once, inside a transaction."""

    def make(fn: Callable[[Database], None]) -> Migration:
        return Migration(number, name, fn)

    return make


_SCHEMA: tuple[Migration, ...] = ()


def register(schema: Iterable[Migration]) -> None:
    """Make `schema` the migrations this version knows (see `assembly.schema`)."""
    global _SCHEMA
    ordered = tuple(sorted(schema, key=lambda m: m.number))
    for before, after in itertools.pairwise(ordered):
        if before.number == after.number:
            raise RuntimeError(
                f"migration {after.number} declared twice: {before.name}, {after.name}"  # not words
            )
    _SCHEMA = ordered


def all_migrations() -> list[Migration]:
    """Every migration this version knows, in order."""
    if not _SCHEMA:
        raise RuntimeError("no schema registered: importing `assembly` registers it")  # not words
    return list(_SCHEMA)


def applied_numbers(db: Database) -> set[int]:
    if MIGRATIONS_TABLE not in db.table_names():
        return set()
    return {row["number"] for row in db.query(f"select number from {MIGRATIONS_TABLE}")}


def pending(db: Database) -> list[Migration]:
    done = applied_numbers(db)
    return [m for m in all_migrations() if m.number not in done]


def unknown_numbers(db: Database) -> set[int]:
    """Migrations recorded in the file that this version does not have: a newer version's file."""
    known = {m.number for m in all_migrations()}
    return applied_numbers(db) - known


def apply_pending(db: Database, applied_at: str) -> list[Migration]:
    """Apply what is missing, all in one transaction, so a failed upgrade leaves the file as it was."""
    todo = pending(db)
    if not todo:
        return []
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            f"create table if not exists {MIGRATIONS_TABLE} "
            "(number integer primary key, name text not null, applied_at text not null)"
        )
        for m in todo:
            m.apply(db)
            db.execute(
                f"insert into {MIGRATIONS_TABLE} (number, name, applied_at) values (?, ?, ?)",
                [m.number, m.name, applied_at],
            )
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    return todo
