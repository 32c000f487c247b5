"""Response rates on screen: per decile, ward or wave, the letters, the registered households and
the weighted rate with its 95% interval, as figures and as a text bar chart, and where
engagement is weakest; S shows the second wave that would bring each group to its share. The rates are worked out in a worker (a frame of 300,000 addresses
takes a moment), by the same functions as `assembly invitations rates`."""

from __future__ import annotations

from typing import NamedTuple

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from assembly.core.i18n import N_, _
from assembly.invitations.errors import InvitationError
from assembly.invitations.purged import purged_on
from assembly.invitations.rates import (
    GroupRate,
    frame_counts,
    group_name,
    response_rates,
    second_wave,
    second_wave_lines,
    weakest,
)
from assembly.invitations.screens.chart import chart_scale, rate_bar
from assembly.ui.dialogs.message import InfoDialog
from assembly.ui.screens.base import ModeScreen

BY = ("decile", "ward", "wave")


class Grouping(NamedTuple):
    """What the screen says of one way of grouping the letters, each a whole message."""

    heading: str
    nameless: str  # a group with no value
    title: str
    none_weaker: str
    second_wave: str


GROUPINGS = {
    "decile": Grouping(
        N_("Decile"),
        N_("no decile"),
        N_("Response by decile · █ the rate, ├─┤ its 95%% interval, from 0 to %(scale)s"),
        N_("No decile answers less than the letters overall (%(rate)s)."),
        N_("A second wave, by decile"),
    ),
    "ward": Grouping(
        N_("Ward"),
        N_("no ward"),
        N_("Response by ward · █ the rate, ├─┤ its 95%% interval, from 0 to %(scale)s"),
        N_("No ward answers less than the letters overall (%(rate)s)."),
        N_("A second wave, by ward"),
    ),
    "wave": Grouping(
        N_("Wave"),
        N_("no wave"),
        N_("Response by wave · █ the rate, ├─┤ its 95%% interval, from 0 to %(scale)s"),
        N_("No wave answers less than the letters overall (%(rate)s)."),
        N_("A second wave, by wave"),
    ),
}
# the interval's confidence level, a figure in a message ("%(level)s interval")
LEVEL = "95%"
# what the table's other columns take of the width: their cells and a cell's padding each side
FIXED_COLUMNS = {"group": 10, "letters": 7, "registered": 10, "rate": 6, "interval": 14}
PADDING = 2 * (len(FIXED_COLUMNS) + 1) + 2  # and the table's scrollbar


def percent(rate: float) -> str:
    return f"{rate:.1%}"


def interval_text(g: GroupRate) -> str:
    return _("%(low)s to %(high)s", low=percent(g.low), high=percent(g.high))


