"""The table-plan screen driven like a facilitator would: pins typed in, a plan made in the
background, the tables shown with repeats marked, an export written, a run cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import WorkerCancelled, WorkerState

from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from assembly.tables.screens.plan import TablePlanScreen
from assembly.ui.app import AssemblyApp
from tests.tables.conftest import START, add_attendance


async def _type(pilot, selector: str, text: str) -> None:
    """Focus an input and put text in it (typing key by key is slow and tests nothing of ours)."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.value = text
    await pilot.pause()


async def test_make_show_and_export_a_plan(room_path: Path) -> None:
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TablePlanScreen)
        await _type(pilot, "#pin-input", "interpreter 3 BSL")
        await pilot.press("enter")
        await _type(pilot, "#pin-input", "apart 1 2")
        await pilot.press("enter")
        await pilot.pause()
        conn = sqlite3.connect(room_path)
        kinds = conn.execute("select kind, label from table_pins order by id").fetchall()
        assert kinds == [("interpreter", "BSL interpreter"), ("apart", None)]

        await _type(pilot, "#tables", "5")
        await _type(pilot, "#rounds", "2")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert conn.execute("select count(*) from table_seats").fetchone()[0] == 60
        assert conn.execute("select tables, rounds from table_plans").fetchone() == (5, 2)
        mix = screen.query_one("#mix", DataTable)
        seats = screen.query_one("#seat-table", DataTable)
        assert mix.row_count == 10 and seats.row_count == 60
        status = str(screen.query_one("#status", Static).render())
        assert "Plan 1" in status and ("✓ no pair meets twice" in status or "↻" in status)
        notes = [str(seats.get_row_at(i)[4]) for i in range(seats.row_count)]
        assert any("with BSL interpreter" in n for n in notes)

        await pilot.press("ctrl+o")
        await pilot.pause()
        md = room_path.with_name("room.assembly.tables-1.md")
        assert md.exists() and "## Round 2" in md.read_text()
        assert room_path.with_name("room.assembly.tables-1.csv").exists()


async def test_bad_pin_shows_error_and_cancel_saves_nothing(
    room_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import assembly.tables.search as table_plan

    monkeypatch.setattr(table_plan, "default_iterations", lambda people, rounds: 50_000_000)
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen())
        await pilot.pause()
        await _type(pilot, "#pin-input", "apart 1 99")
        await pilot.press("enter")
        await pilot.pause()
        assert "no member number 99" in str(app.screen.query_one(".dialog-body", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#tables", Input).focus()
        # the keys go in without pilot.press: it waits for the app to go idle, which it never
        # does while the planner works (a second per wait), and sleeping is not needed to
        # know the run has begun: the test waits for the worker itself
        screen = app.screen
        app.post_message(events.Key("ctrl+r", None))
        deadline = time.monotonic() + 30
        while screen.worker is None or screen.worker.state != WorkerState.RUNNING:
            assert time.monotonic() < deadline, "the planner never started"
            await asyncio.sleep(0.01)  # a poll on the worker's state, not a guess at a time
        app.post_message(events.Key("escape", None))
        with contextlib.suppress(WorkerCancelled):  # raised when it stops before its first step
            await app.workers.wait_for_complete()
        assert screen.worker.is_cancelled
        await pilot.pause()
        dialogs = [str(s.render()) for s in app.screen.query(".dialog-body")]
        assert dialogs == []
        status = str(app.screen.query_one("#status", Static).render())
        assert "Cancelled" in status
        conn = sqlite3.connect(room_path)
        assert conn.execute("select count(*) from table_plans").fetchone()[0] == 0


async def test_opens_for_a_session_with_attendance(room_path: Path) -> None:
    sid = add_attendance(room_path, "Morning", present=list(range(1, 13)), absent=[13])
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen(session_id=sid))
        await pilot.pause()
        await _type(pilot, "#tables", "3")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        conn = sqlite3.connect(room_path)
        assert conn.execute("select session_id, people from table_plans").fetchone() == (sid, 12)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TablePlanScreen)


async def test_facilitator_home_opens_the_table_plan(room_path: Path) -> None:
    sid = add_attendance(room_path, "Morning", present=list(range(1, 13)), absent=[])
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TablePlanScreen)
        assert app.screen.session_id in (None, sid)
        if app.screen.session_id == sid:  # the home's highlighted session is preselected
            assert app.screen.query_one("#who", Select).value == sid


async def test_pins_are_typed_straight_away_and_letters_get_plain_words(room_path: Path) -> None:
    """The purpose line says "type pins below", but the keys went to the Who list; and a letter
    where a number belongs showed Python's "invalid literal for int() with base 10: 'x'"."""
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen())
        await pilot.pause()
        await pilot.press(*"apart", "space", "x", "space", "2", "enter")
        await pilot.pause()
        body = str(app.screen.query_one(".dialog-body", Static).render())
        assert "'x' is not a member number" in body and "invalid literal" not in body
        await pilot.press("escape")
        await pilot.pause()
        conn = sqlite3.connect(room_path)
        assert conn.execute("select count(*) from table_pins").fetchone()[0] == 0


async def test_words_typed_into_a_number_field_are_not_silently_dropped(room_path: Path) -> None:
    """'apart 5 8' typed into Rounds became '58' with no word said."""
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen())
        await pilot.pause()
        box = app.screen.query_one("#rounds", Input)
        box.focus()
        box.value = ""
        await pilot.press(*"apart", "space", "5", "space", "8")
        await pilot.pause()
        assert app.screen.query_one("#rounds", Input).value == "apart 5 8"
        status = str(app.screen.query_one("#status", Static).render())
        assert "Rounds" in status and "not a whole number" in status and "Pin" in status
