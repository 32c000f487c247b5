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
from assembly.core.money import whole_money
from assembly.ui.screens.base import ModeScreen


class ProjectorScreen(ModeScreen):
    PURPOSE = "Results for the room: the funded projects and the money spent. Esc back."
    MODE_LABEL = "Budgets — results for the room"
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
            f"{result.round.title}: {len(funded)} projects funded "
            f"({result.ballots:,} ballots, {result.rule['name']})"
        )
        self.query_one("#spent", Digits).update(
            whole_money(result.final_spent_pence, currency).replace(",", "")
        )
        budget, spent = result.round.budget_pence, result.final_spent_pence
        balance = (
            f"{whole_money(budget - spent, currency)} left"
            if spent <= budget
            else f"{whole_money(spent - budget, currency)} over, paid from elsewhere"
        )
        self.query_one("#spent-words", Static).update(
            f"spent of {whole_money(budget, currency)} · {balance}"
        )
        table = self.query_one("#funded", DataTable)
        table.add_columns("Funded project", "Cost", "Votes")
        for row in funded:
            title = row.title + (" (by override)" if row.override is not None else "")
            votes = "—" if row.votes is None else f"{row.votes:,}"
            table.add_row(title, whole_money(row.cost_pence, currency), votes)
        unfunded = [row for row in result.overridden if not row.final]
        notes = [
            f"Not funded by override: {row.title} ({row.override.reason})"
            for row in unfunded
            if row.override
        ]
        self.query_one("#projector-notes", Static).update("\n".join(notes))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
