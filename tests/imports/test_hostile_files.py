"""Anything but a regular file is refused before a byte is read (issue 26).

`/dev/zero` and `/dev/urandom` never end and a FIFO blocks until someone writes to it, so a
reader that trusts the size check (which only regular files have) runs until memory runs out.
Each case runs the real command line in a child process with a timeout and a memory cap, so a
regression fails here instead of hanging the suite or the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sortition.tabular import TableError, read_file, read_table
from tests.imports.hostile import make_assembly

TIMEOUT_S = 60
MEMORY_CAP = 3 * 1024**3  # bytes of address space: a runaway read dies here, not the machine


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _assembly(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assembly", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_capped,
        check=False,
    )


def _hostile_source(tmp_path: Path, kind: str, suffix: str) -> Path:
    path = tmp_path / f"{kind}{suffix}"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(f"/dev/{kind}")
    return path


@pytest.mark.parametrize("kind", ["zero", "urandom", "fifo"])
def test_pool_import_refuses_devices_and_pipes(tmp_path: Path, kind: str) -> None:
    target = make_assembly(tmp_path, quotas=False)
    source = _hostile_source(tmp_path, kind, ".csv")
    result = _assembly("pool", "import", target, source, "--replace")
    assert result.returncode == 2, result.stderr
    assert f"{source.name}" in result.stderr and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (["quotas", "import"], ".csv"),
        (["topics", "import"], ".csv"),
        (["log", "import", "--actor", "x"], ".csv"),
        (["pool", "import"], ".xlsx"),
    ],
)
def test_every_import_refuses_a_fifo(tmp_path: Path, command: list[str], suffix: str) -> None:
    target = make_assembly(tmp_path, quotas=False)
    source = _hostile_source(tmp_path, "fifo", suffix)
    result = _assembly(command[0], command[1], target, source, *command[2:])
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_the_shared_reader_checks_before_reading(tmp_path: Path) -> None:
    """In-process, on a FIFO with a writer waiting: refused at once, nothing read from it."""
    fifo = _hostile_source(tmp_path, "fifo", ".csv")
    with pytest.raises(TableError, match=r"fifo.csv: is not a regular file"):
        read_file(fifo, display_name="fifo.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(TableError, match=r"is not a regular file"):
        read_table(folder)
    plain = tmp_path / "plain.csv"
    plain.write_text("id\np1\n", encoding="utf-8")
    linked = tmp_path / "linked.csv"
    linked.symlink_to(plain)  # a link to a regular file is read as that file
    assert read_file(linked) == b"id\np1\n"
    assert read_table(linked).rows == ((2, ("p1",)),)


def test_log_verify_refuses_a_fifo_of_checkpoints(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    source = _hostile_source(tmp_path, "fifo", ".txt")
    result = _assembly("log", "verify", target, "--checkpoints", source)
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
