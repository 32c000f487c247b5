"""Facilitator mode's home: the panel members who take part in sessions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.ui.screens.base import ModeScreen


class FacilitatorScreen(ModeScreen):
    PURPOSE = "Facilitator: the panel members taking part. F2 Organiser, F4 Scrutiny, Ctrl+P all commands."
    MODE_LABEL = "Facilitator"

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary", classes="section-title")
        yield DataTable(id="members", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        db = self.assembly_app.assembly.db()
        rows = list(
            db.query(
                "select m.number, r.name, m.status from members m "
                "join respondents r on r.id = m.respondent_id order by m.number"
            )
        )
        self.query_one("#summary", Static).update(
            f"{len(rows)} panel members"
            if rows
            else "No panel yet: draw one in Organiser mode (F2)."
        )
        table = self.query_one("#members", DataTable)
        table.add_columns("No.", "Name", "Status")
        for row in rows:
            table.add_row(str(row["number"]), row["name"] or "(name removed)", row["status"])
