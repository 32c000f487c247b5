"""Writing files the user names or the app names for them: ask before replacing any that exist.

One mechanism for every export and report of the screens (issue 25 item 13: they replaced
same-named files without asking). `write` runs at once when no file is in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from textual.app import App

from assembly.core.i18n import _, ngettext
from assembly.ui.dialogs.message import ConfirmDialog


def write_unless_kept(app: App, paths: Sequence[Path], write: Callable[[], None]) -> None:
    """Run `write` (which writes `paths`); if some already exist, only after the user agrees."""
    existing = [p for p in paths if p.exists()]
    if not existing:
        write()
        return
    names = ", ".join(p.name for p in existing)
    question = ngettext(
        "%(folder)s already has %(names)s. Replace it with the new files?",
        "%(folder)s already has %(names)s. Replace them with the new files?",
        len(existing),
        folder=str(existing[0].resolve().parent),
        names=names,
    )
    if len(paths) == 1:
        question = _(
            "%(folder)s already has %(names)s. Replace it with the new file?",
            folder=str(existing[0].resolve().parent),
            names=names,
        )
    one = len(existing) == 1
    app.push_screen(
        ConfirmDialog(
            _("Replace the existing file?") if one else _("Replace the existing files?"),
            question,
            yes=_("Replace"),
            no=_("Keep it") if one else _("Keep them"),
        ),
        lambda yes: write() if yes else app.notify(_("Nothing was written."), title=_("Kept")),
    )
