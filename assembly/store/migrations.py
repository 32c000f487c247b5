"""Numbered schema migrations, registered by each area of the app in its own `schema` module.

Each area owns a range of numbers (core 1-99, organiser 100-199, facilitator 200-299, feedback
300-399), so areas grow their schema without touching one shared file. A file records which
migrations it has; one holding a number this version does not know came from a newer version and
is refused rather than guessed at.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

MIGRATIONS_TABLE = "_migrations"
# Areas whose `assembly.<area>.schema` module registers migrations.
SCHEMA_AREAS = ("core", "organiser", "sessions", "agenda", "tables", "feedback")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    apply: Callable[[Database], None]


_REGISTRY: dict[int, Migration] = {}


def migration(number: int, name: str) -> Callable[[Callable[[Database], None]], Callable]:
    """Register `fn(db)` as migration `number`; it runs once, inside a transaction."""

    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        existing = _REGISTRY.get(number)
        if existing is not None and existing.apply.__qualname__ != fn.__qualname__:
            raise RuntimeError(f"migration {number} registered twice: {existing.name}, {name}")
        _REGISTRY[number] = Migration(number, name, fn)
        return fn

    return register


def all_migrations() -> list[Migration]:
    """Every migration this version knows, in order (importing each area's `schema` once).

    The areas are named, not imported here: their schemas import this module to register, and
    the store depends on no area.
    """
    for area in SCHEMA_AREAS:
        importlib.import_module(f"assembly.{area}.schema")
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]


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
