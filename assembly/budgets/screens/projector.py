"""The result for the room: what was funded, what each costs, its votes, and how much of the
budget is spent, large enough to read on a projector (and whole on an 80x24 terminal).

It shows the final outcome, after any override; an overridden project says so beside it, as
the published result does.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Digits, Static

from assembly.budgets import results
from assembly.core.i18n import N_, Number, _, working
from assembly.core.money import whole_money
from assembly.ui.screens.base import ModeScreen


class ProjectorScreen(ModeScreen):
    PURPOSE = N_("Results for the room: the funded projects and the money spent. Esc back.")
    MODE_LABEL = N_("Budgets — results for the room")
    BINDINGS: ClassVar = [Binding("escape", "back", "Back")]
    DEFAULT_CSS = """
    ProjectorScreen #projector-title { text-style: bold; padding: 0 1; height: auto; }
    ProjectorScreen #spent-line { height: 3; padding: 0 1; }
    ProjectorScreen #spent { width: auto; }
    ProjectorScreen #spent-words { width: 1fr; padding: 1 2; text-style: bold; }
    ProjectorScreen #funded { height: 1fr; }
    ProjectorScreen #funded > .datatable--header { text-style: bold; }
    ProjectorScreen #projector-notes { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, round_id: int) -> None:
        super().__init__()
        self.round_id = round_id

    def compose_body(self) -> ComposeResult:
        yield Static("", id="projector-title", markup=False)
        with Horizontal(id="spent-line"):
            yield Digits("", id="spent")
            yield Static("", id="spent-words", markup=False)
        yield DataTable(id="funded", zebra_stripes=True, cursor_type="none")
        yield Static("", id="projector-notes", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        result = results.published_result(self.db, self.round_id)
        currency = result.round.currency
        funded = [row for row in result.rows if row.final]
        self.query_one("#projector-title", Static).update(
            _(
                "%(title)s: %(funded)s projects funded (%(ballots)s ballots, %(rule)s)",
                title=result.round.title,
                funded=len(funded),
                ballots=Number(result.ballots),
                rule=result.rule["name"],
            )
        )
        self.query_one("#spent", Digits).update(
            whole_money(result.final_spent_pence, currency).replace(",", "")
        )
        budget, spent = result.round.budget_pence, result.final_spent_pence
        of = whole_money(budget, currency)
        words = (
            _(
                "spent of %(budget)s · %(left)s left",
                budget=of,
                left=whole_money(budget - spent, currency),
            )
            if spent <= budget
            else _(
                "spent of %(budget)s · %(over)s over, paid from elsewhere",
                budget=of,
                over=whole_money(spent - budget, currency),
            )
        )
        self.query_one("#spent-words", Static).update(words)
        table = self.query_one("#funded", DataTable)
        table.add_columns(_("Funded project"), _("Cost"), _("Votes"))
        for row in funded:
            title = (
                row.title if row.override is None else _("%(title)s (by override)", title=row.title)
            )
            votes = "—" if row.votes is None else working().number(row.votes)
            table.add_row(title, whole_money(row.cost_pence, currency), votes)
        unfunded = [row for row in result.overridden if not row.final]
        notes = [
            _(
                "Not funded by override: %(title)s (%(reason)s)",
                title=row.title,
                reason=row.override.reason,
            )
            for row in unfunded
            if row.override
        ]
        self.query_one("#projector-notes", Static).update("\n".join(notes))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
