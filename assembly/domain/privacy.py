"""Purging personal data: once the panel is settled, respondents who are not members keep only
their id, features and household key (what the audit needs) and lose names, contacts and
addresses. The file is then vacuumed and its write-ahead log emptied, so the bytes are gone
from the disk file too, not merely marked free.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.domain.clock import Clock, to_iso
from assembly.domain.organiser_errors import OrganiserError
from assembly.store import write_transaction

PERSONAL_COLUMNS = ("name", "email", "phone", "address", "postcode")


@dataclass(frozen=True)
class PurgeResult:
    respondents: int
    kept_members: int


def purge_candidates(db: Database) -> int:
    """How many respondents would lose their personal data now."""
    return db.execute(
        "select count(*) from respondents where purged_at is null "
        "and id not in (select respondent_id from members)"
    ).fetchone()[0]


def purge_non_members(db: Database, clock: Clock) -> PurgeResult:
    """Remove personal data of every respondent who was never a member, then vacuum the file.

    Members of any status (withdrawn ones too: they may still be owed expenses) keep theirs.
    Refused before a panel is drawn, since the pool is still needed to draw it.
    """
    now = to_iso(clock.now())
    sets = ", ".join(f"{c} = null" for c in PERSONAL_COLUMNS)
    with write_transaction(db):  # members counted under the write lock: none seated meanwhile
        members = db.execute("select count(*) from members").fetchone()[0]
        if not members:
            raise OrganiserError(
                "no panel has been drawn yet; the pool's contacts are still needed.",
                title="Nothing to purge yet",
            )
        cursor = db.execute(
            f"update respondents set {sets}, purged_at = ? where purged_at is null "
            "and id not in (select respondent_id from members)",
            [now],
        )
        purged = cursor.rowcount
        db["purges"].insert({"at": now, "respondents": purged})
    try:
        db.execute("pragma wal_checkpoint(truncate)")
        db.execute("vacuum")
        db.execute("pragma wal_checkpoint(truncate)")
    except sqlite3.OperationalError as error:
        raise OrganiserError(
            f"the personal data of {purged:,} respondents was removed, but the file could not be "
            f"compacted ({error}): another program is using it. Close it there and run the purge "
            "again to wipe the freed space.",
            title="Purge not finished",
        ) from None
    return PurgeResult(purged, members)
