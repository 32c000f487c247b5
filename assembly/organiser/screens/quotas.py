"""Quotas: the table of min/max per value beside the pool and target shares, with feasibility
checked after every change (in a worker) and the proposed relaxation one key away."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.organiser.errors import OrganiserError
from assembly.organiser.quota_undo import QuotaState, quota_state, restore_quota_state
from assembly.organiser.quotas import (
    Feasibility,
    WouldRemoveAllQuotas,
    apply_relaxation,
    check_feasibility,
    clear_quota,
    fill_from_targets,
    import_quotas_csv,
    panel_size,
    quota_table,
    set_panel_size,
    set_quota,
    set_target_share,
)
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen
from assembly.ui.widgets.labels import short_label


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class QuotasScreen(ModeScreen):
    PURPOSE = N_(
        "Quotas: Enter edits the selected value's min/max and target share; K panel size; "
        "T fill from target shares; L load a quotas CSV; A apply the proposed relaxation; "
        "Ctrl+Z undoes the last change; Esc back."
    )
    MODE_LABEL = N_("Organiser · Quotas")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "edit", "Edit", show=True),
        Binding("k", "panel_size", "Panel size"),
        Binding("t", "from_targets", "Targets"),
        Binding("l", "load_csv", "Load CSV"),
        Binding("a", "apply_relaxation", "Apply fix"),
        Binding("x", "clear_row", "Clear"),
        Binding("ctrl+z", "undo", "Undo", show=False),  # named in the purpose line
    ]
    DEFAULT_CSS = """
    QuotasScreen #quota-size { padding: 0 1; height: auto; text-style: bold; }
    QuotasScreen #quota-table { height: 1fr; }
    /* as tall as its words, up to a third of the screen: a one-line "feasible" left 14 empty
       lines under a table showing 14 of 33 quotas */
    QuotasScreen #feasibility-box { height: auto; max-height: 33%; border-top: solid $primary; }
    QuotasScreen #feasibility { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.feasibility: Feasibility | None = None
        self.rows: list = []
        self.undo: list[QuotaState] = []  # the quota set before each change, newest last
        self.shown: QuotaState | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="quota-size", markup=False)
        yield DataTable(id="quota-table", zebra_stripes=True, cursor_type="row")
        with VerticalScroll(id="feasibility-box"):
            yield Static("", id="feasibility", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#quota-table", DataTable).add_columns(
            _("Category"),
            _("Value"),
            _("Min"),
            _("Max"),
            _("Pool"),
            _("Pool share"),
            _("Target share"),
        )
        self.refresh_table()
        self.query_one("#quota-table", DataTable).focus()

    def refresh_table(self, check: bool = True) -> None:
        now = quota_state(self.db)
        if self.shown is not None and now != self.shown:
            self.undo.append(self.shown)  # whatever changed it, Ctrl+Z can put it back
        self.shown = now
        k = panel_size(self.db)
        self.query_one("#quota-size", Static).update(
            _("Panel size: %(k)s", k=k) if k else _("Panel size: not set (press K)")
        )
        table = self.query_one("#quota-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = quota_table(self.db)
        for r in self.rows:
            table.add_row(
                short_label(r.label),  # the full label is in the edit form's title
                r.value,
                "—" if r.min is None else str(r.min),
                "—" if r.max is None else str(r.max),
                f"{r.pool_count:,}",
                _share(r.pool_share),
                _share(r.target_share),
            )
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        if check:
            self.check()

    # ------------------------------------------------------------ feasibility

    def check(self) -> None:
        if not panel_size(self.db) or not any(r.min is not None for r in self.rows):
            self.feasibility = None
            self._show(_("Set the panel size (K) and quotas to check feasibility."))
            return
        self._show(_("Checking whether a panel can meet these quotas …"))
        self.check_worker()

    @work(thread=True, exclusive=True, exit_on_error=False, group="quota-check")
    def check_worker(self) -> Feasibility:
        return check_feasibility(self.db)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "quota-check":
            return
        if event.state == WorkerState.SUCCESS:
            self.feasibility = event.worker.result
            text = self.feasibility.explanation
            if self.feasibility.relaxation is not None:
                text += "\n\n" + _("Press A to apply this relaxation.")
            self._show(text)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self._show(f"✗ {error}")

    def _show(self, text: str) -> None:
        self.query_one("#feasibility", Static).update(text)

    def action_apply_relaxation(self) -> None:
        result = self.feasibility
        if result is None or result.relaxation is None:
            self.app.notify(_("There is no relaxation to apply."), severity="warning")
            return
        n = apply_relaxation(self.db, result.relaxation)
        self.app.notify(
            ngettext(
                "Applied the relaxation: %(num)s quota changed.",
                "Applied the relaxation: %(num)s quotas changed.",
                n,
                num=Number(n),
            ),
            title=_("Quotas"),
        )
        self.refresh_table()

    # ------------------------------------------------------------ editing

    def _run(self, action, *args, **options) -> bool:
        try:
            action(self.db, *args, **options)
        except OrganiserError as error:
            self.assembly_app.show_error(error.title, str(error))
            return False
        return True

    def action_edit(self) -> None:
        table = self.query_one("#quota-table", DataTable)
        if not self.rows:
            return
        r = self.rows[table.cursor_row]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                low, high = int(values["min"]), int(values["max"])
            except ValueError:
                self.assembly_app.show_error(
                    _("Quota bounds"), _("Min and max must be whole numbers, like 3 and 6.")
                )
                return
            share_text = values["target"].strip().rstrip("%")
            share = None
            if share_text:
                try:
                    share = float(share_text) / 100
                except ValueError:
                    self.assembly_app.show_error(
                        _("Target share"),
                        _(
                            "%(value)s is not a percentage like 51.",
                            value=repr(values["target"]),
                        ),
                    )
                    return
            if self._run(set_quota, r.feature, r.value, low, high):
                self._run(set_target_share, r.feature, r.value, share)
            self.refresh_table()

        self.app.push_screen(
            FormDialog(
                f"{r.label} = {r.value}",
                [
                    FormField(
                        "min", _("Minimum on the panel"), value="" if r.min is None else str(r.min)
                    ),
                    FormField(
                        "max", _("Maximum on the panel"), value="" if r.max is None else str(r.max)
                    ),
                    FormField(
                        "target",
                        _("Target share of the population, per cent (blank for none)"),
                        value="" if r.target_share is None else f"{r.target_share * 100:g}",
                    ),
                ],
                help_text=_(
                    "%(count)s respondents (%(share)s of the pool) have this value.",
                    count=Number(r.pool_count),
                    share=format(r.pool_share, ".1%"),
                ),
            ),
            done,
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_clear_row(self) -> None:
        if not self.rows:
            return
        r = self.rows[self.query_one("#quota-table", DataTable).cursor_row]
        clear_quota(self.db, r.feature, r.value)
        self.refresh_table()

    def action_panel_size(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                size = int(values["size"])
            except ValueError:
                self.assembly_app.show_error(
                    _("Panel size"), _("The panel size is a whole number.")
                )
                return
            self._run(set_panel_size, size)
            self.refresh_table()

        self.app.push_screen(
            FormDialog(
                _("Panel size"),
                [
                    FormField(
                        "size", _("Members on the panel"), value=str(panel_size(self.db) or "")
                    )
                ],
            ),
            done,
        )

    def _after_warning(self, title: str, body: str, then) -> None:
        """Run `then` at once, or after a yes when a draw was made over the current quotas:
        replacing them under a draw deserves a word first."""
        from assembly.organiser.draws import latest_draw_id

        draw_id = latest_draw_id(self.db)
        if draw_id is None:
            then()
            return
        self.app.push_screen(
            ConfirmDialog(
                _(title),
                _(body, draw=draw_id),
                yes=_("Replace the quotas"),
                no=_("Keep them"),
            ),
            lambda yes: then() if yes else None,
        )

    def action_from_targets(self) -> None:
        self._after_warning(
            N_("Set the quotas from the target shares?"),
            N_(
                "There is already a draw (draw %(draw)s) made with the current quotas. "
                "Set the quotas from the target shares replaces them: the draw keeps its own "
                "copy and its audit bundle, but the quotas shown here, replacements and any new "
                "draw use the new ones."
            ),
            self._from_targets,
        )

    def _from_targets(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                tolerance = float(values["tolerance"].strip().rstrip("%")) / 100
            except ValueError:
                self.assembly_app.show_error(
                    _("Tolerance"), _("Give the tolerance as a percentage.")
                )
                return
            if self._run(fill_from_targets, tolerance):
                self.app.notify(_("Quotas set from the target shares."), title=_("Quotas"))
            self.refresh_table()

        self.app.push_screen(
            FormDialog(
                _("Quotas from target shares"),
                [
                    FormField(
                        "tolerance",
                        _("Tolerance either side of the ideal count, per cent"),
                        value="20",
                    )
                ],
                help_text=_("Replaces every quota: ideal count = panel size × target share."),
            ),
            done,
        )

    def action_load_csv(self) -> None:
        self._after_warning(
            N_("Load the quotas from a CSV file?"),
            N_(
                "There is already a draw (draw %(draw)s) made with the current quotas. "
                "Load the quotas from a CSV file replaces them: the draw keeps its own "
                "copy and its audit bundle, but the quotas shown here, replacements and any new "
                "draw use the new ones."
            ),
            self._load_csv,
        )

    def _load_csv(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is None or not values["path"].strip():
                return
            size = values["size"].strip()
            try:
                size_number = int(size) if size else None
            except ValueError:
                self.assembly_app.show_error(
                    _("Panel size"), _("The panel size is a whole number.")
                )
                return
            path = values["path"].strip()
            try:
                result = import_quotas_csv(self.db, path, size_number)
            except WouldRemoveAllQuotas as error:
                self._confirm_remove_all(error, path, size_number)
                return
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            finally:
                self.refresh_table()
            self.app.notify(
                " ".join((_("Loaded %(quotas)s quotas.", quotas=result.quotas), *result.warnings)),
                title=_("Quotas"),
                severity="warning" if result.warnings else "information",
            )

        self.app.push_screen(
            FormDialog(
                _("Load quotas from a CSV file"),
                [
                    # Translators: the columns are headings of the file: keep them in English.
                    FormField("path", _("File (columns feature, value, min, max)")),
                    FormField(
                        "size",
                        _("Panel size (blank to keep)"),
                        value=str(panel_size(self.db) or ""),
                    ),
                ],
            ),
            done,
        )

    def _confirm_remove_all(self, error: WouldRemoveAllQuotas, path: str, size: int | None) -> None:
        """A file with no quota rows would remove every quota: ask first."""

        def answered(yes: bool | None) -> None:
            if yes and self._run(import_quotas_csv, path, size, remove_all=True):
                self.app.notify(_("Every quota was removed."), title=_("Quotas"))
            self.refresh_table()

        self.app.push_screen(
            ConfirmDialog(error.title, str(error), yes=_("Remove all"), no=_("Keep them")), answered
        )

    def action_undo(self) -> None:
        if not self.undo:
            self.app.notify(_("Nothing to undo on this screen."), title=_("Quotas"))
            return
        state = self.undo.pop()
        restore_quota_state(self.db, state)
        self.shown = state
        self.refresh_table()
        self.app.notify(
            ngettext(
                "Undone: the quotas are as before your last change (%(num)s more step to undo).",
                "Undone: the quotas are as before your last change (%(num)s more steps to undo).",
                len(self.undo),
                num=Number(len(self.undo)),
            ),
            title=_("Quotas"),
        )

    def action_back(self) -> None:
        self.app.pop_screen()
