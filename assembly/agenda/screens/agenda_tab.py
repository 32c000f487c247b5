"""The Agenda tab: a timed agenda built from a vote's ranking, reordered by the facilitator
(each move shown beside the builder's order) and made final as a session's agenda."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.agenda import builder as ab
from assembly.agenda import rounds
from assembly.agenda.errors import AgendaError
from assembly.agenda.screens.tab import AgendaScreenTab
from assembly.agenda.screens.typed import whole
from assembly.core.clock import local
from assembly.core.i18n import _, ngettext
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog


class TimedAgendaTab(AgendaScreenTab):
    def __init__(self) -> None:
        super().__init__(_("Agenda"), id="agenda-tab")
        self.proposal_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="agenda-note", classes="note")
        yield DataTable(id="agenda", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#agenda", DataTable).add_columns(
            _("Order"),
            _("Starts"),
            _("Minutes"),
            _("Item"),
            _("Residents' rank"),
            _("Builder's order"),
        )
        latest = ab.list_proposals(self.db)
        self.proposal_id = latest[-1].id if latest else None
        self.refresh_agenda()

    def refresh_agenda(self) -> None:
        table = self.query_one("#agenda", DataTable)
        table.clear()
        note = self.query_one("#agenda-note", Static)
        if self.proposal_id is None:
            note.update(_("No agenda yet: press g to build one from a vote's ranking."))
            return
        proposal = ab.get_proposal(self.db, self.proposal_id)
        sessions = {s[0]: s[1] for s in ab.sessions_available(self.db)}
        state = (
            _("✓ final")
            if proposal.status == "final"
            else _("proposed (u/d reorder, f make final)")
        )
        total = sum(i.minutes for i in proposal.items)
        if proposal.session_id:
            session = (
                sessions[proposal.session_id]
                if proposal.session_id in sessions
                else _("session %(number)s", number=proposal.session_id)
            )
            note.update(
                _(
                    "Agenda %(id)s for %(session)s: %(state)s. %(total)s of %(minutes)s minutes.",
                    id=proposal.id,
                    session=session,
                    state=state,
                    total=total,
                    minutes=proposal.session_minutes,
                )
            )
        else:
            note.update(
                _(
                    "Agenda %(id)s: %(state)s. %(total)s of %(minutes)s minutes.",
                    id=proposal.id,
                    state=state,
                    total=total,
                    minutes=proposal.session_minutes,
                )
            )
        begins = self._session_start(proposal.session_id)
        zone = self.host.assembly_app.timezone
        start = 0
        for item in proposal.items:
            moved = "" if item.proposed_position == item.position else " ↕"
            offset = f"+{start // 60}:{start % 60:02d}"
            table.add_row(
                str(item.position),
                f"{local(begins + timedelta(minutes=start), zone):%H:%M}" if begins else offset,
                str(item.minutes),
                item.title,
                str(item.residents_rank) if item.residents_rank else "—",
                f"{item.proposed_position}{moved}",
                key=str(item.position),
            )
            start += item.minutes

    def _session_start(self, session_id: int | None) -> datetime | None:
        """When the agenda's session starts, so items show the room's clock times (in the
        assembly's time zone) rather than only minutes from the start."""
        return None if session_id is None else ab.session_starts_at(self.db, session_id)

    def build_agenda(self) -> None:
        every_round = rounds.list_rounds(self.db)
        if not every_round:
            self.refuse(AgendaError(_("There is no vote to build from: open and run one first.")))
            return
        sessions = ab.sessions_available(self.db)
        session_options = tuple(
            (_("%(session)s (%(minutes)s min)", session=s[1], minutes=s[2] or "?"), str(s[0]))
            for s in sessions
        )
        default_minutes = next((s[2] for s in sessions if s[2]), 240)
        fields = [
            FormField(
                "round",
                _("Ranking from vote"),
                kind="select",
                options=tuple(
                    (f"{r.id}. {r.title} ({rounds.status_in_words(r.status)})", str(r.id))
                    for r in reversed(every_round)
                ),
            ),
            FormField(
                "session",
                _("For session"),
                kind="select",
                options=(*session_options, (_("Not yet chosen"), "none")),
            ),
            FormField("minutes", _("Session length (minutes)"), value=str(default_minutes)),
            FormField("break_every", _("Longest stretch without a break (minutes)"), value="90"),
            FormField(
                "evidence", _("Evidence slot before each topic (minutes, 0 for none)"), value="15"
            ),
            FormField("witnesses", _("Top topics that get a witness slot (30 min)"), value="1"),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                settings = ab.AgendaSettings(
                    session_minutes=whole(values["minutes"], _("Session length")),
                    work_between_breaks=whole(values["break_every"], _("Break")),
                    evidence_minutes=whole(values["evidence"], _("Evidence")),
                    witness_topics=whole(values["witnesses"], _("Witnesses")),
                )
                round_id = int(values["round"])
                session_id = None if values["session"] == "none" else int(values["session"])
                proposal = ab.propose_agenda(ab.ranked_topics(self.db, round_id), settings)
                self.proposal_id = ab.save_proposal(
                    self.db,
                    self.clock,
                    proposal,
                    settings,
                    session_id=session_id,
                    round_id=round_id,
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_agenda()
            left = ", ".join(t.title for t in proposal.left_out)
            self.notify(
                _(
                    "Agenda %(id)s proposed. Not enough time for: %(topics)s.",
                    id=self.proposal_id,
                    topics=left,
                )
                if left
                else _("Agenda %(id)s proposed.", id=self.proposal_id)
            )

        self.ask(FormDialog(_("Build a timed agenda"), fields), save)

    def _move(self, delta: int) -> None:
        """Move the highlighted item (with its topic's evidence or witness slot) up or down."""
        if self.proposal_id is None:
            return
        table = self.query_one("#agenda", DataTable)
        if not table.row_count:
            return
        start = table.cursor_row + 1
        try:
            moved_to = ab.move_block(self.db, self.proposal_id, start, delta)
        except AgendaError as error:
            self.refuse(error)
            return
        self.refresh_agenda()
        table.move_cursor(row=moved_to - 1)
        if abs(moved_to - start) > 1:  # issue 25 item 11: a jump of two rows looked like a slip
            self.notify(
                ngettext(
                    "Moved %(num)s row, past a whole topic: a topic and its "
                    "evidence or witness slot stay together. u and d move it back.",
                    "Moved %(num)s rows, past a whole topic: a topic and its "
                    "evidence or witness slot stay together. u and d move it back.",
                    abs(moved_to - start),
                )
            )

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(1)

    def make_final(self) -> None:
        if self.proposal_id is None:
            self.refuse(AgendaError(_("Build an agenda first (g).")))
            return
        proposal = ab.get_proposal(self.db, self.proposal_id)
        sessions = ab.sessions_available(self.db)
        if proposal.session_id is None and not sessions:
            done = ab.session_count(self.db)
            self.refuse(
                AgendaError(
                    _(
                        "All %(count)s sessions in this file have finished, and an agenda is made "
                        "final for a session still to come. Plan one in Facilitator mode (c), "
                        "then press f again.",
                        count=done,
                    )
                    if done
                    else _("There are no sessions in this file yet; add one first.")
                )
            )
            return
        if proposal.session_id is not None:
            self._confirm_final(proposal.session_id)
            return
        fields = [
            FormField(
                "session",
                _("This agenda is for"),
                kind="select",
                options=tuple((s[1], str(s[0])) for s in sessions),
            )
        ]
        self.ask(
            FormDialog(_("Make the agenda final"), fields),
            lambda values: self._confirm_final(int(values["session"])) if values else None,
        )

    def _confirm_final(self, session_id: int) -> None:
        """Making an agenda final replaces the session's timed items, and the agenda cannot be
        edited after: ask first (issue 25 item 11: f acted at once, with no way back)."""
        title = next(
            (t for i, t, _minutes in ab.sessions_available(self.db) if i == session_id), ""
        )
        question = _(
            "Agenda %(id)s becomes the agenda of %(session)s: "
            "its timed items replace the ones that session has now, and this agenda can no "
            "longer be edited. To change it later, build a new agenda (g) and make that one final.",
            id=self.proposal_id,
            session=title or _("session %(number)s", number=session_id),
        )
        self.app.push_screen(
            ConfirmDialog(
                _("Make the agenda final?"), question, yes=_("Make final"), no=_("Not yet")
            ),
            lambda yes: self._finalise(session_id) if yes else None,
        )

    def _finalise(self, session_id: int) -> None:
        assert self.proposal_id is not None
        try:
            ab.finalise_proposal(self.db, self.clock, self.proposal_id, session_id)
        except AgendaError as error:
            self.refuse(error)
            return
        self.refresh_agenda()
        self.notify(_("The agenda is final: it is now the session's agenda."))
