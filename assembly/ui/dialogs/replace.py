"""Writing files the user names or the app names for them: ask before replacing any that exist.

One mechanism for every export and report of the screens (issue 25 item 13: they replaced
same-named files without asking). `write` runs at once when no file is in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual.app import App

from assembly.ui.dialogs.message import ConfirmDialog


def write_unless_kept(app: App, paths: Sequence[Path], write: Callable[[], None]) -> None:
    """Run `write` (which writes `paths`); if some already exist, only after the user agrees."""
    existing = [p for p in paths if p.exists()]
    if not existing:
        write()
        return
    names = ", ".join(p.name for p in existing)
    question = (
        f"{existing[0].resolve().parent} already has {names}. "
        f"Replace {'it' if len(existing) == 1 else 'them'} with the new "
        f"{'file' if len(paths) == 1 else 'files'}?"
    )
    one = len(existing) == 1
    app.push_screen(
        ConfirmDialog(
            "Replace the existing file?" if one else "Replace the existing files?",
            question,
            yes="Replace",
            no="Keep it" if one else "Keep them",
        ),
        lambda yes: write() if yes else app.notify("Nothing was written.", title="Kept"),
    )
