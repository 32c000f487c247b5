"""Who came to a session: present, absent or sent apologies, one key per member."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from assembly.core.i18n import N_, _
from assembly.sessions import attendance as att
from assembly.sessions.sessions import SessionError, get_session
from assembly.store import StoreError
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

WORDS = {
    "present": N_("✓ present"),
    "absent": N_("✗ absent"),
    "apologies": N_("– apologies"),
    None: N_("not recorded"),
}


class AttendanceScreen(ModeScreen):
    PURPOSE = N_(
        "Attendance: Space or Enter present/absent · y apologies · l everyone else present · "
        "/ or a member number finds a member · Esc back"
    )
    MODE_LABEL = N_("Facilitator · attendance")
    BINDINGS = [
        Binding("space", "toggle", "Present/absent"),
        Binding("y", "apologies", "Apologies"),
        Binding("l", "all_present", "Rest present"),
        Binding("slash", "find", "Find"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = "AttendanceScreen #attendance { height: 1fr; }"

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose_body(self) -> ComposeResult:
        yield Static("", id="attendance-summary", classes="section-title", markup=False)
        yield Input(placeholder=_("Find: member number or name"), id="find", select_on_focus=False)
        yield DataTable(id="attendance", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(_("No."), _("Member"), _("Attendance"))
        self.refresh_table()
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#find")
    def _find(self) -> None:
        self.refresh_table()

    @on(Input.Submitted, "#find")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    def refresh_table(self) -> None:
        text = self.query_one("#find", Input).value
        people = att.search(self.db, text, limit=10_000)
        record = att.attendance(self.db, self.session_id)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for member in people:
            table.add_row(
                str(member.number),
                member.name or _("Member %(number)s", number=member.number),
                _(WORDS[record.get(member.id)]),
                key=str(member.id),
            )
        if people:
            table.move_cursor(row=min(cursor, len(people) - 1))
        panel = att.panel(self.db)
        present = sum(1 for m in panel if record.get(m.id) == "present")
        title = get_session(self.db, self.session_id).title
        self.query_one("#attendance-summary", Static).update(
            _(
                "%(title)s: %(present)s of %(members)s panel members present",
                title=title,
                present=present,
                members=len(panel),
            )
        )

    def _member(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def _set(self, status: str | None = None) -> None:
        member_id = self._member()
        if member_id is None:
            return
        if status is None:
            current = att.attendance(self.db, self.session_id).get(member_id)
            status = "absent" if current == "present" else "present"
        clock = self.clock
        try:
            att.set_attendance(self.db, self.session_id, member_id, status, clock)
        except SessionError as error:
            self.notify(str(error), severity="warning")
        except StoreError as error:
            self.assembly_app.report(error)
        self.refresh_table()

    def action_toggle(self) -> None:
        self._set()

    def action_apologies(self) -> None:
        self._set("apologies")

    def action_find(self) -> None:
        self.query_one("#find", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """A member number typed on the list goes to the find box (the purpose line says so);
        letters stay keys, so a name is found with / first."""
        table = self.query_one(DataTable)
        if self.focused is table and event.character and event.character.isdigit():
            box = self.query_one("#find", Input)
            box.value = event.character
            box.focus()
            box.cursor_position = len(box.value)
            event.stop()
            event.prevent_default()

    def action_all_present(self) -> None:
        """Marks every member with nothing recorded as present, after a yes: one stray key
        should not change forty rows."""
        record = att.attendance(self.db, self.session_id)
        missing = [m for m in att.panel(self.db) if record.get(m.id) is None]
        if not missing:
            self.notify(_("Everyone already has attendance recorded."))
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                n = att.mark_all_present(self.db, self.session_id, self.clock)
            except StoreError as error:
                self.assembly_app.report(error)
                return
            self.notify(_("%(count)s more marked present.", count=n))
            self.refresh_table()

        self.app.push_screen(
            ConfirmDialog(
                _("Mark everyone else present?"),
                _(
                    "%(count)s panel members with nothing recorded yet will be marked "
                    "present. Members already marked absent or with apologies stay as they are.",
                    count=len(missing),
                ),
                yes=_("Mark present"),
                no=_("Cancel"),
            ),
            answered,
        )

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self._set()

    def action_back(self) -> None:
        self.app.pop_screen()
