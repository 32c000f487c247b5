"""`python -m sortition` reads hostile quota and people files with the shared reader's rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli import main
from sortition.io import parse_people, parse_quotas
from sortition.model import BadInput

PEOPLE = "id,gender\n" + "".join(f"p{i},{'female' if i % 2 else 'male'}\n" for i in range(12))


def _run(tmp_path: Path, quotas: str, people: str = PEOPLE, command: str = "check"):
    q = tmp_path / "quotas.csv"
    p = tmp_path / "people.csv"
    q.write_text(quotas, encoding="utf-8")
    p.write_text(people, encoding="utf-8")
    args = [command, "--quotas", str(q), "--people", str(p), "--panel-size", "4"]
    if command == "select":
        args += ["--out", str(tmp_path / "out.json")]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("bad", ["1e309", "inf", "nan", "-inf", "99999999999999999999999", "٣"])
@pytest.mark.parametrize("command", ["check", "select"])
def test_odd_numbers_are_refused_with_the_place(tmp_path: Path, bad: str, command: str) -> None:
    quotas = f"feature,value,min,max\ngender,female,1,{bad}\ngender,male,1,3\n"
    result = _run(tmp_path, quotas, command=command)
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "row 2" in result.output and "column 'max'" in result.output
    assert "Traceback" not in result.output


def test_ids_match_whatever_their_case() -> None:
    quotas = parse_quotas("feature,value,min,max\ngender,female,0,2\ngender,male,0,2\n")
    with pytest.raises(BadInput, match=r"row 3.*'P3' is used already on row 2"):
        parse_people("id,gender\np3,female\nP3,male\n", quotas)


def test_a_row_with_extra_cells_is_refused() -> None:
    quotas = parse_quotas("feature,value,min,max\ngender,female,0,2\ngender,male,0,2\n")
    with pytest.raises(BadInput, match=r"row 3.*column 3, past the header's 2 columns"):
        parse_people("id,gender\np1,female\np2,male,oops\n", quotas)


def test_a_stray_byte_is_refused_with_a_guess(tmp_path: Path) -> None:
    q = tmp_path / "quotas.csv"
    q.write_bytes(b"feature,value,min,max\nward,Glasgow\x97D\xf9n,0,2\nward,Leith,0,2\n")
    p = tmp_path / "people.csv"
    p.write_text("id,ward\n1,Leith\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--quotas", str(q), "--people", str(p), "--panel-size", "1"]
    )
    assert result.exit_code == 2
    assert "row 2" in result.output and "not UTF-8" in result.output
    assert "Glasgow—Dùn" in result.output and "saved as cp1252" in result.output
    assert "--encoding" not in result.output  # the library's commands have no such option
