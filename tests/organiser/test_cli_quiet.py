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
def test_solver_commands_print_no_banner(panel, tmp_path: Path, clock) -> None:
    path = tmp_path / "quiet.assembly.db"
    panel.close()
    shutil.copy(panel.path, path)
    assembly = open_assembly(path, clock=clock)
    set_status(assembly.db(), 3, "withdrawn", clock)
    assembly.close()
    for args in (
        ("members", "replace", str(path), "--seed", "1"),
        ("draw", "run", str(path), "--lottery-size", "20", "--rounding-seconds", "0"),
        ("quotas", "check", str(path)),
    ):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert "HiGHS" not in result.stdout + result.stderr, args
        assert result.stdout.strip(), args
