"""Without a terminal (a script, a pipe, a scheduled job) the app cannot be shown: commands that
open it say so and end, instead of running a full-screen app nobody sees at full CPU (one
did for 19 minutes). `assembly demo` still writes the example and says how to open it
(tests/app/test_cli_foundation.py, the suite's one whole build in another process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assembly.store import create_assembly


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assembly", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_open_without_a_terminal_says_so_and_ends(tmp_path: Path) -> None:
    create_assembly(tmp_path / "a.assembly.db", name="A").close()
    done = _run("open", "a.assembly.db", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "needs a terminal" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
