"""A committee member reviewing a file they cannot change: a folder nobody may write, or
read-only media. SQLite cannot create the `-shm` file there, so `mode=ro` alone fails; the file
is then read as immutable, unless changes still wait in its `-wal` file, which is refused with a
message saying so (never "not a SQLite database").

Tests run as root, for whom chmod 0555 changes nothing, so the folder is made truly read-only
with a read-only bind mount in a private mount namespace (`unshare -m`), as on a CD or a
read-only share.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assembly.core.clock import FixedClock
from assembly.store import ReadOnlyFile, StoreError, create_assembly
from assembly.store.database import read_only_fallback
from tests.feedback.conftest import START, fill_log

REPO = Path(__file__).resolve().parents[2]


def _can_mount_read_only() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp"],
        capture_output=True,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(
    not _can_mount_read_only(), reason="needs unshare -m and bind mounts (root in a container)"
)


@pytest.fixture
def review_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "review"
    folder.mkdir()
    clock = FixedClock(START)
    assembly = create_assembly(folder / "log.assembly.db", name="Read-only review", clock=clock)
    fill_log(assembly, clock)
    assembly.close()
    assert not Path(f"{folder}/log.assembly.db-wal").exists()  # closed cleanly
    return folder


def _in_read_only_folder(folder: Path, script: str) -> subprocess.CompletedProcess:
    """Run `script` (shell) with `folder` mounted read-only at the same path."""
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", f"{mount} && {script}"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


@needs_mount
def test_verify_and_read_only_open_work_in_a_folder_nobody_may_write(review_folder: Path) -> None:
    path = review_folder / "log.assembly.db"
    python = sys.executable
    script = review_folder.parent / "open_read_only.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from assembly.feedback import queries
            from assembly.store import open_assembly
            a = open_assembly({str(path)!r}, read_only=True)
            print(len(queries.all_items(a.db())), a.name)
            """
        )
    )
    result = _in_read_only_folder(
        review_folder,
        f"touch {review_folder}/probe 2>/dev/null && echo WRITABLE; "
        f"{python} -m assembly log verify {path} --deep; echo rc=$?; {python} {script}",
    )
    assert "WRITABLE" not in result.stdout  # the folder really is read-only
    assert "✓ Log intact: all 9 entries" in result.stdout, result.stdout + result.stderr
    assert "rc=0" in result.stdout
    assert "5 Read-only review" in result.stdout, result.stderr
    assert not list(review_folder.glob("*-shm"))


@needs_mount
def test_pending_changes_in_the_wal_are_refused_plainly(review_folder: Path) -> None:
    path = review_folder / "log.assembly.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("pragma wal_autocheckpoint = 0")
    writer.execute("update assembly_info set value = 'Renamed' where key = 'name'")
    copy = review_folder.parent / "copy"
    copy.mkdir()
    for name in ("log.assembly.db", "log.assembly.db-wal"):
        shutil.copy(review_folder / name, copy / name)
    writer.close()
    result = _in_read_only_folder(
        copy, f"{sys.executable} -m assembly log verify {copy / 'log.assembly.db'}; echo rc=$?"
    )
    assert "rc=2" in result.stdout
    assert "log.assembly.db-wal" in result.stderr and "Copy both files" in result.stderr
    assert "not a SQLite database" not in result.stderr and "Traceback" not in result.stderr


def test_fallback_reads_as_immutable_only_without_waiting_changes(review_folder: Path) -> None:
    path = review_folder / "log.assembly.db"
    assert read_only_fallback(path) == "immutable"
    Path(f"{path}-wal").write_bytes(b"x" * 32)
    with pytest.raises(ReadOnlyFile, match="Copy both files"):
        read_only_fallback(path)
    Path(f"{path}-wal").write_bytes(b"")  # an empty -wal holds nothing to miss
    assert read_only_fallback(path) == "immutable"


def test_an_unreadable_file_says_so(review_folder: Path, monkeypatch) -> None:
    import os

    monkeypatch.setattr(os, "access", lambda *_: False)
    with pytest.raises(StoreError, match="do not have permission"):
        read_only_fallback(review_folder / "log.assembly.db")
