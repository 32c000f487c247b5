"""Running a session live: the item countdown, who is speaking, the queue, equity and ideas.

Keyboard first, one key per job: n next item, x extend +5 min, s start/stop speaker, a add to
the queue, i idea, p pause/resume, u undo the last step. Every key writes to the file at once,
and everything shown is read back from the file and the clock, so reopening after a crash shows
the same session.
"""

from __future__ import annotations

import sqlite3

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from assembly.core.clock import local
from assembly.core.i18n import N_, _, ngettext
from assembly.sessions import ideas as idea_store
from assembly.sessions import sessions as s
from assembly.sessions.attendance import members_by_id
from assembly.sessions.screens.clock_widget import ItemCountdown, SpeakerClock
from assembly.sessions.screens.dialogs import IdeaDialog, IdeaInput, MemberPickDialog
from assembly.sessions.screens.equity_widget import EquityPanel
from assembly.sessions.speakers import (
    QueueEntry,
    SpeakerQueue,
    current_turn,
    session_equity,
    turn_seconds,
)
from assembly.sessions.undo import undo_last_step
from assembly.store import StoreError
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

EQUITY_EVERY_TICKS = 5


def why_here(entry: QueueEntry) -> str:
    """The queue's 'Why here' in a few words: what the Spoken column does not already say."""
    under = entry.under_heard_groups
    groups = ngettext("%(num)s under-heard group", "%(num)s under-heard groups", under)
    if entry.spoken_seconds == 0:
        return _("not spoken · %(groups)s", groups=groups) if under else _("not spoken yet")
    if not under:
        return "—"
    return groups


