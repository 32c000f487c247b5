"""Textual's command palette in the working language: the two words Textual writes in English
where no setting reaches them, "No matches found" and the header icon's tooltip."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets import Header
from textual.widgets._header import HeaderIcon
from textual.widgets.option_list import Option

from assembly.core.i18n import _


class Palette(CommandPalette):
    """The palette, saying in words when a search finds nothing."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py) with its one English line translated: it has no
        # setting for it. tests/ui/test_palette.py fails when an upgrade changes it.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),  # not words
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


class AppHeader(Header):
    """The header, its icon's tooltip in words (Textual sets it in English on mount)."""

    def on_mount(self) -> None:
        for icon in self.query(HeaderIcon):
            if icon.tooltip:
                icon.tooltip = _("Open the command palette")
