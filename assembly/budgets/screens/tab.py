"""What the Budgets screen's tabs share: each tab is a pane with its own tables and the actions
behind its keys, and reaches the file, the clock, the round being worked on and the forms
through the screen.

The screen keeps the keys (so the footer reads the same on every tab) and hands each key to its
tab; a refused form opens again with what was typed still in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from sqlite_utils import Database
from textual.widgets import TabPane

from assembly.budgets import rounds
from assembly.core.clock import Clock
from assembly.core.i18n import _
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.screens.base import AssemblyHost

ACTOR = "organiser"
"""Who the screen records as doing things, where a form does not ask (as the commands do)."""


class BudgetsHost(Protocol):
    """What the tabs use of the Budgets screen. The screen imports the tabs, so a tab never
    imports the screen: it is described here instead, and the screen provides it."""

    round_id: int | None

    @property
    def assembly_app(self) -> AssemblyHost: ...

    @property
    def db(self) -> Database: ...

    @property
    def clock(self) -> Clock: ...

    def ask(self, dialog: FormDialog, save: Callable[[dict | None], None]) -> None: ...

    def refuse(self, error: Exception) -> None: ...

    def choose_round(self, round_id: int | None) -> None: ...


class BudgetsTab(TabPane):
    @property
    def host(self) -> BudgetsHost:
        return cast(BudgetsHost, self.screen)

    @property
    def db(self) -> Database:
        return self.host.db

    @property
    def clock(self) -> Clock:
        return self.host.clock

    def ask(self, dialog: FormDialog, save: Callable[[dict | None], None]) -> None:
        self.host.ask(dialog, save)

    def refuse(self, error: Exception) -> None:
        self.host.refuse(error)

    def current_round(self) -> rounds.Round | None:
        """The round the screen is working on, or None (there is none yet)."""
        if self.host.round_id is None:
            return None
        return rounds.get_round(self.db, self.host.round_id)

    def round_or_say(self) -> rounds.Round | None:
        current = self.current_round()
        if current is None:
            self.notify(_("There is no round yet: press n on the Round tab to start one."))
        return current

    def title_room(self, narrow: int, wide: int) -> int:
        """How many characters of a project's title a table shows: more on a wide terminal."""
        return wide if self.app.size.width >= 110 else narrow

    def refresh_view(self) -> None:
        """Show the round being worked on (the screen calls it when the round or tab changes)."""
