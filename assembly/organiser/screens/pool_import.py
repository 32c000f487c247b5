"""Importing the pool: choose a file, see the proposed column mapping, the counts per value and
the bad rows, change a column's role, then import. Reading and checking run in a worker."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.organiser.errors import OrganiserError
from assembly.organiser.overview import respondent_count
from assembly.organiser.pool_import import (
    ROLES,
    ImportPlan,
    SourceTable,
    guess_mapping,
    import_pool,
    plan_import,
    read_source,
    role_word,
)
from assembly.ui.screens.base import ModeScreen


class ImportProgress(Message):
    def __init__(self, fraction: float, text: str) -> None:
        super().__init__()
        self.fraction, self.text = fraction, text


class PoolImportScreen(ModeScreen):
    PURPOSE = N_(
        "Import the pool from a .csv, .xlsx or .ods file: type the file's path and press Enter. "
        "Space changes the selected column's role; Ctrl+S imports; Escape goes back."
    )
    MODE_LABEL = N_("Organiser · Import pool")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("space", "cycle_role", "Change role"),
        Binding("ctrl+s", "import_pool", "Import"),
    ]
    DEFAULT_CSS = """
    PoolImportScreen #import-path { margin: 0 1; }
    PoolImportScreen #import-status { padding: 0 1; height: auto; }
    PoolImportScreen #import-panes { height: 1fr; }
    PoolImportScreen #import-mapping { width: 1fr; }
    PoolImportScreen #import-counts { width: 1fr; }
    PoolImportScreen #import-problems { height: auto; max-height: 12; padding: 0 1; }
    PoolImportScreen ProgressBar { padding: 0 1; }
    """

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.source: SourceTable | None = None
        self.mapping: dict[str, str] = {}
        self.plan: ImportPlan | None = None

    def compose_body(self) -> ComposeResult:
        yield Input(
            value=self.initial_path,
            placeholder=_("path to the pool file (.csv or .xlsx), then Enter"),
            id="import-path",
        )
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Static("", id="import-status", markup=False)
        with Horizontal(id="import-panes"):
            with Vertical(id="import-mapping"):
                yield Static(_("Columns → role"), classes="section-title")
                yield DataTable(id="mapping-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="import-counts"):
                yield Static(_("Respondents per value"), classes="section-title")
                yield DataTable(id="counts-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-problems", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#mapping-table", DataTable).add_columns(
            _("Column"), _("Role"), _("Example")
        )
        # the count first: after a long feature name and value it fell off an 80-column screen
        self.query_one("#counts-table", DataTable).add_columns(
            _("Respondents"), _("Feature"), _("Value")
        )
        self.query_one("#import-path", Input).focus()

    # ------------------------------------------------------------ reading

    @on(Input.Submitted, "#import-path")
    def read_file(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            return
        self._status(_("Reading %(path)s …", path=path))
        self.read_worker(Path(path).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-read")
    def read_worker(self, path: Path) -> tuple[SourceTable, dict[str, str], ImportPlan]:
        worker = get_current_worker()

        def progress(fraction: float, text: str) -> None:
            if not worker.is_cancelled:
                self.post_message(ImportProgress(fraction, text))

        source = read_source(path, progress)
        mapping = guess_mapping(source.header)
        return source, mapping, plan_import(source, mapping, progress)

    def on_import_progress(self, message: ImportProgress) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=100, progress=message.fraction * 100)
        self._status(message.text)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("import-read", "import-plan", "import-write"):
            return
        if event.state == WorkerState.ERROR:
            self.query_one("#import-progress", ProgressBar).display = False
            error = worker.error
            if isinstance(error, OrganiserError):
                self._status(f"✗ {error}")
                self.assembly_app.show_error(error.title, str(error))
            else:
                self.assembly_app.report(error)
        elif event.state == WorkerState.SUCCESS:
            self.query_one("#import-progress", ProgressBar).display = False
            if worker.group == "import-write":
                result = worker.result
                if result.replaced:
                    text = _(
                        "✓ Replaced the pool with %(respondents)s respondents "
                        "(%(features)s features).",
                        respondents=Number(result.respondents),
                        features=len(result.features),
                    )
                else:
                    text = _(
                        "✓ Imported %(respondents)s respondents (%(features)s features).",
                        respondents=Number(result.respondents),
                        features=len(result.features),
                    )
                self._status(text)
                self.app.notify(text, title=_("Pool imported"))
            elif worker.group == "import-read":
                self.source, self.mapping, self.plan = worker.result
                self._show_plan()
            else:
                self.plan = worker.result
                self._show_plan()

    # ------------------------------------------------------------ mapping

    def _show_plan(self) -> None:
        source, plan = self.source, self.plan
        if source is None or plan is None:
            return
        table = self.query_one("#mapping-table", DataTable)
        row = table.cursor_row
        table.clear()
        example = source.rows[0][1] if source.rows else ()
        for i, column in enumerate(source.header):
            sample = example[i] if i < len(example) else ""
            role = role_word(self.mapping.get(column, "ignore"))
            table.add_row(column, role, sample, key=column)
        if row < table.row_count:
            table.move_cursor(row=row)
        counts = self.query_one("#counts-table", DataTable)
        counts.clear()
        for feature in plan.features:
            for value, n in sorted(plan.counts[feature].items()):
                counts.add_row(f"{n:,}", feature, value)
        # A workbook's data may be on any sheet: say which one was read.
        shown_name = (
            _("%(file)s, sheet %(sheet)s", file=source.file_name, sheet=repr(source.sheet))
            if source.sheet
            else source.file_name
        )
        if plan.problems:
            bad = len(plan.problems)
            lines = [
                ngettext(
                    "%(num)s bad row: correct the file and read it again "
                    "(nothing is imported while any row is bad).",
                    "%(num)s bad rows: correct the file and read it again "
                    "(nothing is imported while any row is bad).",
                    bad,
                    num=Number(bad),
                ),
                *(f"  ✗ {p.describe()}" for p in plan.problems[:10]),
            ]
            more = bad - 10
            if more > 0:
                lines.append("  " + _("… and %(more)s more", more=more))
            self.query_one("#import-problems", Static).update("\n".join(lines))
            self._status(
                _(
                    "✗ %(file)s: %(good)s good rows, %(bad)s bad.",
                    file=shown_name,
                    good=Number(len(plan.people)),
                    bad=bad,
                )
            )
        else:
            self.query_one("#import-problems", Static).update("")
            self._status(
                _(
                    "✓ %(file)s: %(ready)s respondents ready, %(features)s features. "
                    "Ctrl+S imports.",
                    file=shown_name,
                    ready=Number(len(plan.people)),
                    features=len(plan.features),
                )
            )
        table.focus()

    def action_cycle_role(self) -> None:
        if self.source is None:
            return
        table = self.query_one("#mapping-table", DataTable)
        if not table.row_count:
            return
        column = self.source.header[table.cursor_row]
        current = self.mapping.get(column, "ignore")
        self.mapping[column] = ROLES[(ROLES.index(current) + 1) % len(ROLES)]
        self.replan_worker(self.source, dict(self.mapping))

    def set_role(self, column: str, role: str) -> None:
        """Give `column` a role and check the rows again (used by tests and the palette)."""
        if self.source is None:
            return
        self.mapping[column] = role
        self.replan_worker(self.source, dict(self.mapping))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-plan")
    def replan_worker(self, source: SourceTable, mapping: dict[str, str]) -> ImportPlan:
        return plan_import(source, mapping)

    # ------------------------------------------------------------ importing

    def action_import_pool(self) -> None:
        plan = self.plan
        if plan is None:
            self._status(_("Read a file first: type its path and press Enter."))
            return
        if plan.problems:
            self.assembly_app.show_error(
                _("Nothing was imported"),
                ngettext(
                    "%(num)s bad row in %(file)s; correct the file and read it again.",
                    "%(num)s bad rows in %(file)s; correct the file and read it again.",
                    len(plan.problems),
                    num=Number(len(plan.problems)),
                    file=plan.source.file_name,
                ),
            )
            return
        db = self.db
        existing = respondent_count(db)
        if existing:
            from assembly.ui.dialogs.message import ConfirmDialog

            def answered(yes: bool | None) -> None:
                if yes:
                    self.write_worker(plan, True)

            self.app.push_screen(
                ConfirmDialog(
                    _("Replace the pool?"),
                    _(
                        "The assembly already has %(existing)s respondents. Replace them with "
                        "the %(new)s in %(file)s? (Refused if a draw used the pool.)",
                        existing=Number(existing),
                        new=Number(len(plan.people)),
                        file=plan.source.file_name,
                    ),
                ),
                answered,
            )
        else:
            self.write_worker(plan, False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-write")
    def write_worker(self, plan: ImportPlan, replace: bool):
        assembly = self.assembly_app.assembly
        return import_pool(assembly.db(), plan, self.clock, replace=replace)

    def _status(self, text: str) -> None:
        self.query_one("#import-status", Static).update(text)

    def action_back(self) -> None:
        self.workers.cancel_group(self, "import-read")  # not words
        self.app.pop_screen()
