"""`python -m sortition select`: the JSON result and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli import main

QUOTAS = "feature,value,min,max\nGender,Female,2,3\nGender,Male,2,3\nAge,young,1,4\nAge,old,1,4\n"
PEOPLE = (
    "id,name,email,gender,age,street\n"
    "a,Ann,ann@x,female,young,1 Lane\n"
    "b,Bob,bob@x,male,old,1 lane\n"
    "c,Cat,cat@x,female,old,2 Lane\n"
    "d,Dan,dan@x,male,young,3 Lane\n"
    "e,Eve,eve@x,female,young,4 Lane\n"
    "f,Fay,fay@x,female,old,5 Lane\n"
    "g,Gus,gus@x,male,old,6 Lane\n"
    "h,Hal,hal@x,male,young,7 Lane\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    quotas = tmp_path / "quotas.csv"
    people = tmp_path / "people.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    people.write_text(PEOPLE, encoding="utf-8")
    return quotas, people


def run(args: list[str]):
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "legacy"])
def test_select_writes_the_result(files: tuple[Path, Path], tmp_path: Path, algorithm: str) -> None:
    quotas, people = files
    out = tmp_path / "result.json"
    result = run(
        ["select", "--quotas", str(quotas), "--people", str(people), "--panel-size", "4",
         "--address-columns", "street", "--algorithm", algorithm, "--seed", "7",
         "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["algorithm"] == algorithm and doc["panel_size"] == 4 and doc["seed"] == 7
    assert set(doc["probabilities"]) == set("abcdefgh")
    assert abs(sum(doc["probabilities"].values()) - 4) < 1e-6
    assert len(doc["panel"]) == 4 and not {"a", "b"} <= set(doc["panel"])
    if algorithm == "legacy":  # panels of people, listed
        assert abs(sum(d["weight"] for d in doc["distribution"]) - 1) < 1e-9
        assert doc["panel"] in [d["panel"] for d in doc["distribution"]]
    else:  # compact: the drawn panel gives seats to each type as one of the type panels does
        lottery = doc["type_lottery"]
        assert "distribution" not in doc
        assert abs(sum(d["weight"] for d in lottery["type_panels"]) - 1) < 1e-9
        assert sorted(i for people in lottery["types"] for i in people) == list("abcdefgh")
        seats = sorted(
            [t, sum(i in people for i in doc["panel"])]
            for t, people in enumerate(lottery["types"])
            if set(doc["panel"]) & set(people)
        )
        assert seats in [sorted(d["seats"]) for d in lottery["type_panels"]]
        chance = {i: 0.0 for i in "abcdefgh"}
        for d in lottery["type_panels"]:
            for t, c in d["seats"]:
                for i in lottery["types"][t]:
                    chance[i] += d["weight"] * c / len(lottery["types"][t])
        assert all(abs(chance[i] - p) < 1e-9 for i, p in doc["probabilities"].items())
        # One line per type panel, not one per number: 27 MB against 7 MB on n=10,000.
        lines = out.read_text(encoding="utf-8").splitlines()
        one_line = [json.loads(line.strip().rstrip(",")) for line in lines if '"seats"' in line]
        assert one_line == lottery["type_panels"]
    for row in doc["quota_report"]:
        assert row["min"] <= row["selected"] <= row["max"]
    for key in ("min_probability", "gini", "seconds", "panels"):
        assert key in doc["stats"]
    text = out.read_text(encoding="utf-8")
    assert "Ann" not in text and "@x" not in text and "Lane" not in text


def test_same_seed_same_panel(files: tuple[Path, Path], tmp_path: Path) -> None:
    quotas, people = files
    panels = []
    for name in ("one.json", "two.json"):
        out = tmp_path / name
        args = ["select", "--quotas", str(quotas), "--people", str(people), "--panel-size", "4"]
        assert run([*args, "--seed", "11", "--out", str(out)]).exit_code == 0
        panels.append(json.loads(out.read_text())["panel"])
    assert panels[0] == panels[1]


def test_infeasible_quotas_exit_1(files: tuple[Path, Path], tmp_path: Path) -> None:
    quotas, people = files
    quotas.write_text(QUOTAS.replace("Female,2,3", "Female,5,6"), encoding="utf-8")
    out = tmp_path / "r.json"
    result = run(["select", "--quotas", str(quotas), "--people", str(people),
                  "--panel-size", "4", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 1
    assert "cannot be met" in result.output and not out.exists()


def test_bad_input_exit_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    quotas, people = files
    result = run(["select", "--quotas", str(quotas), "--people", str(people),
                  "--panel-size", "9", "--out", str(tmp_path / "r.json")])  # fmt: skip
    assert result.exit_code == 2
    assert "larger than the pool of 8" in result.output
    people.write_text(PEOPLE.replace("young,7", "ancient,7"), encoding="utf-8")
    result = run(["select", "--quotas", str(quotas), "--people", str(people),
                  "--panel-size", "4", "--out", str(tmp_path / "r.json")])  # fmt: skip
    assert result.exit_code == 2
    assert "row 9" in result.output and "'ancient'" in result.output


def test_module_entry_point(files: tuple[Path, Path], tmp_path: Path) -> None:
    quotas, people = files
    out = tmp_path / "r.json"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "sortition", "select", "--quotas", str(quotas), "--people",
         str(people), "--panel-size", "4", "--seed", "3", "--out", str(out)],
        capture_output=True, text=True, cwd=root, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert json.loads(out.read_text())["seed"] == 3
