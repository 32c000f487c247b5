"""Reserves for the panel in the assembly file: rates entered or learnt, the list, the command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from assembly.organiser.members import panel_members, set_status
from assembly.organiser.reserves import history_rates, plan_reserves, read_rates


def _rates_file(path: Path, rows: list[str]) -> Path:
    path.write_text("feature,value,rate\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_reserves_from_entered_rates_lower_the_broken_quotas(panel, tmp_path: Path) -> None:
    db = panel.db()
    rates = read_rates(_rates_file(tmp_path / "r.csv", ["Gender,Female,30%", "Gender,Male,0.05"]))
    found = plan_reserves(db, 3, rates=rates, seed=1)
    on_panel = {m.name for m in panel_members(db)}
    assert len(found.refs) == 3
    assert not set(found.names) & on_panel
    assert found.plan.with_reserves.broken < found.plan.without.broken
    assert "quotas would be broken with no reserves" in found.summary()
    assert "entered" in found.summary()


def test_rates_learnt_from_the_members_history(panel, clock) -> None:
    db = panel.db()
    first = panel_members(db)[0]
    set_status(db, first.number, "withdrawn", clock)
    rates, members = history_rates(db)
    assert members == 22
    mine = [rates[(f, v)] for f, v in first.features.items()]
    others = [r for key, r in rates.items() if key not in first.features.items()]
    assert min(mine) > max(others)  # only this member's values have a drop-out behind them
    assert "learnt from this assembly's 22 members" in plan_reserves(db, 2, seed=1).summary()


def test_the_command_lists_reserves_and_refuses_a_bad_rate(panel, tmp_path: Path) -> None:
    path = panel.path
    good = _rates_file(tmp_path / "good.csv", ["Gender,Female,0.2"])
    result = CliRunner().invoke(
        main, ["draw", "reserves", str(path), "--count", "2", "--rates", str(good)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("  1. ")
    assert "with these 2 reserves called in order" in result.output
    bad = _rates_file(tmp_path / "bad.csv", ["Gender,Female,lots"])
    result = CliRunner().invoke(
        main, ["draw", "reserves", str(path), "--count", "2", "--rates", str(bad)]
    )
    assert result.exit_code == 2
    assert "row 2" in result.output and "'rate'" in result.output
    assert "Traceback" not in result.output
