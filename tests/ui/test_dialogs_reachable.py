"""Issue 25 item 8: dialogs taller than an 80x24 screen hid required fields and the Save
button. Now the fields scroll inside the dialog, the focused field stays on screen, the
buttons stay below the fields whatever the scroll, and Ctrl+S saves from any field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import numpy as np
import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from assembly.ui.dialogs.agenda_form import FormDialog

from .screen_text import screen_text
from .screens import make_app


async def _open_vote(pilot: Pilot) -> None:
    from assembly.agenda.screens.agenda import AgendaScreen

    await pilot.app.push_screen(AgendaScreen(rng=np.random.default_rng(1)))
    await pilot.pause()
    await pilot.press("2", "o")


async def _quota(pilot: Pilot) -> None:
    from assembly.organiser.screens.quotas import QuotasScreen

    await pilot.app.push_screen(QuotasScreen())
    await pilot.pause()
    await pilot.press("enter")


async def _support(pilot: Pilot) -> None:
    from assembly.organiser.screens.members import MembersScreen

    await pilot.app.push_screen(MembersScreen())
    await pilot.pause()
    await pilot.press("a")


DIALOGS: dict[str, tuple[str, Callable[[Pilot], Awaitable[None]]]] = {
    "open vote": ("facilitator", _open_vote),
    "quota editor": ("organiser", _quota),
    "access support": ("organiser", _support),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_field_and_save_are_reachable(demo_path: Path, name, size) -> None:
    mode, open_dialog = DIALOGS[name]
    app = make_app(demo_path, mode)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        while len(app.screen_stack) > 1:
            app.pop_screen()
            await pilot.pause()
        await open_dialog(pilot)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        visible = dialog.region
        for f in dialog.fields:
            widget = dialog.field_widget(f.name)
            widget.focus()
            await pilot.pause()
            await pilot.pause()
            shown = widget.region.intersection(visible)
            assert shown.height >= 1, f"{f.name} is off screen when focused\n{screen_text(app)}"
            for button in dialog.query(Button):
                region = button.region
                assert region.height and visible.contains_region(region), (
                    f"{button.label} is off screen while {f.name} has the focus\n{screen_text(app)}"
                )
        text = screen_text(app)
        assert "Ctrl+S" in text, text  # the key that saves from any field is on screen
