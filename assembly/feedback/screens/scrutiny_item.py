"""One item's full story in Scrutiny: what was asked, where it stands, and every entry of its
history in order (who, when, what changed and why). Read-only, like all of Scrutiny."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from assembly.core.clock import local, show
from assembly.core.i18n import N_, _, working
from assembly.feedback import scrutiny
from assembly.feedback.queries import get_item, timeline
from assembly.feedback.reports import app_words
from assembly.ui.screens.base import ModeScreen

FIXED_COLUMNS = ((N_("Entry"), 5), (N_("When"), 22), (N_("Who"), 16))
SOURCE_KINDS = {"idea": N_("idea"), "recommendation": N_("recommendation"), "other": N_("other")}
WHY_WIDTH = 20


def timeline_columns(screen_width: int) -> list[tuple[str, int]]:
    """Column widths for a screen this wide. 'What' takes the room the fixed columns leave
    (each column has two cells of padding, the scrollbar two), so it wraps at a word on screen
    instead of running off the edge mid-word; 'Why' follows, whole at 120 columns and
    scrolled to at 80."""
    room = screen_width - 4 - sum(width + 2 for _title, width in FIXED_COLUMNS)
    what = room - WHY_WIDTH - 4 if room - WHY_WIDTH - 4 >= 30 else max(20, room - 2)
    return [*FIXED_COLUMNS, (N_("What"), min(what, 60)), (N_("Why"), WHY_WIDTH)]


class ItemTimelineScreen(ModeScreen):
    PURPOSE = N_("An item's full timeline, oldest first. Escape goes back to the list.")
    MODE_LABEL = N_("Scrutiny (read-only) · item timeline")
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
        source = {
            "kind": _(SOURCE_KINDS.get(item.source_kind, item.source_kind)),
            "number": item.source_id,
            "body": item.responsible_body or _(scrutiny.NO_BODY),
            "due": item.due or "—",
        }
        lines = [
            f"#{item.id} {item.title}",
            _(
                "From: %(kind)s %(number)s · Responsible: %(body)s · Response due: %(due)s",
                **source,
            )
            if item.source_id is not None
            else _("From: %(kind)s · Responsible: %(body)s · Response due: %(due)s", **source),
            _(
                "Status: %(status)s · Progress: %(progress)s%%",
                status=scrutiny.status_word(item, today),
                progress=item.progress,
            ),
        ]
        if item.description:
            said = app_words(item.description, working()) or item.description
            lines.append(_("You said: %(said)s", said=said))
        if item.response:
            lines.append(_("We did: %(did)s", did=item.response))
        else:
            lines.append(_("We did: (no public response yet)"))
        if item.status_reason:
            lines.append(_("Why: %(reason)s", reason=item.status_reason))
        for m in item.milestones:
            lines.append(_("Milestone %(date)s: %(text)s", date=m.date, text=m.text))
        for e in item.evidence:
            if e.label:
                lines.append(_("Evidence: %(label)s <%(url)s>", label=e.label, url=e.url))
            else:
                lines.append(_("Evidence: <%(url)s>", url=e.url))
        self.query_one("#item-text", Static).update("\n".join(lines))
        table = self.query_one("#timeline", DataTable)
        for label, width in timeline_columns(self.app.size.width):
            table.add_column(_(label), width=width)
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
