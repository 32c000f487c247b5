"""Waiting for a screen to finish drawing, by what it draws rather than by how long it took."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


def _frame(app: App) -> str:
    """The screen as drawn, styles and all (what a snapshot records)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(update)
    return console.export_text(styles=True)


async def settle(app: App, pilot: Pilot, most: int = 40) -> None:
    """Pause until two frames in a row are the same: a screen that fills itself after it is
    shown (a worker, a refresh after layout) has then drawn what it will show, however long
    this machine took, where one pause guesses from how busy the process looks."""
    await pilot.pause()
    before = _frame(app)
    for _ in range(most):
        await pilot.pause()
        now = _frame(app)
        if now == before:
            return
        before = now
    raise AssertionError(f"{type(app.screen).__name__} kept changing for {most} pauses")
