"""The draw: compute the selection lottery in a worker (progress bar, Escape cancels), see every
respondent's selection probability as a plot, then hold the public draw: the seed read out in
public picks the panel, witnesses are recorded and the audit bundle is exported."""

from __future__ import annotations

import math
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker
from textual_plotext import PlotextPlot

from assembly.core.clock import show
from assembly.core.i18n import N_, Number, _
from assembly.core.library_words import shown
from assembly.organiser.draws import (
    ALGORITHMS,
    ROUNDING_SECONDS,
    DrawSummary,
    add_witness,
    compute_draw,
    draw_proof_message,
    draw_stopped_message,
    draw_summary,
    enter_seed,
    export_bundle,
    fidelity_message,
    latest_draw_id,
    panel_quota_table,
    probabilities,
    record_draw,
    refuse_new_draw_once_drawn,
)
from assembly.organiser.errors import OrganiserError
from assembly.organiser.members import drawn_names
from assembly.organiser.overview import draw_ids, feature_labels
from assembly.organiser.quotas import build_instance
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.screens.base import ModeScreen
from assembly.ui.widgets.labels import short_label
from sortition import FirstLevelProven


class DrawProgress(Message):
    """A step of the running draw; `proven` is the first level's minimum once it is proven."""

    def __init__(self, message: str, fraction: float | None, proven: float | None = None) -> None:
        super().__init__()
        self.message, self.fraction, self.proven = message, fraction, proven


def first_level_text(minimum: float) -> str:
    """The first level in words, shown while the other levels are still being proven. The
    minimum is cut (not rounded) to the two decimals shown, so the words are never more than
    what is proven."""
    shown = math.floor(minimum * 10000) / 100
    return _(
        "Proven so far: nobody's chance is below %(shown)s%%; making the rest as fair as possible…",
        shown=format(shown, ".2f"),
    )


class _WorkerCancel:
    """The library's cancel token, set when the worker is cancelled (Escape)."""

    def __init__(self, worker) -> None:
        self.worker = worker

    def is_set(self) -> bool:
        return self.worker.is_cancelled


