"""The service: the room (panel or attendance), pins from the file, saved plans and exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembly.store import open_assembly
from assembly.tables.plans import (
    TablePlanRequestError,
    add_pin,
    export_csv,
    export_markdown,
    list_pins,
    list_plans,
    load_plan,
    make_plan,
    remove_pin,
    room_for,
    save_plan,
    sessions_with_attendance,
)
from tests.tables.conftest import add_attendance


def test_panel_room_skips_withdrawn_and_plan_round_trips(room_path: Path, clock) -> None:
    db = open_assembly(room_path).db()
    room = room_for(db, None)
    assert len(room.people) == 30 and "30 panel members" in room.source
    result = make_plan(db, tables=5, rounds=3, seed=11, iterations=4000)
    plan_id = save_plan(db, result, clock)
    saved = load_plan(db, plan_id)
    assert saved.people == 30 and saved.rounds == 3 and saved.tables == 5
    assert [len(v.seats) for v in saved.views[0]] == [6, 6, 6, 6, 6]
    for row in saved.views:
        numbers = sorted(s.number for v in row for s in v.seats)
        assert numbers == list(range(1, 31))
    stored = db.execute("select count(*) from table_seats where plan_id = ?", [plan_id]).fetchone()[
        0
    ]
    assert stored == 90
    assert saved.repeat_pairs == result.plan.score.repeat_pairs
    # Repeats on screen agree with the stored count: each repeat pair shows on both people.
    marked = {
        frozenset((s.number, n))
        for row in saved.views
        for v in row
        for s in v.seats
        for n, _r in s.met_before
    }
    assert len(marked) == saved.repeat_pairs
    assert list_plans(db)[0].id == plan_id
    assert load_plan(db).id == plan_id


def test_pins_hold_and_are_shown(room_path: Path, clock) -> None:
    db = open_assembly(room_path).db()
    add_pin(db, "interpreter", 3, clock, label="BSL interpreter")
    add_pin(db, "interpreter", 8, clock, label="BSL interpreter")
    add_pin(db, "apart", 1, clock, other_number=2)
    add_pin(db, "together", 4, clock, other_number=5)
    assert [p.describe() for p in list_pins(db)][:1] == ["#3 sits with the BSL interpreter"]
    saved = load_plan(db, save_plan(db, make_plan(db, tables=4, rounds=3, seed=2), clock))
    for row in saved.views:
        table_of = {s.number: v.table for v in row for s in v.seats}
        assert table_of[3] == table_of[8]
        assert table_of[4] == table_of[5]
        assert table_of[1] != table_of[2]
        bsl = [v for v in row if "BSL interpreter" in v.interpreters]
        assert len(bsl) == 1 and {3, 8} <= {s.number for s in bsl[0].seats}
    markdown = export_markdown(saved)
    assert "BSL interpreter" in markdown and "#3 and #8" not in markdown
    assert "4 sits" not in markdown and "#4 and #5 sit together" in markdown


def test_pin_mistakes_are_explained(room_path: Path, clock) -> None:
    db = open_assembly(room_path).db()
    with pytest.raises(TablePlanRequestError, match="no member number 99"):
        add_pin(db, "apart", 1, clock, other_number=99)
    with pytest.raises(TablePlanRequestError, match="which interpreter"):
        add_pin(db, "interpreter", 1, clock, label=" ")
    with pytest.raises(TablePlanRequestError, match="two different"):
        add_pin(db, "together", 1, clock, other_number=1)
    for n in (1, 2, 3, 4, 5, 6, 7, 8):
        add_pin(db, "interpreter", n, clock, label="Polish interpreter")
    with pytest.raises(TablePlanRequestError, match="8 people are pinned to sit together"):
        make_plan(db, tables=5, rounds=2, seed=1)
    for pin in list_pins(db)[4:]:
        remove_pin(db, pin.id)
    assert len(list_pins(db)) == 4
    with pytest.raises(TablePlanRequestError, match="no pin 999"):
        remove_pin(db, 999)


def test_session_room_from_attendance(room_path: Path, clock) -> None:
    sid = add_attendance(room_path, "Evening session", present=list(range(1, 21)), absent=[21, 22])
    db = open_assembly(room_path).db()
    assert sessions_with_attendance(db) == [(sid, f"session {sid} (Evening session)")]
    room = room_for(db, sid)
    assert [p.number for p in room.people] == list(range(1, 21))
    assert room.source == f"20 present at session {sid} (Evening session)"
    # A pin naming someone absent is set aside, not an error.
    add_pin(db, "apart", 1, clock, other_number=25)
    result = make_plan(db, tables=4, rounds=2, seed=3, session_id=sid, iterations=2000)
    assert len(result.skipped_pins) == 1 and not result.pins
    with pytest.raises(
        TablePlanRequestError, match=f"no one is marked present at session {sid + 1}"
    ):
        room_for(db, sid + 1)


def test_bad_requests(room_path: Path) -> None:
    db = open_assembly(room_path).db()
    with pytest.raises(TablePlanRequestError, match="no one is marked present at session 1"):
        room_for(db, 1)
    with pytest.raises(TablePlanRequestError, match="unknown feature 'shoe_size'"):
        make_plan(db, tables=3, rounds=2, seed=1, features=["shoe_size"])
    with pytest.raises(TablePlanRequestError, match="cannot fill 40 tables"):
        make_plan(db, tables=40, rounds=2, seed=1)


def test_exports_leave_out_sensitive_features_and_can_drop_names(room_path: Path, clock) -> None:
    db = open_assembly(room_path).db()
    saved = load_plan(db, save_plan(db, make_plan(db, tables=3, rounds=2, seed=5), clock))
    markdown = export_markdown(saved)
    assert "Person 1" in markdown and "Gender:" in markdown
    assert "ethnicity" not in markdown and "disability" not in markdown
    anonymous = export_csv(saved, names=False)
    assert "Person" not in anonymous and anonymous.startswith("round,table,member_number,pinned")
    assert len(anonymous.strip().splitlines()) == 1 + 2 * 30
    assert "example.org" not in export_csv(saved)


def test_mix_names_features_by_their_label_not_internal_name(room_path: Path, clock) -> None:
    """QA saw "age_band: 25-34 3" in the mix: people read the label from the features table."""
    from assembly.tables.plans import mix_words

    db = open_assembly(room_path).db()
    saved = load_plan(db, save_plan(db, make_plan(db, tables=3, rounds=1, seed=5), clock))
    words = mix_words(saved.views[0][0])
    assert words.startswith("Gender: ") and "Age band: " in words
    assert "age_band" not in words and "age_band" not in export_markdown(saved)


def test_demo_part_pins_and_plans_when_there_is_a_panel(room_path: Path, tmp_path: Path) -> None:
    import numpy as np

    from assembly.core.clock import FixedClock
    from assembly.demo import part_tables
    from assembly.store import create_assembly
    from tests.tables.conftest import START

    assembly = open_assembly(room_path)
    part_tables.build(assembly, np.random.default_rng(1), FixedClock(START))
    db = assembly.db()
    saved = load_plan(db)
    assert (saved.tables, saved.rounds, saved.people) == (6, 3, 30)
    assert any("apart" in p for p in saved.pins)
    empty = create_assembly(tmp_path / "empty.db", name="Empty")
    part_tables.build(empty, np.random.default_rng(1), FixedClock(START))
    assert list_plans(empty.db()) == []
