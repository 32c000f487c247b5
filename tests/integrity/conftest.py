"""Integrity fixtures: running several real `assembly` processes at the same moment.

Each process imports the app first, then waits for a shared start file, so they reach the
assembly file together rather than one interpreter start-up (0.2 s) apart.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
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


def run_python_at_once(
    scripts: list[str],
    folder: Path,
    *,
    hold: Path | None = None,
    meanwhile: Callable[[sqlite3.Connection], None] | None = None,
    timeout: float = 30,
) -> list[Outcome]:
    """Like `run_at_once`, for Python snippets calling the services the screens call (the part
    before `# --- at once ---` runs first, then all wait for the common start).

    `hold`: an assembly file whose write lock this test holds for a moment as the snippets
    start. Each snippet can still read, so any check it makes before taking the lock itself
    sees the same state as the others', and they all then queue for the lock: a
    check-then-write outside one transaction shows deterministically, not one run in five.
    `meanwhile(conn)`: a change another program saves while they wait (committed on release).
    """
    start = folder / f"start-{time.monotonic_ns()}"
    procs = []
    for script in scripts:
        head, _, body = script.partition("# --- at once ---\n")
        code = f"{head}\ndef job():\n" + "".join(f"    {line}\n" for line in body.splitlines())
        runner = (
            "import os, sys, time\n"
            f"{code}\n"
            "open(sys.argv[2], 'w').close()\n"
            "deadline = time.monotonic() + 20\n"
            "while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:\n"
            "    time.sleep(0.001)\n"
            "job()\n"
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", runner, str(start), f"{start}.ready{len(procs)}"],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(list(folder.glob(f"{start.name}.ready*"))) < len(
        procs
    ):
        time.sleep(0.01)  # every snippet has run its set-up (imports, opening the file)
    blocker = None
    if hold is not None:
        blocker = sqlite3.connect(hold, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
    start.touch()
    if blocker is not None:
        time.sleep(0.8)  # every snippet has read what it checks (the busy timeout is 3 s)
        if meanwhile is not None:
            meanwhile(blocker)
        blocker.execute("COMMIT" if meanwhile is not None else "ROLLBACK")
        blocker.close()
    results = []
    for script, proc in zip(scripts, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        results.append(Outcome((script,), proc.returncode, out, err))
    return results
