"""Purging the mailed list once the panel is drawn: it is personal data (who lives where, who
answered), and after the draw only its counts are needed.

What goes: every address of the frame, every letter and inclusion probability, every
registration (names, contacts, typed addresses, answers) and the review's candidates, from the
records and, through `assembly.store.scrub`, from the file's bytes. What stays: per area column
and value, the frame's addresses and each wave's letters, registered households and inclusion
weights, so `rates` reads exactly as before; the registrations per status; and each wave's
seed, design, frame digest and commitment, so what was published can still be compared. The
letters can no longer be redrawn, and `verify` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import _
from assembly.invitations.errors import InvitationError
from assembly.invitations.purged import purged_on
from assembly.invitations.rates import area_columns, frame_counts, wave_sums
from assembly.invitations.schema import DRAW_RECORD, guard_draw_record
from assembly.store import write_transaction
from assembly.store.backup import Backup, backups_made
from assembly.store.scrub import IN_USE, FileInUse, scrub

# The lottery's tables a purge empties (the waves themselves stay).
EMPTIED = tuple(entry for entry in DRAW_RECORD if entry[0] != "invitation_waves")


@dataclass(frozen=True)
class MailedListPurge:
    addresses: int
    letters: int
    registrations: int
    already_on: str | None  # the day of an earlier purge, when this one found nothing left
    backups: tuple[Backup, ...] = ()  # made before the purge: they still hold the list


def purge_mailed_list(db: Database, clock: Clock) -> MailedListPurge:
    """Remove the mailed list, keep its counts, and vacuum the file.

    Refused before a panel is drawn (the registrants may still be needed) and while another
    program reads the file. Run again, it only finishes a vacuum an earlier run could not."""
    if not db.execute("select exists(select 1 from members)").fetchone()[0]:
        raise InvitationError(
            _(
                "no panel has been drawn yet; the mailed list and the registrations are still needed."
            ),
            title=_("Nothing to purge yet"),
        )
    already = purged_on(db)
    if (
        already is None
        and not db.execute("select exists(select 1 from invitation_addresses)").fetchone()[0]
    ):
        raise InvitationError(_("no address file has been imported."), title=_("Nothing to purge"))
    try:
        counts, finished = scrub(
            db, (lambda: (0, 0, 0)) if already else (lambda: _clear_mailed_list(db, clock))
        )
    except FileInUse as error:
        raise InvitationError(str(error), title=_("The file is in use")) from error
    if not finished:
        raise InvitationError(
            _(
                "The mailed list was removed from the records, but the old bytes are still in the "
                "file: %(in_use)s",
                in_use=IN_USE,
            ),
            title=_("The purge is not finished"),
        )
    return MailedListPurge(*counts, already, backups_made(db))


def _clear_mailed_list(db: Database, clock: Clock) -> tuple[int, int, int]:
    with write_transaction(db):
        for field in ("decile", "ward", *area_columns(db)):
            db["invitation_purged_rates"].insert_all(
                {
                    "field": field,
                    "area": area,
                    "wave": wave,
                    "letters": s.letters,
                    "households": s.households,
                    "weight": s.weight,
                    "answered_weight": s.answered_weight,
                    "weight_sq": s.weight_sq,
                }
                for (area, wave), s in wave_sums(db, "area", field).items()
            )
            db["invitation_purged_frame"].insert_all(
                {"field": field, "area": area, "addresses": n, "unmailed": unmailed}
                for area, (n, unmailed) in sorted(frame_counts(db, "area", field).items())
            )
        db.execute(
            "insert into invitation_purged_registrations (status, registrations) "
            "select status, count(*) from invitation_registrations group by status"
        )
        (addresses,) = db.execute("select count(*) from invitation_addresses").fetchone()
        (letters,) = db.execute("select count(*) from invitation_letters").fetchone()
        (registrations,) = db.execute("select count(*) from invitation_registrations").fetchone()
        db["invitation_purges"].insert(
            {
                "purged_at": to_iso(clock.now()),
                "addresses": addresses,
                "letters": letters,
                "registrations": registrations,
            }
        )
        db.execute("delete from invitation_registration_candidates")
        db.execute("delete from invitation_registrations")
        for table, _what in EMPTIED:
            db.execute(f"drop trigger {table}_no_update")
            db.execute(f"drop trigger {table}_no_delete")
            db.execute(f"delete from {table}")
        db.execute("delete from invitation_addresses")
        guard_draw_record(db, EMPTIED)
    return addresses, letters, registrations
