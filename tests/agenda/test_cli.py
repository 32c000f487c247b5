"""`assembly topics/vote/agenda/recommendations`: a whole run from the command line, and plain
messages (no tracebacks) for refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main

pytestmark = pytest.mark.usefixtures("room_of_40")  # counts need a room to fit in


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_topics_vote_agenda_and_recommendation_from_the_command_line(
    assembly, tmp_path: Path
) -> None:
    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    csv = tmp_path / "subs.csv"
    csv.write_text("title,proposed_by,anonymous\nBuses,Ann,yes\nTrees,Bo,no\nShops,,no\n")
    assert "Imported 3 topics" in _ok(runner, "topics", "import", path, str(csv))
    _ok(runner, "topics", "add", path, "Cheaper buses", "--member", "2")
    assert "Merged 4 into 1" in _ok(runner, "topics", "merge", path, "1", "4")
    listing = _ok(runner, "topics", "list", path, "--report")
    assert "Anonymous" in listing and "Cheaper buses" not in listing
    opened = _ok(runner, "vote", "open", path, "--method", "schulze", "--tie-rule", "earliest")
    assert "Opened vote 1" in opened and "Schulze" in opened
    for ballot in ("3,1,2", "3,2,1", "1,3"):
        _ok(runner, "vote", "ballot", path, "1", ballot)
    bad = runner.invoke(main, ["vote", "ballot", path, "1", "1,9"])
    assert bad.exit_code == 2 and "Ballot 4, place 2: topic 9 is not in this vote" in bad.output
    assert "Traceback" not in bad.output
    changed = runner.invoke(main, ["vote", "tally", path, "1", "1=2", "--papers", "1"])
    assert changed.exit_code == 2 and "only work for dot or approval" in changed.output
    results = _ok(runner, "vote", "results", path, "1")
    assert "1. Shops" in results and "█" in results and "beats (strongest paths)" in results
    _ok(runner, "vote", "close", path, "1")
    built = _ok(
        runner, "agenda", "build", path, "--round", "1", "--minutes", "180", "--session", "1"
    )
    assert "Proposed agenda 1 (180 minutes)" in built and "residents' rank 1" in built
    _ok(runner, "agenda", "move", path, "1", "4", "2")
    bad = runner.invoke(main, ["agenda", "order", path, "1", "1,1,2"])
    assert bad.exit_code == 2 and "exactly once" in bad.output
    shown = _ok(runner, "agenda", "show", path, "1")
    assert "Order\tProposed\tResidents' rank" in shown
    _ok(runner, "agenda", "final", path, "1")
    assert "Drafted recommendation 1" in _ok(
        runner, "recommendations", "draft", path, "Free Sunday buses", "--idea", "1"
    )
    opened = _ok(
        runner,
        "recommendations",
        "open-vote",
        path,
        "1",
        "--scale",
        "support_oppose",
        "--threshold",
        "80%",
        "--quorum",
        "5",
    )
    assert "at least 80% support, if at least 5 vote" in opened
    negative = runner.invoke(main, ["recommendations", "count", path, "1", "support=-3"])
    assert negative.exit_code == 2 and "cannot be negative" in negative.output
    _ok(runner, "recommendations", "count", path, "1", "support=9", "oppose=1")
    _ok(runner, "recommendations", "count", path, "1", "support=9", "oppose=1")
    assert "Voided: support 9, oppose 1" in _ok(
        runner, "recommendations", "void", path, "1", "--reason", "entered twice"
    )
    closed = _ok(runner, "recommendations", "close", path, "1")
    assert "✓ Passed: 9 of 10 in support (90%" in closed


def test_dot_vote_with_paper_tallies(assembly) -> None:
    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    for title in ("Buses", "Trees"):
        _ok(runner, "topics", "add", path, title)
    bad = runner.invoke(main, ["vote", "open", path, "--method", "dot", "--tie-rule", "lot"])
    assert bad.exit_code == 2 and "number of dots" in bad.output
    _ok(runner, "vote", "open", path, "--method", "dot", "--tie-rule", "lot", "--dots", "3")
    _ok(runner, "vote", "ballot", path, "1", "1=2", "2=1")
    _ok(runner, "vote", "tally", path, "1", "1=10", "2=12", "--papers", "8")
    bad = runner.invoke(main, ["vote", "tally", path, "1", "1=x", "--papers", "2"])
    assert bad.exit_code == 2 and "'x' is not a whole number" in bad.output
    _ok(runner, "vote", "ballot", path, "1", "2=3")
    assert "Voided ballot 3" in _ok(runner, "vote", "void", path, "1", "--reason", "a test")
    results = _ok(runner, "vote", "results", path, "1")
    assert "1. Trees" in results and "13 dots" in results and "12 dots" in results


def test_report_hides_anonymous_proposers(assembly, tmp_path: Path) -> None:
    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    _ok(runner, "topics", "add", path, "Buses", "--by", "Secret Person", "--anonymous")
    _ok(runner, "topics", "add", path, "Trees", "--by", "Open Person")
    _ok(runner, "vote", "open", path, "--method", "approval", "--tie-rule", "earliest")
    _ok(runner, "vote", "ballot", path, "1", "1,2")
    _ok(runner, "vote", "ballot", path, "1", "2")
    out = tmp_path / "report.md"
    assert "Wrote" in _ok(runner, "topics", "report", path, "--out", str(out))
    text = out.read_text()
    assert "Secret Person" not in text and "| 1 | Buses | Anonymous |" in text
    assert "Open Person" in text
    assert "| 1 | Trees | 2 | 2 | 0 | 1 |" in text  # ticks, typed in, from paper, share
    assert "Ties: a tie goes to the topic proposed first." in text
