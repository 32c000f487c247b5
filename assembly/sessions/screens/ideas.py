"""All ideas of a session: edit them (every earlier version is kept), see their history, withdraw."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from assembly.core.clock import show
from assembly.core.i18n import N_, _, ngettext
from assembly.sessions import ideas as idea_store
from assembly.sessions import sessions as s
from assembly.sessions.attendance import members_by_id
from assembly.sessions.screens.dialogs import IdeaDialog, IdeaInput
from assembly.sessions.undo import undo_last_step
from assembly.store import StoreError
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen
from assembly.ui.translated import InWorkingLanguage


class HistoryDialog(InWorkingLanguage, ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]
    DEFAULT_CSS = "HistoryDialog VerticalScroll { height: auto; max-height: 24; }"

    def __init__(self, title: str, body: str) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(self.body, markup=False)
            yield Static(_("Enter or Escape closes."))


class IdeasScreen(ModeScreen):
    PURPOSE = N_(
        "Ideas of this session: e edit · h history · w withdraw · u undo a withdrawal · Esc back"
    )
    MODE_LABEL = N_("Facilitator · ideas")
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("h", "history", "History"),
        Binding("w", "withdraw", "Withdraw"),
        Binding("u", "undo", "Undo"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = "IdeasScreen #all-ideas { height: 1fr; }"

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ideas-summary", classes="section-title", markup=False)
        yield DataTable(id="all-ideas", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        # the idea first: long agenda titles pushed it off an 80-column screen
        self.query_one(DataTable).add_columns(
            _("No."), _("Idea"), _("Raised by"), _("Versions"), _("Item")
        )
        self.refresh_table()

    def refresh_table(self) -> None:
        found = idea_store.session_ideas(self.db, self.session_id)
        items = {i.id: i.title for i in s.agenda(self.db, self.session_id)}
        people = members_by_id(self.db, sorted({i.member_id for i in found if i.member_id}))
        table = self.query_one(DataTable)
        table.clear()
        for idea in found:
            table.add_row(
                str(idea.id),
                idea.text,
                people[idea.member_id].label if idea.member_id in people else "—",
                str(idea.revision),
                items.get(idea.agenda_item_id, "—"),
                key=str(idea.id),
            )
        title = s.get_session(self.db, self.session_id).title
        self.query_one("#ideas-summary", Static).update(
            ngettext("%(title)s: %(num)s idea", "%(title)s: %(num)s ideas", len(found), title=title)
        )

    def _idea_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.notify(_("No ideas yet."), severity="warning")
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def action_edit(self) -> None:
        idea_id = self._idea_id()
        if idea_id is None:
            return
        idea = idea_store.get_idea(self.db, idea_id)

        def edited(result: IdeaInput | None) -> None:
            if result is None:
                return
            try:
                idea_store.edit_idea(self.db, idea_id, self.clock, text=result.text)
            except s.SessionError as error:
                self.notify(str(error), severity="warning")
            except StoreError as error:
                self.assembly_app.report(error)
            self.refresh_table()

        self.app.push_screen(
            IdeaDialog(
                context=_("The earlier wording is kept in the idea's history."),
                speaker=None,
                text=idea.text,
                heading=_("Edit idea %(id)s", id=idea_id),
                ask_language=False,  # an edit changes the wording, not what it was said in
            ),
            edited,
        )

    def action_history(self) -> None:
        idea_id = self._idea_id()
        if idea_id is None:
            return
        tz = self.assembly_app.timezone
        lines = [
            _("Version %(revision)s · %(at)s", revision=r.revision, at=show(r.recorded_at, tz))
            + f"\n  {r.text}\n"
            for r in idea_store.history(self.db, idea_id)
        ]
        self.app.push_screen(
            HistoryDialog(_("History of idea %(id)s", id=idea_id), "\n".join(lines))
        )

    def action_withdraw(self) -> None:
        idea_id = self._idea_id()
        if idea_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                idea_store.withdraw_idea(self.db, idea_id, self.clock)
                self.refresh_table()
                self.notify(_("Idea %(id)s withdrawn (u takes this back).", id=idea_id))

        self.app.push_screen(
            ConfirmDialog(
                _("Withdraw this idea?"),
                _("It leaves the list but stays in the file with its history."),
                yes=_("Withdraw"),
            ),
            answered,
        )

    def action_undo(self) -> None:
        """Put back the idea just withdrawn; other steps are undone on the live screen."""
        try:
            done = undo_last_step(self.db, self.session_id, self.clock, only={"idea_withdrawn"})
        except s.SessionError as error:
            self.notify(str(error), title=_("Not now"), severity="warning")
            return
        self.refresh_table()
        self.notify(_("Undone: %(step)s.", step=done), title=_("Undo"))

    def action_back(self) -> None:
        self.app.pop_screen()
