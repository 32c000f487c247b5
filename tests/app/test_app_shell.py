"""The app opens the example and moves between its three modes, each showing the file's data."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList
from textual.widgets import DataTable, Static

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.waiting import until


async def test_open_example_and_switch_modes(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.current_mode == "organiser"
        assert app.screen.title == "Hollowfield High Streets and Climate Assembly"
        await pilot.press("f3")
        await pilot.pause()
        assert app.current_mode == "facilitator"
        await pilot.press("f4")
        await pilot.pause()
        assert app.current_mode == "scrutiny"
        await pilot.press("f2")
        await pilot.pause()
        assert app.current_mode == "organiser"


async def test_organiser_shows_pool_counts(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "1,500" in text
        tables = list(app.screen.query(DataTable))
        assert tables and any(t.row_count > 0 for t in tables)


async def test_read_only_app_offers_only_scrutiny(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path, read_only=True), read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.current_mode == "scrutiny"
        await pilot.press("f2")
        await pilot.pause()
        assert app.current_mode == "scrutiny"


async def test_command_palette_switches_mode(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "Switch to Scrutiny":
            await pilot.press("space" if key == " " else key)
        commands = app.screen.query_one(CommandList)

        def offered() -> bool:  # the palette searches in the background
            if commands.highlighted is None:
                return False
            return "Switch to Scrutiny" in str(commands.highlighted_option.prompt)

        await until(pilot, offered, "the palette to offer the command")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "scrutiny"
