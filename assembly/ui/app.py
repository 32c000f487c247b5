"""The application: one window, three modes (one per kind of user), over one assembly file.

Organiser prepares and draws the panel, Facilitator runs sessions, Scrutiny reviews the feedback
log read-only. F2, F3 and F4 switch mode; Ctrl+P opens the command palette, which also lists
every key of the current screen.

The app can also open before its file exists, on a screen that makes it (`assembly demo` opens
on the example being built): that screen hands over the file with `open_ready`, and the modes
open then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.screen import Screen
from textual.theme import ThemeProvider

from assembly.core.clock import Clock
from assembly.core.i18n import N_, _, override_dir, use_working_language
from assembly.store import AssemblyFile, StoreError, open_assembly
from assembly.store.languages import working_language
from assembly.ui.dialogs.message import ErrorDialog
from assembly.ui.palette import Palette
from assembly.ui.translated import translate_bindings

MODE_TITLES = {
    "organiser": N_("Organiser — pool, quotas, draw and members"),
    "facilitator": N_("Facilitator — agendas and live sessions"),
    "scrutiny": N_("Scrutiny — feedback log review (read-only)"),
}

MODE_HELP = {
    "organiser": N_("Go to organiser mode"),
    "facilitator": N_("Go to facilitator mode"),
    "scrutiny": N_("Go to scrutiny mode"),
}


def _organiser() -> Screen:
    from assembly.organiser.screens.home import OrganiserScreen

    return OrganiserScreen()


def _facilitator() -> Screen:
    from assembly.sessions.screens.facilitator import FacilitatorScreen

    return FacilitatorScreen()


def _scrutiny() -> Screen:
    from assembly.feedback.screens.scrutiny import ScrutinyScreen

    return ScrutinyScreen()


class ScreenKeysProvider(Provider):
    """Offers every key binding of the current screen as a palette command, by its description."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        found = []
        seen = set()
        for node in [screen.focused, screen] if screen.focused else [screen]:
            if node is None:
                continue
            for binding in getattr(node, "BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                found.append((_(binding.description), binding.action, binding.key))
        return found

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        screen = self.screen
        for description, action, key in self._commands():
            text = f"{description} ({key})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(screen.run_action, action),
                    help=_("A key of this screen"),
                )


