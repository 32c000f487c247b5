"""Removing personal data for good: the bytes must leave the disk, not merely be marked free.

One mechanism for every purge (the pool's non-members, the invitations' mailed list): wait a
while for another program's read to end and refuse up front if it does not (SQLite could not
then copy the write-ahead log back over the old pages), run the purge's own transaction, then
empty the log, vacuum the file and check both. Running a purge again finishes one whose vacuum was interrupted.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from assembly.core.i18n import N_, Text, _
from assembly.store.database import StoreError

T = TypeVar("T")
# How long to wait for another program's read to end before refusing (seconds): a second
# command's read ends within it, the app or a viewer holding a read open does not.
WAIT_FOR_READERS_S = 10.0
# Between two looks at the readers, and the checkpoint's own wait for them (milliseconds).
POLL_MS = 100
# A Text: shown inside another message, it is in that message's language.
IN_USE = Text(
    N_(
        "another program has the assembly file open and is reading it (the app, a second "
        "command, a backup or a viewer), so its old pages cannot be overwritten. Close it and "
        "purge again."
    )
)


class FileInUse(StoreError):
    """Another program reads the file: nothing was purged."""


# Run in a child process: closing any descriptor of the -shm file in this process would drop
# SQLite's own locks on it (POSIX record locks belong to the process).
_PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 123)
except OSError:
    sys.exit(3)
"""  # not words


def _another_reader(db: Database) -> bool:
    """Whether another process is inside a read now (it holds one of the WAL read locks,
    bytes 123-127 of the -shm file); False where that cannot be checked."""
    path = db.execute("pragma database_list").fetchone()[2]
    shm = Path(f"{path}-shm") if path else None
    if os.name != "posix" or shm is None or not shm.exists():
        return False
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(shm)], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 3


def _empty_the_log(db: Database) -> bool:
    """Copy the write-ahead log into the file and truncate it; False if a reader stopped it."""
    try:
        busy, frames, copied = db.execute("pragma wal_checkpoint(truncate)").fetchone()
    except sqlite3.OperationalError:
        return False
    return busy == 0 and frames in (-1, 0, copied)


def _log_is_empty(db: Database) -> bool:
    path = db.execute("pragma database_list").fetchone()[2]
    wal = Path(f"{path}-wal") if path else None
    return wal is None or not wal.exists() or wal.stat().st_size == 0


def _readers_gone(db: Database) -> bool:
    """Whether, within WAIT_FOR_READERS_S, no other program reads and the log is empty."""
    timeout = db.execute("pragma busy_timeout").fetchone()[0]
    db.execute(f"pragma busy_timeout = {POLL_MS}")
    deadline = time.monotonic() + WAIT_FOR_READERS_S
    try:
        while _another_reader(db) or not _empty_the_log(db):
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_MS / 1000)
        return True
    finally:
        db.execute(f"pragma busy_timeout = {timeout}")


def scrub(db: Database, purge: Callable[[], T]) -> tuple[T, bool]:
    """Run `purge` (its own write transaction), then empty the log and vacuum the file.

    Raises FileInUse, before `purge` runs, while another program reads the file for longer than
    WAIT_FOR_READERS_S. Returns what `purge` returned and whether the old bytes are gone (False
    when a reader arrived during the vacuum: the records are purged, and running the purge again
    finishes the job)."""
    if not _readers_gone(db):
        raise FileInUse(_("Nothing was purged: %(in_use)s", in_use=IN_USE))
    result = purge()
    finished = _empty_the_log(db)
    if finished:
        try:
            db.execute("vacuum")
        except sqlite3.OperationalError:
            finished = False
    return result, finished and _empty_the_log(db) and _log_is_empty(db)
