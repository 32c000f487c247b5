"""Waiting for an event in a headless app, not for a guessed length of time.

`until` lets the app run (one `pilot.pause()`, which also runs what is scheduled) until the
condition holds, and fails with what was awaited if it never does. `notices` records every
message the app shows as a toast, through `App.notify`, its public way in."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

WAIT = 30.0
"""Seconds before giving up: far above any wait seen on a loaded 2-core machine."""


async def until(pilot: Pilot, condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT:.0f} s for {what}")
        await pilot.pause()


def notices(app: App) -> list[str]:
    """The messages of every notification from now on, in order, whatever their timeout."""
    seen: list[str] = []
    notify = app.notify

    def recording(message: str, **options) -> None:
        seen.append(str(message))
        notify(message, **options)

    app.notify = recording  # type: ignore[method-assign]
    return seen
