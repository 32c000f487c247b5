"""A small assembly with a panel, made directly in the core tables, so table-plan tests do not
depend on the organiser area's draw."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from assembly.core.clock import FixedClock
from assembly.demo.part_pool import FEATURES, store_features
from assembly.store import create_assembly, write_transaction

START = datetime(2026, 10, 3, 9, 0, tzinfo=UTC)


def make_room_file(path: Path, members: int = 30, withdrawn: int = 2, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    clock = FixedClock(START)
    assembly = create_assembly(path, name="Table test assembly", clock=clock)
    db = assembly.db()
    with write_transaction(db):
        store_features(db)
        for i in range(members + withdrawn):
            person = {
                name: values[int(rng.integers(len(values)))][0] for name, _l, _s, values in FEATURES
            }
            rid = (
                db["respondents"]
                .insert(
                    {
                        "ref": f"R{i + 1:03d}",
                        "name": f"Person {i + 1}",
                        "email": f"p{i + 1}@example.org",
                        "features": json.dumps(person),
                        "imported_at": "2026-09-01T09:00:00Z",
                    }
                )
                .last_pk
            )
            db["members"].insert(
                {
                    "respondent_id": rid,
                    "number": i + 1,
                    "status": "confirmed" if i < members else "withdrawn",
                    "status_changed_at": "2026-09-20T09:00:00Z",
                }
            )
    assembly.close()
    return path


def add_attendance(path: Path, title: str, present: list[int], absent: list[int]) -> int:
    """A session with attendance taken through the sessions area's own functions; its id."""
    from assembly.sessions.attendance import set_attendance
    from assembly.sessions.sessions import create_session
    from assembly.store import open_assembly

    clock = FixedClock(START)
    assembly = open_assembly(path)
    db = assembly.db()
    session_id = create_session(db, title=title, clock=clock)
    for number, status in [(n, "present") for n in present] + [(n, "absent") for n in absent]:
        member = db.execute("select id from members where number = ?", [number]).fetchone()[0]
        set_attendance(db, session_id, member, status, clock)
    assembly.close()
    return session_id


@pytest.fixture
def room_path(tmp_path: Path) -> Path:
    return make_room_file(tmp_path / "room.assembly.db")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)
