"""Scrutiny mode's home: is the log intact, how is each body answering, and what is each item's
story. It reads only through the app's read-only connection (`assembly_app.review`), so nothing
here can change the file, even by mistake."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from assembly.core.clock import local
from assembly.core.i18n import N_, Number, _
from assembly.feedback import report_files, reports, scrutiny
from assembly.feedback.entries import STATUS_LABELS
from assembly.feedback.hashchain import ChainCheck
from assembly.feedback.schema import ITEM_STATUSES
from assembly.feedback.screens.scrutiny_progress import CommitmentProgress
from assembly.integrity.file_check import FileCheck, verify_file
from assembly.ui.dialogs.replace import write_unless_kept
from assembly.ui.screens.base import ModeScreen

SHORT_STATUS = {  # column headings narrow enough for all of them in 120 columns (see legend)
    "received": N_("Rec'd"),
    "under_consideration": N_("Consid"),
    "accepted": N_("Accept"),
    "partly_accepted": N_("Partly"),
    "not_accepted": N_("NotAcc"),
    "in_progress": N_("InProg"),
    "done": N_("Done"),
    "withdrawn": N_("Withdr"),
}


def legend() -> str:
    """What each short status heading stands for, in the working language."""
    columns = " · ".join(
        f"{_(short)} = {_(STATUS_LABELS[s]).lower()}" for s, short in SHORT_STATUS.items()
    )
    return _("Columns: %(columns)s", columns=columns)


ITEM_BODY_WIDTH = 22
BODY_WIDTH = 32
"""Names longer than this are cut in the bodies table (the Items tab shows them whole)."""
TITLE_WIDTH = 44
ITEM_LIMIT = 200
ITEM_COLUMNS = (
    "#",
    N_("Status"),
    N_("Response due"),
    N_("Progress"),
    N_("Idea / recommendation"),
    N_("Responsible body"),
)


ANSWER_ORDER = (  # what scrutiny looks for first when the counts are words in one column
    "done",
    "in_progress",
    "accepted",
    "partly_accepted",
    "not_accepted",
    "under_consideration",
    "received",
    "withdrawn",
)


def answers_in_words(body, width: int = 80) -> str:
    """A body's answers by status in one short cell, e.g. 'Done 3 · InProg 1 · Rec'd 1', in
    whole words up to `width` characters: the statuses that do not fit end in '+N more' (the
    Items tab filters by status), so the table never runs past the screen's edge."""
    parts = [f"{_(SHORT_STATUS[s])} {body.count(s)}" for s in ANSWER_ORDER if body.count(s)]
    for kept in range(len(parts), 0, -1):
        rest = len(parts) - kept
        shown = " · ".join(parts[:kept])
        text = _("%(answers)s +%(rest)s more", answers=shown, rest=rest) if rest else shown
        if len(text) <= width:
            return text
    return _("%(kinds)s kinds", kinds=len(parts)) if parts else "—"


def shown_body(body: str) -> str:
    """A body's name as the tables show it: the app's own words for 'no body' and 'all bodies'
    in the working language, an officer's name for a body as it was typed."""
    return _(body) if body in (scrutiny.NO_BODY, scrutiny.ALL_BODIES) else body


def shorten(text: str, width: int) -> str:
    """Cut `text` to `width` characters with an ellipsis (the full text is on the timeline)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def item_cells(item, today: date) -> tuple[str, ...]:
    """One item as a list row: what scrutiny asks first (status, deadline) on the left, so it
    stays on screen in a narrow terminal, then the title, then the body; long ones are
    shortened."""
    return (
        str(item.id),
        scrutiny.status_word(item, today),
        item.due or "—",
        f"{item.progress}%",
        shorten(item.title, TITLE_WIDTH),
        shorten(item.responsible_body or _(scrutiny.NO_BODY), ITEM_BODY_WIDTH),
    )


class ItemsLoaded(Message):
    def __init__(self, items: list, total: int, which: scrutiny.ItemFilter) -> None:
        super().__init__()
        self.items, self.total, self.which = items, total, which


class ChainChecked(Message):
    """The whole file checked (`assembly verify`): the log's chain, and what else was found."""

    def __init__(self, check: ChainCheck, file_check: FileCheck | None = None) -> None:
        super().__init__()
        self.check = check
        self.file_check = file_check


