"""Purging personal data: once the panel is settled, respondents who were never members keep only
their id and the date they were purged. Names, contacts, addresses, household keys and features
go; the features survive only as counts per value (`purged_feature_counts`), and the draws keep
their own pseudonymised snapshots for the audit.

The bytes must leave the disk too, not merely be marked free: the write-ahead log is emptied
and the file vacuumed, and both are checked. While another program reads the file, SQLite cannot
copy the log back over the old pages, so the purge refuses up front and says why. Backups the
app made before the purge (`assembly backup`) still hold everything: the purge names them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.organiser.errors import OrganiserError
from assembly.store import write_transaction
from assembly.store.backup import Backup, backups_made

PERSONAL_COLUMNS = ("name", "email", "phone", "address", "postcode", "household")
# How long to wait for another program's read to finish before refusing (milliseconds).
WAIT_FOR_READERS_MS = 500
IN_USE = (
    "another program has the assembly file open and is reading it (the app, a second command, "
    "a backup or a viewer), so its old pages cannot be overwritten. Close it and purge again."
)


@dataclass(frozen=True)
class PurgeResult:
    respondents: int
    kept_members: int
    backups: tuple[Backup, ...] = ()  # made before the purge: they still hold the data

    def backups_warning(self) -> str:
        """What the organiser must know of the copies the purge cannot reach ("" if none)."""
        if not self.backups:
            return ""
        n = len(self.backups)
        lines = [
            f"{n} backup{'s' if n != 1 else ''} made before this purge still hold the personal "
            f"data it removed; delete {'them' if n != 1 else 'it'}, or keep "
            f"{'them' if n != 1 else 'it'} as safely as the file, for as long as you may:"
        ]
        lines += [
            f"  {b.path} (made {b.made_at}" + (")" if b.exists else "; not found there now)")
            for b in self.backups
        ]
        lines.append("Copies made other ways (a copied .db file, a cloud sync) are not listed.")
        return "\n".join(lines)


def purge_candidates(db: Database) -> int:
    """How many respondents would lose their personal data now."""
    return db.execute(
        "select count(*) from respondents where purged_at is null "
        "and id not in (select respondent_id from members)"
    ).fetchone()[0]


def purged_counts(db: Database) -> dict[tuple[str, str], int]:
    """Purged respondents per (feature, value): all that is left of their features."""
    return {
        (r[0], r[1]): r[2]
        for r in db.execute("select feature, value, respondents from purged_feature_counts")
    }


# Run in a child process: closing any descriptor of the -shm file in this process would drop
# SQLite's own locks on it (POSIX record locks belong to the process).
_PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 123)
except OSError:
    sys.exit(3)
"""


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


def purge_non_members(db: Database, clock: Clock) -> PurgeResult:
    """Remove personal data of every respondent who was never a member, then vacuum the file.

    Members of any status (withdrawn ones too: they may still be owed expenses) keep theirs.
    Refused before a panel is drawn, since the pool is still needed to draw it, and while another
    program reads the file. Running it again finishes a purge whose vacuum was interrupted.
    """
    members = db.execute("select count(*) from members").fetchone()[0]
    if not members:
        raise OrganiserError(
            "no panel has been drawn yet; the pool's contacts are still needed.",
            title="Nothing to purge yet",
        )
    timeout = db.execute("pragma busy_timeout").fetchone()[0]
    db.execute(f"pragma busy_timeout = {WAIT_FOR_READERS_MS}")
    try:
        if _another_reader(db) or not _empty_the_log(db):
            raise OrganiserError(f"Nothing was purged: {IN_USE}", title="The file is in use")
        purged = _clear_personal_data(db, clock)
        finished = _empty_the_log(db)
        if finished:
            try:
                db.execute("vacuum")
            except sqlite3.OperationalError:
                finished = False
        finished = finished and _empty_the_log(db) and _log_is_empty(db)
    finally:
        db.execute(f"pragma busy_timeout = {timeout}")
    if not finished:
        raise OrganiserError(
            f"The personal data of {purged:,} respondents was removed from the records, but "
            f"the old bytes are still in the file: {IN_USE}",
            title="The purge is not finished",
        )
    return PurgeResult(purged, members, backups_made(db))


def _clear_personal_data(db: Database, clock: Clock) -> int:
    now = to_iso(clock.now())
    sets = ", ".join(f"{c} = null" for c in PERSONAL_COLUMNS)
    with write_transaction(db):
        counts: Counter[tuple[str, str]] = Counter()
        for (raw,) in db.execute(
            "select features from respondents where purged_at is null "
            "and id not in (select respondent_id from members)"
        ):
            counts.update(json.loads(raw).items())
        for (feature, value), n in counts.items():
            db.execute(
                "insert into purged_feature_counts (feature, value, respondents) values (?, ?, ?) "
                "on conflict (feature, value) do update set respondents = respondents + ?",
                [feature, value, n, n],
            )
        cursor = db.execute(
            f"update respondents set {sets}, features = '{{}}', purged_at = ? "
            "where purged_at is null and id not in (select respondent_id from members)",
            [now],
        )
        purged = cursor.rowcount
        db["purges"].insert({"at": now, "respondents": purged})
    return purged
