"""One form dialog for the whole app (the Organiser and agenda forms did the same job two ways):
yes/no questions are tick boxes, and Enter in the last field saves."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

from textual.widgets import DataTable, Input

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.widgets.tick_box import TickBox


def test_there_is_one_form_dialog() -> None:
    assert importlib.util.find_spec("assembly.ui.dialogs.organiser_form") is None


async def test_access_support_form_ticks_and_saves_on_enter(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#member-table", DataTable).move_cursor(row=0)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert isinstance(app.screen.query_one("#field-childcare"), TickBox)
        app.screen.query_one("#field-childcare", TickBox).value = True
        last = app.screen.query_one("#field-honorarium", Input)
        last.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
    conn = sqlite3.connect(demo_path)
    assert conn.execute(
        "select childcare from member_support s join members m on m.id = s.member_id "
        "where m.number = 1"
    ).fetchone() == (1,)
