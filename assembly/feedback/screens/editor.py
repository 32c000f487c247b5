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
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TextArea

from assembly.core.clock import local
from assembly.feedback import queries, scrutiny, writes
from assembly.feedback.entries import STATUS_LABELS, Entry, FeedbackError, Item
from assembly.feedback.schema import ITEM_STATUSES
from assembly.feedback.screens.scrutiny import ITEM_COLUMNS, item_cells
from assembly.store import StoreError
from assembly.ui.screens.base import ModeScreen

FORM_CSS = """
{cls} {{ align: center middle; background: $background 60%; }}
{cls} > VerticalScroll {{ width: 90; max-width: 95%; height: 90%; border: thick $primary;
    background: $surface; padding: 0 2; }}
{cls} Label {{ padding-top: 1; text-style: bold; }}
{cls} TextArea {{ height: 5; }}
{cls} .form-keys {{ color: $text-muted; }}
{cls} #form-error {{ color: $error; text-style: bold; height: auto; }}
{cls} .form-buttons {{ height: auto; align-horizontal: right; padding-top: 1; }}
{cls} .form-buttons Button {{ margin-left: 1; }}
"""


class _Form(ModalScreen[object]):
    """Shared behaviour: Ctrl+S saves, Escape cancels, a refused save shows why and stays open.

    The form opens with the cursor in its first empty field, so typing goes somewhere; a
    refusal is shown at the top of the form (and as a notice), never below the fold.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    KEYS_HINT = "Ctrl+S saves · Escape cancels · Tab moves to the next field"

    def heading(self, text: str) -> ComposeResult:
        yield Static(text, classes="dialog-title", markup=False)
        yield Static(self.KEYS_HINT, classes="form-keys", markup=False)
        yield Static("", id="form-error", markup=False)

    def on_mount(self) -> None:
        """Start in "who is recording" if it is blank, else in the field after it."""
        fields = [w for w in self.query("Input, Select, TextArea") if w.focusable]
        if not fields:
            return
        first = fields[0]
        blank = isinstance(first, Input) and not first.value.strip()
        (first if blank or len(fields) == 1 else fields[1]).focus()

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="form-buttons"):
            yield Button("Save (Ctrl+S)", id="save", variant="primary")
            yield Button("Cancel (Esc)", id="cancel")

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def refuse(self, error: Exception) -> None:
        message = f"✗ Not saved: {error}"
        box = self.query_one("#form-error", Static)
        box.update(message)
        box.scroll_visible(animate=False)
        self.notify(message, title="Not saved", severity="error")

    def action_save(self) -> None:
        raise NotImplementedError


class RecordResponseDialog(_Form):
    """Record a response or progress on one item. Only what you change is recorded."""

    DEFAULT_CSS = FORM_CSS.format(cls="RecordResponseDialog")

    def __init__(self, item: Item, actor: str) -> None:
        super().__init__()
        self.item, self.actor = item, actor

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll():
            yield from self.heading(f"Record a change to #{item.id}: {item.title}")
            yield Label("Who is recording this (kept in the log)")
            yield Input(self.actor, id="actor")
            yield Label("Status")
            yield Select(
                [(STATUS_LABELS[s], s) for s in ITEM_STATUSES],
                value=item.status,
                allow_blank=False,
                id="status",
            )
            yield Label("Why (required for 'Not accepted'; shown to the public)")
            yield Input(id="reason")
            yield Label("Progress % (0-100)")
            yield Input(str(item.progress), id="progress")
            yield Label("Public response text")
            yield TextArea(item.response, id="response")
            yield Label("Responsible body")
            yield Input(item.responsible_body or "", id="body")
            yield Label("Response due (YYYY-MM-DD)")
            yield Input(item.due or "", id="due")
            yield Label("New milestone: date (YYYY-MM-DD) and what happens")
            with Horizontal(classes="form-row"):
                yield Input(placeholder="2027-03-01", id="milestone-date")
                yield Input(placeholder="e.g. First car-free Saturday", id="milestone-text")
            yield Label("New evidence: link and label")
            with Horizontal(classes="form-row"):
                yield Input(placeholder="https://…", id="evidence-url")
                yield Input(placeholder="e.g. Cabinet minutes", id="evidence-label")
            yield from self.buttons()

    def action_save(self) -> None:
        app = self.app
        milestone = None
        if self.value("#milestone-date") or self.value("#milestone-text"):
            milestone = (self.value("#milestone-date"), self.value("#milestone-text"))
        progress = self.value("#progress").removesuffix("%").strip()
        evidence = None
        if self.value("#evidence-url"):
            evidence = (self.value("#evidence-url"), self.value("#evidence-label"))
        try:
            entry = writes.record(
                app.assembly.db(),
                self.item.id,
                actor=self.value("#actor"),
                clock=app.clock,
                reason=self.value("#reason"),
                status=str(self.query_one("#status", Select).value),
                # left as it was, progress is not a change (so "Done" can complete it)
                progress=None if progress == str(self.item.progress) else progress or None,
                response=self.query_one("#response", TextArea).text,
                responsible_body=self.value("#body") or None,
                due=self.value("#due") or None,
                milestone=milestone,
                evidence=evidence,
            )
        except (FeedbackError, StoreError) as error:
            self.refuse(error)
            return
        self.dismiss(entry)


class NewItemDialog(_Form):
    """Start tracking an idea or recommendation that is not in the log yet."""

    DEFAULT_CSS = FORM_CSS.format(cls="NewItemDialog")

    def __init__(self, actor: str) -> None:
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield from self.heading("Add an item to the feedback log")
            yield Label("Who is recording this (kept in the log)")
            yield Input(self.actor, id="actor")
            yield Label("Title (what residents asked for, in a line)")
            yield Input(id="title")
            yield Label("Description")
            yield TextArea(id="description")
            yield Label("It is a…")
            yield Select(
                [("Recommendation", "recommendation"), ("Idea", "idea"), ("Other", "other")],
                value="recommendation",
                allow_blank=False,
                id="source-kind",
            )
            yield Label("Its number in the assembly's records (optional)")
            yield Input(id="source-id", type="integer")
            yield Label("Responsible body")
            yield Input(id="body")
            yield Label("Response due (YYYY-MM-DD)")
            yield Input(id="due")
            yield from self.buttons()

    def action_save(self) -> None:
        app = self.app
        source_id = self.value("#source-id")
        try:
            item_id = writes.track(
                app.assembly.db(),
                title=self.value("#title"),
                description=self.query_one("#description", TextArea).text,
                source_kind=str(self.query_one("#source-kind", Select).value),
                source_id=int(source_id) if source_id else None,
                actor=self.value("#actor"),
                clock=app.clock,
                responsible_body=self.value("#body") or None,
                due=self.value("#due") or None,
            )
        except (FeedbackError, StoreError) as error:
            self.refuse(error)
            return
        self.dismiss(item_id)


class ActorDialog(_Form):
    """Asks who is recording a bulk change before it is made."""

    DEFAULT_CSS = FORM_CSS.format(cls="ActorDialog").replace("height: 90%", "height: auto")

    def __init__(self, title: str, actor: str) -> None:
        super().__init__()
        self.title_text, self.actor = title, actor

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield from self.heading(self.title_text)
            yield Label("Who is recording this (kept in the log)")
            yield Input(self.actor, id="actor")
            yield from self.buttons()

    def action_save(self) -> None:
        actor = self.value("#actor")
        if not actor:
            self.refuse(FeedbackError("say who is recording this."))
            return
        self.dismiss(actor)


class FeedbackLogScreen(ModeScreen):
    PURPOSE = (
        "Feedback log: record the council's responses. R or Enter records a change to the "
        "highlighted item, N adds an item, A adds the sessions' ideas, / searches, Escape goes "
        "back. Nothing is ever overwritten: each save is a new entry."
    )
    MODE_LABEL = "Feedback log (responses)"
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
        yield Input(placeholder="Search titles and responses (/)", id="log-search")
        yield Static(id="log-count", markup=False)
        yield DataTable(id="log-items", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#log-items", DataTable)
        table.add_columns(*ITEM_COLUMNS, "Entries")
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
            f"{len(found):,} of {total:,} items" if total > len(found) else f"{total:,} items"
        )

    def _writable(self) -> bool:
        if self.assembly_app.read_only:
            self.notify(
                "This file is open for review only; responses cannot be recorded.",
                title="Review only",
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
            self.notify("No item is highlighted. Press N to add one.")
            return
        if not self._writable():
            return

        def done(entry: object) -> None:
            if isinstance(entry, Entry):
                self.actor = entry.actor
                self.notify(f"Recorded entry {entry.seq} for #{item.id}.", title="Saved")
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
                self.notify(f"Now tracking item #{item_id}.", title="Saved")
                self.refresh_items(keep=item_id)

        self.app.push_screen(NewItemDialog(self.actor), done)

    def action_track_ideas(self) -> None:
        """Track every idea from the sessions not yet in the log (asks who is recording)."""
        if not self._writable():
            return
        count = len(queries.untracked_ideas(self.db))
        if count == 0:
            self.notify("Every idea from the sessions is already in the log.")
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
            self.notify(f"Now tracking {len(new)} ideas from the sessions.", title="Saved")
            self.refresh_items()

        self.app.push_screen(ActorDialog(f"Add {count} ideas from the sessions", self.actor), done)

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
