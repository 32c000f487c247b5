"""Waiting for a screen to finish drawing, by what it draws rather than by how long it took."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot

from .screen_text import screen_text


async def settle(app: App, pilot: Pilot, most: int = 40) -> None:
    """Pause until two frames in a row are the same: a screen that fills itself after it is
    shown (a worker, a refresh after layout) has then drawn what it will show, however long
    this machine took, where one pause guesses from how busy the process looks."""
    await pilot.pause()
    before = screen_text(app, styles=True)
    for _ in range(most):
        await pilot.pause()
        now = screen_text(app, styles=True)
        if now == before:
            return
        before = now
    raise AssertionError(f"{type(app.screen).__name__} kept changing for {most} pauses")
