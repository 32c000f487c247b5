"""Purging personal data: once the panel is settled, respondents who were never members keep only
their id and the date they were purged. Names, contacts, addresses, household keys and features
go; the features survive only as counts per value (`purged_feature_counts`), and the draws keep
their own pseudonymised snapshots for the audit.

The bytes leave the disk too (`assembly.store.scrub`: the log emptied, the file vacuumed, and
refused up front while another program reads it). Backups the app made before the purge
(`assembly backup`) still hold everything: the purge names them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import Number, _
from assembly.organiser.errors import OrganiserError
from assembly.store import write_transaction
from assembly.store.backup import Backup, backups_made, backups_warning
from assembly.store.scrub import IN_USE, FileInUse, scrub

PERSONAL_COLUMNS = ("name", "email", "phone", "address", "postcode", "household")


@dataclass(frozen=True)
class PurgeResult:
    respondents: int
    kept_members: int
    backups: tuple[Backup, ...] = ()  # made before the purge: they still hold the data

    def backups_warning(self) -> str:
        """What the organiser must know of the copies the purge cannot reach ("" if none)."""
        return backups_warning(self.backups)


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


def purge_non_members(db: Database, clock: Clock) -> PurgeResult:
    """Remove personal data of every respondent who was never a member, then vacuum the file.

    Members of any status (withdrawn ones too: they may still be owed expenses) keep theirs.
    Refused before a panel is drawn, since the pool is still needed to draw it, and while another
    program reads the file. Running it again finishes a purge whose vacuum was interrupted.
    """
    members = db.execute("select count(*) from members").fetchone()[0]
    if not members:
        raise OrganiserError(
            _("no panel has been drawn yet; the pool's contacts are still needed."),
            title=_("Nothing to purge yet"),
        )
    try:
        purged, finished = scrub(db, lambda: _clear_personal_data(db, clock))
    except FileInUse as error:
        raise OrganiserError(str(error), title=_("The file is in use")) from error
    if not finished:
        raise OrganiserError(
            _(
                "The personal data of %(count)s respondents was removed from the records, but "
                "the old bytes are still in the file: %(in_use)s",
                count=Number(purged),
                in_use=IN_USE,
            ),
            title=_("The purge is not finished"),
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
