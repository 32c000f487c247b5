"""The response rates screen: the same figures as `assembly invitations rates`, switched between
decile, ward and wave by key, a bar per group whose length follows its rate, where engagement
is weakest, and a plain refusal before any letter is drawn. The bars are checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assembly.core.clock import FixedClock
from assembly.invitations.rates import GroupRate
from assembly.invitations.screens.chart import chart_scale, rate_bar
from assembly.invitations.screens.rates import RatesScreen
from assembly.store import create_assembly, open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ErrorDialog, InfoDialog
from tests.invitations.conftest import START, run
from tests.invitations.mailed import mail_borough


def _g(rate: float, low: float, high: float) -> GroupRate:
    return GroupRate("x", 100, 10, rate, low, high)


@pytest.mark.parametrize(
    ("group", "scale", "width", "bar"),
    [
        # 10% of 20% on 20 cells: 10 cells of bar; the interval 5% to 15%, cells 5 to 14
        (_g(0.10, 0.05, 0.15), 0.20, 20, "█████├████────┤     "),
        (_g(0.50, 0.25, 0.75), 1.0, 8, "██├█─┤  "),
        (_g(0.15, 0.10, 0.20), 0.20, 10, "█████├█▌─┤"),  # 7.5 cells: half a block
        (_g(0.0, 0.0, 0.30), 0.30, 10, "├────────┤"),  # nobody answered: no bar at all
        (_g(0.125, 0.10, 0.15), 1.0, 8, "├┤      "),  # bar and interval within two cells
    ],
)
def test_bars_by_hand(group: GroupRate, scale: float, width: int, bar: str) -> None:
    assert rate_bar(group, scale, width) == bar


def test_scale_is_a_whole_five_percent_above_every_interval() -> None:
    assert chart_scale([_g(0.1, 0.05, 0.131), _g(0.2, 0.1, 0.26)]) == pytest.approx(0.30)
    assert chart_scale([_g(0.01, 0.0, 0.02)]) == pytest.approx(0.05)
    assert chart_scale([_g(0.5, 0.4, 0.6)]) == pytest.approx(0.60)


@pytest.fixture
def answered(tmp_path: Path) -> Path:
    path = tmp_path / "answered.assembly.db"
    create_assembly(path, name="Kingsbridge", clock=FixedClock(START)).close()
    mail_borough(path, tmp_path / "frame")
    return path


def _cli_table(path: Path, by: str) -> list[list[str]]:
    """The command line's rows: group, letters, registered, rate, interval."""
    out = run("invitations", "rates", path, "--by", by).output.splitlines()
    start = next(i for i, line in enumerate(out) if line.split()[:1] == [by]) + 1
    end = next(i for i, line in enumerate(out) if line.startswith("Where engagement"))
    return [line.split(None, 4) for line in out[start:end]]


def _screen_table(screen: RatesScreen) -> list[list[str]]:
    table = screen.query_one("#rates-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_rates_match_the_command_line_and_switch_by_key(answered: Path) -> None:
    app = AssemblyApp(open_assembly(answered, clock=FixedClock(START)), mode="organiser")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RatesScreen)
        for key, by in (("", "decile"), ("w", "ward"), ("v", "wave")):
            if key:
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
            rows = _screen_table(screen)
            assert [r[:5] for r in rows] == _cli_table(answered, by), by
            title = str(screen.query_one("#rates-title", Static).render())
            assert title.startswith(f"Response by {by} · █ the rate, ├─┤ its 95% interval")
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = _screen_table(screen)
        assert len(rows) == 11 and rows[-1][0] == "All"
        width = len(rows[0][5])
        assert width >= 10 and all(len(r[5]) == width for r in rows)
        by_rate = sorted(rows[:-1], key=lambda r: float(r[3].rstrip("%")))
        blocks = [r[5].count("█") for r in by_rate]
        assert blocks == sorted(blocks) and blocks[0] < blocks[-1]
        weakest = str(screen.query_one("#rates-weakest", Static).render()).splitlines()
        assert weakest[0].startswith("Where engagement is weakest (below the ")
        lowest = by_rate[0]
        assert weakest[1] == (
            f"  Decile {lowest[0]}: {lowest[3]} answered (95% interval {lowest[4]})"
        )
        assert len(weakest) == 4


async def test_s_shows_the_second_wave_the_command_line_suggests(answered: Path) -> None:
    out = run("invitations", "rates", answered, "--by", "ward").output.splitlines()
    start = out.index("A second wave to bring each ward to its share of the registrations:")
    cli = [line.strip() for line in out[start + 1 :]]
    assert cli and cli[0].startswith("Ward ") and " short (" in cli[0]
    app = AssemblyApp(open_assembly(answered, clock=FixedClock(START)), mode="organiser")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, InfoDialog)
        assert dialog.title_text == "A second wave, by ward"
        shown = dialog.text.splitlines()
        assert shown[: len(cli)] == cli
        assert "--per-area WAVE2.csv --area-field ward" in dialog.text
        await pilot.press("enter")
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "press D (deciles) or W (wards) first" in app.screen.text


async def test_rates_before_any_letter_say_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.assembly.db"
    create_assembly(path, name="Empty", clock=FixedClock(START)).close()
    app = AssemblyApp(open_assembly(path, clock=FixedClock(START)), mode="organiser")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RatesScreen())
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert "no letters have been drawn yet" in app.screen.message
        await pilot.press("enter")
        await pilot.pause()
        title = str(app.screen.query_one("#rates-title", Static).render())
        assert title.startswith("No response rates: no letters have been drawn yet")
