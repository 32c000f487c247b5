"""Small dialogs for live sessions: a new session, its agenda as text, picking a member by name
or number, and capturing an idea in a few keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from assembly.sessions.attendance import SessionMember, attendance, search
from assembly.sessions.sessions import (
    AgendaItemSpec,
    SessionError,
    parse_agenda_lines,
    parse_local_start,
)
from assembly.ui.widgets.tick_box import TickBox

AGENDA_HELP = (
    "One item per line: minutes, then the title. A kind before a colon sets it, e.g.\n"
    "10 welcome: Welcome and introductions\n45 Evidence on parking\n15 break: Tea"
)


@dataclass(frozen=True)
class NewSession:
    title: str
    starts_at: str | None
    planned_minutes: int | None
    items: list[AgendaItemSpec]


class _Dialog(ModalScreen):
    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def _problem(self, message: str) -> None:
        self.query_one("#problem", Static).update(f"⚠ {message}")


class NewSessionDialog(_Dialog):
    """Title, local start, planned minutes and the agenda typed as lines. Ctrl+S saves."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    DEFAULT_CSS = """
    NewSessionDialog .dialog-box { width: 90; }
    NewSessionDialog .dialog-row { height: auto; }
    NewSessionDialog .dialog-row Input { width: 1fr; }
    NewSessionDialog TextArea { height: 8; }
    NewSessionDialog #problem { color: $error; text-style: bold; }
    """

    def __init__(self, timezone: str) -> None:
        super().__init__()
        self.timezone = timezone

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("New session", classes="dialog-title")
            yield Label("Title")
            yield Input(placeholder="e.g. Session 4: Deliberation", id="title")
            with Horizontal(classes="dialog-row"):
                yield Input(placeholder="Date 2026-11-26", id="date")
                yield Input(placeholder="Start 09:30", id="time")
                yield Input(placeholder="Minutes 180", id="minutes", type="integer")
            yield Static(AGENDA_HELP, markup=False)
            yield TextArea(id="agenda")
            yield Static("", id="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def action_save(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        try:
            if not title:
                raise SessionError("The session needs a title.")
            starts = parse_local_start(
                self.query_one("#date", Input).value,
                self.query_one("#time", Input).value,
                self.timezone,
            )
            raw_minutes = self.query_one("#minutes", Input).value.strip()
            items = parse_agenda_lines(self.query_one("#agenda", TextArea).text)
        except SessionError as error:
            self._problem(str(error))
            return
        minutes = int(raw_minutes) if raw_minutes else sum(i.minutes for i in items) or None
        self.dismiss(NewSession(title, starts, minutes, items))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class AgendaTextDialog(_Dialog):
    """Edit a session's agenda as lines of text; items that already ran stay as they were."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    AgendaTextDialog .dialog-box { width: 90; }
    AgendaTextDialog TextArea { height: 14; }
    AgendaTextDialog #problem { color: $error; text-style: bold; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(f"Agenda: {self.title_text}", classes="dialog-title", markup=False)
            yield Static(
                AGENDA_HELP + "\nItems that have already run are kept as they were.", markup=False
            )
            yield TextArea(self.text, id="agenda")
            yield Static("", id="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def action_save(self) -> None:
        try:
            items = parse_agenda_lines(self.query_one("#agenda", TextArea).text)
        except SessionError as error:
            self._problem(str(error))
            return
        self.dismiss(items)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class MemberPickDialog(_Dialog):
    """Find a panel member by number or name; Enter takes the highlighted (or first) match."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    MemberPickDialog OptionList { height: 12; }
    MemberPickDialog #problem { color: $error; }
    """

    def __init__(self, db: Database, title: str, session_id: int | None = None) -> None:
        super().__init__()
        self.db = db
        self.title_text = title
        self.session_id = session_id  # given: members marked absent are flagged in the list
        self.matches: list[SessionMember] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(placeholder="Member number or part of a name, then Enter", id="find")
            yield OptionList(id="matches")
            yield Static("", id="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#find", Input).focus()

    @on(Input.Changed, "#find")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        self.matches = search(self.db, text)
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        marks = attendance(self.db, self.session_id) if self.session_id is not None else {}
        flags = {"absent": "  ⚠ marked absent", "apologies": "  ⚠ sent apologies"}
        options.add_options(
            [
                Option(m.label + flags.get(marks.get(m.id, ""), ""), id=str(m.id))
                for m in self.matches
            ]
        )
        if self.matches:
            options.highlighted = 0
        self.query_one("#problem", Static).update(
            "" if self.matches else "No panel member matches. Try the member number."
        )

    @on(Input.Submitted, "#find")
    def _submitted(self, event: Input.Submitted) -> None:
        # Search again on the submitted words: keys typed fast may be ahead of the list.
        matches = search(self.db, event.value)
        if not matches:
            return
        options = self.query_one("#matches", OptionList)
        index = options.highlighted if matches == self.matches else 0
        self.dismiss(matches[index or 0].id)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class IdeaInput:
    text: str
    link_speaker: bool


class IdeaDialog(_Dialog):
    """Type the idea and press Enter. It is linked to the item, and to the speaker if ticked."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "toggle_speaker", "Link speaker on/off"),
    ]
    DEFAULT_CSS = "IdeaDialog #problem { color: $error; }"

    def __init__(
        self, *, context: str, speaker: str | None, text: str = "", heading: str = "New idea"
    ) -> None:
        super().__init__()
        self.context, self.speaker, self.text, self.heading = context, speaker, text, heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.heading, classes="dialog-title", markup=False)
            yield Static(self.context, markup=False)
            yield Input(self.text, placeholder="The idea in a sentence, then Enter", id="idea")
            if self.speaker:
                yield TickBox(f"Raised by {self.speaker} (Ctrl+T)", True, id="by-speaker")
            yield Static("", id="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#idea", Input).focus()

    @on(Button.Pressed, "#save")
    async def _save(self) -> None:
        await self.query_one("#idea", Input).action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def action_toggle_speaker(self) -> None:
        if self.speaker:
            box = self.query_one("#by-speaker", Checkbox)
            box.value = not box.value

    @on(Input.Submitted, "#idea")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._problem("Type the idea first (Escape cancels).")
            return
        link = bool(self.speaker) and self.query_one("#by-speaker", Checkbox).value
        self.dismiss(IdeaInput(event.value.strip(), link))

    def action_cancel(self) -> None:
        self.dismiss(None)
