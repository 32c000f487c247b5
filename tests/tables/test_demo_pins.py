"""The example's interpreter pins agree with the members' recorded access support: member 10
was pinned to a Bengali interpreter while their support said Polish."""

from __future__ import annotations

from pathlib import Path

from assembly.organiser.support import get_support
from assembly.store import open_assembly
from assembly.tables.plans import list_pins


def test_interpreter_pins_match_access_support(demo_path: Path) -> None:
    db = open_assembly(demo_path, read_only=True).db()
    pins = [p for p in list_pins(db) if p.kind == "interpreter"]
    assert pins
    for pin in pins:
        wanted = get_support(db, pin.number).interpreter
        assert wanted and pin.label == f"{wanted} interpreter", (pin.number, pin.label, wanted)
