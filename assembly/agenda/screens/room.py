"""The room, from the facilitator's side: start the phone pages, show their address and QR code
for the projector, and watch ballots arrive and who has not voted yet (by member number only).

The server runs in a thread worker with its own connection to the file; this screen reads the
same file once a second, so it shows what phones sent and what was typed in alike.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from assembly.agenda import rounds
from assembly.agenda.errors import AgendaError
from assembly.agenda.room import submissions as room
from assembly.agenda.screens.agenda import AgendaScreen
from assembly.core.clock import local
from assembly.core.i18n import N_, Number, _, ngettext
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

CLOSED_TEXT = N_(
    "The room is closed.\n\nPress s to open it: residents then vote and propose topics from "
    "their phones. Press l first to let phones on this network in (otherwise only this "
    "computer can reach it)."
)


class RoomScreen(ModeScreen):
    PURPOSE = N_(
        "The room: residents vote from their phones · s start/stop · l phones on the network · "
        "v visitors may propose · c close the vote · p publish result · g agenda & votes · "
        "Esc back (closes the room)"
    )
    MODE_LABEL = N_("Facilitator")
    BINDINGS: ClassVar = [
        Binding("s", "toggle_room", "Start/stop"),
        Binding("l", "toggle_lan", "Network"),
        Binding("v", "toggle_visitors", "Visitors"),
        Binding("c", "close_vote", "Close vote"),
        Binding("p", "publish", "Publish result"),
        Binding("g", "agenda", "Agenda & votes"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    RoomScreen #room-body { height: 1fr; }
    RoomScreen #room-qr { width: auto; min-width: 30; max-width: 45; padding: 0 1; }
    RoomScreen #room-side { width: 1fr; }
    RoomScreen #room-status { height: auto; padding: 0 1; }
    RoomScreen #room-feed { height: 1fr; min-height: 4; }
    """

    def __init__(self, *, port: int = 8090, lan: bool = False) -> None:
        super().__init__()
        self.port = port
        self.lan = lan
        self.server = None
        self.url: str | None = None
        self._feed: list[room.AuditEntry] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="room-body"):
            yield Static(_(CLOSED_TEXT), id="room-qr", markup=False)
            with VerticalScroll(id="room-side"):
                yield Static("", id="room-status", markup=False)
                yield DataTable(id="room-feed", zebra_stripes=True, cursor_type="none")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#room-feed", DataTable).add_columns(
            _("Time"), _("Member"), _("What"), _("Outcome")
        )
        self.refresh_room()
        self.set_interval(1.0, self.refresh_room)

    # --- the server ------------------------------------------------------------------------

    def action_toggle_room(self) -> None:
        if self.server is not None:
            self.stop_room()
            return
        if self.assembly_app.read_only:
            self.assembly_app.show_error(_("Review only"), _("This file is open for review only."))
            return
        from assembly.agenda.room.server import RoomConfig, RoomServer

        try:
            self.server = RoomServer(
                self.assembly_app.assembly.path,
                RoomConfig(port=self.port, lan=self.lan),
                clock=self.clock,
            )
        except Exception as error:  # a file that cannot be opened: say so, keep the screen
            self.assembly_app.report(error)
            return
        self.query_one("#room-qr", Static).update(_("Opening the room…"))
        self.serve(self.server)

    @work(thread=True, exclusive=True, exit_on_error=False, group="room")
    def serve(self, server) -> None:
        server.serve(ready=lambda url: self.app.call_from_thread(self.room_ready, server, url))

    def room_ready(self, server, url: str) -> None:
        from assembly.agenda.room.qr import qr_text

        if server is not self.server:
            return
        self.url = url
        self.query_one("#room-qr", Static).update(f"{qr_text(url)}\n{url}")
        self.refresh_room()
        self.notify(_("The room is open at %(url)s", url=url))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "room":
            return
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.server, self.url = None, None
            self.query_one("#room-qr", Static).update(_(CLOSED_TEXT))
            reason = getattr(error, "strerror", None) or str(error)
            self.assembly_app.show_error(
                _("The room could not open"),
                _(
                    "Port %(port)s: %(reason)s. Another program may be using it; close it, or "
                    "start the room from the command line with another --port.",
                    port=self.port,
                    reason=reason,
                ),
            )
        elif event.state == WorkerState.SUCCESS:
            self.query_one("#room-qr", Static).update(_(CLOSED_TEXT))
            self.refresh_room()

    def stop_room(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server, self.url = None, None
            self.notify(_("The room is closed: phones can no longer reach it."))
        self.query_one("#room-qr", Static).update(_(CLOSED_TEXT))
        self.refresh_room()

    def on_unmount(self) -> None:
        if self.server is not None:
            self.server.stop()

    # --- what the facilitator sees ----------------------------------------------------------

    def refresh_room(self) -> None:
        db = self.db
        tz = self.assembly_app.timezone
        lines = []
        if self.url and self.lan:
            lines.append(
                _(
                    "● Open at %(url)s (phones on this network); projector page: %(url)sprojector",
                    url=self.url,
                )
            )
        elif self.url:
            lines.append(
                _(
                    "● Open at %(url)s (this computer only); projector page: %(url)sprojector",
                    url=self.url,
                )
            )
        elif self.lan:
            lines.append(_("○ Closed. When opened, reachable from: phones on this network."))
        else:
            lines.append(_("○ Closed. When opened, reachable from: this computer only."))
        lines.append(
            _("Visitors without a code may propose topics: yes")
            if room.visitors_allowed(db)
            else _("Visitors without a code may propose topics: no")
        )
        current = room.room_round(db)
        if current is None:
            lines.append(_("No vote is open (g opens one on Agenda & votes)."))
        else:
            missing = room.not_voted(db, current.id)
            voted = room.voters(db, current.id)
            lines.append(
                _(
                    "Vote %(id)s: %(title)s — %(method)s",
                    id=current.id,
                    title=current.title,
                    method=current.method,
                )
            )
            lines.append(
                _(
                    "Members who have voted: %(voted)s; ballots counted: %(ballots)s",
                    voted=voted,
                    ballots=Number(current.ballots),
                )
            )
            shown = ", ".join(str(n) for n in missing[:40]) + (" …" if len(missing) > 40 else "")
            lines.append(
                _("Not yet voted (%(count)s): %(members)s", count=len(missing), members=shown)
                if shown
                else _("Not yet voted (%(count)s): nobody", count=len(missing))
            )
        published = room.published_rounds(db)
        if published:
            votes = ", ".join(str(r) for r in published)
            lines.append(_("Results on phones: vote %(votes)s", votes=votes))
        self.query_one("#room-status", Static).update("\n".join(lines))
        feed = room.recent_audit(db, limit=30)
        if feed == self._feed:
            return  # unchanged: keep the facilitator's scroll position
        self._feed = feed
        table = self.query_one("#room-feed", DataTable)
        table.clear()
        for entry in feed:
            when = local(entry.at, tz).strftime("%H:%M:%S")
            who = str(entry.member_number) if entry.member_number else "—"
            outcome = _("✓ accepted") if entry.outcome == "accepted" else f"✗ {entry.reason}"
            # Text, not str: a refusal may quote what a resident typed, never read as markup
            table.add_row(*(Text(cell) for cell in (when, who, entry.action, outcome)))

    # --- the facilitator's controls -----------------------------------------------------------

    def action_toggle_lan(self) -> None:
        if self.server is not None:
            self.notify(
                _("Stop the room (s) before changing who can reach it."), severity="warning"
            )
            return
        self.lan = not self.lan
        self.refresh_room()

    def action_toggle_visitors(self) -> None:
        allowed = not room.visitors_allowed(self.db)
        room.allow_visitors(self.db, allowed)
        self.refresh_room()
        self.notify(
            _("Visitors without a code may now propose topics.")
            if allowed
            else _("Only members with a code may propose topics now.")
        )

    def action_close_vote(self) -> None:
        current = room.room_round(self.db)
        if current is None:
            self.notify(_("No vote is open."), severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                rounds.close_round(self.db, self.clock, current.id)
            except AgendaError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.refresh_room()
            self.notify(_("Vote %(id)s closed: the phones' form is closed too.", id=current.id))

        self.app.push_screen(
            ConfirmDialog(
                _("Close this vote?"),
                ngettext(
                    "Close vote %(id)s (%(title)s) with %(num)s ballot? "
                    "Phones can no longer send ballots to it.",
                    "Close vote %(id)s (%(title)s) with %(num)s ballots? "
                    "Phones can no longer send ballots to it.",
                    current.ballots,
                    id=current.id,
                    title=current.title,
                    num=Number(current.ballots),
                ),
            ),
            answer,
        )

    def action_publish(self) -> None:
        closed = [r for r in rounds.list_rounds(self.db) if r.status == "closed"]
        if not closed:
            self.notify(_("No vote is closed yet; close one first (c)."), severity="warning")
            return
        latest = closed[-1]
        shown = latest.id in room.published_rounds(self.db)
        try:
            room.publish_results(self.db, self.clock, latest.id, published=not shown)
        except AgendaError as error:
            self.assembly_app.show_error(error.title, str(error))
            return
        self.refresh_room()
        self.notify(
            _("Vote %(id)s: result taken off residents' phones.", id=latest.id)
            if shown
            else _("Vote %(id)s: result shown on residents' phones.", id=latest.id)
        )

    def action_agenda(self) -> None:
        self.app.push_screen(AgendaScreen())

    def action_back(self) -> None:
        self.stop_room()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
