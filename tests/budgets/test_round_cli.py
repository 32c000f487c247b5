"""`assembly budget round/project/ballot/import/count-round/override/deliver/publish`: a whole
round from the command line, and plain messages (no tracebacks) for refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from tests.budgets.conftest import pb_text


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _refused(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_round_from_the_command_line(assembly, tmp_path: Path) -> None:
    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    made = _ok(
        runner,
        "budget",
        "round",
        "new",
        path,
        "--title",
        "Greenfield 2027",
        "--budget",
        "1000",
        "--rule",
        "mes",
        "--max-projects",
        "2",
    )
    assert "Made PB round 1: Greenfield 2027, £1,000.00, counted by mes" in made
    for title, cost in (("Benches", "300"), ("Library hours", "600"), ("Bike racks", "400")):
        _ok(runner, "budget", "project", "add", path, title, "--cost", cost, "--area", "North")
    _ok(runner, "budget", "project", "add", path, "<script>Pier</script>", "--cost", "10")
    out = _refused(runner, "budget", "round", "open", path)
    assert "still proposed: 1, 2, 3, 4" in out
    for ref in ("1", "2", "3"):
        _ok(runner, "budget", "project", "review", path, ref, "--status", "feasible")
    _refused(runner, "budget", "project", "review", path, "4", "--status", "not_feasible")
    _ok(
        runner,
        "budget",
        "project",
        "review",
        path,
        "4",
        "--status",
        "not_feasible",
        "--reason",
        '=HYPERLINK("x") not council land',
    )
    listing = _ok(runner, "budget", "project", "list", path)
    assert "Benches [North]\t£300.00\tFeasible\tAnonymous" in listing
    _ok(runner, "budget", "round", "open", path)
    out = _refused(
        runner, "budget", "round", "new", path, "--title", "x", "--budget", "ten", "--rule", "mes"
    )
    assert "--budget: 'ten' is not an amount" in out
    for voter, marks in (("V0", "1"), ("V1", "1,3"), ("V2", "2"), ("V3", "2"), ("V4", "3,2")):
        _ok(runner, "budget", "ballot", "add", path, marks, "--voter", voter)
    out = _refused(runner, "budget", "ballot", "add", path, "1,2,3", "--voter", "V9")
    assert "at most 2" in out
    assert "replaced" in _ok(runner, "budget", "ballot", "add", path, "2", "--voter", "V4")
    _ok(runner, "budget", "ballot", "add", path, "3,2", "--voter", "V4")
    _ok(runner, "budget", "ballot", "add", path, "1", "--paper", "P1", "--entered-by", "Ann")
    out = _ok(runner, "budget", "ballot", "add", path, "2", "--paper", "P1", "--entered-by", "Bo")
    assert "does not agree" in out
    shown = _ok(runner, "budget", "round", "show", path)
    assert "Paper ballot P1: the entries disagree" in shown and "Ann: 1=1" in shown
    assert "locked" in shown
    _refused(runner, "budget", "ballot", "add", path, "1", "--paper", "P2")
    out = _refused(runner, "budget", "count-round", path)
    assert "Close voting" in out
    _ok(runner, "budget", "round", "close", path)
    counted = _ok(runner, "budget", "count-round", path)
    assert "2 projects funded, £900.00 of £1,000.00" in counted
    assert "3. Bike racks: Not funded" in counted
    _refused(runner, "budget", "override", path, "3", "unfund", "--reason", "x")
    _ok(
        runner,
        "budget",
        "override",
        path,
        "3",
        "fund",
        "--reason",
        "Match funding",
        "--actor",
        "Cy",
    )
    one = ("budget", "deliver", path, "--body", "Libraries", "--due", "2027-03-31")
    assert "1 funded project is now tracked" in _ok(runner, *one, "--project", "2")
    _refused(runner, *one, "--project", "2")  # already tracked
    assert "2 funded projects are now tracked" in _ok(
        runner, "budget", "deliver", path, "--body", "Parks team", "--due", "2027-06-30"
    )
    for form in ("csv", "html", "pb"):
        _ok(
            runner,
            "budget",
            "publish",
            path,
            "--format",
            form,
            "--out",
            str(tmp_path / f"r.{form}"),
        )
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert rows[3][:8] == [
        "3",
        "Bike racks",
        "400.00",
        "Feasible",
        "not funded",
        "fund",
        "Match funding",
        "funded",
    ]
    assert rows[4][6] == "" and rows[4][1] == "<script>Pier</script>"
    assert rows[4][8].startswith("Not on the ballot: not feasible (=HYPERLINK")
    page = (tmp_path / "r.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;Pier" in page
    assert "Bike racks: funded by Cy, because: Match funding" in page
    pb = (tmp_path / "r.pb").read_text()
    assert "project_id;cost;name;category;district;selected" in pb
    from assembly.budgets.pbfile import read_pb

    again = read_pb(tmp_path / "r.pb")
    assert [p.project_id for p in again.projects if p.selected] == ["1", "2", "3"]
    assert len(again.ballots) == 5


def test_a_pb_file_imported_and_counted(assembly, tmp_path: Path) -> None:
    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    _ok(
        runner,
        "budget",
        "round",
        "new",
        path,
        "--title",
        "City",
        "--budget",
        "1000",
        "--rule",
        "greedy",
    )
    pb = tmp_path / "city.pb"
    pb.write_text(pb_text("1000", [("a", "300"), ("b", "800")], ["a", "a,b", "b", "b"]))
    assert "Imported 2 projects and 4 ballots" in _ok(runner, "budget", "import", path, str(pb))
    _ok(runner, "budget", "round", "close", path)
    assert "1 projects funded, £800.00" in _ok(runner, "budget", "count-round", path)
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;ten\n")
    _ok(
        runner,
        "budget",
        "round",
        "new",
        path,
        "--title",
        "Two",
        "--budget",
        "1000",
        "--rule",
        "greedy",
    )
    out = _refused(runner, "budget", "import", path, str(bad))
    assert "bad.pb: no PROJECTS section" in out


def test_no_round_yet_is_a_plain_message(assembly) -> None:
    path = str(assembly.path)
    assembly.close()
    out = _refused(CliRunner(), "budget", "project", "list", path)
    assert "has no PB round yet" in out
