"""Integrity fixtures: running several real `assembly` processes at the same moment.

Each process imports the app first, then waits for a shared start file, so they reach the
assembly file together rather than one interpreter start-up (0.2 s) apart.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_STARTER = """
import os, sys, time
from assembly.cli import main
start = sys.argv[1]
deadline = time.monotonic() + 20
while not os.path.exists(start) and time.monotonic() < deadline:
    time.sleep(0.001)
sys.argv = ["assembly", *sys.argv[2:]]
main()
"""


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    code: int
    out: str
    err: str


def run_at_once(commands: list[list[str]], folder: Path, timeout: float = 30) -> list[Outcome]:
    """Start every `assembly ARGS...` command, release them together, and collect the results."""
    start = folder / f"start-{time.monotonic_ns()}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STARTER, str(start), *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    time.sleep(0.4)  # every interpreter has imported the app and is polling
    start.touch()
    results = []
    for args, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        results.append(Outcome(tuple(args), proc.returncode, out, err))
    return results


def assert_plain(outcomes: list[Outcome]) -> None:
    """No process died with a traceback; every refusal exited 1 or 2."""
    for o in outcomes:
        assert "Traceback" not in o.err, (o.args, o.err)
        assert o.code in (0, 1, 2), (o.args, o.code, o.err)


def copy_of(master: Path, folder: Path, name: str = "race.assembly.db") -> Path:
    import shutil

    target = folder / name
    shutil.copy(master, target)
    return target
