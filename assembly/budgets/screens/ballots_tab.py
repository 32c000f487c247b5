"""The Ballots tab: how many ballots count, and paper ballots typed in twice.

A paper ballot counts only once two different people have typed it in and their entries agree
(`assembly.budgets.ballots.enter_paper`). Papers typed once wait for a second person; papers
whose entries differ are listed with each person's reading, until a further entry agrees with
one of them.
"""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.budgets import ballots, rounds
from assembly.budgets.errors import BudgetError
from assembly.budgets.screens.papers import counted_papers
from assembly.budgets.screens.tab import BudgetsTab
from assembly.core.i18n import N_, Number, _
from assembly.ui.dialogs.agenda_form import FormDialog, FormField

SOURCE_WORDS = {
    "typed": N_("%(count)s typed in"),
    "paper": N_("%(count)s on paper"),
    "import": N_("%(count)s imported"),
}


def _in_order(ref: str) -> tuple[int, str]:
    return (int(ref), "") if ref.isdigit() else (1 << 62, ref)


def marks_text(marks: ballots.Marks, ballot_form: str) -> str:
    """A ballot's marks as they are typed, projects in number order: '1, 3, 12' or
    '1=40, 2=60'."""
    refs = sorted(marks, key=_in_order)
    if ballot_form == "points":
        return ", ".join(f"{ref}={marks[ref]}" for ref in refs)
    return ", ".join(refs)


def marks_help(current: rounds.Round) -> str:
    if current.ballot_form == "points":
        return _(
            "Project numbers and points as marked, e.g. 1=40, 3=60 (%(points)s points each)",
            points=current.points_per_voter,
        )
    return _("Project numbers ticked on the paper, e.g. 1, 3, 5")


class BallotsTab(BudgetsTab):
    def __init__(self) -> None:
        super().__init__(_("3 Ballots"), id="ballots-tab")

    def compose(self) -> ComposeResult:
        yield Static("", id="ballot-summary", classes="note", markup=False)
        yield DataTable(id="papers", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#papers", DataTable).add_columns(
            _("Paper"), _("State"), _("Who typed what")
        )

    def refresh_view(self) -> None:
        summary = self.query_one("#ballot-summary", Static)
        table = self.query_one("#papers", DataTable)
        table.clear()
        current = self.current_round()
        if current is None:
            summary.update(_("No round yet: declare one on the Round tab (1)."))
            return
        counting = ballots.current_ballots(self.db, current.id)
        sources = Counter(b.source for b in counting)
        waiting = ballots.papers_waiting(self.db, current.id)
        mismatches = ballots.paper_mismatches(self.db, current.id)
        counted = counted_papers(self.db, current.id)
        settled = sum(paper.settled_after_mismatch for paper in counted)
        by_source = ", ".join(
            _(SOURCE_WORDS[source], count=Number(n)) for source, n in sorted(sources.items())
        )
        state = {
            "setup": _("Voting has not opened yet (o on the Round tab)."),
            "voting": _("Voting is open: type in paper ballots with p."),
            "closed": _("Voting is closed: no more ballots are taken."),
        }[current.status]
        replaced = ballots.replaced_count(self.db, current.id)
        count_line = (
            _(
                "Round %(round)s: %(count)s ballots count (%(sources)s); "
                "%(replaced)s replaced by a later ballot.",
                round=current.id,
                count=Number(len(counting)),
                sources=by_source,
                replaced=replaced,
            )
            if by_source
            else _(
                "Round %(round)s: %(count)s ballots count; %(replaced)s replaced by a later ballot.",
                round=current.id,
                count=Number(len(counting)),
                replaced=replaced,
            )
        )
        lines = [
            count_line,
            state,
            _(
                "Paper ballots: %(counted)s count (%(settled)s settled by a further entry after "
                "two readings differed); %(waiting)s typed once, waiting for a second person; "
                "%(differ)s whose readings differ (type it in again to settle it).",
                counted=sources.get("paper", 0),
                settled=settled,
                waiting=len(waiting),
                differ=len(mismatches),
            ),
        ]
        summary.update("\n".join(lines))
        for mismatch in mismatches:
            readings = self._readings(mismatch.entries, current)
            table.add_row(mismatch.paper, _("✗ readings differ"), readings, key=mismatch.paper)
        for paper in waiting:
            table.add_row(paper, _("… typed once"), _("needs a second person"), key=paper)
        # those settled after their readings differed first: the ones worth a second look
        for paper_ in sorted(counted, key=lambda c: not c.settled_after_mismatch):
            state = _("✓ counts (settled)") if paper_.settled_after_mismatch else _("✓ counts")
            table.add_row(paper_.paper, state, self._readings(paper_.entries, current))

    @staticmethod
    def _readings(entries: tuple[ballots.PaperEntry, ...], current: rounds.Round) -> str:
        return " · ".join(
            f"{e.entered_by}: {marks_text(e.marks, current.ballot_form)}" for e in entries
        )

    # --- the keys ------------------------------------------------------------------------

    def enter_paper(self) -> None:
        current = self.round_or_say()
        if current is None:
            return
        if current.status != "voting":
            self.refuse(BudgetError(_("Voting in round %(round)s is not open.", round=current.id)))
            return
        table = self.query_one("#papers", DataTable)
        paper = ""
        if table.row_count:  # a paper still to settle is offered (counted ones have no key)
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            paper = "" if key is None else str(key)
        projects = [p for p in rounds.list_projects(self.db, current.id) if p.status == "feasible"]
        help_text = _(
            "On the ballot: %(projects)s",
            projects="; ".join(f"{p.ref} {p.title}" for p in projects),
        )
        fields = [
            FormField("paper", _("Paper ballot number (as written on it)"), value=paper),
            FormField("entered_by", _("Typed in by (your name)"), beside=True),
            FormField("marks", marks_help(current)),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                marks = ballots.parse_marks(values["marks"], current.ballot_form)
                result = ballots.enter_paper(
                    self.db,
                    current.id,
                    paper=values["paper"],
                    entered_by=values["entered_by"],
                    marks=marks,
                    clock=self.clock,
                )
            except BudgetError as error:
                self.refuse(error)
                return
            paper_no = values["paper"].strip()
            if result.state == "counted":
                self.notify(
                    _("Paper %(paper)s: the two readings agree; it counts.", paper=paper_no)
                )
            elif result.state == "waiting":
                self.notify(
                    _(
                        "Paper %(paper)s typed once: someone else must type it in too.",
                        paper=paper_no,
                    )
                )
            else:
                self.notify(
                    _(
                        "Paper %(paper)s: this reading differs from the earlier one. Check the "
                        "paper; a further entry that agrees with one reading resolves it.",
                        paper=paper_no,
                    ),
                    severity="warning",
                )
            self.refresh_view()

        self.ask(
            FormDialog(
                _("Type in a paper ballot (round %(round)s)", round=current.id), fields, help_text
            ),
            save,
        )
