"""An assembly file with a small panel, a planned session and two ideas from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assembly.core.clock import FixedClock
from assembly.sessions.sessions import create_session
from assembly.store import AssemblyFile, create_assembly, write_transaction

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def add_panel(db, size: int = 6, first: int = 1) -> None:
    with write_transaction(db):
        for n in range(first, first + size):
            rid = (
                db["respondents"]
                .insert(
                    {
                        "ref": f"R{n}",
                        "name": f"Member Person {n}",
                        "features": json.dumps({}),
                        "imported_at": "2026-11-01T00:00:00Z",
                    }
                )
                .last_pk
            )
            db["members"].insert(
                {
                    "respondent_id": rid,
                    "number": n,
                    "status": "confirmed",
                    "status_changed_at": "2026-11-01T00:00:00Z",
                }
            )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def assembly(tmp_path: Path, clock: FixedClock) -> AssemblyFile:
    path = tmp_path / "agenda.assembly.db"
    file = create_assembly(path, name="Agenda test assembly", clock=clock)
    db = file.db()
    add_panel(db)
    create_session(db, title="Session 2: priorities", clock=clock, planned_minutes=240)
    with write_transaction(db):
        for text in ("Free buses on Sundays", "Plant street trees on the high street"):
            db["ideas"].insert(
                {
                    "text": text,
                    "created_at": "2026-11-20T10:00:00Z",
                    "updated_at": "2026-11-20T10:00:00Z",
                }
            )
    yield file
    file.close()


@pytest.fixture
def room_of_40(assembly: AssemblyFile) -> None:
    """34 more members, for votes counted by show of hands: a count cannot exceed the panel."""
    add_panel(assembly.db(), 34, first=7)


@pytest.fixture
def db(assembly: AssemblyFile):
    return assembly.db()
