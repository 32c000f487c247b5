"""Issue 25 item 10: toasts covered a dialog's buttons for about 5 s. A dialog's buttons sit at
its bottom, so toasts show at the top right of the screen instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from assembly.ui.dialogs.agenda_form import FormDialog, FormField

from .screens import make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_a_toast_leaves_the_dialog_buttons_clear(demo_path: Path, size) -> None:
    app = make_app(demo_path, "organiser")
    async with app.run_test(size=size, notifications=True) as pilot:
        fields = [FormField(f"f{n}", f"Field {n}") for n in range(8)]
        await app.push_screen(FormDialog("A long form", fields))
        await pilot.pause()
        for n in range(3):
            app.notify(f"Something happened, number {n}, worth a line or two of words")
        await pilot.pause(0.3)
        toasts = [t.region for t in app.screen.query("Toast")]
        assert toasts
        for button in app.screen.query(Button):
            assert not any(t.overlaps(button.region) for t in toasts), button.label
