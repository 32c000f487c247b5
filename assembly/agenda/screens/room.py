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
from assembly.core.words import counted
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

CLOSED_TEXT = (
    "The room is closed.\n\nPress s to open it: residents then vote and propose topics from "
    "their phones. Press l first to let phones on this network in (otherwise only this "
    "computer can reach it)."
)


class RoomScreen(ModeScreen):
    PURPOSE = (
        "The room: residents vote from their phones · s start/stop · l phones on the network · "
        "v visitors may propose · c close the vote · p publish result · g agenda & votes · "
        "Esc back (closes the room)"
    )
    MODE_LABEL = "Facilitator"
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
            yield Static(CLOSED_TEXT, id="room-qr", markup=False)
            with VerticalScroll(id="room-side"):
                yield Static("", id="room-status", markup=False)
                yield DataTable(id="room-feed", zebra_stripes=True, cursor_type="none")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#room-feed", DataTable).add_columns("Time", "Member", "What", "Outcome")
        self.refresh_room()
        self.set_interval(1.0, self.refresh_room)

    # --- the server ------------------------------------------------------------------------

    def action_toggle_room(self) -> None:
        if self.server is not None:
            self.stop_room()
            return
        if self.assembly_app.read_only:
            self.assembly_app.show_error("Review only", "This file is open for review only.")
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
        self.query_one("#room-qr", Static).update("Opening the room…")
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
        self.notify(f"The room is open at {url}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "room":
            return
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.server, self.url = None, None
            self.query_one("#room-qr", Static).update(CLOSED_TEXT)
            reason = getattr(error, "strerror", None) or str(error)
            self.assembly_app.show_error(
                "The room could not open",
                f"Port {self.port}: {reason}. Another program may be using it; close it, or "
                "start the room from the command line with another --port.",
            )
        elif event.state == WorkerState.SUCCESS:
            self.query_one("#room-qr", Static).update(CLOSED_TEXT)
            self.refresh_room()

    def stop_room(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server, self.url = None, None
            self.notify("The room is closed: phones can no longer reach it.")
        self.query_one("#room-qr", Static).update(CLOSED_TEXT)
        self.refresh_room()

    def on_unmount(self) -> None:
        if self.server is not None:
            self.server.stop()

    # --- what the facilitator sees ----------------------------------------------------------

    def refresh_room(self) -> None:
        db = self.db
        tz = self.assembly_app.timezone
        lines = []
        if self.url:
            reach = "phones on this network" if self.lan else "this computer only"
            lines.append(f"● Open at {self.url} ({reach}); projector page: {self.url}projector")
        else:
            reach = "phones on this network" if self.lan else "this computer only"
            lines.append(f"○ Closed. When opened, reachable from: {reach}.")
        lines.append(
            "Visitors without a code may propose topics: "
            + ("yes" if room.visitors_allowed(db) else "no")
        )
        current = room.room_round(db)
        if current is None:
            lines.append("No vote is open (g opens one on Agenda & votes).")
        else:
            missing = room.not_voted(db, current.id)
            voted = room.voters(db, current.id)
            lines.append(f"Vote {current.id}: {current.title} — {current.method}")
            lines.append(f"Members who have voted: {voted}; ballots counted: {current.ballots:,}")
            shown = ", ".join(str(n) for n in missing[:40]) + (" …" if len(missing) > 40 else "")
            lines.append(f"Not yet voted ({len(missing)}): {shown or 'nobody'}")
        published = room.published_rounds(db)
        if published:
            lines.append("Results on phones: vote " + ", ".join(str(r) for r in published))
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
            outcome = "✓ accepted" if entry.outcome == "accepted" else f"✗ {entry.reason}"
            # Text, not str: a refusal may quote what a resident typed, never read as markup
            table.add_row(*(Text(cell) for cell in (when, who, entry.action, outcome)))

    # --- the facilitator's controls -----------------------------------------------------------

    def action_toggle_lan(self) -> None:
        if self.server is not None:
            self.notify("Stop the room (s) before changing who can reach it.", severity="warning")
            return
        self.lan = not self.lan
        self.refresh_room()

    def action_toggle_visitors(self) -> None:
        allowed = not room.visitors_allowed(self.db)
        room.allow_visitors(self.db, allowed)
        self.refresh_room()
        self.notify(
            "Visitors without a code may now propose topics."
            if allowed
            else "Only members with a code may propose topics now."
        )

    def action_close_vote(self) -> None:
        current = room.room_round(self.db)
        if current is None:
            self.notify("No vote is open.", severity="warning")
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
            self.notify(f"Vote {current.id} closed: the phones' form is closed too.")

        self.app.push_screen(
            ConfirmDialog(
                "Close this vote?",
                f"Close vote {current.id} ({current.title}) with {counted(current.ballots, 'ballot')}? "
                "Phones can no longer send ballots to it.",
            ),
            answer,
        )

    def action_publish(self) -> None:
        closed = [r for r in rounds.list_rounds(self.db) if r.status == "closed"]
        if not closed:
            self.notify("No vote is closed yet; close one first (c).", severity="warning")
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
            f"Vote {latest.id}: result {'taken off' if shown else 'shown on'} residents' phones."
        )

    def action_agenda(self) -> None:
        self.app.push_screen(AgendaScreen())

    def action_back(self) -> None:
        self.stop_room()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
