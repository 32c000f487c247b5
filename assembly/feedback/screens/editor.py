"""The feedback log for council officers and organisers: record responses, progress, milestones
and evidence, and add items. Every save is a new hash-chained entry (nothing is ever edited), so
the form asks who is recording and, for a refusal, why.

This screen writes, so it lives outside Scrutiny (which is read-only); the organiser's home opens
it. Writes go through `feedback.writes` over the app's normal read-write connection.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from assembly.core.clock import local
from assembly.core.i18n import N_, Number, _
from assembly.feedback import queries, scrutiny, writes
from assembly.feedback.entries import STATUS_LABELS, Entry, FeedbackError, Item
from assembly.feedback.schema import ITEM_STATUSES
from assembly.feedback.screens.scrutiny import ITEM_COLUMNS, item_cells
from assembly.store import StoreError
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.screens.base import ModeScreen

KEYS_HINT = N_("Ctrl+S saves · Escape cancels · Tab moves to the next field")
ACTOR_LABEL = N_("Who is recording this (kept in the log)")


class _FeedbackForm(FormDialog):
    """The feedback log's forms know their fields by bare name (#actor, #status), and open in
    "who is recording" while it is blank, else in the field after it."""

    FIELD_ID = "{name}"

    def __init__(self, title: str, fields: list[FormField], actor: str) -> None:
        start = fields[1].name if actor.strip() and len(fields) > 1 else fields[0].name
        super().__init__(title, fields, _(KEYS_HINT), start_in=start)


class RecordResponseDialog(_FeedbackForm):
    """Record a response or progress on one item. Only what you change is recorded."""

    def __init__(self, item: Item, actor: str) -> None:
        self.item = item
        fields = [
            FormField("actor", _(ACTOR_LABEL), value=actor),
            FormField(
                "status",
                _("Status"),
                kind="select",
                value=item.status,
                options=tuple((_(STATUS_LABELS[s]), s) for s in ITEM_STATUSES),
            ),
            FormField("reason", _("Why (required for 'Not accepted'; shown to the public)")),
            FormField("progress", _("Progress % (0-100)"), value=str(item.progress)),
            FormField("response", _("Public response text"), kind="lines", value=item.response),
            FormField("body", _("Responsible body"), value=item.responsible_body or ""),
            FormField("due", _("Response due (YYYY-MM-DD)"), value=item.due or ""),
            FormField(
                "milestone-date",  # not words
                _("New milestone: date (YYYY-MM-DD) and what happens"),
                placeholder="2027-03-01",
            ),
            FormField(
                "milestone-text",  # not words
                "",
                placeholder=_("e.g. First car-free Saturday"),
                beside=True,
            ),
            FormField(
                "evidence-url",  # not words
                _("New evidence: link and label"),
                placeholder="https://…",
            ),
            FormField(
                "evidence-label",  # not words
                "",
                placeholder=_("e.g. Cabinet minutes"),
                beside=True,
            ),
        ]
        super().__init__(
            _("Record a change to #%(id)s: %(title)s", id=item.id, title=item.title),
            fields,
            actor,
        )

    def accept(self, values: dict) -> Entry:
        app = self.app
        milestone = None
        if values["milestone-date"] or values["milestone-text"]:
            milestone = (values["milestone-date"], values["milestone-text"])
        progress = values["progress"].removesuffix("%").strip()
        evidence = None
        if values["evidence-url"]:
            evidence = (values["evidence-url"], values["evidence-label"])
        return writes.record(
            app.assembly.db(),
            self.item.id,
            actor=values["actor"],
            clock=app.clock,
            reason=values["reason"],
            status=str(values["status"]),
            # left as it was, progress is not a change (so "Done" can complete it)
            progress=None if progress == str(self.item.progress) else progress or None,
            response=values["response"],
            responsible_body=values["body"] or None,
            due=values["due"] or None,
            milestone=milestone,
            evidence=evidence,
        )


class NewItemDialog(_FeedbackForm):
    """Start tracking an idea or recommendation that is not in the log yet."""

    def __init__(self, actor: str) -> None:
        fields = [
            FormField("actor", _(ACTOR_LABEL), value=actor),
            FormField("title", _("Title (what residents asked for, in a line)")),
            FormField("description", _("Description"), kind="lines"),
            FormField(
                "source-kind",  # not words
                _("It is a…"),
                kind="select",
                value="recommendation",
                options=(
                    (_("Recommendation"), "recommendation"),
                    (_("Idea"), "idea"),
                    (_("Other"), "other"),
                ),
            ),
            FormField(
                "source-id",  # not words
                _("Its number in the assembly's records (optional)"),
                kind="integer",
            ),
            FormField("body", _("Responsible body")),
            FormField("due", _("Response due (YYYY-MM-DD)")),
        ]
        super().__init__(_("Add an item to the feedback log"), fields, actor)

    def accept(self, values: dict) -> int:
        app = self.app
        source_id = values["source-id"]
        return writes.track(
            app.assembly.db(),
            title=values["title"],
            description=values["description"],
            source_kind=str(values["source-kind"]),
            source_id=int(source_id) if source_id else None,
            actor=values["actor"],
            clock=app.clock,
            responsible_body=values["body"] or None,
            due=values["due"] or None,
        )


class ActorDialog(_FeedbackForm):
    """Asks who is recording a bulk change before it is made."""

    def __init__(self, title: str, actor: str) -> None:
        super().__init__(title, [FormField("actor", _(ACTOR_LABEL), value=actor)], actor)

    def accept(self, values: dict) -> str:
        if not values["actor"]:
            raise FeedbackError(_("say who is recording this."))
        return values["actor"]


class FeedbackLogScreen(ModeScreen):
    PURPOSE = N_(
        "Feedback log: record the council's responses. R or Enter records a change to the "
        "highlighted item, N adds an item, A adds the sessions' ideas, / searches, Escape goes "
        "back. Nothing is ever overwritten: each save is a new entry."
    )
    MODE_LABEL = N_("Feedback log (responses)")
    BINDINGS = [
        Binding("r", "respond", "Respond"),
        Binding("n", "new_item", "New item"),
        Binding("a", "track_ideas", "Add ideas"),
        Binding("slash", "search", "Search"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    FeedbackLogScreen #log-search { margin: 0 1; }
    FeedbackLogScreen #log-items { height: 1fr; }
    FeedbackLogScreen #log-count { padding: 0 1; color: $text-muted; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.actor = ""
        self.text = ""

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=_("Search titles and responses (/)"), id="log-search")
        yield Static(id="log-count", markup=False)
        yield DataTable(id="log-items", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#log-items", DataTable)
        table.add_columns(*(_(title) for title in ITEM_COLUMNS), _("Entries"))
        self.refresh_items()
        table.focus()

    def refresh_items(self, keep: int | None = None) -> None:
        app = self.assembly_app
        today = local(app.clock.now(), app.timezone).date()
        found, total = scrutiny.find_items(
            app.assembly.db(), scrutiny.ItemFilter(text=self.text), today, limit=300
        )
        table = self.query_one("#log-items", DataTable)
        table.clear()
        for item in found:
            table.add_row(*item_cells(item, today), str(item.entry_count), key=str(item.id))
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self.query_one("#log-count", Static).update(
            _("%(shown)s of %(total)s items", shown=Number(len(found)), total=Number(total))
            if total > len(found)
            else _("%(total)s items", total=Number(total))
        )

    def _writable(self) -> bool:
        if self.assembly_app.read_only:
            self.notify(
                _("This file is open for review only; responses cannot be recorded."),
                title=_("Review only"),
                severity="warning",
            )
            return False
        return True

    def _current_item(self) -> Item | None:
        table = self.query_one("#log-items", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return queries.get_item(self.db, int(str(key.value)))

    def action_respond(self) -> None:
        item = self._current_item()
        if item is None:
            self.notify(_("No item is highlighted. Press N to add one."))
            return
        if not self._writable():
            return

        def done(entry: object) -> None:
            if isinstance(entry, Entry):
                self.actor = entry.actor
                self.notify(
                    _("Recorded entry %(seq)s for #%(id)s.", seq=entry.seq, id=item.id),
                    title=_("Saved"),
                )
                self.refresh_items(keep=item.id)

        self.app.push_screen(RecordResponseDialog(item, self.actor), done)

    @on(DataTable.RowSelected, "#log-items")
    def row_chosen(self) -> None:
        self.action_respond()

    def action_new_item(self) -> None:
        if not self._writable():
            return

        def done(item_id: object) -> None:
            if isinstance(item_id, int):
                self.notify(_("Now tracking item #%(id)s.", id=item_id), title=_("Saved"))
                self.refresh_items(keep=item_id)

        self.app.push_screen(NewItemDialog(self.actor), done)

    def action_track_ideas(self) -> None:
        """Track every idea from the sessions not yet in the log (asks who is recording)."""
        if not self._writable():
            return
        count = len(queries.untracked_ideas(self.db))
        if count == 0:
            self.notify(_("Every idea from the sessions is already in the log."))
            return

        def done(actor: object) -> None:
            if not isinstance(actor, str):
                return
            try:
                new = writes.track_ideas(self.db, actor=actor, clock=self.clock)
            except (FeedbackError, StoreError) as error:
                self.assembly_app.report(error)
                return
            self.actor = actor
            self.notify(
                _("Now tracking %(ideas)s ideas from the sessions.", ideas=len(new)),
                title=_("Saved"),
            )
            self.refresh_items()

        title = _("Add %(ideas)s ideas from the sessions", ideas=count)
        self.app.push_screen(ActorDialog(title, self.actor), done)

    def action_search(self) -> None:
        self.query_one("#log-search", Input).focus()

    @on(Input.Changed, "#log-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.refresh_items()

    @on(Input.Submitted, "#log-search")
    def search_done(self) -> None:
        self.query_one("#log-items", DataTable).focus()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
