"""Facilitator: small-group table plans. Choose who is in the room, how many tables and rounds,
and the pins; make the plan in the background (Escape cancels); read each round's tables with
their mix and repeats; export a plan to print."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from assembly.core.i18n import N_, Number, _, ngettext, working
from assembly.tables.plans import export_csv, export_markdown
from assembly.tables.typed_pins import EXAMPLES, read_pin
from assembly.ui.dialogs.replace import write_unless_kept
from assembly.ui.screens.base import ModeScreen
from sortition.files import PRIVATE, write_atomic

ALL_PANEL = -1
ALL_ROUNDS = 0

# Each number box's complaint, whole, by the box's id.
NOT_WHOLE = {
    "tables": N_("Tables: %(text)s is not a whole number."),
    "rounds": N_("Rounds: %(text)s is not a whole number."),
    "seed": N_("Seed: %(text)s is not a whole number."),
}
NOT_REPEATS = N_("Avoid repeats: %(text)s is not a number from 0 to 100.")


@dataclass(frozen=True)
class PlanRequest:
    tables: int
    rounds: int
    seed: int
    session_id: int | None
    repeat_weight: float


class TablePlanScreen(ModeScreen):
    PURPOSE = N_(
        "Table plans: Ctrl+R make a plan · Esc cancel (or go back) · Ctrl+O export Markdown and "
        "CSV · type pins below (apart 3 7 / together 4 5 / interpreter 3 BSL / remove 2)."
    )
    MODE_LABEL = N_("Facilitator · table plans")

    BINDINGS = [
        Binding("ctrl+r", "make_plan", "Make plan"),
        Binding("escape", "cancel_or_back", "Cancel / back"),
        Binding("ctrl+o", "export", "Export plan (Markdown + CSV)"),
    ]

    DEFAULT_CSS = """
    TablePlanScreen .settings { height: auto; padding: 0 1; }
    TablePlanScreen .settings Label { padding: 0 1 0 0; }
    TablePlanScreen #who Static, TablePlanScreen #who SelectCurrent { height: 1; }
    TablePlanScreen .settings Input { width: 9; margin-right: 1; }
    TablePlanScreen #who { width: 40; }
    TablePlanScreen #round-filter { width: 24; }
    TablePlanScreen #pin-row { height: auto; padding: 0 1; margin-top: 1; }
    TablePlanScreen #pin-row Label { padding: 0 1 0 0; }
    TablePlanScreen #pin-input { width: 1fr; }
    TablePlanScreen #pins { padding: 0 1; height: auto; color: $text-muted; }
    TablePlanScreen #status { padding: 0 1; height: auto; }
    TablePlanScreen #progress { padding: 0 1; display: none; }
    TablePlanScreen #progress.running { display: block; }
    TablePlanScreen #mix { height: 1fr; min-height: 4; }
    TablePlanScreen #seat-table { min-height: 4; }
    TablePlanScreen #views .section-title { padding: 0 1; }
    TablePlanScreen #mix-detail { height: auto; max-height: 8; padding: 0 1; background: $boost; }
    TablePlanScreen #views { height: 1fr; }
    TablePlanScreen #table-mix { width: 1fr; }
    TablePlanScreen.short #pin-row { margin-top: 0; }
    TablePlanScreen.short #mix-detail { max-height: 3; }
    TablePlanScreen #seats { width: 1fr; }
    """

    class Progressed(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Finished(Message):
        def __init__(self, plan_id: int | None, note: str) -> None:
            super().__init__()
            self.plan_id, self.note = plan_id, note

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, session_id: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.plan_id: int | None = None
        self._worker: Worker | None = None
        self._saved = None

    @property
    def worker(self) -> Worker | None:
        """The planner's current (or last) run, for whoever waits for it or cancels it."""
        return self._worker

    def compose_body(self) -> ComposeResult:
        # two rows, so Seed and Avoid repeats are on an 80-column screen too
        with Horizontal(id="settings", classes="settings"):
            yield Label(_("Who"))
            yield Select(
                [(_("All panel members"), ALL_PANEL)], id="who", allow_blank=False, compact=True
            )
            yield Label(_("Show"))
            yield Select(
                [(_("All rounds"), ALL_ROUNDS)], id="round-filter", allow_blank=False, compact=True
            )
        with Horizontal(id="numbers", classes="settings"):
            yield Label(_("Tables"))
            # plain text, checked as typed: an integer-only box dropped the letters of a pin
            # typed into the wrong field ('apart 5 8' became Rounds 58) without a word
            yield Input("6", id="tables", classes="number", compact=True)
            yield Label(_("Rounds"))
            yield Input("3", id="rounds", classes="number", compact=True)
            yield Label(_("Seed"))
            yield Input("1", id="seed", classes="number", compact=True)
            yield Label(_("Avoid repeats"))
            yield Input(
                "2",
                id="repeat-weight",
                classes="number",
                compact=True,
                tooltip=_("Higher: fewer pairs meet twice, tables mirror the room a little less"),
            )
        with Horizontal(id="pin-row"):
            yield Label(_("Pin"))
            # the pins as typed, in the working language's words or in English (`typed_pins`)
            yield Input(placeholder=_(EXAMPLES), id="pin-input", compact=True)
        yield Static(id="pins", markup=False)
        yield Static(_("No plan yet: press Ctrl+R to make one."), id="status", markup=False)
        yield ProgressBar(id="progress", total=100, show_eta=False)
        with Horizontal(id="views"):
            with Vertical(id="table-mix"):
                yield Static(_("Tables and their mix"), classes="section-title")
                yield DataTable(id="mix", zebra_stripes=True, cursor_type="row")
                yield Static(id="mix-detail", markup=False)
            with Vertical(id="seats"):
                yield Static(_("Who sits where (↻ = met before)"), classes="section-title")
                yield DataTable(id="seat-table", zebra_stripes=True, cursor_type="row")

    SHORT_BELOW = 30
    """Rows under which the gaps go and the table's mix detail shrinks (it scrolls), so the
    tables and their mix show more than two rows on a laptop's 24."""

    def on_resize(self) -> None:
        self.set_class(self.size.height < self.SHORT_BELOW, "short")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_class(self.app.size.height < self.SHORT_BELOW, "short")
        from assembly.tables.plans import list_plans, sessions_with_attendance

        db = self.db
        sessions = sessions_with_attendance(db)
        who = self.query_one("#who", Select)
        who.set_options(
            [(_("All panel members"), ALL_PANEL)] + [(label, sid) for sid, label in sessions]
        )
        if self.session_id is not None:
            if any(sid == self.session_id for sid, _label in sessions):
                who.value = self.session_id
            else:
                self.notify(
                    _(
                        "Session %(session)s has no attendance yet: planning for all panel "
                        "members.",
                        session=self.session_id,
                    ),
                    title=_("No attendance"),
                )
        self.query_one("#mix", DataTable).add_columns(
            _("Round"), _("Table"), _("Seats"), _("Mix gap"), _("Mix"), _("Repeats")
        )
        self.query_one("#seat-table", DataTable).add_columns(
            _("Round"), _("Table"), _("No."), _("Name"), _("Notes")
        )
        self._show_pins()
        plans = list_plans(db)
        if plans:
            self._show_plan(plans[0].id)
        self.query_one("#pin-input", Input).focus()  # the purpose line says "type pins below"

    # ---------------------------------------------------------------- pins

    def _show_pins(self) -> None:
        from assembly.tables.plans import list_pins

        pins = list_pins(self.db)
        listed = "; ".join(f"[{p.id}] {working().text(p.describe())}" for p in pins)
        text = _("Pins: %(pins)s", pins=listed) if pins else _("Pins: No pins.")
        self.query_one("#pins", Static).update(text)

    @on(Input.Changed, ".number")
    def _number_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if event.input.id in NOT_WHOLE:
            bad = not text.isdigit()
            what = _(NOT_WHOLE[event.input.id], text=repr(text))
        else:
            try:
                bad = not 0 <= float(text) <= 100
            except ValueError:
                bad = True
            what = _(NOT_REPEATS, text=repr(text))
        if bad:
            self.query_one("#status", Static).update(
                _("⚠ %(problem)s Pins (apart 3 7 …) go in the Pin box.", problem=what)
            )
            self._number_warning = True
        elif getattr(self, "_number_warning", False):
            self._number_warning = False
            self.query_one("#status", Static).update(
                _("Ctrl+R makes the plan with these settings.")
            )

    @on(Input.Submitted, "#pin-input")
    def _pin_submitted(self, event: Input.Submitted) -> None:
        from assembly.tables.plans import add_pin, remove_pin

        db, clock = self.db, self.clock
        try:
            pin = read_pin(event.value)
            if pin.kind == "remove":
                remove_pin(db, pin.numbers[0])
            elif pin.kind == "interpreter":
                add_pin(db, "interpreter", pin.numbers[0], clock, label=pin.label)
            else:
                add_pin(db, pin.kind, pin.numbers[0], clock, other_number=pin.numbers[1])
        except ValueError as error:  # TablePlanRequestError is a ValueError
            self.assembly_app.show_error(_("Cannot change the pins"), str(error))
            return
        event.input.value = ""
        self._show_pins()
        self.notify(_("Pins changed: make the plan again (Ctrl+R) to use them."), title=_("Pins"))

    # ---------------------------------------------------------------- making a plan

    def _request(self) -> PlanRequest | None:
        values = {}
        for key in ("tables", "rounds", "seed"):
            text = self.query_one(f"#{key}", Input).value.strip()
            try:
                values[key] = int(text)
            except ValueError:
                self.assembly_app.show_error(
                    _("Cannot make the table plan"), _(NOT_WHOLE[key], text=repr(text))
                )
                return None
        text = self.query_one("#repeat-weight", Input).value.strip()
        try:
            weight = float(text)
        except ValueError:
            weight = -1.0
        if not 0 <= weight <= 100:
            self.assembly_app.show_error(
                _("Cannot make the table plan"), _(NOT_REPEATS, text=repr(text))
            )
            return None
        if not 1 <= values["rounds"] <= 12:
            self.assembly_app.show_error(_("Cannot make the table plan"), _("Rounds: use 1 to 12."))
            return None
        who = self.query_one("#who", Select).value
        session = None if who in (ALL_PANEL, Select.BLANK) else int(who)
        return PlanRequest(values["tables"], values["rounds"], values["seed"], session, weight)

    def action_make_plan(self) -> None:
        if self._worker is not None and self._worker.is_running:
            self.notify(_("A plan is already being made; Esc cancels it."))
            return
        request = self._request()
        if request is None:
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=100, progress=0)
        bar.add_class("running")
        self.query_one("#status", Static).update(_("Making the plan… (Esc cancels)"))
        self._worker = self._make_plan(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="table-plan")
    def _make_plan(self, request: PlanRequest) -> None:
        from assembly.tables.plans import TablePlanRequestError, make_plan, save_plan

        worker = get_current_worker()
        db = self.db
        try:
            result = make_plan(
                db,
                tables=request.tables,
                rounds=request.rounds,
                seed=request.seed,
                session_id=request.session_id,
                repeat_weight=request.repeat_weight,
                progress=lambda done, total: self.post_message(self.Progressed(done, total)),
                should_stop=lambda: worker.is_cancelled,
            )
        except TablePlanRequestError as error:
            self.post_message(self.Failed(str(error)))
            return
        if result.plan.cancelled or worker.is_cancelled:
            self.post_message(self.Finished(None, _("Cancelled: no plan was saved.")))
            return
        plan_id = save_plan(db, result, self.clock)
        skipped = (
            _(
                "Set aside (someone is not in the room): %(pins)s.",
                pins="; ".join(working().text(pin.describe()) for pin in result.skipped_pins),
            )
            if result.skipped_pins
            else ""
        )
        self.post_message(self.Finished(plan_id, skipped))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.query_one("#progress", ProgressBar).remove_class("running")
        if message.plan_id is None:
            self.query_one("#status", Static).update(message.note)
            return
        self._show_plan(message.plan_id, note=message.note)
        self.notify(_("Table plan %(plan)s saved.", plan=message.plan_id), title=_("Plan made"))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#progress", ProgressBar).remove_class("running")
        self.query_one("#status", Static).update(_("✗ No plan: %(reason)s", reason=message.text))
        self.assembly_app.show_error(_("Cannot make the table plan"), message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "table-plan":
            return
        if event.state == WorkerState.ERROR:
            self.query_one("#progress", ProgressBar).remove_class("running")
            self.assembly_app.report(event.worker.error)
        elif event.state == WorkerState.CANCELLED:
            self.query_one("#progress", ProgressBar).remove_class("running")
            self.query_one("#status", Static).update(_("Cancelled: no plan was saved."))

    def action_cancel_or_back(self) -> None:
        if self._worker is not None and self._worker.is_running:
            self._worker.cancel()
            self.query_one("#status", Static).update(_("Cancelling…"))
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # ---------------------------------------------------------------- showing a plan

    def _show_plan(self, plan_id: int, note: str = "") -> None:
        from assembly.tables.plans import load_plan

        saved = load_plan(self.db, plan_id)
        self.plan_id = plan_id
        self._saved = saved
        flag = (
            _("✓ no pair meets twice")
            if saved.repeat_pairs == 0
            else ngettext(
                "↻ %(num)s pair meet more than once",
                "↻ %(num)s pairs meet more than once",
                saved.repeat_pairs,
                num=Number(saved.repeat_pairs),
            )
        )
        gap = f"{saved.diversity_l1:.1f}"
        status = _(
            "Plan %(plan)s: %(title)s. %(flag)s. Mix gap %(gap)s people in all (0 is best: every "
            "table mirrors the room).",
            plan=saved.id,
            title=saved.title,
            flag=flag,
            gap=gap,
        )
        self.query_one("#status", Static).update(f"{status} {note}" if note else status)
        rounds = self.query_one("#round-filter", Select)
        rounds.set_options(
            [(_("All rounds"), ALL_ROUNDS)]
            + [(_("Round %(round)s", round=r), r) for r in range(1, saved.rounds + 1)]
        )
        self._fill_tables(ALL_ROUNDS)

    @on(Select.Changed, "#round-filter")
    def _round_changed(self, event: Select.Changed) -> None:
        if self._saved is not None and event.value is not Select.BLANK:
            self._fill_tables(int(event.value))

    @on(DataTable.RowHighlighted, "#mix")
    def _mix_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from assembly.tables.plans import mix_words

        if self._saved is None or event.row_key is None or event.row_key.value is None:
            return
        r, t = (int(x) for x in str(event.row_key.value).split(":"))
        view = self._saved.views[r - 1][t - 1]
        values = {
            "round": r,
            "table": t,
            "seats": Number(len(view.seats)),
            "gap": f"{view.gap:.1f}",
            "mix": mix_words(view),
        }
        self.query_one("#mix-detail", Static).update(
            _(
                "Round %(round)s, table %(table)s (%(seats)s seats, %(gap)s people off the "
                "room's mix): %(mix)s. With: %(interpreters)s.",
                interpreters=", ".join(view.interpreters),
                **values,
            )
            if view.interpreters
            else _(
                "Round %(round)s, table %(table)s (%(seats)s seats, %(gap)s people off the "
                "room's mix): %(mix)s.",
                **values,
            )
        )

    def _fill_tables(self, only_round: int) -> None:
        from assembly.tables.plans import mix_words, repeat_words

        saved = self._saved
        mix = self.query_one("#mix", DataTable)
        seats = self.query_one("#seat-table", DataTable)
        mix.clear()
        seats.clear()
        for row in saved.views:
            for view in row:
                if only_round and view.round != only_round:
                    continue
                pairs = len(
                    {frozenset((s.number, n)) for s in view.seats for n, _round in s.met_before}
                )
                interp = f" · {', '.join(view.interpreters)}" if view.interpreters else ""
                mix.add_row(
                    str(view.round),
                    str(view.table),
                    str(len(view.seats)),
                    f"{view.gap:.1f}",
                    mix_words(view) + interp,
                    ngettext(
                        "↻ %(num)s repeat pair", "↻ %(num)s repeat pairs", pairs, num=Number(pairs)
                    )
                    if pairs
                    else _("✓ none"),
                    key=f"{view.round}:{view.table}",
                )
                for seat in view.seats:
                    notes = "; ".join(x for x in (seat.pinned, repeat_words(seat)) if x)
                    seats.add_row(
                        str(view.round),
                        str(view.table),
                        str(seat.number),
                        seat.name or _("(name removed)"),
                        notes,
                    )

    # ---------------------------------------------------------------- export

    def action_export(self) -> None:
        saved = self._saved
        if saved is None:
            self.notify(
                _("Make a plan first (Ctrl+R)."), title=_("Nothing to export"), severity="warning"
            )
            return
        path: Path = self.assembly_app.assembly.path
        base = f"{path.stem}.tables-{saved.id}"
        md, csv_path = path.with_name(f"{base}.md"), path.with_name(f"{base}.csv")
        write_unless_kept(self.app, [md, csv_path], lambda: self._write_plan(saved, md, csv_path))

    def _write_plan(self, saved, md: Path, csv_path: Path) -> None:
        try:
            write_atomic(md, export_markdown(saved), mode=PRIVATE)  # owner-only: members' names
            write_atomic(csv_path, export_csv(saved), mode=PRIVATE)
        except OSError as error:
            self.assembly_app.show_error(_("Cannot export the table plan"), f"{md.parent}: {error}")
            return
        self.notify(
            _(
                "Wrote %(markdown)s (to print) and %(csv)s in %(folder)s.",
                markdown=md.name,
                csv=csv_path.name,
                folder=str(md.resolve().parent),
            ),
            title=_("Exported"),
            timeout=15,
        )
