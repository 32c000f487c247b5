"""What the agenda screen's tabs share: each tab is a pane holding its own tables and the
actions behind its keys, and reaches the file, the clock and the forms through the screen.

The screen keeps the keys (so the footer reads the same on every tab) and hands each key to its
tab; a form a tab asks for, and a refusal it shows, go through the screen, which reopens a
refused form with what was typed still in it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

import numpy as np
from sqlite_utils import Database
from textual.widgets import TabPane

from assembly.core.clock import Clock
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.screens.base import AssemblyHost


class AgendaHost(Protocol):
    """What the tabs use of the agenda screen. The screen imports the tabs, so a tab never
    imports the screen: it is described here instead, and the screen provides it."""

    rng: np.random.Generator

    @property
    def assembly_app(self) -> AssemblyHost: ...

    @property
    def db(self) -> Database: ...

    @property
    def clock(self) -> Clock: ...

    def ask(self, dialog: FormDialog, save: Callable[[dict | None], None]) -> None: ...

    def refuse(self, error: Exception) -> None: ...


class AgendaScreenTab(TabPane):
    @property
    def host(self) -> AgendaHost:
        return cast(AgendaHost, self.screen)

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
