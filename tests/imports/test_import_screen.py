"""The import screen says which sheet of a workbook it read."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assembly.core.clock import FixedClock
from assembly.store import create_assembly
from assembly.ui.app import AssemblyApp
from tests.imports.hostile import POOL_CSV, rows_of, workbook
from tests.organiser.conftest import START
from tests.organiser.test_ui import settle, text_of


async def test_the_sheet_holding_the_data_is_named(tmp_path: Path) -> None:
    clock = FixedClock(START)
    source = tmp_path / "responses.xlsx"
    source.write_bytes(workbook([("Notes", []), ("Responses", rows_of(POOL_CSV))]))
    app = AssemblyApp(create_assembly(tmp_path / "a.db", name="UI", clock=clock), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(source)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "responses.xlsx, sheet 'Responses': 30 respondents ready" in text_of(app)
