"""Every CSV through the one export layer: no live formula after any separator a spreadsheet may
split on, and no bare carriage return to split a row (issue 26).

`room-codes issue --csv` left formula parts after `;`, tab and `|` live (11, 13 and 11 cells
when opened with that separator); `members export-invitations` and `tables show --format csv`
wrote a bare CR unquoted, which Python's csv refuses and CR-as-newline readers split (46 rows
instead of 41). The names are planted with sqlite3, as an attacker with the file would.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core.safe_output import _NUMBER, FORMULA_START, csv_text, spreadsheet_cell

SEPARATORS = (",", ";", "\t", "|")
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://x")']


def _rows(text: str, *, newline: str | None) -> list[list[str]]:
    """The file read by Python's csv (newline="") or by a reader taking any CR as a line end
    (newline=None: universal newlines, as old spreadsheet programs read)."""
    return list(csv.reader(io.StringIO(text, newline=newline), strict=True))


def _live_parts(text: str) -> list[str]:
    """Parts of cells that would run as formulas when the file is opened with any separator."""
    live = []
    for row in _rows(text, newline=""):
        for cell in row:
            for separator in SEPARATORS:
                for part in cell.replace("\n", separator).split(separator):
                    part = part.lstrip(" ")
                    if part.startswith(FORMULA_START) and not _NUMBER.fullmatch(part):
                        live.append(part)
    return live


def _hostile_names() -> list[str]:
    return [f"Ann{sep}{formula}" for sep in (";", "\t", "|", "\n") for formula in FORMULAS]


@pytest.mark.parametrize("name", ["a\rb", "a\r\nb", "\r=1+1", "a\rb\rc", "x;=1\r=2"])
def test_no_bare_carriage_return_reaches_a_file(name: str) -> None:
    text = csv_text(["id", "name"], [[1, name], [2, "plain"]])
    assert "\r" not in text
    assert len(_rows(text, newline="")) == 3
    assert len(_rows(text, newline=None)) == 3
    assert not _live_parts(text)


def test_every_part_after_a_separator_is_protected() -> None:
    for name in _hostile_names():
        assert not _live_parts(csv_text(None, [[name]])), name
    assert spreadsheet_cell("-3") == "-3"  # a number cannot run


def _plant_names(path: Path, names: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        numbers = [r[0] for r in conn.execute("select number from members order by number")]
        for number, name in zip(numbers, names, strict=False):
            conn.execute(
                "update respondents set name = ? where id = "
                "(select respondent_id from members where number = ?)",
                [name, number],
            )


def test_room_codes_csv_protects_every_separator(demo_path: Path, tmp_path: Path) -> None:
    names = _hostile_names()
    _plant_names(demo_path, names)
    out = tmp_path / "codes.csv"
    result = CliRunner().invoke(main, ["room-codes", "issue", str(demo_path), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not _live_parts(text)
    assert "\r" not in text.replace("\r\n", "\n")
    members = len(_rows(text, newline="")) - 1
    assert members == len(_rows(text, newline=None)) - 1 and members >= len(names)


@pytest.mark.parametrize(
    "command",
    [
        ["members", "export-invitations", "{db}", "{out}"],
        ["tables", "show", "{db}", "--format", "csv", "--output", "{out}"],
    ],
)
def test_bare_carriage_returns_are_not_written(
    demo_path: Path, tmp_path: Path, command: list[str]
) -> None:
    clean_out = tmp_path / "clean.csv"
    args = [a.format(db=demo_path, out=clean_out) for a in command]
    assert CliRunner().invoke(main, args).exit_code == 0
    expected = len(_rows(clean_out.read_text(encoding="utf-8"), newline=""))
    _plant_names(demo_path, ["Olu\rKhan", "Aisha\r\rOkafor", "Sam\r=1+1", "Kaur\r\n"])
    out = tmp_path / "planted.csv"
    result = CliRunner().invoke(main, [a.format(db=demo_path, out=out) for a in command])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\r" not in text.replace("\r\n", "\n")
    assert len(_rows(text, newline="")) == expected
    assert len(_rows(text, newline=None)) == expected
    assert not _live_parts(text)
