"""Small dialogs for live sessions: a new session, its agenda as text, picking a member by name
or number, and capturing an idea in a few keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlite_utils import Database
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from assembly.core.i18n import N_, LanguageError, _, language_tag
from assembly.sessions.attendance import SessionMember, attendance, search
from assembly.sessions.sessions import (
    AgendaItemSpec,
    SessionError,
    parse_agenda_lines,
    parse_local_start,
)
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.translated import InWorkingLanguage

# Translators: write the kinds before a colon ("welcome:", "break:") as your catalogue has them
# ("welcome", "break"): the app reads them in English or in the working language
AGENDA_HELP = N_(
    "One item per line: minutes, then the title. A kind before a colon sets it, e.g.\n"
    "10 welcome: Welcome and introductions\n45 Evidence on parking\n15 break: Tea"
)


@dataclass(frozen=True)
class NewSession:
    title: str
    starts_at: str | None
    planned_minutes: int | None
    items: list[AgendaItemSpec]


class NewSessionDialog(FormDialog):
    """Title, local start, planned minutes and the agenda typed as lines. Ctrl+S saves."""

    FIELD_ID = "{name}"

    def __init__(self, timezone: str) -> None:
        self.timezone = timezone
        fields = [
            FormField("title", _("Title"), placeholder=_("e.g. Session 4: Deliberation")),
            FormField("date", "", placeholder=_("Date 2026-11-26")),
            FormField("time", "", placeholder=_("Start 09:30"), beside=True),
            FormField("minutes", "", kind="integer", placeholder=_("Minutes 180"), beside=True),
            FormField("agenda", _(AGENDA_HELP), kind="lines", rows=8),
        ]
        super().__init__(_("New session"), fields)

    def accept(self, values: dict) -> NewSession:
        if not values["title"]:
            raise SessionError(_("The session needs a title."))
        starts = parse_local_start(values["date"], values["time"], self.timezone)
        items = parse_agenda_lines(values["agenda"])
        raw = values["minutes"]
        minutes = int(raw) if raw else sum(i.minutes for i in items) or None
        return NewSession(values["title"], starts, minutes, items)


class AgendaTextDialog(FormDialog):
    """Edit a session's agenda as lines of text; items that already ran stay as they were."""

    FIELD_ID = "{name}"

    def __init__(self, title: str, text: str) -> None:
        help_text = _(AGENDA_HELP) + "\n" + _("Items that have already run are kept as they were.")
        fields = [FormField("agenda", "", kind="lines", value=text, rows=14)]
        super().__init__(_("Agenda: %(title)s", title=title), fields, help_text)

    def accept(self, values: dict) -> list[AgendaItemSpec]:
        return parse_agenda_lines(values["agenda"])


class MemberPickDialog(InWorkingLanguage, ModalScreen[int | None]):
    """Find a panel member by number or name; Enter takes the highlighted (or first) match.
    A search with a list under it rather than a form, so it has a screen of its own."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    MemberPickDialog OptionList { height: 12; }
    MemberPickDialog #problem { color: $error; }
    """

    def __init__(self, db: Database, title: str, session_id: int | None = None) -> None:
        super().__init__(classes="dialog")
        self.db = db
        self.title_text = title
        self.session_id = session_id  # given: members marked absent are flagged in the list
        self.matches: list[SessionMember] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(placeholder=_("Member number or part of a name, then Enter"), id="find")
            yield OptionList(id="matches")
            yield Static("", id="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Cancel (Esc)"), id="cancel")

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
        flags = {
            "absent": N_("%(member)s  ⚠ marked absent"),
            "apologies": N_("%(member)s  ⚠ sent apologies"),
        }

        def shown(member: SessionMember) -> str:
            flag = flags.get(marks.get(member.id, ""))
            return _(flag, member=member.label) if flag else member.label

        options.add_options([Option(shown(m), id=str(m.id)) for m in self.matches])
        if self.matches:
            options.highlighted = 0
        self.query_one("#problem", Static).update(
            "" if self.matches else _("No panel member matches. Try the member number.")
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
    language: str = ""  # the tag it was said in; '' when left blank (the working language)


class IdeaDialog(FormDialog):
    """Type the idea and press Enter. It is linked to the item, and to the speaker if ticked;
    the language it was said in may be given below (blank: the assembly's working language),
    so the report marks a resident's words for screen readers (issue 22)."""

    FIELD_ID = "{name}"
    BINDINGS: ClassVar = [Binding("ctrl+t", "toggle_speaker", "Link speaker on/off")]

    def __init__(
        self,
        *,
        context: str,
        speaker: str | None,
        text: str = "",
        heading: str = "",
        ask_language: bool = True,
    ) -> None:
        self.speaker = speaker
        self.ask_language = ask_language
        fields = [
            FormField("idea", "", value=text, placeholder=_("The idea in a sentence, then Enter"))
        ]
        if speaker:
            fields.append(
                FormField(
                    "by-speaker",  # not words
                    _("Raised by %(speaker)s (Ctrl+T)", speaker=speaker),
                    kind="checkbox",
                    value=True,
                )
            )
        if ask_language:
            fields.append(
                FormField(
                    "language",
                    _("Language it was said in, if not the assembly's own (optional)"),
                    placeholder=_("e.g. Polish, Urdu or pl"),
                )
            )
        super().__init__(heading or _("New idea"), fields, context)

    def action_toggle_speaker(self) -> None:
        if self.speaker:
            box = self.query_one("#by-speaker", Checkbox)
            box.value = not box.value

    def accept(self, values: dict) -> IdeaInput:
        if not values["idea"]:
            raise SessionError(_("Type the idea first (Escape cancels)."))
        language = ""
        if values.get("language"):
            try:
                language = language_tag(values["language"])
            except LanguageError as error:
                raise SessionError(str(error)) from None
        return IdeaInput(values["idea"], bool(self.speaker) and values["by-speaker"], language)
