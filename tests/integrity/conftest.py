"""Integrity fixtures: running several real `assembly` processes at the same moment.

Each process imports the app first, says so with a ready file, then waits for a shared start
file, so they reach the assembly file together rather than one interpreter start-up (0.2 s)
apart. The test waits for every ready file (and, holding the write lock, for every process to
ask for it) rather than for a guessed length of time.
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
open(sys.argv[2], "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(start) and time.monotonic() < deadline:
    time.sleep(0.001)
sys.argv = ["assembly", *sys.argv[3:]]
main()
"""

# Every connection a snippet opens reports its first write statement with a file: the statement
# is traced before SQLite asks for the lock, so the file means "has read what it checks and
# queues for the write lock" (the busy timeout, 3 s, counts from then).
_TRACE_WRITES = """
import sqlite3 as _sqlite3
_connect = _sqlite3.connect
_writing = {"armed": False, "told": False}

def _traced(statement):
    if _writing["armed"] and not _writing["told"] and statement.lstrip().upper().startswith(
        ("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE", "REPLACE")
    ):
        _writing["told"] = True
        open(sys.argv[3], "w").close()

def _tracing_connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.set_trace_callback(_traced)
    return conn

_sqlite3.connect = _tracing_connect
"""

WAIT = 60.0
"""Seconds for every process to be ready: far above an interpreter's start on a loaded machine
(2 cores shared by many jobs can take 30 s to start a replacement's solver)."""


def _wait_for(
    procs: list[subprocess.Popen], flags: list[Path], what: str, *, exited_counts: bool = False
) -> None:
    """Until every process has made its flag file (or, if `exited_counts`, has ended)."""
    deadline = time.monotonic() + WAIT
    while not all(
        flag.exists() or (exited_counts and proc.poll() is not None)
        for proc, flag in zip(procs, flags, strict=True)
    ):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT:.0f} s for every process {what}")
        time.sleep(0.005)  # a poll on the files, not a guess at how long they take


@dataclass(frozen=True)
class Outcome:
    args: tuple[str, ...]
    code: int
    out: str
    err: str


def run_at_once(commands: list[list[str]], folder: Path, timeout: float = 120) -> list[Outcome]:
    """Start every `assembly ARGS...` command, release them together, and collect the results."""
    start = folder / f"start-{time.monotonic_ns()}"
    ready = [Path(f"{start}.ready{i}") for i in range(len(commands))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STARTER, str(start), str(flag), *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args, flag in zip(commands, ready, strict=True)
    ]
    _wait_for(procs, ready, "to import the app", exited_counts=True)
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
    timeout: float = 120,
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
    ready = [Path(f"{start}.ready{i}") for i in range(len(scripts))]
    writing = [Path(f"{start}.writing{i}") for i in range(len(scripts))]
    procs = []
    for script, ready_flag, writing_flag in zip(scripts, ready, writing, strict=True):
        head, _, body = script.partition("# --- at once ---\n")
        code = f"{head}\ndef job():\n" + "".join(f"    {line}\n" for line in body.splitlines())
        runner = (
            "import os, sys, time\n"
            f"{_TRACE_WRITES}\n"
            f"{code}\n"
            "open(sys.argv[2], 'w').close()\n"
            "deadline = time.monotonic() + 60\n"
            "while not os.path.exists(sys.argv[1]) and time.monotonic() < deadline:\n"
            "    time.sleep(0.001)\n"
            "_writing['armed'] = True\n"
            "job()\n"
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", runner, str(start), str(ready_flag), str(writing_flag)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    _wait_for(procs, ready, "to run its set-up (imports, opening the file)", exited_counts=True)
    blocker = None
    if hold is not None:
        blocker = sqlite3.connect(hold, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
    start.touch()
    if blocker is not None:
        # every snippet has read what it checks and queues for the lock (or has finished)
        _wait_for(procs, writing, "to ask for the write lock", exited_counts=True)
        if meanwhile is not None:
            meanwhile(blocker)
        blocker.execute("COMMIT" if meanwhile is not None else "ROLLBACK")
        blocker.close()
    results = []
    for script, proc in zip(scripts, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        results.append(Outcome((script,), proc.returncode, out, err))
    return results