class ScrutinyScreen(ModeScreen):
    PURPOSE = N_(
        "Scrutiny (read-only): how the assembly's ideas were taken forward. D dashboard, "
        "I items, / search (Esc leaves it), O overdue, U unanswered, Enter a body's items or an "
        "item's timeline, E the 'you said, we did' report, V verify again, R reload."
    )
    MODE_LABEL = N_("Scrutiny (read-only)")
    BINDINGS = [
        Binding("d", "show_tab('dashboard')", "Dashboard"),
        Binding("i", "show_tab('items')", "Items"),
        Binding("slash", "search", "Search"),
        Binding("o", "toggle('overdue_only')", "Overdue"),
        Binding("u", "toggle('unanswered_only')", "Unanswered"),
        Binding("e", "report", "Report"),
        Binding("escape", "leave_search", "Leave search", show=False),
        Binding("v", "verify", "Verify", show=False),
        Binding("r", "refresh_data", "Reload", show=False),
    ]
    DEFAULT_CSS = """
    ScrutinyScreen #chain { padding: 0 1; height: auto; text-style: bold; }
    ScrutinyScreen TabbedContent { height: 1fr; }
    ScrutinyScreen TabPane { height: 1fr; padding: 0; }
    ScrutinyScreen TabPane > Vertical { height: 1fr; }
    ScrutinyScreen #totals { padding: 0 1; height: auto; }
    ScrutinyScreen #chain.ok { color: $success; }
    ScrutinyScreen #chain.bad { color: $error; background: $error 15%; }
    ScrutinyScreen #bodies { height: auto; max-height: 14; }
    ScrutinyScreen.tight #bodies { max-height: 8; }
    ScrutinyScreen.tight #legend { display: none; }
    ScrutinyScreen.tight CommitmentProgress { min-height: 7; }
    ScrutinyScreen #legend { padding: 0 1; color: $text-muted; height: auto; }
    ScrutinyScreen #filters { height: auto; }
    ScrutinyScreen #filters Input { width: 1fr; }
    ScrutinyScreen #filters Select { width: 30; }
    ScrutinyScreen #items-count { padding: 0 1; color: $text-muted; height: 1; }
    ScrutinyScreen #items { height: 1fr; }
    """

    NARROW_BELOW = 130
    """Columns under which the eight status counts give way to one 'Answers' column, so the
    bodies' names fit whole (at 120 columns they were cut: 'Climate and Sustainab…')."""
    TIGHT_BELOW = 110
    """Columns under which the median days give way too (the totals line keeps the overall
    median) and the legend goes, so names, counts and the chart's bars fit a laptop."""
    SHORT_PURPOSE = N_(
        "Scrutiny (read-only): how ideas were taken forward. / search (Esc leaves it), Enter "
        "opens, E report, V verify, R reload."
    )

    def __init__(self) -> None:
        super().__init__()
        self.filter = scrutiny.ItemFilter()
        self.check: ChainCheck | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(_("… checking the log's hash chain"), id="chain", markup=False)
        with TabbedContent(initial="dashboard"):
            with TabPane(_("Dashboard"), id="dashboard"), Vertical():
                yield Static(id="totals", markup=False)
                yield DataTable(id="bodies", zebra_stripes=True, cursor_type="row", header_height=2)
                yield Static(legend(), id="legend", markup=False)
                yield CommitmentProgress(id="progress-plot")
            with TabPane(_("Items"), id="items-tab"), Vertical():
                with Horizontal(id="filters"):
                    yield Input(placeholder=_("Search titles and responses (/)"), id="search")
                    yield Select(
                        [(_(STATUS_LABELS[s]), s) for s in ITEM_STATUSES],
                        prompt=_("Any status"),
                        id="status-filter",
                    )
                    yield Select([], prompt=_("Any body"), id="body-filter")
                yield Static(id="items-count", markup=False)
                yield DataTable(id="items", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_class(self.size.width < self.NARROW_BELOW, "narrow")
        self.set_class(self.size.width < self.TIGHT_BELOW, "tight")
        self._body_columns()
        items = self.query_one("#items", DataTable)
        items.add_columns(*(_(title) for title in ITEM_COLUMNS))
        self.refresh_data()
        self.action_verify()

    # --- data --------------------------------------------------------------------------------

    @property
    def today(self) -> date:
        app = self.assembly_app
        return local(app.clock.now(), app.timezone).date()

    def action_refresh_data(self) -> None:
        self.refresh_data()

    def _body_columns(self) -> None:
        bodies = self.query_one("#bodies", DataTable)
        bodies.clear(columns=True)
        # on a laptop's 80 columns the eight status counts become one column of words
        statuses = (
            (_("Answers"),)
            if self.has_class("narrow")
            else tuple(_(SHORT_STATUS[s]) for s in ITEM_STATUSES)
        )
        median = () if self.has_class("tight") else (_("Median\ndays"),)
        bodies.add_columns(
            _("Responsible body"),
            _("Items"),
            _("⚠\nOverdue"),
            _("Never\nanswered"),
            *median,
            *statuses,
        )

    def on_resize(self) -> None:
        narrow = self.size.width < self.NARROW_BELOW
        tight = self.size.width < self.TIGHT_BELOW
        if narrow != self.has_class("narrow") or tight != self.has_class("tight"):
            self.set_class(narrow, "narrow")
            self.set_class(tight, "tight")
            self._body_columns()
            self.refresh_data()
        short = self.size.height < 30 or narrow
        self.query_one(".purpose", Static).update(_(self.SHORT_PURPOSE if short else self.PURPOSE))

    def refresh_data(self) -> None:
        db = self.assembly_app.review.db()
        board = scrutiny.dashboard(db, self.today)
        t = board.totals
        median = "—" if t.median_days_to_response is None else f"{t.median_days_to_response:.0f}"
        tight = self.has_class("tight")
        counts = {
            "total": Number(t.total),
            "answered": Number(t.total - t.unanswered),
            "unanswered": Number(t.unanswered),
            "overdue": Number(t.overdue),
            "median": median,
        }
        self.query_one("#totals", Static).update(
            _(
                "%(total)s items · %(answered)s answered · %(unanswered)s never answered · "
                "⚠ %(overdue)s overdue · median %(median)s days",
                **counts,
            )
            if tight
            else _(
                "%(total)s items · %(answered)s answered · %(unanswered)s never answered · "
                "⚠ %(overdue)s overdue · median %(median)s days to a first response (as of "
                "%(today)s)",
                **counts,
                today=self.today.isoformat(),
            )
        )
        table = self.query_one("#bodies", DataTable)
        table.clear()
        narrow = self.has_class("narrow")
        names = [b.body for b in board.bodies]
        body_width = min(BODY_WIDTH, max(map(len, names), default=0))
        # what is left of the screen for the answers in words: the other cells and their padding
        answers_width = max(12, self.size.width - body_width - 31 - (0 if tight else 8))
        for b in (*board.bodies, t):
            median = (
                "—" if b.median_days_to_response is None else f"{b.median_days_to_response:.0f}"
            )
            table.add_row(
                shorten(shown_body(b.body), body_width),
                f"{b.total:,}",
                f"⚠ {b.overdue:,}" if b.overdue else "0",
                f"{b.unanswered:,}",
                *(() if tight else (median,)),
                *(
                    (answers_in_words(b, answers_width),)
                    if narrow
                    else (f"{b.count(s):,}" for s in ITEM_STATUSES)
                ),
                key="" if b is t else b.body,
            )
        self.query_one(CommitmentProgress).show(scrutiny.commitments(db, limit=15))
        body_select = self.query_one("#body-filter", Select)
        body_select.set_options([(shown_body(name), name) for name in scrutiny.body_names(db)])
        self.refresh_items()

    def refresh_items(self) -> None:
        self.load_items(self.filter, self.today)

    @work(thread=True, exclusive=True, exit_on_error=False, group="items")
    def load_items(self, which: scrutiny.ItemFilter, today: date) -> None:
        """Query in a worker, so typing in the search box stays smooth on a large log."""
        found, total = scrutiny.find_items(
            self.assembly_app.review.db(), which, today, limit=ITEM_LIMIT
        )
        if not get_current_worker().is_cancelled:
            self.post_message(ItemsLoaded(found, total, which))

    @on(ItemsLoaded)
    def show_items(self, message: ItemsLoaded) -> None:
        if message.which != self.filter:
            return  # a newer filter's results are on their way
        found, total, today = message.items, message.total, self.today
        table = self.query_one("#items", DataTable)
        table.clear()
        for item in found:
            table.add_row(*item_cells(item, today), key=str(item.id))
        flags = [
            word
            for flag, word in (
                (self.filter.overdue_only, _("overdue only")),
                (self.filter.unanswered_only, _("unanswered only")),
            )
            if flag
        ]
        shown = (
            _(
                "Showing the first %(shown)s of %(total)s items (search to narrow)",
                shown=Number(len(found)),
                total=Number(total),
            )
            if total > len(found)
            else _("%(total)s items", total=Number(total))
        )
        self.query_one("#items-count", Static).update(
            _("%(shown)s (%(flags)s) · Enter: timeline", shown=shown, flags=", ".join(flags))
            if flags
            else _("%(shown)s · Enter: timeline", shown=shown)
        )

    # --- chain check -------------------------------------------------------------------------

    def action_verify(self) -> None:
        chain = self.query_one("#chain", Static)
        chain.set_classes("")
        chain.update(_("… checking the log's hash chain"))
        self.verify_chain()

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify")
    def verify_chain(self) -> None:
        """Everything `assembly verify` checks: the log (deep), the draw record, the draws,
        witnesses, members and respondents against it."""
        found = verify_file(self.assembly_app.review.db())
        if not get_current_worker().is_cancelled:
            self.post_message(ChainChecked(found.log, found))

    @on(ChainChecked)
    def show_check(self, message: ChainChecked) -> None:
        self.check = message.check
        found = message.file_check
        chain = self.query_one("#chain", Static)
        ok = message.check.ok and (found is None or found.ok)
        chain.set_classes("ok" if ok else "bad")
        check = message.check
        empty = _("✓ The feedback log is empty: nothing recorded yet.")
        log_line = empty if check.ok and check.entries == 0 else check.describe()
        others = [f for f in found.findings if f.table != "feedback_entries"] if found else []
        if not check.ok:
            text = log_line
        elif others:
            more = len(others) - 1
            finding = others[0].line()
            if more:
                finding = _(
                    "%(finding)s (and %(more)s more: run assembly verify)",
                    finding=finding,
                    more=more,
                )
            text = f"{log_line}\n{finding}"
        elif found is not None and found.record.entries:  # still two lines at 80x24
            text = _(
                "%(log)s ✓ Draw and members match the signed draw record (fingerprints: "
                "assembly verify).",
                log=log_line,
            )
        elif check.entries:
            text = _(
                "%(log)s  Fingerprint %(head)s… (full: assembly verify)",
                log=log_line,
                head=check.head[:16],
            )
        else:
            text = log_line
        chain.update(text)

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.worker.group == "items" and event.state == WorkerState.ERROR:
            self.assembly_app.report(event.worker.error)
        if event.worker.group == "verify" and event.state == WorkerState.ERROR:
            chain = self.query_one("#chain", Static)
            chain.set_classes("bad")
            chain.update(
                _("✗ The log could not be checked: %(error)s", error=str(event.worker.error))
            )

    # --- filters and navigation --------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "dashboard" if tab == "dashboard" else "items-tab"  # not words
        if tab == "items":
            self.query_one("#items", DataTable).focus()

    def action_leave_search(self) -> None:
        """Escape in the search box hands the keys back to the screen (d, i, o were typed)."""
        if isinstance(self.focused, Input):
            self.query_one("#items", DataTable).focus()

    def action_report(self) -> None:
        """The "you said, we did" report in three formats: written beside the file, or in a
        browser (textual-serve) handed to the browser as downloads."""
        app = self.assembly_app
        db = app.review.db()
        try:
            if app.is_web:
                for extension, text in report_files.report_texts(db, self.today).items():
                    app.deliver_text(
                        io.StringIO(text),
                        save_filename=report_files.report_name(app.assembly.path, extension),
                    )
                self.notify(_("The report downloads as Markdown, HTML and CSV."), title=_("Report"))
                return
            folder = Path(app.assembly.path).resolve().parent
            names = [report_files.report_name(app.assembly.path, e) for e in reports.FORMATS]
            write_unless_kept(app, [folder / n for n in names], lambda: self._write_report(db))
        except OSError as error:
            self._report_failed(error)

    def _write_report(self, db) -> None:
        app = self.assembly_app
        try:
            written = report_files.write_report_files(db, self.today, app.assembly.path)
        except OSError as error:
            self._report_failed(error)
            return
        folder = written[0].parent
        self.notify(
            _(
                "Written in %(folder)s: %(files)s",
                folder=str(folder),
                files=", ".join(p.name for p in written),
            ),
            title=_("Report"),
            timeout=15,
        )

    def _report_failed(self, error: OSError) -> None:
        app = self.assembly_app
        app.show_error(
            _("The report could not be written"),
            _(
                "%(file)s: %(error)s. Nothing was half-written.",
                file=str(error.filename or app.assembly.path),
                error=str(error.strerror or error),
            ),
        )

    def action_search(self) -> None:
        self.action_show_tab("items")
        self.query_one("#search", Input).focus()

    def action_toggle(self, name: str) -> None:
        self.filter = replace(self.filter, **{name: not getattr(self.filter, name)})
        self.action_show_tab("items")
        self.refresh_items()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value)
        self.refresh_items()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#items", DataTable).focus()

    @on(Select.Changed, "#status-filter")
    def status_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        self.filter = replace(self.filter, status=value)
        self.refresh_items()

    @on(Select.Changed, "#body-filter")
    def body_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        self.filter = replace(self.filter, body=value)
        self.refresh_items()

    @on(DataTable.RowSelected, "#bodies")
    def open_body(self, event: DataTable.RowSelected) -> None:
        """Enter on a body's row lists its items (on the totals row, everyone's)."""
        body = str(event.row_key.value or "")
        self.query_one("#body-filter", Select).value = body or Select.NULL
        self.filter = replace(self.filter, body=body or None)
        self.action_show_tab("items")
        self.refresh_items()

    @on(DataTable.RowSelected, "#items")
    def open_item(self, event: DataTable.RowSelected) -> None:
        from assembly.feedback.screens.scrutiny_item import ItemTimelineScreen

        self.app.push_screen(ItemTimelineScreen(int(str(event.row_key.value))))
