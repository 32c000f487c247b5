"""A small panel of 12 members with three categories (one special-category), on a frozen clock,
so session tests do not depend on the organiser's draw."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from assembly.core.clock import FixedClock
from assembly.store import AssemblyFile, create_assembly, write_transaction

START = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)

# number, name, gender, age band, ethnicity (sensitive)
PEOPLE = [
    (1, "Aisha Khan", "Woman", "16-29", "Asian"),
    (2, "Ben Hall", "Man", "16-29", "White"),
    (3, "Chloe Evans", "Woman", "30-59", "White"),
    (4, "Daniel Okafor", "Man", "30-59", "Black"),
    (5, "Ella Singh", "Woman", "60+", "Asian"),
    (6, "Fatima Begum", "Woman", "60+", "Asian"),
    (7, "Grace Murphy", "Woman", "30-59", "White"),
    (8, "Hassan Ali", "Man", "16-29", "Asian"),
    (9, "Ivan Kowalski", "Man", "60+", "White"),
    (10, "Jade Brown", "Woman", "30-59", "Black"),
    (11, "Kwame Mensah", "Man", "60+", "Black"),
    (12, None, "Man", "16-29", "White"),  # name purged after the assembly
]
FEATURES = [
    ("gender", "Gender", 0, ["Woman", "Man"]),
    ("age_band", "Age band", 0, ["16-29", "30-59", "60+"]),
    ("ethnicity", "Ethnic group", 1, ["Asian", "Black", "White"]),
]


@dataclass
class Panel:
    assembly: AssemblyFile
    clock: FixedClock

    @property
    def db(self) -> Database:
        return self.assembly.db()

    def member(self, number: int) -> int:
        return self.db.execute("select id from members where number = ?", [number]).fetchone()[0]


def build_panel(path: Path, clock: FixedClock) -> AssemblyFile:
    assembly = create_assembly(path, name="Test assembly", clock=clock)
    db = assembly.db()
    with write_transaction(db):
        for position, (name, label, sensitive, values) in enumerate(FEATURES):
            db["features"].insert(
                {"name": name, "label": label, "position": position, "sensitive": sensitive}
            )
            for k, value in enumerate(values):
                db["feature_values"].insert(
                    {"feature": name, "value": value, "position": k, "target_share": None}
                )
        for number, name, gender, age, ethnicity in PEOPLE:
            rid = (
                db["respondents"]
                .insert(
                    {
                        "ref": f"R{number}",
                        "name": name,
                        "features": json.dumps(
                            {"gender": gender, "age_band": age, "ethnicity": ethnicity}
                        ),
                        "imported_at": "2026-09-01T09:00:00Z",
                    }
                )
                .last_pk
            )
            db["members"].insert(
                {
                    "respondent_id": rid,
                    "number": number,
                    "status": "confirmed",
                    "status_changed_at": "2026-09-01T09:00:00Z",
                }
            )
    return assembly


@pytest.fixture
def panel_path(tmp_path: Path) -> Path:
    path = tmp_path / "panel.assembly.db"
    build_panel(path, FixedClock(START)).close()
    return path


@pytest.fixture
def panel(panel_path: Path) -> Panel:
    from assembly.store import open_assembly

    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    yield Panel(assembly, clock)
    assembly.close()
