"""Fixtures for the feedback log: an empty assembly, a frozen clock and a small filled log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assembly.core.clock import FixedClock
from assembly.feedback import writes
from assembly.store import AssemblyFile, create_assembly

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def empty_file(tmp_path: Path, clock: FixedClock) -> AssemblyFile:
    assembly = create_assembly(tmp_path / "log.assembly.db", name="Log test", clock=clock)
    yield assembly
    assembly.close()


def fill_log(assembly: AssemblyFile, clock: FixedClock) -> list[int]:
    """Five items with a mix of answers: accepted with progress, refused, unanswered, overdue."""
    db = assembly.db()
    ids = []
    specs = [
        ("Car-free Saturdays on the High Street", "Highways", "2026-10-20"),
        ("Solar panels on the leisure centre", "Climate team", "2026-10-20"),
        ("Free repair café in the library", "Libraries", "2026-10-20"),
        ("Late-night bus to the station", "Transport for Hollowfield", "2026-10-10"),
        ("Market stall rents cut for young traders", "Markets", "2026-12-20"),
    ]
    for n, (title, body, due) in enumerate(specs, start=1):
        ids.append(
            writes.track(
                db,
                title=title,
                description=f"Residents asked for: {title.lower()}.",
                source_kind="recommendation",
                source_id=n,
                actor="Assembly organiser",
                clock=clock,
                responsible_body=body,
                due=due,
            )
        )
    clock.advance(days=5)
    writes.record(
        db,
        ids[0],
        actor="Sam Officer",
        clock=clock,
        status="accepted",
        response="We will trial car-free Saturdays from March.",
    )
    clock.advance(days=10)
    writes.record(db, ids[0], actor="Sam Officer", clock=clock, status="in_progress", progress=40)
    writes.record(
        db,
        ids[0],
        actor="Sam Officer",
        clock=clock,
        milestone=("2027-03-06", "First car-free Saturday"),
        evidence=("https://example.org/cabinet/2026-10", "Cabinet decision"),
    )
    clock.advance(days=2)
    writes.record(
        db,
        ids[1],
        actor="Priya Officer",
        clock=clock,
        status="not_accepted",
        reason="The roof cannot carry the weight; we will look at the depot instead.",
        response="Not on the leisure centre roof, which is too weak.",
    )
    return ids


def add_ideas(assembly: AssemblyFile, texts: list[str], withdrawn: set[int] = frozenset()) -> None:
    """Ideas as the sessions area records them (a bare table before that area is merged)."""
    from assembly.store import write_transaction

    db = assembly.db()
    with write_transaction(db):
        if "ideas" not in db.table_names():
            db.execute("create table ideas (id integer primary key, text text, created_at text)")
        columns = set(db["ideas"].columns_dict)
        for n, text in enumerate(texts, start=1):
            row = {
                "text": text,
                "created_at": "2026-10-01T09:00:00Z",
                "updated_at": "2026-10-01T09:00:00Z",
                "withdrawn_at": "2026-10-01T10:00:00Z" if n in withdrawn else None,
            }
            db["ideas"].insert({k: v for k, v in row.items() if k in columns})
