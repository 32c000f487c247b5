"""The frame every mode's screens share: a title bar, a line saying what the screen is for,
and the footer listing the keys that work here; and what every screen reads from the app (the
assembly's connection for this thread, the clock)."""

from __future__ import annotations

from typing import ClassVar, Protocol, cast

from sqlite_utils import Database
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from assembly.core.clock import Clock
from assembly.core.i18n import _
from assembly.store import AssemblyFile
from assembly.ui.palette import AppHeader
from assembly.ui.translated import InWorkingLanguage
from assembly.ui.widgets.keys_footer import KeysFooter


class AssemblyHost(Protocol):
    """What screens use of the app. The app imports the screens, so a screen never imports the
    app: it is described here instead, and the app provides it."""

    assembly: AssemblyFile
    clock: Clock
    read_only: bool
    assembly_name: str
    timezone: str

    @property
    def review(self) -> AssemblyFile: ...

    def show_error(self, title: str, message: str) -> None: ...

    def report(self, error: BaseException) -> None: ...


class ModeScreen(InWorkingLanguage, Screen):
    """Base for screens: subclasses set PURPOSE and compose their body in `compose_body`. Both
    PURPOSE and MODE_LABEL are English, marked with `N_`, and shown in the working language."""

    PURPOSE: ClassVar[str] = ""
    MODE_LABEL: ClassVar[str] = ""

    @property
    def assembly_app(self) -> AssemblyHost:
        return cast(AssemblyHost, self.app)

    @property
    def db(self) -> Database:
        """The assembly file's connection for the calling thread (a worker gets its own)."""
        return self.assembly_app.assembly.db()

    @property
    def clock(self) -> Clock:
        return self.assembly_app.clock

    def compose(self) -> ComposeResult:
        yield AppHeader(show_clock=True)
        if self.PURPOSE:
            yield Static(_(self.PURPOSE), classes="purpose", markup=False)
        yield from self.compose_body()
        yield KeysFooter(compact=True)  # one space between keys: more of them fit 80 columns

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.assembly_app.assembly_name
        if self.MODE_LABEL:
            self.sub_title = _(self.MODE_LABEL)
