"""One item's full story in Scrutiny: what was asked, where it stands, and every entry of its
history in order (who, when, what changed and why). Read-only, like all of Scrutiny."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from assembly.core.clock import local, show
from assembly.feedback import scrutiny
from assembly.feedback.queries import get_item, timeline
from assembly.ui.screens.base import ModeScreen

FIXED_COLUMNS = (("Entry", 5), ("When", 22), ("Who", 16))
WHY_WIDTH = 20


def timeline_columns(screen_width: int) -> list[tuple[str, int]]:
    """Column widths for a screen this wide. 'What' takes the room the fixed columns leave
    (each column has two cells of padding, the scrollbar two), so it wraps at a word on screen
    instead of running off the edge mid-word; 'Why' follows, whole at 120 columns and
    scrolled to at 80."""
    room = screen_width - 4 - sum(width + 2 for _, width in FIXED_COLUMNS)
    what = room - WHY_WIDTH - 4 if room - WHY_WIDTH - 4 >= 30 else max(20, room - 2)
    return [*FIXED_COLUMNS, ("What", min(what, 60)), ("Why", WHY_WIDTH)]


class ItemTimelineScreen(ModeScreen):
    PURPOSE = "An item's full timeline, oldest first. Escape goes back to the list."
    MODE_LABEL = "Scrutiny (read-only) · item timeline"
    BINDINGS = [Binding("escape", "back", "Back")]
    DEFAULT_CSS = """
    ItemTimelineScreen #item-details { height: auto; max-height: 16; padding: 0 1; }
    ItemTimelineScreen #timeline { height: 1fr; }
    """

    def __init__(self, item_id: int) -> None:
        super().__init__()
        self.item_id = item_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="item-details"):
            yield Static(id="item-text", markup=False)
        yield DataTable(id="timeline", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        app = self.assembly_app
        db = app.review.db()
        item = get_item(db, self.item_id)
        today = local(app.clock.now(), app.timezone).date()
        lines = [
            f"#{item.id} {item.title}",
            f"From: {item.source_kind}"
            + (f" {item.source_id}" if item.source_id is not None else "")
            + f" · Responsible: {item.responsible_body or scrutiny.NO_BODY}"
            + f" · Response due: {item.due or '—'}",
            f"Status: {scrutiny.status_word(item, today)} · Progress: {item.progress}%",
        ]
        if item.description:
            lines.append(f"You said: {item.description}")
        lines.append(f"We did: {item.response or '(no public response yet)'}")
        if item.status_reason:
            lines.append(f"Why: {item.status_reason}")
        for m in item.milestones:
            lines.append(f"Milestone {m.date}: {m.text}")
        for e in item.evidence:
            lines.append(f"Evidence: {e.label + ' ' if e.label else ''}<{e.url}>")
        self.query_one("#item-text", Static).update("\n".join(lines))
        table = self.query_one("#timeline", DataTable)
        for label, width in timeline_columns(self.app.size.width):
            table.add_column(label, width=width)
        for entry in timeline(db, self.item_id):
            table.add_row(
                str(entry.seq),
                show(entry.recorded_at, app.timezone),
                entry.actor,
                entry.describe(),
                entry.reason or "—",
                height=None,  # long changes and reasons wrap rather than vanish off screen
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
