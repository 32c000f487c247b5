"""Organiser mode's home: what the pool looks like against the population it should reflect."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.domain.overview import overview, pool_counts
from assembly.ui.screens.base import ModeScreen


class OrganiserScreen(ModeScreen):
    PURPOSE = (
        "Organiser: the respondent pool against the population targets. "
        "F3 Facilitator, F4 Scrutiny, Ctrl+P all commands."
    )
    MODE_LABEL = "Organiser"

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary", classes="section-title")
        yield DataTable(id="pool-counts", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_data()

    def refresh_data(self) -> None:
        db = self.assembly_app.assembly.db()
        info = overview(db)
        members = sum(info.members_by_status.values())
        self.query_one("#summary", Static).update(
            f"{info.respondents:,} respondents in the pool · {members} panel members"
        )
        table = self.query_one("#pool-counts", DataTable)
        table.clear(columns=True)
        table.add_columns("Category", "Value", "Respondents", "Pool share", "Target share")
        labels = {f.name: f.label for f in info.features}
        for row in pool_counts(db):
            target = "—" if row.target_share is None else f"{row.target_share:.0%}"
            table.add_row(
                labels[row.feature], row.value, f"{row.count:,}", f"{row.share:.0%}", target
            )
