"""`assembly budget count`: the JSON result and the exit codes (0, 1 refused tie, 2 bad input)."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from assembly.cli import main
from tests.budgets.conftest import pb_text

TINY = pb_text(
    "30",
    [("x", "20"), ("y", "10"), ("z", "15")],
    ["x,z", "x,z", "y,z"],
    extra_meta=("rule;greedy",),
)


def run(*args: str):
    return CliRunner().invoke(main, ["budget", "count", *args])


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes", "mes-add1"])
def test_count_writes_the_result(write_pb, tmp_path, rule: str) -> None:
    out = tmp_path / "result.json"
    result = run(str(write_pb(TINY)), "--rule", rule, "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) >= {"selected", "rule", "budget", "spent", "endowment", "explanations"}
    assert data["rule"]["name"] == rule and data["budget"] == "30"
    assert set(data["explanations"]) == {"x", "y", "z"}
    assert all(e["text"] for e in data["explanations"].values())
    if rule == "mes-add1":
        assert data["rule"]["increment"] == "1" and data["rule"]["stop_when_exhaustive"] is False
        assert data["endowment"] == "14"


def test_default_rule_is_the_files(write_pb, tmp_path) -> None:
    out = tmp_path / "r.json"
    assert run(str(write_pb(TINY)), "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text())["rule"]["name"] == "greedy"


def test_refused_tie_exits_1(write_pb, tmp_path) -> None:
    text = pb_text("10", [("a", "10"), ("b", "10")], ["a,b"])
    out = tmp_path / "r.json"
    result = run(str(write_pb(text)), "--rule", "mes", "--ties", "refuse", "--out", str(out))
    assert result.exit_code == 1 and "tie" in result.output and not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--rule", "nonsense"],
        ["--ties", "coin"],
        ["--increment", "0"],
        ["--increment", "lots"],
    ],
)
def test_bad_options_exit_2(write_pb, tmp_path, args) -> None:
    result = run(str(write_pb(TINY)), *args, "--out", str(tmp_path / "r.json"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_bad_files_exit_2_without_traceback(write_pb, tmp_path) -> None:
    zero = tmp_path / "zero.pb"
    os.symlink("/dev/zero", zero)
    for path in (zero, tmp_path / "absent.pb", write_pb("META\nkey;value\n", "broken.pb")):
        result = run(str(path), "--out", str(tmp_path / "r.json"))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert str(path) in result.output
