"""The Votes tab: prioritisation votes with their method and tie rule declared when they
open, ballots and paper tallies typed in, "Which matters more?" pairs, void ballots with a
reason, and each vote's full result beside the list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from assembly.agenda import rounds, topics, voting
from assembly.agenda.errors import AgendaError
from assembly.agenda.screens.pairwise import PairwiseDialog
from assembly.agenda.screens.tab import AgendaScreenTab
from assembly.agenda.screens.typed import dots, numbers, optional_whole, whole
from assembly.core.i18n import N_, Number, _, ngettext, pgettext
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog

RANKED_BALLOT_LABEL = N_(
    "Topic numbers in the voter's order: the one marked 1 first, then 2, … "
    "(e.g. 3 1 2: topic 3 marked 1)"
)
"""The ballot paper asks for 1 beside the topic that matters most; this says how to type it."""


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"


class VotesTab(AgendaScreenTab):
    def __init__(self) -> None:
        super().__init__(_("Votes"), id="votes-tab")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="rounds", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="result-side"):
                yield Static("", id="declared", classes="note")
                # the ranking first: under the chart it was off an 80x24 screen
                yield DataTable(id="counts", zebra_stripes=True)
                yield Static("", id="results", markup=False)

    def on_mount(self) -> None:
        # state and ballots before the method, so they show when the list is narrow
        self.query_one("#rounds", DataTable).add_columns(
            pgettext("one vote held", "Vote"), _("State"), _("Ballots"), _("Method")
        )
        self.refresh_rounds()

    # --- the list and the result ---------------------------------------------------------

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
            state = _("● open") if r.status == "open" else _("■ closed")
            title = r.title if len(r.title) <= 24 else r.title[:23] + "…"
            table.add_row(f"{r.id}. {title}", state, str(r.ballots), r.method, key=str(r.id))
        if every_round:
            ids = [r.id for r in every_round]
            table.move_cursor(row=ids.index(keep) if keep in ids else len(ids) - 1)
        self.show_result()

    @on(DataTable.RowHighlighted, "#rounds")
    def _round_highlighted(self) -> None:
        self.show_result()

    def _chart_size(self) -> dict[str, int]:
        """Label and bar widths that keep each bar and its number on one line of the results
        pane (at 80 columns the number wrapped onto a line of its own)."""
        room = self.query_one("#result-side").content_region.width - 2
        if room < 40:  # not laid out yet, or very narrow
            room = 60 if room < 0 else 40
        label_width = min(30, room // 2)
        return {"label_width": label_width, "width": max(6, min(16, room - label_width - 12))}

    def show_result(self) -> None:
        round_id = self.current_round_id()
        declared = self.query_one("#declared", Static)
        results = self.query_one("#results", Static)
        counts = self.query_one("#counts", DataTable)
        counts.clear(columns=True)
        if round_id is None:
            declared.update(_("No votes yet: press o to open one (you declare the method first)."))
            results.update("")
            return
        current = rounds.get_round(self.db, round_id)
        state = _("● open") if current.status == "open" else _("■ closed")
        heading = _(
            "Vote %(id)s (%(state)s): %(question)s",
            id=current.id,
            state=state,
            question=rounds.question_shown(current.question),
        )
        declared.update(f"{heading}\n{current.declared}")
        result = rounds.round_result(self.db, round_id)
        n = result.ballots
        lines = [
            ngettext("%(num)s answer counted.", "%(num)s answers counted.", n, num=Number(n))
            if result.method == "pairwise"
            else ngettext("%(num)s ballot counted.", "%(num)s ballots counted.", n, num=Number(n)),
            *rounds.result_lines(self.db, result, **self._chart_size()),
        ]
        if result.method == "pairwise":
            lines.append(
                _(
                    "%(count)s 'can't decide' (not scored). %(how_scored)s",
                    count=result.extra["skipped"],
                    how_scored=result.extra["how_scored"],
                )
            )
        results.update("\n".join(lines))
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        columns = rounds.count_columns(result)
        # The titles' width is set, not measured: rows Textual drew before it widened an
        # auto-width column stayed cut ("Cheap" for a whole title) when another vote was chosen.
        shown = [titles.get(s.option, str(s.option)) for s in result.standings]
        topic = _("Topic")
        counts.add_column(_("Rank"))
        counts.add_column(topic, width=max(len(topic), *map(len, shown)))
        counts.add_columns(*(voting.count_name(c) for c in columns))
        for s in result.standings:
            rank = voting.rank_label(s, result.standings)
            cells = [_number(s.counts.get(c, 0)) for c in columns]
            counts.add_row(rank, titles.get(s.option, str(s.option)), *cells)

    # --- the keys ------------------------------------------------------------------------

    def open_vote(self) -> None:
        open_topics = topics.list_topics(self.db)
        fields = [
            FormField("title", _("Name of the vote"), placeholder=_("e.g. Session 2 priorities")),
            FormField(
                "method",
                _("Method (declared now, fixed once anyone votes)"),
                kind="select",
                options=tuple((_(text), key) for key, text in voting.METHODS.items()),
            ),
            FormField(
                "tie_rule",
                _("Tie rule (declared now)"),
                kind="select",
                options=tuple(
                    (_(text).capitalize(), key) for key, text in voting.TIE_RULES.items()
                ),
            ),
            FormField("dots", _("Dots per person (dot voting only)"), placeholder=_("e.g. 3")),
            FormField(
                "topics",
                _("Topics (numbers; blank for all open topics)"),
                placeholder=" ".join(str(t.id) for t in open_topics[:12]),
            ),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                chosen = numbers(values["topics"], _("Topics")) or None
                round_id = rounds.open_round(
                    self.db,
                    self.clock,
                    method=values["method"],
                    tie_rule=values["tie_rule"],
                    title=values["title"],
                    topic_ids=chosen,
                    dots_per_voter=optional_whole(values["dots"], _("Dots")),
                    rng=self.host.rng,
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds(select=round_id)
            self.notify(
                _(
                    "Vote %(id)s is open. %(declared)s",
                    id=round_id,
                    declared=rounds.get_round(self.db, round_id).declared,
                )
            )

        self.ask(FormDialog(_("Open a prioritisation vote"), fields), save)

    def _round_or_say(self) -> rounds.Round | None:
        round_id = self.current_round_id()
        if round_id is None:
            self.notify(_("Open a vote first (o)."), severity="warning")
            return None
        return rounds.get_round(self.db, round_id)

    def record_ballot(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method == "pairwise":
            self.which_matters()
            return
        label = {
            "dot": _(
                "Dots per topic, e.g. 3=2 5=1 (up to %(dots)s in all)",
                dots=current.dots_per_voter,
            ),
            "approval": _("Ticked topics (numbers)"),
        }.get(current.method, _(RANKED_BALLOT_LABEL))
        fields = [
            FormField("marks", label),
            FormField("voter", _("Member or paper (optional)"), placeholder=_("e.g. paper 12")),
        ]
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        listed = "; ".join(f"{t} {titles[t]}" for t in current.topic_ids)
        help_text = _("Topics: %(topics)s", topics=listed)

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                if current.method == "dot":
                    ballot: dict[int, int] | list[int] = dots(values["marks"], _("Ballot"))
                else:
                    ballot = numbers(values["marks"], _("Ballot"))
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
            self.notify(_("Ballot saved."))

        self.ask(FormDialog(_("Ballot for vote %(id)s", id=current.id), fields, help_text), save)

    def record_tally(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method not in voting.TALLY_METHODS:
            self.refuse(
                AgendaError(
                    _(
                        "Vote %(id)s uses %(method)s: paper totals only work for dot or "
                        "approval votes. Type in each ballot with b.",
                        id=current.id,
                        method=current.method,
                    )
                )
            )
            return
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        unit = (
            N_("%(number)s. %(topic)s — dots")
            if current.method == "dot"
            else N_("%(number)s. %(topic)s — ticks")
        )
        fields = [FormField("papers", _("Number of paper sheets counted"))] + [
            FormField(f"t{t}", _(unit, number=t, topic=titles[t]), value="0")
            for t in current.topic_ids
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                papers = whole(values["papers"], _("Papers"))
                totals = {
                    t: whole(values[f"t{t}"] or "0", f"{titles[t]}") for t in current.topic_ids
                }
                rounds.record_tally(self.db, self.clock, current.id, totals, papers=papers)
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_rounds()
            self.notify(_("Tally saved."))

        self.ask(FormDialog(_("Paper tally for vote %(id)s", id=current.id), fields), save)

    def which_matters(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        if current.method != "pairwise":
            self.refuse(
                AgendaError(_("Vote %(id)s is not a 'Which matters more?' vote.", id=current.id))
            )
            return
        if current.status != "open":
            self.refuse(AgendaError(_("Vote %(id)s is closed.", id=current.id)))
            return

        def done(answered: int | None) -> None:
            self.refresh_rounds()
            if answered:
                self.notify(_("%(count)s answers saved.", count=answered))

        self.app.push_screen(PairwiseDialog(current.id, self.host.rng), done)

    def void_ballot(self) -> None:
        current = self._round_or_say()
        if current is None:
            return
        last = rounds.last_ballot(self.db, current.id)
        if last is None:
            self.notify(_("This vote has no ballots to void."), severity="warning")
            return
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        help_text = _(
            "Last entry: %(entry)s. It stays in the file, marked "
            "void with your reason, and no longer counts.",
            entry=last.describe(titles, current.method),
        )
        fields = [FormField("reason", _("Why is it void?"), placeholder=_("e.g. typed in twice"))]

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
            self.notify(_("Ballot voided; the count is updated."))

        self.ask(FormDialog(_("Void the last ballot"), fields, help_text), save)

    def close_vote(self) -> None:
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
            self.notify(_("Vote %(id)s closed; its result is kept in the file.", id=current.id))

        self.app.push_screen(
            ConfirmDialog(
                _("Close this vote?"),
                ngettext(
                    "Close vote %(id)s (%(title)s) with %(num)s ballot? "
                    "No more ballots can be added, and the result is kept with the vote.",
                    "Close vote %(id)s (%(title)s) with %(num)s ballots? "
                    "No more ballots can be added, and the result is kept with the vote.",
                    current.ballots,
                    id=current.id,
                    title=current.title,
                    num=Number(current.ballots),
                ),
            ),
            answer,
        )