class RatesScreen(ModeScreen):
    PURPOSE = N_(
        "Response rates: letters, registered households and the rate weighted by each "
        "letter's chance of being drawn, with its 95% interval. D by decile, W by ward, "
        "V by wave, S a second wave, Esc back."
    )
    MODE_LABEL = N_("Organiser · Response rates")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("d", "by('decile')", "By decile"),
        Binding("w", "by('ward')", "By ward"),
        Binding("v", "by('wave')", "By wave"),
        Binding("s", "second_wave", "Second wave"),
    ]
    DEFAULT_CSS = """
    RatesScreen #rates-title { padding: 0 1; height: auto; text-style: bold; }
    RatesScreen #rates-table { height: 1fr; }
    RatesScreen #rates-weakest { padding: 0 1; height: auto; }
    """

    class Worked(Message):
        """The rates for one grouping, worked out in the worker."""

        def __init__(
            self,
            by: str,
            groups: list[GroupRate],
            overall: GroupRate,
            frame: dict[str, tuple[int, int]],
        ) -> None:
            super().__init__()
            self.by, self.groups, self.overall, self.frame = by, groups, overall, frame

    def __init__(self, by: str = "decile") -> None:
        super().__init__()
        self.by = by
        self.shown: tuple[str, list[GroupRate], GroupRate] | None = None
        self.frame: dict[str, tuple[int, int]] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(_("Working out the response rates…"), id="rates-title", markup=False)
        yield DataTable(id="rates-table", zebra_stripes=True, cursor_type="row")
        yield Static("", id="rates-weakest", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.work_out(self.by)

    def action_by(self, by: str) -> None:
        self.by = by
        self.work_out(by)

    class Refused(Message):
        """The rates cannot be worked out yet (no letters drawn), and why."""

        def __init__(self, error: InvitationError) -> None:
            super().__init__()
            self.error = error

    @work(thread=True, exclusive=True, exit_on_error=False, group="rates")
    def work_out(self, by: str) -> None:
        try:
            groups, overall = response_rates(self.db, by)  # this thread's own connection
            frame = frame_counts(self.db, by)
        except InvitationError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Worked(by, groups, overall, frame))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "rates" and event.state == WorkerState.ERROR:
            self.assembly_app.report(event.worker.error)

    def on_rates_screen_refused(self, message: Refused) -> None:
        self.query_one("#rates-title", Static).update(
            _("No response rates: %(error)s", error=str(message.error))
        )
        self.assembly_app.show_error(message.error.title, str(message.error))

    def on_rates_screen_worked(self, message: Worked) -> None:
        if message.by == self.by:
            self.shown = (message.by, message.groups, message.overall)
            self.frame = message.frame
            self.show()

    def on_resize(self) -> None:
        if self.shown is not None:
            self.show()

    def chart_width(self) -> int:
        return max(10, self.size.width - sum(FIXED_COLUMNS.values()) - PADDING)

    def show(self) -> None:
        assert self.shown is not None
        by, groups, overall = self.shown
        every = [*groups, overall]
        scale, width = chart_scale(every), self.chart_width()
        grouping = GROUPINGS[by]
        top = f"{scale:.0%}"
        self.query_one("#rates-title", Static).update(_(grouping.title, scale=top))
        table = self.query_one("#rates-table", DataTable)
        table.clear(columns=True)
        table.add_column(_(grouping.heading), width=FIXED_COLUMNS["group"])
        table.add_column(_("Letters"), width=FIXED_COLUMNS["letters"])
        table.add_column(_("Registered"), width=FIXED_COLUMNS["registered"])
        table.add_column(_("Rate"), width=FIXED_COLUMNS["rate"])
        # Translators: level is the interval's confidence level, "95%"
        table.add_column(_("%(level)s interval", level=LEVEL), width=FIXED_COLUMNS["interval"])
        table.add_column(_("0 to %(scale)s", scale=top), width=width)
        for g in every:
            name = _("All") if g is overall else (g.group or _(grouping.nameless))
            table.add_row(
                name,
                f"{g.letters:,}",
                f"{g.registered:,}",
                f"{g.rate:.1%}",
                interval_text(g),
                rate_bar(g, scale, width),
            )
        low = weakest(groups, overall)
        rate = percent(overall.rate)
        lines = [_("Where engagement is weakest (below the %(rate)s overall):", rate=rate)]
        if not low:
            lines = [_(grouping.none_weaker, rate=rate)]
        lines += [
            "  "
            + _(
                "%(group)s: %(rate)s answered (95%% interval %(interval)s)",
                group=group_name(by, g.group),
                rate=percent(g.rate),
                interval=interval_text(g),
            )
            for g in low
        ]
        self.query_one("#rates-weakest", Static).update("\n".join(lines))

    def action_second_wave(self) -> None:
        """The letters that would bring each group to its share of the registrations, and the
        command that draws them (the same words as `assembly invitations rates`)."""
        if self.shown is None:
            return
        by, groups, overall = self.shown
        purged = purged_on(self.db)
        if purged:
            text = _(
                "The mailed list was purged on %(purged)s: no second wave can be drawn.",
                purged=purged,
            )
        elif by == "wave":
            text = _("A second wave is aimed at areas: press D (deciles) or W (wards) first.")
        else:
            lines = second_wave_lines(by, second_wave(groups, overall, self.frame))
            suggest = f"assembly invitations rates FILE --by {by} --suggest WAVE2.csv"  # not words
            draw = (
                "assembly invitations draw FILE --wave 2 --per-area WAVE2.csv "
                f"--area-field {by} --seed TEXT"  # not words
            )
            lines += ["", _("To draw it: %(suggest)s, then %(draw)s", suggest=suggest, draw=draw)]
            text = "\n".join(lines)
        self.app.push_screen(InfoDialog(_(GROUPINGS[by].second_wave), text))

    def action_back(self) -> None:
        self.app.pop_screen()
