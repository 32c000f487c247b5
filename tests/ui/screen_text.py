"""The rendered screen as plain text, row by row, as a reader at that terminal size sees it:
what the readability checks search for facts cut at an edge."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def screen_text(app: App, *, styles: bool = False) -> str:
    """The current screen, composited over the screens beneath it, without colour (or with
    its colours and styles, as a snapshot records them, when `styles`)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor" if styles else None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=styles)
