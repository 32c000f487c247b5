"""The quotas screen asks before a file with no quota rows removes every quota."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ConfirmDialog
from tests.organiser.test_ui import count, settle, text_of


async def test_loading_an_empty_quotas_file_asks_first(demo_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("feature,value,min,max\n", encoding="utf-8")
    quotas = count(demo_path, "select count(*) from quotas")
    assert quotas > 0
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for answer, left in (("n", quotas), ("y", 0)):
            await pilot.press("q")
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            # The example has a draw: L first asks whether to change the quotas under it.
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
            app.screen.query_one("#field-path", Input).value = str(empty)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert f"would remove all {quotas} quotas" in text_of(app)
            await pilot.press(answer)
            await settle(app, pilot)
            assert count(demo_path, "select count(*) from quotas") == left
