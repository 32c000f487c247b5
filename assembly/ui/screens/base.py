"""The frame every mode's screens share: a title bar, a line saying what the screen is for,
and the footer listing the keys that work here."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from assembly.ui.app import AssemblyApp


class ModeScreen(Screen):
    """Base for screens: subclasses set PURPOSE and compose their body in `compose_body`."""

    PURPOSE: ClassVar[str] = ""
    MODE_LABEL: ClassVar[str] = ""

    @property
    def assembly_app(self) -> AssemblyApp:
        # typed, not imported: the app imports the screens, so a screen never imports the app
        return cast("AssemblyApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        if self.PURPOSE:
            yield Static(self.PURPOSE, classes="purpose", markup=False)
        yield from self.compose_body()
        yield Footer(compact=True)  # one space between keys: more of them fit 80 columns

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.assembly_app.assembly_name
        if self.MODE_LABEL:
            self.sub_title = self.MODE_LABEL
