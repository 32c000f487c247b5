"""`draw run`, `members replace` and `quotas check` print their results, not HiGHS's copyright
banner (it is written by the solver library straight to the process's standard output)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assembly.organiser.members import set_status
from assembly.store import open_assembly


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assembly", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow  # real processes running the solver
def test_solver_commands_print_no_banner(computed, tmp_path: Path, clock) -> None:
    from assembly.organiser.draws import enter_seed

    assembly, draw_id = computed
    undrawn = tmp_path / "undrawn.assembly.db"
    assembly.close()
    shutil.copy(assembly.path, undrawn)  # a draw is refused once a panel exists (issue 25.4)
    path = tmp_path / "quiet.assembly.db"
    shutil.copy(assembly.path, path)
    drawn = open_assembly(path, clock=clock)
    enter_seed(drawn.db(), draw_id, "quiet seed", clock)
    set_status(drawn.db(), 3, "withdrawn", clock)
    drawn.close()
    for args in (
        ("members", "replace", str(path), "--seed", "1"),
        ("draw", "run", str(undrawn), "--lottery-size", "20", "--rounding-seconds", "0"),
        ("quotas", "check", str(path)),
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "HiGHS" not in result.stdout + result.stderr, args
        assert result.stdout.strip(), args
