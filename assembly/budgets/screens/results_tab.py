"""The Results tab: the count (run in a worker, with progress, and stopped with Esc before it
is saved), each project's outcome and the reason for it in plain words, overrides with their
reason shown beside the computed outcome, handing the funded projects to the feedback log,
and publishing the result as a .pb file, a CSV or an HTML page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from assembly.budgets import results
from assembly.budgets.errors import BudgetError
from assembly.budgets.publish import FORMATS, publish
from assembly.budgets.rounds import Round
from assembly.budgets.screens.tab import ACTOR, BudgetsTab
from assembly.core.clock import show
from assembly.core.i18n import N_, Number, _, ngettext, working
from assembly.core.money import whole_money
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.replace import write_unless_kept
from sortition.files import PRIVATE, write_atomic

FORMAT_WORDS = {
    "html": N_("HTML page (to print or put online)"),
    "csv": N_("CSV (for a spreadsheet)"),
    "pb": N_(".pb file (Pabulib, to recount elsewhere)"),
}


def _yes_no(funded: bool) -> str:
    return _("✓ yes") if funded else _("✗ no")


def _override_line(override: results.Override, computed: bool) -> str:
    """What an override did, by whom and why, beside what the count said."""
    who = {"actor": override.actor, "reason": override.reason}
    if override.action == "fund":
        if computed:
            return _("Override: Funded by %(actor)s — %(reason)s (the count said: funded).", **who)
        return _("Override: Funded by %(actor)s — %(reason)s (the count said: not funded).", **who)
    if computed:
        return _("Override: Not funded by %(actor)s — %(reason)s (the count said: funded).", **who)
    return _("Override: Not funded by %(actor)s — %(reason)s (the count said: not funded).", **who)


class ResultsTab(BudgetsTab):
    class Progressed(Message):
        def __init__(self, done: int, total: int, step: str) -> None:
            super().__init__()
            self.done, self.total, self.step = done, total, step

    class Counted(Message):
        def __init__(self, count_id: int | None, note: str) -> None:
            super().__init__()
            self.count_id, self.note = count_id, note

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__(_("4 Results"), id="results-tab")
        self._worker: Worker | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="result-summary", classes="note", markup=False)
        yield ProgressBar(id="count-progress", total=3, show_eta=False)
        yield DataTable(id="results", zebra_stripes=True, cursor_type="row")
        yield Static("", id="explanation", classes="note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#results", DataTable).add_columns(
            _("No."), _("Project"), _("Cost"), _("Votes"), _("Count funds"), _("Final")
        )

    @property
    def counting(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def published(self) -> results.PublishedResult | None:
        current = self.current_round()
        if current is None:
            return None
        try:
            return results.published_result(self.db, current.id)
        except BudgetError:  # not counted yet
            return None

    def selected_ref(self) -> str | None:
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def refresh_view(self, select: str | None = None) -> None:
        table = self.query_one("#results", DataTable)
        keep = select or self.selected_ref()
        table.clear()
        current = self.current_round()
        result = self.published()
        summary = self.query_one("#result-summary", Static)
        if self.counting:
            return
        if current is None:
            summary.update(_("No round yet: declare one on the Round tab (1)."))
        elif result is None:
            summary.update(self._waiting(current))
        else:
            summary.update(self._summary(result))
            currency = result.round.currency
            room = self.title_room(28, 52)
            for row in result.rows:
                final = (
                    _("%(answer)s (override)", answer=_yes_no(row.final))
                    if row.override
                    else _yes_no(row.final)
                )
                title = row.title if len(row.title) <= room else row.title[: room - 1] + "…"
                table.add_row(
                    row.ref,
                    title,
                    whole_money(row.cost_pence, currency),
                    "—" if row.votes is None else working().number(row.votes),
                    _yes_no(row.computed),
                    final,
                    key=row.ref,
                )
            refs = [row.ref for row in result.rows]
            if keep in refs:
                table.move_cursor(row=refs.index(keep))
        self.show_explanation()

    def _waiting(self, current: Round) -> str:
        if current.status == "closed":
            return _(
                "Round %(round)s is closed and not counted yet: press r to count it.",
                round=current.id,
            )
        return _(
            "Round %(round)s is not counted yet: close voting (c on the Round tab), then "
            "press r here to count it.",
            round=current.id,
        )

    def _summary(self, result: results.PublishedResult) -> str:
        money = result.round.currency
        computed = sum(r.computed for r in result.rows)
        final = sum(r.final for r in result.rows)
        tz = self.host.assembly_app.timezone
        budget = whole_money(result.round.budget_pence, money)
        lines = [
            _(
                "Count %(count)s (%(rule)s, %(ballots)s ballots, %(when)s): %(funded)s funded, "
                "%(spent)s of %(budget)s.",
                count=result.count_id,
                rule=result.rule["name"],
                ballots=Number(result.ballots),
                when=show(result.counted_at, tz),
                funded=computed,
                spent=whole_money(result.computed_spent_pence, money),
                budget=budget,
            ),
        ]
        if result.overridden:
            overrides = len(result.overridden)
            lines.append(
                ngettext(
                    "After %(num)s override: %(funded)s funded, %(spent)s of %(budget)s.",
                    "After %(num)s overrides: %(funded)s funded, %(spent)s of %(budget)s.",
                    overrides,
                    num=Number(overrides),
                    funded=final,
                    spent=whole_money(result.final_spent_pence, money),
                    budget=budget,
                )
            )
        delivered = results.delivered_items(self.db, result.round.id)
        if delivered:
            lines.append(
                _("%(count)s funded projects are in the feedback log.", count=len(delivered))
            )
        return "\n".join(lines)

    @on(DataTable.RowHighlighted, "#results")
    def _highlighted(self) -> None:
        self.show_explanation()

    def show_explanation(self) -> None:
        box = self.query_one("#explanation", Static)
        result = self.published()
        ref = self.selected_ref()
        if result is None or ref is None:
            box.update("")
            return
        row = result.row(ref)
        lines = [f"{row.ref}. {row.title}: {row.explanation}"]
        if row.override is not None:
            lines.append(_override_line(row.override, row.computed))
        item = results.delivered_items(self.db, result.round.id).get(ref)
        if item is not None:
            lines.append(_("In the feedback log as item %(item)s.", item=item))
        box.update("\n".join(lines))

    # --- the count, in a worker ------------------------------------------------------------

    def count(self) -> None:
        current = self.round_or_say()
        if current is None:
            return
        if self.counting:
            self.notify(_("The count is running; Esc stops it."))
            return
        if current.status != "closed":
            self.refuse(
                BudgetError(
                    _("Close voting in round %(round)s before counting it.", round=current.id)
                )
            )
            return
        bar = self.query_one("#count-progress", ProgressBar)
        bar.update(total=len(results.COUNT_STEPS), progress=0)
        bar.add_class("running")
        self.query_one("#result-summary", Static).update(
            _(
                "Counting round %(round)s by %(rule)s… (Esc stops it; nothing is saved)",
                round=current.id,
                rule=current.rule,
            )
        )
        self._worker = self._count(current.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pb-count")
    def _count(self, round_id: int) -> None:
        worker = get_current_worker()
        try:
            count_id = results.count_round(
                self.db,  # this thread's own connection
                round_id,
                actor=ACTOR,
                clock=self.clock,
                progress=lambda done, total, step: self.post_message(
                    self.Progressed(done, total, step)
                ),
                should_stop=lambda: worker.is_cancelled,
            )
        except results.CountStopped as stopped:
            self.post_message(self.Counted(None, str(stopped)))
            return
        except BudgetError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Counted(count_id, ""))

    def stop_count(self) -> bool:
        """Stop a running count (Esc); True if one was running."""
        if not self.counting or self._worker is None:
            return False
        self._worker.cancel()
        self.query_one("#result-summary", Static).update(_("Stopping the count…"))
        return True

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#count-progress", ProgressBar).update(
            total=message.total, progress=message.done
        )
        self.query_one("#result-summary", Static).update(
            _("Counting: %(step)s… (Esc stops it; nothing is saved)", step=message.step)
        )

    def _done(self) -> None:
        self.query_one("#count-progress", ProgressBar).remove_class("running")
        self._worker = None

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        self._done()
        self.refresh_view()
        if message.count_id is None:
            self.query_one("#result-summary", Static).update(message.note)
            return
        self.notify(_("Count %(count)s saved.", count=message.count_id), title=_("Counted"))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._done()
        self.refresh_view()
        self.host.assembly_app.show_error(_("Cannot count the round"), message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "pb-count":
            return
        if event.state == WorkerState.ERROR:
            self._done()
            self.refresh_view()
            self.host.assembly_app.report(event.worker.error)
        elif event.state == WorkerState.CANCELLED:
            self._done()
            self.query_one("#result-summary", Static).update(
                _("The count was stopped: nothing was saved.")
            )

    # --- overrides, delivery, publishing --------------------------------------------------

    def override(self) -> None:
        result = self.published()
        ref = self.selected_ref()
        if result is None or ref is None:
            self.notify(_("Count the round first (r)."), severity="warning")
            return
        row = result.row(ref)
        action = "unfund" if row.final else "fund"
        why = (
            _("Why fund it? (published beside the result)")
            if action == "fund"
            else _("Why unfund it? (published beside the result)")
        )
        fields = [
            FormField("reason", why),
            FormField("actor", _("Decided by"), value=ACTOR),
        ]
        help_text = (
            _(
                "The count said: funded. The override is recorded beside the computed outcome; "
                "the count itself never changes."
            )
            if row.computed
            else _(
                "The count said: not funded. The override is recorded beside the computed "
                "outcome; the count itself never changes."
            )
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                results.override(
                    self.db,
                    result.round.id,
                    ref,
                    action,
                    reason=values["reason"],
                    actor=values["actor"],
                    clock=self.clock,
                )
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(
                _("Project %(ref)s funded by override.", ref=ref)
                if action == "fund"
                else _("Project %(ref)s unfunded by override.", ref=ref)
            )
            self.refresh_view(select=ref)

        title = (
            _("Fund project %(ref)s: %(title)s", ref=ref, title=row.title)
            if action == "fund"
            else _("Unfund project %(ref)s: %(title)s", ref=ref, title=row.title)
        )
        self.ask(FormDialog(title, fields, help_text), save)

    def deliver(self) -> None:
        result = self.published()
        if result is None:
            self.notify(_("Count the round first (r)."), severity="warning")
            return
        funded = [r for r in result.rows if r.final]
        fields = [
            FormField(
                "body", _("Who delivers the funded projects"), placeholder=_("e.g. Parks team")
            ),
            FormField("due", _("First report due (YYYY-MM-DD)"), placeholder=_("e.g. 2027-06-30")),
        ]
        help_text = _(
            "Each of the %(count)s funded projects becomes an item in the feedback log, "
            "tracked like a recommendation; one already handed over is not added twice.",
            count=len(funded),
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                date.fromisoformat(values["due"])
            except ValueError:
                self.refuse(
                    BudgetError(
                        _(
                            "Due date: %(typed)s is not a date (YYYY-MM-DD).",
                            typed=repr(values["due"]),
                        )
                    )
                )
                return
            try:
                new = results.deliver(
                    self.db,
                    result.round.id,
                    responsible_body=values["body"],
                    due=values["due"],
                    actor=ACTOR,
                    clock=self.clock,
                )
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(
                _("%(count)s projects added to the feedback log.", count=len(new))
                if new
                else _("Every funded project was already in the feedback log.")
            )
            self.refresh_view()

        self.ask(FormDialog(_("Hand funded projects to the feedback log"), fields, help_text), save)

    def publish(self) -> None:
        result = self.published()
        if result is None:
            self.notify(_("Count the round first (r)."), severity="warning")
            return
        folder = self.host.assembly_app.assembly.path.parent
        fields = [
            FormField(
                "format",
                _("Publish as"),
                kind="select",
                value="html",
                options=tuple((_(FORMAT_WORDS[f]), f) for f in FORMATS),
            ),
            FormField(
                "path",
                _("Write it to (.html, .csv or .pb is added when the name has none)"),
                value=str(folder / f"pb-round-{result.round.id}-result"),  # not words
            ),
        ]
        help_text = _(
            "The computed outcome, each override and its reason, and the final outcome side by "
            "side, with every project's explanation."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            path = Path(values["path"]).expanduser()
            if not path.suffix:
                path = path.with_suffix(f".{values['format']}")
            if path.is_dir():
                self.refuse(
                    BudgetError(_("%(path)s is a folder; give a file name.", path=str(path)))
                )
                return
            form = values["format"]
            write_unless_kept(self.app, [path], lambda: self._write(result.round.id, form, path))

        self.ask(FormDialog(_("Publish the result"), fields, help_text), save)

    def _write(self, round_id: int, form: str, path: Path) -> None:
        try:
            write_atomic(path, publish(self.db, round_id, form), mode=PRIVATE)
        except OSError as error:
            self.refuse(
                BudgetError(
                    _(
                        "Could not write %(path)s: %(reason)s. Nothing was written.",
                        path=str(path),
                        reason=str(error.strerror or error),
                    )
                )
            )
            return
        self.notify(_("Wrote %(path)s.", path=str(path)), title=_("Published"))
