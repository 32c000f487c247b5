"""Facilitator mode's home: the assembly's sessions, to plan, open and run.

A session left running or paused (say the laptop died) is reopened straight away, where it was.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from assembly.agenda.screens.agenda import AgendaScreen
from assembly.agenda.screens.recommendations import RecommendationsScreen
from assembly.agenda.screens.room import RoomScreen
from assembly.core.clock import show
from assembly.core.i18n import N_, _
from assembly.sessions import sessions as s
from assembly.sessions.attendance import panel
from assembly.sessions.screens.attendance import AttendanceScreen
from assembly.sessions.screens.dialogs import AgendaTextDialog, NewSession, NewSessionDialog
from assembly.sessions.screens.ideas import IdeasScreen
from assembly.sessions.screens.run import SessionRunScreen
from assembly.store import StoreError
from assembly.tables.screens.plan import TablePlanScreen
from assembly.ui.screens.base import ModeScreen

STATUS_WORDS = {
    "planned": N_("planned"),
    "running": N_("● running"),
    "paused": N_("⏸ paused"),
    "finished": N_("✓ finished"),
}
RESUMED = {
    "running": N_("'%(title)s' was running when the app last closed; it carries on where it was."),
    "paused": N_("'%(title)s' was paused when the app last closed; it carries on where it was."),
}


class FacilitatorScreen(ModeScreen):
    PURPOSE = N_(
        "Facilitator: Enter opens a session to run · c new session · e edit agenda · "
        "m attendance · i ideas · g agenda & votes · r recommendations · t table plan · "
        "p phones in the room · b participatory budgeting · F2 Organiser, F4 Scrutiny"
    )
    MODE_LABEL = N_("Facilitator")
    BINDINGS = [
        Binding("enter", "open_session", "Run", show=True),
        Binding("c", "new_session", "New"),
        Binding("e", "edit_agenda", "Edit"),
        Binding("m", "attendance", "Present"),
        Binding("i", "ideas", "Ideas"),
        Binding("g", "agenda_screen", "Votes"),
        Binding("r", "recommendations", "Recommend"),
        Binding("t", "tables", "Tables"),
        Binding("p", "room", "Phones"),
        # named in the purpose line and the palette: the footer has no room left at 80 columns
        Binding("b", "app.budgets", "Budgets", show=False),
    ]
    DEFAULT_CSS = "FacilitatorScreen #sessions { height: 1fr; }"

    _resumed_once = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary", classes="section-title")
        yield DataTable(id="sessions", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#sessions", DataTable)
        # status beside the title, so it shows on an 80-column screen too
        table.add_columns(
            _("No."), _("Status"), _("Session"), _("Starts"), _("Minutes"), _("Items"), _("Ideas")
        )
        self.refresh_sessions()
        if not self._resumed_once:
            self._resumed_once = True
            live = [x for x in s.list_sessions(self.db) if x.is_live]
            if len(live) == 1:
                self.call_after_refresh(self._resume, live[0])

    def _resume(self, session: s.Session) -> None:
        self.notify(_(RESUMED[session.status], title=session.title), title=_("Session resumed"))
        self._run(session.id)

    def on_screen_resume(self) -> None:
        self.refresh_sessions()

    def refresh_sessions(self) -> None:
        db = self.db
        sessions = s.list_sessions(db)
        counts = s.item_and_idea_counts(db)
        members = len(panel(db))
        self.query_one("#summary", Static).update(
            _(
                "%(sessions)s sessions · %(members)s panel members",
                sessions=len(sessions),
                members=members,
            )
            if sessions
            else _(
                "No sessions yet: press c to plan one. %(members)s panel members.", members=members
            )
        )
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        table.clear()
        tz = self.assembly_app.timezone
        for session in sessions:
            items, ideas = counts.get(session.id, (0, 0))
            table.add_row(
                str(session.id),
                _(STATUS_WORDS[session.status]),
                session.title,
                show(session.starts_at, tz),
                str(session.planned_minutes or "—"),
                str(items),
                str(ideas),
                key=str(session.id),
            )
        if sessions:
            table.move_cursor(row=min(cursor, len(sessions) - 1))

    def selected_session(self) -> int | None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def _need_session(self) -> int | None:
        session_id = self.selected_session()
        if session_id is None:
            self.notify(_("There are no sessions yet: press c to plan one."), severity="warning")
        return session_id

    def _run(self, session_id: int) -> None:
        self.app.push_screen(SessionRunScreen(session_id))

    def action_open_session(self) -> None:
        session_id = self._need_session()
        if session_id is not None:
            self._run(session_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._run(int(event.row_key.value))

    def action_new_session(self) -> None:
        def made(result: NewSession | None) -> None:
            if result is None:
                return
            try:
                s.create_session(
                    self.db,
                    title=result.title,
                    clock=self.clock,
                    starts_at=result.starts_at,
                    planned_minutes=result.planned_minutes,
                    items=result.items,
                )
            except s.SessionError as error:
                self.notify(str(error), severity="warning")
            except StoreError as error:
                self.assembly_app.report(error)
            self.refresh_sessions()
            table = self.query_one("#sessions", DataTable)
            table.move_cursor(row=table.row_count - 1)

        self.app.push_screen(NewSessionDialog(self.assembly_app.timezone), made)

    def action_edit_agenda(self) -> None:
        session_id = self._need_session()
        if session_id is None:
            return
        session = s.get_session(self.db, session_id)
        if session.status == "finished":
            self.notify(_("That session has finished; its agenda is a record now."))
            return
        pending = [i for i in s.agenda(self.db, session_id) if i.started_at is None]

        def saved(items: list[s.AgendaItemSpec] | None) -> None:
            if items is None:
                return
            try:
                s.replace_agenda(self.db, session_id, s.keep_identities(pending, items), self.clock)
            except s.SessionError as error:
                self.notify(str(error), severity="warning")
            except StoreError as error:
                self.assembly_app.report(error)
            self.refresh_sessions()

        self.app.push_screen(AgendaTextDialog(session.title, s.agenda_lines(pending)), saved)

    def action_attendance(self) -> None:
        session_id = self._need_session()
        if session_id is not None:
            self.app.push_screen(AttendanceScreen(session_id))

    def action_ideas(self) -> None:
        session_id = self._need_session()
        if session_id is not None:
            self.app.push_screen(IdeasScreen(session_id))

    def action_agenda_screen(self) -> None:
        self.app.push_screen(AgendaScreen())

    def action_recommendations(self) -> None:
        self.app.push_screen(RecommendationsScreen())

    def action_room(self) -> None:
        self.app.push_screen(RoomScreen())

    def action_tables(self) -> None:
        self.app.push_screen(TablePlanScreen(session_id=self.selected_session()))