class AssemblyApp(App[None]):
    """The assembly app. `read_only` opens only Scrutiny mode, over a connection that cannot write.

    With no `assembly`, the app opens on `preparing`, a screen that makes the file and calls
    `open_ready` with it; until then the modes are not available and Ctrl+Q asks that screen to
    stop (its `action_stop`)."""

    CSS_PATH = "app.tcss"
    TITLE = "Assembly"  # not words
    MODES = {"organiser": _organiser, "facilitator": _facilitator, "scrutiny": _scrutiny}
    COMMANDS = App.COMMANDS | {ScreenKeysProvider}
    BINDINGS = [
        # not in the footer, which a laptop's 80 columns need for the screen's own keys: every
        # home screen names F2-F4, and the palette (Ctrl+P) lists modes and Quit
        Binding("f2", "mode('organiser')", "Organiser", priority=True, show=False),
        Binding("f3", "mode('facilitator')", "Facilitator", priority=True, show=False),
        Binding("f4", "mode('scrutiny')", "Scrutiny", priority=True, show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    assembly: AssemblyFile
    clock: Clock

    def __init__(
        self,
        assembly: AssemblyFile | None = None,
        *,
        mode: str | None = None,
        read_only: bool = False,
        clock: Clock | None = None,
        preparing: Screen | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self._language = language
        if (assembly is None) == (preparing is None):
            # a mistake in the code that makes the app, never shown to a user
            raise ValueError("an assembly file or a screen that prepares one")  # not words
        self._mode = mode
        self._read_only = read_only
        self.read_only = read_only
        self._clock = clock
        self._preparing = preparing
        self._review: AssemblyFile | None = None
        self.ready = False
        if assembly is not None:
            self._take(assembly)

    def _take(self, assembly: AssemblyFile) -> None:
        self.assembly = assembly
        self.read_only = self._read_only or assembly.read_only
        self.clock = self._clock or assembly.clock
        self._review = assembly if assembly.read_only else None
        self.start_mode = "scrutiny" if self.read_only else (self._mode or self._first_mode())
        self.assembly_name = assembly.name
        self.language = self._language or self._working_language()
        use_working_language(self.language, override_dir(assembly.path))
        translate_bindings(self)  # its keys (Quit, Ctrl+P) in the file's language, now it is known
        self.timezone = assembly.timezone
        self.ready = True

    def _working_language(self) -> str:
        """The file's working language (`assembly languages set`), English if it cannot say."""
        try:
            return working_language(self.assembly.db())
        except (sqlite3.Error, StoreError):
            return "en"

    def _first_mode(self) -> str:
        """Facilitator when a session is running or paused (the laptop died mid-session: the
        room is waiting, and Facilitator mode reopens it where it was), else Organiser."""
        from assembly.sessions.sessions import list_sessions

        try:
            live = any(session.is_live for session in list_sessions(self.assembly.db()))
        except (sqlite3.Error, StoreError):  # a file it cannot list opens where it always did
            live = False
        return "facilitator" if live else "organiser"

    @property
    def review(self) -> AssemblyFile:
        """A read-only view of the same file, for Scrutiny: its connections cannot write."""
        if self._review is None:
            self._review = open_assembly(self.assembly.path, read_only=True, clock=self.clock)
        return self._review

    def on_mount(self) -> None:
        if self._preparing is not None:
            self.push_screen(self._preparing)
        else:
            self.switch_mode(self.start_mode)

    def open_ready(self, assembly: AssemblyFile) -> None:
        """The file `preparing` made is ready: open the mode it starts in."""
        self._take(assembly)
        self.switch_mode(self.start_mode)

    async def action_quit(self) -> None:
        if not self.ready and self._preparing is not None:
            await self._preparing.run_action("stop")
            return
        self.exit()

    def action_mode(self, mode: str) -> None:
        if not self.ready:
            self.notify(_("The assembly file is not ready yet."), title=_("Please wait"))
            return
        if self.read_only and mode != "scrutiny":
            self.notify(
                _("This file is open for review only, so only Scrutiny mode is available."),
                title=_("Review only"),
                severity="warning",
            )
            return
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_budgets(self) -> None:
        """The Budgets screen (participatory budgeting): key b in Organiser and Facilitator."""
        from assembly.budgets.screens.budgets import BudgetsScreen

        if not self.ready or self.read_only:
            self.notify(_("Participatory budgeting needs the file open for changes."))
            return
        self.push_screen(BudgetsScreen())

    def action_command_palette(self) -> None:
        """Textual's palette (Ctrl+P), its search prompt in the working language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        """The palette's Theme command: the list of themes, its prompt in the working language."""
        self.push_screen(Palette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):  # Textual's own: Keys, Quit, …
            yield command._replace(title=_(command.title), help=_(command.help))
        for mode, title in MODE_TITLES.items():
            if not self.ready or (self.read_only and mode != "scrutiny"):
                continue
            yield SystemCommand(
                _("Switch to %(mode)s", mode=_(title)),
                _(MODE_HELP[mode]),
                partial(self.action_mode, mode),
            )

    def show_error(self, title: str, message: str) -> None:
        self.push_screen(ErrorDialog(title, message))

    def report(self, error: BaseException) -> None:
        """Show a known error in the error dialog; anything else still gets a readable message."""
        if isinstance(error, StoreError):
            self.show_error(error.title, str(error))
        else:
            self.show_error(type(error).__name__, str(error) or repr(error))

    def on_unmount(self) -> None:
        if not self.ready:
            return
        self.assembly.close()
        if self._review is not None and self._review is not self.assembly:
            self._review.close()
