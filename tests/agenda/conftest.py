"""An assembly file with a small panel, and the sessions area's contract tables when that area's
migration is not in this branch yet (created exactly as APP.md specifies)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assembly.core.clock import FixedClock
from assembly.store import AssemblyFile, create_assembly, write_transaction

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

CONTRACT_TABLES = [
    """create table if not exists sessions (
        id integer primary key, title text not null, starts_at text, planned_minutes integer,
        status text not null default 'planned', started_at text, ended_at text)""",
    """create table if not exists agenda_items (
        id integer primary key, session_id integer not null references sessions(id),
        position integer not null, title text not null, minutes integer not null,
        kind text not null, topic_id integer, residents_rank integer, started_at text,
        ended_at text, extended_minutes integer not null default 0)""",
    """create table if not exists ideas (
        id integer primary key, session_id integer references sessions(id),
        agenda_item_id integer references agenda_items(id), member_id integer references members(id),
        text text not null, created_at text not null)""",
]


def add_panel(db, size: int = 6) -> None:
    with write_transaction(db):
        for n in range(1, size + 1):
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


def add_contract_tables(db) -> None:
    with write_transaction(db):
        for sql in CONTRACT_TABLES:
            db.execute(sql)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def assembly(tmp_path: Path, clock: FixedClock) -> AssemblyFile:
    path = tmp_path / "agenda.assembly.db"
    file = create_assembly(path, name="Agenda test assembly", clock=clock)
    db = file.db()
    add_panel(db)
    add_contract_tables(db)
    try:
        from assembly.sessions.sessions import create_session
    except ImportError:
        create_session = None
    if create_session is not None:
        create_session(db, title="Session 2: priorities", clock=clock, planned_minutes=240)
    with write_transaction(db):
        if not db.execute("select 1 from sessions").fetchone():
            db["sessions"].insert(
                {"title": "Session 2: priorities", "planned_minutes": 240, "status": "planned"}
            )
        if "updated_at" in {c.name for c in db["ideas"].columns}:
            extra = {"updated_at": "2026-11-20T10:00:00Z"}
        else:
            extra = {}
        for text in ("Free buses on Sundays", "Plant street trees on the high street"):
            db["ideas"].insert({"text": text, "created_at": "2026-11-20T10:00:00Z", **extra})
    yield file
    file.close()


@pytest.fixture
def db(assembly: AssemblyFile):
    return assembly.db()
