"""Scrutiny mode's home, opened over a read-only connection."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from assembly.domain.overview import overview
from assembly.ui.screens.base import ModeScreen


class ScrutinyScreen(ModeScreen):
    PURPOSE = "Scrutiny: review how the assembly's ideas were taken forward. Nothing here can change the file."
    MODE_LABEL = "Scrutiny (read-only)"

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary", classes="section-title")

    def on_mount(self) -> None:
        super().on_mount()
        info = overview(self.assembly_app.review.db())
        self.query_one("#summary", Static).update(f"{info.name}\n\n{info.description}")
