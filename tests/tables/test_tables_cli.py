"""`assembly tables plan/show/pin/pins` on a small assembly file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main


def test_pin_plan_show_and_export(room_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    file = str(room_path)
    ok = runner.invoke(
        main,
        [
            "tables",
            "pin",
            file,
            "--interpreter",
            "BSL interpreter",
            "--member",
            "3",
            "--member",
            "9",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert runner.invoke(main, ["tables", "pin", file, "--apart", "1", "2"]).exit_code == 0
    listed = runner.invoke(main, ["tables", "pins", file])
    assert "#3 sits with the BSL interpreter" in listed.output
    assert "#1 and #2 sit apart" in listed.output

    made = runner.invoke(
        main, ["tables", "plan", file, "--tables", "5", "--rounds", "3", "--seed", "4"]
    )
    assert made.exit_code == 0, made.output
    assert "Saved table plan 1: 30 people" in made.output and "seed 4" in made.output
    conn = sqlite3.connect(room_path)
    assert conn.execute("select count(*) from table_seats where plan_id = 1").fetchone()[0] == 90
    assert conn.execute("select seed from table_plans").fetchone()[0] == 4
    for rnd in (1, 2, 3):
        tables = dict(
            conn.execute(
                "select m.number, s.table_no from table_seats s join members m on m.id = s.member_id "
                "where s.round = ? and m.number in (1, 2, 3, 9)",
                [rnd],
            ).fetchall()
        )
        assert tables[3] == tables[9] and tables[1] != tables[2]

    shown = runner.invoke(main, ["tables", "show", file])
    assert (
        shown.exit_code == 0 and "## Round 3" in shown.output and "BSL interpreter" in shown.output
    )
    out = tmp_path / "plan.csv"
    exported = runner.invoke(
        main, ["tables", "show", file, "--format", "csv", "--no-names", "--output", str(out)]
    )
    assert exported.exit_code == 0
    text = out.read_text()
    assert text.startswith("round,table,member_number") and "Person" not in text

    same = runner.invoke(
        main, ["tables", "plan", file, "--tables", "5", "--rounds", "3", "--seed", "4"]
    )
    assert same.exit_code == 0
    rows = [
        conn.execute(
            "select round, table_no, member_id from table_seats where plan_id = ? order by 1, 3",
            [pid],
        ).fetchall()
        for pid in (1, 2)
    ]
    assert rows[0] == rows[1]  # same seed, same plan


def test_plain_errors(room_path: Path) -> None:
    runner = CliRunner()
    file = str(room_path)
    bad = runner.invoke(main, ["tables", "plan", file, "--tables", "50", "--rounds", "2"])
    assert bad.exit_code == 2 and "cannot fill 50 tables" in bad.output
    none = runner.invoke(main, ["tables", "show", file])
    assert none.exit_code == 2 and "no table plan has been made yet" in none.output
    both = runner.invoke(main, ["tables", "pin", file, "--apart", "1", "2", "--together", "3", "4"])
    assert both.exit_code == 2 and "exactly one" in both.output
    missing = runner.invoke(
        main, ["tables", "plan", file, "--tables", "3", "--rounds", "2", "--session", "4"]
    )
    assert missing.exit_code == 2 and "no one is marked present at session 4" in missing.output


def test_a_pin_on_one_member_is_told_in_plain_words(room_path: Path) -> None:
    """It said "a apart pin needs two different members"."""
    result = CliRunner().invoke(main, ["tables", "pin", str(room_path), "--apart", "3", "3"])
    assert result.exit_code == 2
    assert "seating members apart needs two different member numbers (both were 3)" in (
        result.output
    )