class DrawScreen(ModeScreen):
    PURPOSE = N_(
        "R runs a draw (G algorithm, T time limit, Esc cancels). Announce the commitment (C "
        "copies it), then S enters the public seed. W adds a witness, X exports the audit "
        "bundle, N/P other draws."
    )
    MODE_LABEL = N_("Organiser · Draw")
    BINDINGS = [
        Binding("escape", "back_or_cancel", "Back"),
        Binding("r", "run", "Run"),
        Binding("g", "algorithm", "Algorithm", show=False),
        Binding("t", "time_limit", "Limit"),
        Binding("s", "seed", "Seed"),
        Binding("w", "witness", "Witness"),
        Binding("x", "export", "Bundle"),
        Binding("c", "copy_commitment", "Copy"),
        Binding("n", "step(1)", "Next", show=False),
        Binding("p", "step(-1)", "Prev", show=False),
    ]
    DEFAULT_CSS = """
    DrawScreen #draw-status { padding: 0 1; height: auto; }
    DrawScreen #draw-settings { padding: 0 1; height: 1; }
    DrawScreen #commitment, DrawScreen #witnesses { padding: 0 1; height: auto; }
    DrawScreen #draw-progress { padding: 0 1; height: 1; }
    DrawScreen #draw-top { height: 3fr; min-height: 5; }
    DrawScreen #probability-plot { width: 1fr; }
    DrawScreen #draw-summary-box { width: 36; }
    DrawScreen #draw-summary { padding: 0 1; }
    DrawScreen #draw-bottom { height: 2fr; min-height: 3; }
    DrawScreen #panel-quotas { width: 3fr; }
    DrawScreen #panel-members { width: 2fr; }
    """

    rounding_seconds = ROUNDING_SECONDS
    # LEXIMIN/MAXIMIN can run for many minutes on a large pool with many distinct feature
    # combinations; at the limit they keep the fairest lottery found so far. None = no limit.
    TIME_LIMITS: tuple[int | None, ...] = (2, 10, 30, 60, None)  # minutes
    DEFAULT_TIME_LIMIT = 10

    def __init__(self) -> None:
        super().__init__()
        self.algorithm = "leximin"
        self.time_limit_minutes: int | None = self.DEFAULT_TIME_LIMIT
        self.draw_id: int | None = None
        self.running = False
        self.running_minutes: str | None = None  # the time limit of the running draw
        self.proven_so_far = ""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="draw-status", markup=False)
        yield Static("", id="draw-settings", markup=False)
        # whole, on its own line: it is read out or published before the seed, so nobody should
        # have to copy it from a cut-off panel
        yield Static("", id="commitment", markup=False)
        yield Static("", id="witnesses", markup=False)
        yield ProgressBar(id="draw-progress", show_eta=False)
        with Horizontal(id="draw-top"):
            yield PlotextPlot(id="probability-plot")
            with VerticalScroll(id="draw-summary-box"):
                yield Static("", id="draw-summary", markup=False)
        with Horizontal(id="draw-bottom"):
            with Vertical(id="panel-quotas"):
                yield DataTable(id="panel-quota-table", zebra_stripes=True, cursor_type="row")
            with Vertical(id="panel-members"):
                yield DataTable(id="panel-member-table", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#draw-progress", ProgressBar).display = False
        self.query_one("#panel-quota-table", DataTable).add_columns(
            # the counts first: after a long category label they fell off a 120-column screen
            "",
            _("Selected"),
            _("Min"),
            _("Max"),
            _("Category"),
            _("Value"),
            _("Pool share"),
            _("Target share"),
        )
        self.query_one("#panel-member-table", DataTable).add_columns(_("No."), _("Id"), _("Name"))
        self.draw_id = latest_draw_id(self.db)
        self._show_settings()
        self.show_draw()

    def _status(self, text: str) -> None:
        self.query_one("#draw-status", Static).update(text)

    def settings_text(self) -> str:
        algorithm = self.algorithm.upper()
        if self.algorithm == "legacy":
            return _(
                "Next draw: %(algorithm)s, no time limit needed (the legacy method is quick)",
                algorithm=algorithm,
            )
        if self.time_limit_minutes is None:
            return _("Next draw: %(algorithm)s, no time limit (T changes)", algorithm=algorithm)
        return _(
            "Next draw: %(algorithm)s, time limit %(minutes)s min (T changes)",
            algorithm=algorithm,
            minutes=self.time_limit_minutes,
        )

    def _show_settings(self) -> None:
        self.query_one("#draw-settings", Static).update(self.settings_text())

    def _time_limit_seconds(self) -> float | None:
        if self.algorithm == "legacy" or self.time_limit_minutes is None:
            return None
        return self.time_limit_minutes * 60.0

    # ------------------------------------------------------------ running

    def action_algorithm(self) -> None:
        if self.running:
            return
        self.algorithm = ALGORITHMS[(ALGORITHMS.index(self.algorithm) + 1) % len(ALGORITHMS)]
        self._show_settings()
        self._status(
            _("Algorithm: %(algorithm)s. Press R to run a draw.", algorithm=self.algorithm.upper())
        )

    def action_time_limit(self) -> None:
        if self.running:
            return
        limits = self.TIME_LIMITS
        self.time_limit_minutes = limits[(limits.index(self.time_limit_minutes) + 1) % len(limits)]
        self._show_settings()

    def action_run(self) -> None:
        if self.running:
            self.app.notify(_("A draw is already running."), severity="warning")
            return
        try:
            refuse_new_draw_once_drawn(self.db)
        except OrganiserError as error:
            self.assembly_app.show_error(error.title, str(error))
            return
        self.running = True
        self.proven_so_far = ""
        bar = self.query_one("#draw-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        limit = self._time_limit_seconds()
        self.running_minutes = None if limit is None else f"{limit / 60:g}"
        algorithm = self.algorithm.upper()
        self._status(
            _(
                "Running a %(algorithm)s draw … (stops at %(minutes)s min with the fairest "
                "found; Esc cancels)",
                algorithm=algorithm,
                minutes=self.running_minutes,
            )
            if self.running_minutes is not None
            else _("Running a %(algorithm)s draw … (Esc cancels)", algorithm=algorithm)
        )
        self.draw_worker(self.algorithm, limit)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draw")
    def draw_worker(self, algorithm: str, time_limit: float | None = None) -> int:
        worker = get_current_worker()
        assembly = self.assembly_app.assembly
        db = assembly.db()
        instance = build_instance(db)

        def progress(event) -> None:
            if not worker.is_cancelled:
                proven = event.minimum if isinstance(event, FirstLevelProven) else None
                self.post_message(DrawProgress(shown(event.message), event.fraction, proven))

        computed = compute_draw(
            instance,
            algorithm,
            progress=progress,
            cancel=_WorkerCancel(worker),
            rounding_seconds=self.rounding_seconds,
            time_limit=time_limit,
        )
        if worker.is_cancelled:
            from sortition import Cancelled

            raise Cancelled("the draw was cancelled")  # not words
        return record_draw(db, computed, self.clock)

    def on_draw_progress(self, message: DrawProgress) -> None:
        bar = self.query_one("#draw-progress", ProgressBar)
        if message.fraction is None:
            bar.update(total=None)
        else:
            bar.update(total=100, progress=message.fraction * 100)
        if message.proven is not None:
            self.proven_so_far = first_level_text(message.proven)
        algorithm = self.algorithm.upper()
        text = (
            _(
                "%(algorithm)s: %(step)s (stops at %(minutes)s min with the fairest found; "
                "Esc cancels)",
                algorithm=algorithm,
                step=message.message,
                minutes=self.running_minutes,
            )
            if self.running_minutes is not None
            else _(
                "%(algorithm)s: %(step)s (Esc cancels)", algorithm=algorithm, step=message.message
            )
        )
        self._status(text + (f"\n{self.proven_so_far}" if self.proven_so_far else ""))

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "draw":
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self.running = False
        self.query_one("#draw-progress", ProgressBar).display = False
        if event.state == WorkerState.SUCCESS:
            self.draw_id = event.worker.result
            self.show_draw()
            self.app.notify(_("Draw %(draw)s computed.", draw=self.draw_id), title=_("Draw"))
            return
        from sortition import Cancelled

        error = event.worker.error
        if event.state == WorkerState.CANCELLED or isinstance(error, Cancelled):
            self._status(_("The draw was cancelled; nothing was recorded."))
        elif isinstance(error, OrganiserError):
            self._status(f"✗ {error.title}")
            self.assembly_app.show_error(error.title, str(error))
        else:
            self._status(_("✗ The draw failed."))
            self.assembly_app.report(error)

    def action_back_or_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "draw")
            self._status(_("Cancelling the draw …"))
            return
        self.app.pop_screen()

    # ------------------------------------------------------------ showing

    def action_step(self, step: int) -> None:
        ids = draw_ids(self.db)
        if not ids or self.draw_id is None:
            return
        i = ids.index(self.draw_id) + step
        if 0 <= i < len(ids):
            self.draw_id = ids[i]
            self.show_draw()

    def show_draw(self) -> None:
        if self.draw_id is None:
            self._status(
                _(
                    "No draw yet. Algorithm: %(algorithm)s (G changes). Press R to run one.",
                    algorithm=self.algorithm.upper(),
                )
            )
            self.query_one("#draw-summary", Static).update("")
            self.query_one("#commitment", Static).update("")
            self.query_one("#witnesses", Static).update("")
            return
        summary = draw_summary(self.db, self.draw_id)
        if summary.drawn:
            text = _(
                "Draw %(draw)s of %(count)s (%(algorithm)s): panel number %(panel)s drawn.",
                draw=summary.id,
                count=self._count(),
                algorithm=summary.algorithm,
                panel=summary.panel_index,
            )
        else:
            text = _(
                "Draw %(draw)s of %(count)s (%(algorithm)s): waiting for the seed.",
                draw=summary.id,
                count=self._count(),
                algorithm=summary.algorithm,
            )
        if draw_proof_message(summary):
            text += " " + _("✓ Proven the fairest.")
        stopped = draw_stopped_message(summary)
        self._status(text + (f"\n⚠ {stopped}" if stopped else ""))
        self.query_one("#draw-summary", Static).update(self._summary_text(summary))
        self.query_one("#commitment", Static).update(
            _(
                "Commitment (announce before the seed; C copies it): %(commitment)s",
                commitment=summary.commitment,
            )
        )
        people = "; ".join(w.name for w in summary.witnesses)  # roles: in the summary
        self.query_one("#witnesses", Static).update(
            _("Witnesses (%(count)s): %(people)s", count=len(summary.witnesses), people=people)
            if summary.witnesses
            else _("No witnesses recorded yet (W records one).")
        )
        self._plot(summary)
        self._tables(summary)

    def _count(self) -> int:
        return len(draw_ids(self.db))

    def _summary_text(self, s: DrawSummary) -> str:
        tz = self.assembly_app.timezone
        # the two figures the screen is for first, each short enough for one line of the
        # panel: at 80x24 the panel shows about six lines and the rest scrolls
        lines = [
            _("Minimum chance: %(chance)s", chance=format(s.min_probability, ".2%")),
            _("Rounding change: ≤ %(points)s points", points=format(s.largest_change * 100, ".2f")),
            _("Draw %(draw)s: %(algorithm)s", draw=s.id, algorithm=s.algorithm.upper()),
            _(
                "Panel of %(size)s from %(pool)s respondents",
                size=s.panel_size,
                pool=Number(s.pool_size),
            ),
            _(
                "Computed %(when)s in %(seconds)s s",
                when=show(s.created_at, tz),
                seconds=format(s.seconds, ".1f"),
            ),
            _(
                "Chart's line: an equal chance for all, %(size)s/%(pool)s = %(chance)s",
                size=s.panel_size,
                pool=Number(s.pool_size),
                chance=format(s.panel_size / max(s.pool_size, 1), ".2%"),
            ),
            *(
                [
                    _(
                        "⚠ Stopped at its budget: fairest found, not proven fairest "
                        "(ceiling %(ceiling)s)",
                        ceiling=format(s.upper_bound, ".2%"),
                    )
                    if s.upper_bound is not None
                    else _("⚠ Stopped at its budget: fairest found, not proven fairest")
                ]
                if s.stopped_early
                else []
            ),
            *([f"✓ {proven}"] if (proven := draw_proof_message(s)) else []),
            _(
                "Lottery: %(size)s numbered panels (0–%(last)s)",
                size=s.lottery_size,
                last=s.lottery_size - 1,
            ),
            fidelity_message(s.lottery_size, s.largest_change),
            "",
        ]
        if s.drawn:
            lines += [
                _("✓ Drawn %(when)s", when=show(s.drawn_at, tz)),
                _("Seed: %(seed)s", seed=s.seed),
                _("Panel number: %(panel)s", panel=s.panel_index),
            ]
        else:
            lines.append(_("Not drawn yet: press S to enter the public seed."))
        lines.append("")
        lines.append(
            _("Witnesses (%(count)s):", count=len(s.witnesses))
            if s.witnesses
            else _("No witnesses recorded.")
        )
        lines += [f"  • {w.name}" + (f", {w.role}" if w.role else "") for w in s.witnesses]
        return "\n".join(lines)

    def _plot(self, summary: DrawSummary) -> None:
        values = sorted(probabilities(self.db, summary.id).values())
        plot = self.query_one("#probability-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot(list(range(1, len(values) + 1)), values, marker="braille")
        plt.hline(summary.panel_size / max(summary.pool_size, 1))
        # no axis label: at 80x24 each text row it takes is a row fewer of the chart
        plt.title(_("Each respondent's chance, lowest first"))
        plt.ylim(0, max(values) * 1.05 if values else 1)
        plot.refresh()

    def _tables(self, summary: DrawSummary) -> None:
        quotas = self.query_one("#panel-quota-table", DataTable)
        quotas.clear()
        members = self.query_one("#panel-member-table", DataTable)
        members.clear()
        if not summary.drawn:
            return
        labels = feature_labels(self.db)
        for row in panel_quota_table(self.db, summary.id):
            quotas.add_row(
                "✓" if row.met else "✗",
                str(row.selected),
                str(row.min),
                str(row.max),
                short_label(labels.get(row.feature, row.feature)),
                row.value,
                f"{row.pool_share:.1%}",
                "—" if row.target_share is None else f"{row.target_share:.1%}",
            )
        names = drawn_names(self.db, summary.id)
        for ref in summary.panel:
            number, name = names.get(ref, ("", ""))
            members.add_row(str(number), ref, name)

    # ------------------------------------------------------------ the public draw

    def _need_draw(self) -> bool:
        if self.draw_id is None:
            self.app.notify(_("Run a draw first (R)."), severity="warning")
            return False
        return True

    def action_seed(self) -> None:
        if not self._need_draw():
            return
        draw_id = self.draw_id

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                summary = enter_seed(self.db, draw_id, values["seed"], self.clock)
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.app.notify(
                _(
                    "Panel number %(panel)s: %(members)s members selected.",
                    panel=summary.panel_index,
                    members=len(summary.panel),
                ),
                title=_("Public draw"),
            )
            self.show_draw()

        self.app.push_screen(
            FormDialog(
                _("Public draw %(draw)s: enter the seed", draw=draw_id),
                [
                    FormField(
                        "seed",
                        _("Seed, exactly as read out"),
                        placeholder=_("e.g. 14 27 33 41 48 09"),
                    )
                ],
                help_text=_(
                    "Panel number = SHA-256 of the seed text, modulo the lottery size. "
                    "This cannot be undone."
                ),
            ),
            done,
        )

    def action_copy_commitment(self) -> None:
        if self.draw_id is None:
            self.notify(_("There is no draw yet, so no commitment."), severity="warning")
            return
        commitment = draw_summary(self.db, self.draw_id).commitment
        self.app.copy_to_clipboard(commitment)
        self.notify(
            _(
                "Copied %(start)s… (the terminal must allow copying; "
                "`assembly draw show` prints it too).",
                start=commitment[:12],
            ),
            title=_("Commitment copied"),
        )

    def action_witness(self) -> None:
        if not self._need_draw():
            return
        draw_id = self.draw_id

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                add_witness(self.db, draw_id, values["name"], values["role"], self.clock)
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.show_draw()

        self.app.push_screen(
            FormDialog(
                _("Record a witness"),
                [
                    FormField("name", _("Name")),
                    FormField("role", _("Role (e.g. Councillor, observer)")),
                ],
            ),
            done,
        )

    def action_export(self) -> None:
        if not self._need_draw():
            return
        draw_id = self.draw_id
        base = Path(self.assembly_app.assembly.path)
        stem = base.name.split(".")[0]
        default = base.with_name(f"{stem}-draw-{draw_id}-bundle.json")  # not words

        def done(values: dict[str, str] | None) -> None:
            if values is None or not values["path"].strip():
                return
            try:
                path = export_bundle(self.db, draw_id, values["path"].strip())
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.app.notify(_("Wrote %(path)s", path=path), title=_("Audit bundle"))

        self.app.push_screen(
            FormDialog(
                _("Export the audit bundle"),
                [FormField("path", _("File"), value=str(default))],
                help_text=_(
                    "The bundle holds ids, features and the lottery; no names or contacts."
                ),
            ),
            done,
        )
