"""Agenda setting in Facilitator mode: residents' topics, the votes that rank them, and the
timed agenda built from that ranking.

Three tabs share one set of keys (each shown only where it works). Every topic, ballot, tally
and change is saved as it is entered; refusals (a ballot naming an unknown topic, a rule change
after voting began) come up in the error dialog and nothing is half-saved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from assembly.agenda import builder as ab
from assembly.agenda import rounds, topics, voting
from assembly.agenda.errors import AgendaError
from assembly.agenda.report import agenda_report
from assembly.agenda.screens.pairwise import PairwiseDialog
from assembly.core.clock import local
from assembly.ui.dialogs.agenda_form import FormAsker, FormDialog, FormField, InfoDialog
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

TAB_KEYS: dict[str, set[str]] = {
    "topics-tab": {"new_topic", "import_topics", "merge_topics", "topic_history"},
    "votes-tab": {
        "open_vote",
        "record_ballot",
        "record_tally",
        "which_matters",
        "void_ballot",
        "close_vote",
    },
    "agenda-tab": {"build_agenda", "move_up", "move_down", "make_final"},
}


def _whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise AgendaError(f"{what}: {text!r} is not a whole number.") from error


def _optional_whole(text: str, what: str) -> int | None:
    return _whole(text, what) if text.strip() else None


def _numbers(text: str, what: str) -> list[int]:
    return [_whole(p, what) for p in text.replace(",", " ").split()]


def _dots(text: str, what: str) -> dict[int, int]:
    out = {}
    for token in text.replace(",", " ").split():
        key, sep, value = token.partition("=")
        if not sep:
            raise AgendaError(f"{what}: {token!r} should look like TOPIC=DOTS, e.g. 3=2.")
        out[_whole(key, what)] = _whole(value, what)
    return out


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"


RANKED_BALLOT_LABEL = (
    "Topic numbers in the voter's order: the one marked 1 first, then 2, … "
    "(e.g. 3 1 2: topic 3 marked 1)"
)
"""The ballot paper asks for 1 beside the topic that matters most; this says how to type it."""


class AgendaScreen(FormAsker, ModeScreen):
    PURPOSE = (
        "Agenda setting: residents' topics, votes to rank them (method declared first), and a "
        "timed agenda. Esc back."
    )
    MODE_LABEL = "Facilitator — agenda setting"

    # this tab's keys first, so they are the ones the footer has room for; the purpose line
    # names them all (see TAB_HELP), as the footer of a small screen cannot
    BINDINGS: ClassVar = [
        Binding("n", "new_topic", "New topic"),
        Binding("i", "import_topics", "Import CSV"),
        Binding("m", "merge_topics", "Merge"),
        Binding("h", "topic_history", "History"),
        Binding("o", "open_vote", "Open vote"),
        Binding("b", "record_ballot", "Ballot"),
        Binding("t", "record_tally", "Tally"),
        Binding("w", "which_matters", "Pairs"),
        Binding("x", "void_ballot", "Void"),
        Binding("c", "close_vote", "Close"),
        Binding("g", "build_agenda", "Build agenda"),
        Binding("u", "move_up", "Move up"),
        Binding("d", "move_down", "Move down"),
        Binding("f", "make_final", "Make final"),
        Binding("e", "export_report", "Export report", show=False),
        Binding("1", "tab('topics-tab')", "Topics", show=False),
        Binding("2", "tab('votes-tab')", "Votes", show=False),
        Binding("3", "tab('agenda-tab')", "Agenda", show=False),
        Binding("escape", "back", "Back"),
    ]
    TAB_HELP: ClassVar[dict[str, str]] = {
        "topics-tab": "Topics residents raised: n new topic · i import a CSV · "
        "m merge duplicates · h history",
        "votes-tab": "Votes to rank topics: o open a vote (method declared first) · "
        "b type in a ballot · t paper tally · w which matters more? · x void last ballot · "
        "c close vote",
        "agenda-tab": "The timed agenda: g build it from a vote · u/d move an item up/down · "
        "f make final",
    }
    """What the purpose line says on each tab: every key that works there."""

    DEFAULT_CSS = """
    AgendaScreen TabbedContent { height: 1fr; }
    AgendaScreen TabPane { padding: 0; }
    AgendaScreen DataTable { height: 1fr; }
    AgendaScreen #rounds { width: 1fr; }
    AgendaScreen #result-side { width: 2fr; }
    AgendaScreen #results { height: auto; padding: 0 1; }
    AgendaScreen #counts { height: auto; }
    AgendaScreen .note { padding: 0 1; color: $text-muted; height: auto; }
    """

    def __init__(self, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.rng = rng or np.random.default_rng()
        self.proposal_id: int | None = None

    # --- layout ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="topics-tab", id="tabs"):
            with TabPane("Topics", id="topics-tab"):
                yield Static("", id="topics-note", classes="note")
                yield DataTable(id="topics", zebra_stripes=True, cursor_type="row")
            with TabPane("Votes", id="votes-tab"), Horizontal():
                yield DataTable(id="rounds", zebra_stripes=True, cursor_type="row")
                with VerticalScroll(id="result-side"):
                    yield Static("", id="declared", classes="note")
                    # the ranking first: under the chart it was off an 80x24 screen
                    yield DataTable(id="counts", zebra_stripes=True)
                    yield Static("", id="results", markup=False)
            with TabPane("Agenda", id="agenda-tab"):
                yield Static("", id="agenda-note", classes="note")
                yield DataTable(id="agenda", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        # Status next to the number: after a long title and proposer it fell off 120 columns
        self.query_one("#topics", DataTable).add_columns(
            "No.", "Status", "Topic", "Proposed by", "Source"
        )
        # state and ballots before the method, so they show when the list is narrow
        self.query_one("#rounds", DataTable).add_columns("Vote", "State", "Ballots", "Method")
        self.query_one("#agenda", DataTable).add_columns(
            "Order", "Starts", "Minutes", "Item", "Residents' rank", "Builder's order"
        )
        latest = ab.list_proposals(self.db)
        self.proposal_id = latest[-1].id if latest else None
        self.refresh_all()
        self.show_tab_help()

    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "topics-tab"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        for tab, actions in TAB_KEYS.items():
            if action in actions:
                return self.is_mounted and self.active_tab() == tab
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_tab_help()
        self.refresh_bindings()
        if self.active_tab() == "votes-tab":  # the chart fits the pane once it has a size
            self.call_after_refresh(self.show_result)

    def show_tab_help(self) -> None:
        help_text = self.TAB_HELP.get(self.active_tab(), self.PURPOSE)
        self.query_one(".purpose", Static).update(
            f"{help_text} · e export report · 1/2/3 switch tab · Esc back"
        )

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self.refresh_bindings()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def refuse(self, error: Exception) -> None:
        self.reopen_form()  # under the message, with what was typed, when a form was refused
        title = getattr(error, "title", "Cannot do that")
        self.assembly_app.show_error(title, str(error))

    # --- refreshing ----------------------------------------------------------------------

    def refresh_all(self) -> None:
        self.refresh_topics()
        self.refresh_rounds()
        self.refresh_agenda()

    def refresh_topics(self) -> None:
        table = self.query_one("#topics", DataTable)
        table.clear()
        every = topics.list_topics(self.db, include_closed=True)
        for t in every:
            state = {"open": "open", "merged": f"merged into {t.merged_into_id}"}.get(
                t.status, t.status
            )
            table.add_row(
                str(t.id),
                state,
                t.title,
                t.proposed_by() + (" · anonymous in reports" if t.anonymous else ""),
                "typed in" if t.source == "live" else (t.source_ref or "CSV"),
                key=str(t.id),
            )
        open_count = sum(1 for t in every if t.status == "open")
        self.query_one("#topics-note", Static).update(
            f"{open_count} open topics ({len(every)} proposed in all). "
            "Anonymous proposers are hidden in reports, shown here for the facilitator."
            if every
            else "No topics yet: press n to type one in, or i to import submissions."
        )

    def current_round_id(self) -> int | None:
        table = self.query_one("#rounds", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def refresh_rounds(self, select: int | None = None) -> None:
        table = self.query_one("#rounds", DataTable)
        keep = select or self.current_round_id()
        table.clear()
        every_round = rounds.list_rounds(self.db)
        for r in every_round:
            state = "● open" if r.status == "open" else "■ closed"
            title = r.title if len(r.title) <= 24 else r.title[:23] + "…"
            table.add_row(f"{r.id}. {title}", state, str(r.ballots), r.method, key=str(r.id))
        if every_round:
            ids = [r.id for r in every_round]
            table.move_cursor(row=ids.index(keep) if keep in ids else len(ids) - 1)
        self.show_result()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "rounds":
            self.show_result()

    def _chart_size(self) -> dict[str, int]:
        """Label and bar widths that keep each bar and its number on one line of the results
        pane (at 80 columns the number wrapped onto a line of its own)."""
        room = self.query_one("#result-side").content_region.width - 2
        if room < 40:  # not laid out yet, or very narrow
            room = 60 if room < 0 else 40
        label_width = min(30, room // 2)
        return {"label_width": label_width, "width": max(6, min(16, room - label_width - 12))}

    def on_resize(self) -> None:
        if self.is_mounted and self.active_tab() == "votes-tab":
            self.show_result()

    def show_result(self) -> None:
        round_id = self.current_round_id()
        declared = self.query_one("#declared", Static)
        results = self.query_one("#results", Static)
        counts = self.query_one("#counts", DataTable)
        counts.clear(columns=True)
        if round_id is None:
            declared.update("No votes yet: press o to open one (you declare the method first).")
            results.update("")
            return
        current = rounds.get_round(self.db, round_id)
        state = "● open" if current.status == "open" else "■ closed"
        declared.update(f"Vote {current.id} ({state}): {current.question}\n{current.declared}")
        result = rounds.round_result(self.db, round_id)
        lines = [
            f"{result.ballots} {'answers' if result.method == 'pairwise' else 'ballots'} counted.",
            *rounds.result_lines(self.db, result, **self._chart_size()),
        ]
        if result.method == "pairwise":
            lines.append(
                f"{result.extra['skipped']} 'can't decide' (not scored). "
                f"{result.extra['how_scored']}"
            )
        results.update("\n".join(lines))
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        columns = rounds.count_columns(result)
        counts.add_columns("Rank", "Topic", *columns)
        for s in result.standings:
            rank = f"{s.rank}" if s.rank == s.shared_rank else f"{s.rank} (tied {s.shared_rank})"
            cells = [_number(s.counts.get(c, 0)) for c in columns]
            counts.add_row(rank, titles.get(s.option, str(s.option)), *cells)

    def refresh_agenda(self) -> None:
        table = self.query_one("#agenda", DataTable)
        table.clear()
        note = self.query_one("#agenda-note", Static)
        if self.proposal_id is None:
            note.update("No agenda yet: press g to build one from a vote's ranking.")
            return
        proposal = ab.get_proposal(self.db, self.proposal_id)
        sessions = {s[0]: s[1] for s in ab.sessions_available(self.db)}
        where = (
            f" for {sessions.get(proposal.session_id, f'session {proposal.session_id}')}"
            if proposal.session_id
            else ""
        )
        state = "✓ final" if proposal.status == "final" else "proposed (u/d reorder, f make final)"
        total = sum(i.minutes for i in proposal.items)
        note.update(
            f"Agenda {proposal.id}{where}: {state}. {total} of {proposal.session_minutes} minutes."
        )
        begins = self._session_start(proposal.session_id)
        start = 0
        for item in proposal.items:
            moved = "" if item.proposed_position == item.position else " ↕"
            offset = f"+{start // 60}:{start % 60:02d}"
            table.add_row(
                str(item.position),
                f"{local(begins + timedelta(minutes=start), self.assembly_app.timezone):%H:%M}"
                if begins
                else offset,
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

    # --- topics --------------------------------------------------------------------------

    def action_new_topic(self) -> None:
        fields = [
            FormField("title", "Topic (in the proposer's words)"),
            FormField("description", "More detail (optional)"),
            FormField("member", "Proposed by panel member number (optional)"),
            FormField("name", "Or by a resident, name (optional)"),
            FormField("anonymous", "Keep the proposer anonymous in reports", kind="checkbox"),
        ]

        def save(values: dict | None) -> None:
            if values is None:
                return
            try:
                topics.propose_topic(
                    self.db,
                    self.clock,
                    values["title"],
                    description=values["description"],
                    member_number=_optional_whole(values["member"], "Member number"),
                    proposer_name=values["name"],
                    anonymous=values["anonymous"],
                    proposer_kind="resident",
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify("Topic saved.")

        self.ask(FormDialog("New topic", fields), save)

    def action_import_topics(self) -> None:
        fields = [FormField("path", "CSV file", placeholder="submissions.csv")]
        help_text = (
            "Columns: title (required); description, proposed_by, member_number, anonymous "
            "(yes/no), channel (optional). All rows are imported, or none."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                ids = topics.import_topics_csv(self.db, self.clock, values["path"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify(f"Imported {len(ids)} topics.")

        self.ask(FormDialog("Import submissions", fields, help_text), save)

    def _cursor_topic(self) -> str:
        table = self.query_one("#topics", DataTable)
        if not table.row_count:
            return ""
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value or "")

    def action_merge_topics(self) -> None:
        fields = [
            FormField("keep", "Keep topic number", value=self._cursor_topic()),
            FormField("duplicates", "Merge these duplicates into it (numbers)"),
            FormField("note", "Why (optional)"),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                keep = _whole(values["keep"], "Keep topic")
                dupes = _numbers(values["duplicates"], "Duplicates")
                topics.merge_topics(self.db, self.clock, keep, dupes, note=values["note"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify("Merged; both topics and their history stay on record.")

        help_text = "Merged topics stay in the record, marked as merged, with their proposers."
        self.ask(FormDialog("Merge duplicate topics", fields, help_text), save)

    def action_topic_history(self) -> None:
        topic_id = self._cursor_topic()
        if not topic_id:
            return
        lines = [
            f"{e['at']}  {e['action']}  "
            + ", ".join(f"{k}: {v}" for k, v in e["detail"].items() if v)
            for e in topics.topic_history(self.db, int(topic_id))
        ]
        self.app.push_screen(InfoDialog(f"History of topic {topic_id}", "\n".join(lines)))

    def action_export_report(self) -> None:
        folder = self.assembly_app.assembly.path.parent
        fields = [FormField("path", "Write the report to", value=str(folder / "agenda-report.md"))]
        help_text = (
            "A Markdown report of every topic (proposers who asked are shown as Anonymous) "
            "and every vote's declared rules, full counts and ties."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            from pathlib import Path

            from sortition.files import PRIVATE, write_atomic

            try:
                text = agenda_report(self.db, self.assembly_app.timezone)
                write_atomic(Path(values["path"]), text, mode=PRIVATE)  # proposers' names
            except OSError as error:
                self.refuse(AgendaError(f"Could not write {values['path']}: {error.strerror}."))
                return
            self.notify(f"Wrote {values['path']}.")

        self.ask(FormDialog("Export the agenda-setting report", fields, help_text), save)

    # --- votes ---------------------------------------------------------------------------

    def action_open_vote(self) -> None:
        open_topics = topics.list_topics(self.db)
        fields = [
            FormField("title", "Name of the vote", placeholder="e.g. Session 2 priorities"),
            FormField(
                "method",
                "Method (declared now, fixed once anyone votes)",
                kind="select",
                options=tuple((text, key) for key, text in voting.METHODS.items()),
            ),
            FormField(
                "tie_rule",
                "Tie rule (declared now)",
                kind="select",
                options=tuple((text.capitalize(), key) for key, text in voting.TIE_RULES.items()),
            ),
            FormField("dots", "Dots per person (dot voting only)", placeholder="e.g. 3"),
            FormField(
                "topics",
                "Topics (numbers; blank for all open topics)",
                placeholder=" ".join(str(t.id) for t in open_topics[:12]),
            ),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                chosen = _numbers(values["topics"], "Topics") or None
                round_id = rounds.open_round(
                    self.db,
                    self.clock,
                    method=values["method"],
                    tie_rule=values["tie_rule"],
                    title=values["title"],
                    topic_ids=chosen,
                    dots_per_voter=_optional_whole(values["dots"], "Dots"),
                    rng=self.rng,
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds(select=round_id)
            self.notify(f"Vote {round_id} is open. {rounds.get_round(self.db, round_id).declared}")

        self.ask(FormDialog("Open a prioritisation vote", fields), save)

    def _round_or_say(self) -> rounds.Round | None:
        round_id = self.current_round_id()
        if round_id is None:
            self.notify("Open a vote first (o).", severity="warning")
            return None
        return rounds.get_round(self.db, round_id)

    def action_record_ballot(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method == "pairwise":
            self.action_which_matters()
            return
        label = {
            "dot": f"Dots per topic, e.g. 3=2 5=1 (up to {current.dots_per_voter} in all)",
            "approval": "Ticked topics (numbers)",
        }.get(current.method, RANKED_BALLOT_LABEL)
        fields = [
            FormField("marks", label),
            FormField("voter", "Member or paper (optional)", placeholder="e.g. paper 12"),
        ]
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        help_text = "Topics: " + "; ".join(f"{t} {titles[t]}" for t in current.topic_ids)

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                if current.method == "dot":
                    ballot: dict[int, int] | list[int] = _dots(values["marks"], "Ballot")
                else:
                    ballot = _numbers(values["marks"], "Ballot")
                rounds.record_ballot(
                    self.db,
                    self.clock,
                    current.id,
                    ballot,
                    voter=values["voter"] or None,
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds()
            self.notify("Ballot saved.")

        self.ask(FormDialog(f"Ballot for vote {current.id}", fields, help_text), save)

    def action_record_tally(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method not in voting.TALLY_METHODS:
            self.refuse(
                AgendaError(
                    f"Vote {current.id} uses {current.method}: paper totals only work for dot or "
                    "approval votes. Type in each ballot with b."
                )
            )
            return
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        unit = "dots" if current.method == "dot" else "ticks"
        fields = [FormField("papers", "Number of paper sheets counted")] + [
            FormField(f"t{t}", f"{t}. {titles[t]} — {unit}", value="0") for t in current.topic_ids
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                papers = _whole(values["papers"], "Papers")
                totals = {
                    t: _whole(values[f"t{t}"] or "0", f"{titles[t]}") for t in current.topic_ids
                }
                rounds.record_tally(self.db, self.clock, current.id, totals, papers=papers)
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds()
            self.notify("Tally saved.")

        self.ask(FormDialog(f"Paper tally for vote {current.id}", fields), save)

    def action_which_matters(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method != "pairwise":
            self.refuse(AgendaError(f"Vote {current.id} is not a 'Which matters more?' vote."))
            return
        if current.status != "open":
            self.refuse(AgendaError(f"Vote {current.id} is closed."))
            return

        def done(answered: int | None) -> None:
            self.refresh_rounds()
            if answered:
                self.notify(f"{answered} answers saved.")

        self.app.push_screen(PairwiseDialog(current.id, self.rng), done)

    def action_void_ballot(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        last = rounds.last_ballot(self.db, current.id)
        if last is None:
            self.notify("This vote has no ballots to void.", severity="warning")
            return
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        help_text = (
            f"Last entry: {last.describe(titles, current.method)}. It stays in the file, marked "
            "void with your reason, and no longer counts."
        )
        fields = [FormField("reason", "Why is it void?", placeholder="e.g. typed in twice")]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                rounds.void_ballot(
                    self.db, self.clock, current.id, last.id, reason=values["reason"]
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds()
            self.notify("Ballot voided; the count is updated.")

        self.ask(FormDialog("Void the last ballot", fields, help_text), save)

    def action_close_vote(self) -> None:
        current = self._round_or_say()
        if current is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                rounds.close_round(self.db, self.clock, current.id)
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds()
            self.notify(f"Vote {current.id} closed; its result is kept in the file.")

        self.app.push_screen(
            ConfirmDialog(
                "Close this vote?",
                f"Close vote {current.id} ({current.title}) with {current.ballots} ballots? "
                "No more ballots can be added, and the result is kept with the vote.",
            ),
            answer,
        )

    # --- agenda --------------------------------------------------------------------------

    def action_build_agenda(self) -> None:
        every_round = rounds.list_rounds(self.db)
        if not every_round:
            self.refuse(AgendaError("There is no vote to build from: open and run one first."))
            return
        sessions = ab.sessions_available(self.db)
        session_options = tuple((f"{s[1]} ({s[2] or '?'} min)", str(s[0])) for s in sessions)
        default_minutes = next((s[2] for s in sessions if s[2]), 240)
        fields = [
            FormField(
                "round",
                "Ranking from vote",
                kind="select",
                options=tuple(
                    (f"{r.id}. {r.title} ({r.status})", str(r.id)) for r in reversed(every_round)
                ),
            ),
            FormField(
                "session",
                "For session",
                kind="select",
                options=(*session_options, ("Not yet chosen", "none")),
            ),
            FormField("minutes", "Session length (minutes)", value=str(default_minutes)),
            FormField("break_every", "Longest stretch without a break (minutes)", value="90"),
            FormField(
                "evidence", "Evidence slot before each topic (minutes, 0 for none)", value="15"
            ),
            FormField("witnesses", "Top topics that get a witness slot (30 min)", value="1"),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                settings = ab.AgendaSettings(
                    session_minutes=_whole(values["minutes"], "Session length"),
                    work_between_breaks=_whole(values["break_every"], "Break"),
                    evidence_minutes=_whole(values["evidence"], "Evidence"),
                    witness_topics=_whole(values["witnesses"], "Witnesses"),
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
                f"Agenda {self.proposal_id} proposed."
                + (f" Not enough time for: {left}." if left else "")
            )

        self.ask(FormDialog("Build a timed agenda", fields), save)

    def _move(self, delta: int) -> None:
        """Move the highlighted item (with its topic's evidence or witness slot) up or down."""
        if self.proposal_id is None:
            return
        table = self.query_one("#agenda", DataTable)
        if not table.row_count:
            return
        try:
            moved_to = ab.move_block(self.db, self.proposal_id, table.cursor_row + 1, delta)
        except AgendaError as error:
            self.refuse(error)
            return
        self.refresh_agenda()
        table.move_cursor(row=moved_to - 1)

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_make_final(self) -> None:
        if self.proposal_id is None:
            self.refuse(AgendaError("Build an agenda first (g)."))
            return
        proposal = ab.get_proposal(self.db, self.proposal_id)
        sessions = ab.sessions_available(self.db)
        if proposal.session_id is None and not sessions:
            done = ab.session_count(self.db)
            self.refuse(
                AgendaError(
                    f"All {done} sessions in this file have finished, and an agenda is made final "
                    "for a session still to come. Plan one in Facilitator mode (c), then press f "
                    "again."
                    if done
                    else "There are no sessions in this file yet; add one first."
                )
            )
            return
        if proposal.session_id is not None:
            self._finalise(proposal.session_id)
            return
        fields = [
            FormField(
                "session",
                "This agenda is for",
                kind="select",
                options=tuple((s[1], str(s[0])) for s in sessions),
            )
        ]
        self.ask(
            FormDialog("Make the agenda final", fields),
            lambda values: self._finalise(int(values["session"])) if values else None,
        )

    def _finalise(self, session_id: int) -> None:
        assert self.proposal_id is not None
        try:
            ab.finalise_proposal(self.db, self.clock, self.proposal_id, session_id)
        except AgendaError as error:
            self.refuse(error)
            return
        self.refresh_agenda()
        self.notify("The agenda is final: it is now the session's agenda.")