class SessionRunScreen(ModeScreen):
    PURPOSE = N_(
        "Run the session: n next item · x +5 min · s start/stop speaker · a add to queue · "
        "d remove from queue · o queue order · i idea · e all ideas · p pause/resume · "
        "u undo last step · m attendance · v equity for item/session · f finish · Esc back"
    )
    COMPACT_PURPOSE = N_(
        "Live session. Also: d remove from queue · o queue order · e all ideas · m attendance "
        "· v equity item/session · Esc back · Ctrl+P every key"
    )
    """On a laptop screen: the keys the footer has no room for, in one or two lines."""
    MODE_LABEL = N_("Facilitator · live session")
    # the footer of an 80-column screen holds the keys used most; the others are named in the
    # purpose line (both sizes) and all of them in the command palette
    BINDINGS = [
        Binding("n", "next_item", "Next"),
        Binding("x", "extend", "+5 min"),
        Binding("s", "speaker", "Speaker"),
        Binding("a", "add_speaker", "Add"),
        Binding("d", "remove_speaker", "Remove", show=False),
        Binding("i", "idea", "Idea"),
        Binding("p", "pause", "Pause"),
        Binding("u", "undo", "Undo"),
        Binding("f", "finish", "Finish"),
        Binding("o", "order", "Order", show=False),
        Binding("e", "ideas", "Ideas", show=False),
        Binding("m", "attendance", "Attendance", show=False),
        Binding("v", "equity_scope", "Equity", show=False),
        Binding("escape", "back", "Back", show=False),
    ]
    COMPACT_BELOW = 34
    """Terminal rows under which the big digits give way to plain text, so the queue shows."""
    DEFAULT_CSS = """
    SessionRunScreen #clocks { height: auto; }
    SessionRunScreen #clocks > * { width: 1fr; }
    SessionRunScreen #middle { height: 1fr; }
    SessionRunScreen #left { width: 1fr; }
    SessionRunScreen EquityPanel { width: 1fr; }
    SessionRunScreen #queue { height: 1fr; }
    SessionRunScreen #ideas { height: 1fr; }
    SessionRunScreen #session-line { padding: 0 1; text-style: bold; }
    SessionRunScreen #queue { min-height: 3; }
    SessionRunScreen #ideas { min-height: 2; }
    SessionRunScreen.compact Digits { display: none; }
    SessionRunScreen.compact .clock-time { display: block; }
    SessionRunScreen.compact #item-warning { display: none; }
    SessionRunScreen.compact #speaker .clock-title { display: none; }
    SessionRunScreen.compact #speaker-name { display: none; }
    SessionRunScreen.compact #clocks > * { border: none; border-left: thick $primary; }
    SessionRunScreen.compact #left { width: 3fr; }
    SessionRunScreen.compact EquityPanel { width: 2fr; }
    SessionRunScreen.compact #queue { min-height: 4; }
    SessionRunScreen.compact #ideas { min-height: 3; }
    """

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self._ticks = 0
        self.equity_for_item = False

    # --- layout and refresh ---------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static("", id="session-line", markup=False)
        with Horizontal(id="clocks"):
            yield ItemCountdown(id="countdown")
            yield SpeakerClock(id="speaker")
        with Horizontal(id="middle"):
            with Vertical(id="left"):
                yield Static("", id="queue-title", classes="section-title", markup=False)
                yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
                yield Static("", id="ideas-title", classes="section-title", markup=False)
                yield DataTable(id="ideas", cursor_type="row", zebra_stripes=True)
            yield EquityPanel(id="equity")

    @property
    def queue(self) -> SpeakerQueue:
        return SpeakerQueue(self.db, self.session_id, self.clock)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#queue", DataTable).add_columns(
            "#", _("Member"), _("Spoken"), _("Why here")
        )
        self.query_one("#ideas", DataTable).add_columns(_("No."), _("Idea"), _("Raised by"))
        self.refresh_all()
        self.set_interval(1.0, self.tick)

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def on_resize(self) -> None:
        compact = self.size.height < self.COMPACT_BELOW
        if compact != self.has_class("compact"):
            self.set_class(compact, "compact")
            self.query_one(".purpose", Static).update(
                _(self.COMPACT_PURPOSE if compact else self.PURPOSE)
            )
            self.refresh_all()

    def tick(self) -> None:
        self._ticks += 1
        try:
            self.refresh_clocks()
            if self._ticks % EQUITY_EVERY_TICKS == 0:
                self.refresh_equity()
        except (StoreError, sqlite3.Error, s.SessionError):
            pass  # the next action will report it; a clock tick should not pop up errors

    def refresh_all(self) -> None:
        self.refresh_clocks()
        self.refresh_queue()
        self.refresh_ideas()
        self.refresh_equity()

    def refresh_clocks(self) -> None:
        db, clock = self.db, self.clock
        session = s.get_session(db, self.session_id)
        items = s.agenda(db, self.session_id)
        running = next((i for i in items if i.state == "running"), None)
        timer = s.item_timer(db, running, clock) if running else None
        position = (
            _("Item %(position)s of %(count)s", position=running.position, count=len(items))
            if running
            else ""
        )
        self.query_one(ItemCountdown).show(
            timer,
            status=session.status,
            position=position,
            next_item=s.next_up(items),
        )
        turn = current_turn(db, self.session_id)
        label = None
        seconds = 0.0
        if turn is not None:
            member = members_by_id(db, [turn.member_id]).get(turn.member_id)
            label = member.label if member else _("Member id %(id)s", id=turn.member_id)
            seconds = turn_seconds(db, turn, clock)
        self.query_one(SpeakerClock).show(label, seconds, status=session.status)
        states = {
            "planned": _("Not started"),
            "running": _("● Running"),
            "paused": _("⏸ Paused"),
            "finished": _("✓ Finished"),
        }
        line = _("%(title)s — %(state)s", title=session.title, state=states[session.status])
        projection = s.session_projection(db, self.session_id, clock)
        if session.started_at:
            line += " · " + _("%(time)s in", time=s.clock_text(projection.elapsed_seconds))
        if projection.projected_end is not None and projection.planned_end is not None:
            tz = self.assembly_app.timezone
            over = projection.over_seconds or 0
            pace = (
                _("⚠ %(minutes)s min over", minutes=round(over / 60))
                if over >= 60
                else _("%(minutes)s min to spare", minutes=round(-over / 60))
                if over <= -60
                else _("on time")
            )
            planned = f"{local(projection.planned_end, tz):%H:%M}"
            projected = f"{local(projection.projected_end, tz):%H:%M}"
            line += " · " + _(
                "planned to end %(planned)s, at this pace %(projected)s (%(pace)s)",
                planned=planned,
                projected=projected,
                pace=pace,
            )
        self.query_one("#session-line", Static).update(line)

    def refresh_queue(self) -> None:
        session = s.get_session(self.db, self.session_id)
        entries = self.queue.entries()
        progressive = session.queue_order == "progressive"
        waiting = len(entries)
        if session.status == "finished":
            title = _("Speaker queue: closed, the session has finished")
        elif self.has_class("compact"):
            title = (
                _("Queue: %(waiting)s waiting, least heard first", waiting=waiting)
                if progressive
                else _("Queue: %(waiting)s waiting, as asked", waiting=waiting)
            )
        elif progressive:
            title = _(
                "Speaker queue: %(waiting)s waiting, progressive stack (least heard first) "
                "(o switches, Enter starts the highlighted person)",
                waiting=waiting,
            )
        else:
            title = _(
                "Speaker queue: %(waiting)s waiting, in the order asked "
                "(o switches, Enter starts the highlighted person)",
                waiting=waiting,
            )
        self.query_one("#queue-title", Static).update(title)
        table = self.query_one("#queue", DataTable)
        table.clear()
        for place, entry in enumerate(entries, start=1):
            spoken = s.clock_text(entry.spoken_seconds)
            table.add_row(
                str(place), entry.member.label, spoken, why_here(entry), key=str(entry.member.id)
            )

    def refresh_ideas(self) -> None:
        table = self.query_one("#ideas", DataTable)
        table.clear()
        item = s.current_item(self.db, self.session_id)
        found = idea_store.session_ideas(
            self.db, self.session_id, agenda_item_id=item.id if item else None
        )
        people = members_by_id(self.db, sorted({i.member_id for i in found if i.member_id}))
        count = len(found)
        if self.has_class("compact"):
            title = (
                _("Ideas for this item: %(count)s", count=count)
                if item
                else _("Ideas of the session: %(count)s", count=count)
            )
        elif item:
            title = _(
                "Ideas for this item (%(item)s): %(count)s (i adds one, e lists all)",
                item=item.title,
                count=count,
            )
        else:
            title = _("Ideas of this session: %(count)s (i adds one, e lists all)", count=count)
        self.query_one("#ideas-title", Static).update(title)
        for idea in reversed(found):
            by = people[idea.member_id].label if idea.member_id in people else "—"
            table.add_row(str(idea.id), idea.text, by, key=str(idea.id))

    def refresh_equity(self) -> None:
        item = s.current_item(self.db, self.session_id) if self.equity_for_item else None
        report = session_equity(
            self.db, self.session_id, self.clock, agenda_item_id=item.id if item else None
        )
        self.query_one(EquityPanel).show(report, item_title=item.title if item else None)

    def action_equity_scope(self) -> None:
        self.equity_for_item = not self.equity_for_item
        if self.equity_for_item and s.current_item(self.db, self.session_id) is None:
            self.notify(_("No item is running, so the panel shows the whole session."))
        self.refresh_equity()

    # --- actions --------------------------------------------------------------------------------

    def _do(self, job, *args):
        """Run one recorded action; plain-words problems become a notice, file problems a dialog."""
        try:
            result = job(*args)
        except s.SessionError as error:
            self.notify(str(error), title=_("Not now"), severity="warning")
            return None
        except StoreError as error:
            self.assembly_app.report(error)
            return None
        except sqlite3.Error as error:  # e.g. another program changed the file at the same time
            self.assembly_app.show_error(
                _("The assembly file could not be changed"),
                _("%(error)s. Nothing was half-saved: try the key again.", error=str(error)),
            )
            return None
        self.refresh_all()
        return result

    def action_next_item(self) -> None:
        item = self._do(s.next_item, self.db, self.session_id, self.clock)
        if item is not None:
            self.notify(
                _("Now: %(title)s (u takes this back)", title=item.title), title=_("Next item")
            )

    def action_undo(self) -> None:
        done = self._do(undo_last_step, self.db, self.session_id, self.clock)
        if done is not None:
            self.notify(_("Undone: %(step)s.", step=done), title=_("Undo"))

    def action_extend(self) -> None:
        item = self._do(s.extend_item, self.db, self.session_id, self.clock)
        if item is not None:
            self.notify(
                _("%(title)s: now %(minutes)s min", title=item.title, minutes=item.allowed_minutes),
                title=_("+5 min"),
            )

    def action_pause(self) -> None:
        status = self._do(s.toggle_pause, self.db, self.session_id, self.clock)
        if status:
            self.notify(
                _("Paused: the clocks are stopped.") if status == "paused" else _("Resumed.")
            )

    def action_speaker(self) -> None:
        speaking = current_turn(self.db, self.session_id) is not None
        self._do(self.queue.toggle)
        if speaking and current_turn(self.db, self.session_id) is None:
            self.notify(_("Speaker done (u takes this back)."))

    def action_order(self) -> None:
        session = s.get_session(self.db, self.session_id)
        order = "fifo" if session.queue_order == "progressive" else "progressive"
        self._do(s.set_queue_order, self.db, self.session_id, order, self.clock)

    def action_add_speaker(self) -> None:
        def added(member_id: int | None) -> None:
            if member_id is not None:
                self._do(self.queue.add, member_id)

        self.app.push_screen(
            MemberPickDialog(self.db, _("Add to the speaker queue"), self.session_id), added
        )

    def _highlighted_member(self) -> int | None:
        table = self.query_one("#queue", DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def action_remove_speaker(self) -> None:
        member_id = self._highlighted_member()
        if member_id is None:
            self.notify(_("The queue is empty."), severity="warning")
            return
        self._do(self.queue.remove, member_id)

    @on(DataTable.RowSelected, "#queue")
    def _start_selected(self, event: DataTable.RowSelected) -> None:
        self._do(self.queue.start, int(event.row_key.value))

    def action_idea(self) -> None:
        item = s.current_item(self.db, self.session_id)
        turn = current_turn(self.db, self.session_id)
        speaker = None
        if turn is not None:
            member = members_by_id(self.db, [turn.member_id]).get(turn.member_id)
            speaker = member.label if member else None
        context = (
            _("For: %(title)s", title=item.title)
            if item
            else _("For the session as a whole (no item running)")
        )

        def captured(result: IdeaInput | None) -> None:
            if result is None:
                return
            idea_id = self._do(
                lambda: idea_store.add_idea(
                    self.db,
                    session_id=self.session_id,
                    text=result.text,
                    clock=self.clock,
                    agenda_item_id=item.id if item else None,
                    member_id=turn.member_id if (turn and result.link_speaker) else None,
                    language=result.language or idea_store.said_in(self.db, ""),
                )
            )
            if idea_id is not None:
                self.notify(_("Idea %(id)s saved.", id=idea_id), title=_("Idea"))

        self.app.push_screen(IdeaDialog(context=context, speaker=speaker), captured)

    def action_attendance(self) -> None:
        from assembly.sessions.screens.attendance import AttendanceScreen

        self.app.push_screen(AttendanceScreen(self.session_id))

    def action_ideas(self) -> None:
        from assembly.sessions.screens.ideas import IdeasScreen

        self.app.push_screen(IdeasScreen(self.session_id))

    def action_finish(self) -> None:
        session = s.get_session(self.db, self.session_id)
        if session.status == "finished":
            self.notify(_("This session has already finished."))
            return
        if session.status == "planned":
            self.notify(_(s.NOT_STARTED, title=session.title), severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._do(s.finish_session, self.db, self.session_id, self.clock)

        self.app.push_screen(
            ConfirmDialog(
                _("Finish the session?"),
                _(
                    "This ends '%(title)s': the current item and speaker stop and the "
                    "queue is cleared. Ideas and times are kept.",
                    title=session.title,
                ),
                yes=_("Finish"),
                no=_("Keep going"),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
