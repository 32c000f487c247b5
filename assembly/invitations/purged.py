"""Whether the mailed list was purged, and the refusal every step that needs it gives.

Kept apart from the purge itself so the draw, the letters, the registrations and the rates can
ask without importing what the purge imports."""

from __future__ import annotations

from sqlite_utils import Database

from assembly.core.clock import show
from assembly.core.i18n import _
from assembly.invitations.errors import InvitationError


def purged_on(db: Database) -> str | None:
    """The day the mailed list was purged, in the assembly's zone ('Thu 01 Oct 2026'); None
    while it is kept."""
    row = db.execute("select purged_at from invitation_purges order by id limit 1").fetchone()
    if row is None:
        return None
    zone = db.execute("select value from assembly_info where key = 'timezone'").fetchone()
    return show(row[0], zone[0] if zone else "Europe/London", date_only=True)  # not words


def refuse_if_purged(db: Database, message: str) -> None:
    """Raise, naming the day, when the mailed list is gone: `message` (marked with `N_`, its
    placeholder `%(day)s`) is the whole refusal, saying what cannot be done."""
    day = purged_on(db)
    if day is not None:
        raise InvitationError(_(message, day=day), title=_("The mailed list was purged"))
