"""The invitations' tables (migrations 450-499): the mailing frame, the waves of letters drawn
from it, every address's inclusion probability, and the registrations that came back.

Waves, inclusion probabilities and letters are append-only (triggers refuse UPDATE and
DELETE), like the panel's draw record: once a letter is drawn, the record of who could have
been drawn, and with what chance, is what response rates are weighted by and what `assembly
invitations verify` recomputes. The frame itself may be replaced only while no wave exists.
"""

from __future__ import annotations

from sqlite_utils import Database

from assembly.store.migrations import migration
from assembly.store.triggers import append_only

STATUSES = ("matched", "not invited", "needs review")  # not words
# The append-only record of the letters' lottery: (table, what a row is, in words). The words
# go into the tables' triggers, stored in the file's schema: they stay English.
DRAW_RECORD = (
    ("invitation_waves", "a wave of letters"),  # not words
    ("invitation_inclusion", "an inclusion probability"),  # not words
    ("invitation_letters", "a drawn letter"),  # not words
)


def guard_draw_record(db: Database, record: tuple[tuple[str, str], ...]) -> None:
    """Make the lottery's tables append-only. The purge of the mailed list is the one step that
    lifts the guard, inside its own transaction, and sets it again before it commits."""
    for table, what in record:
        append_only(
            db,
            table,
            on_update=f"{what} is recorded once and never changed: draw a new wave instead",  # not words
            on_delete=f"{what} is never deleted: the draw must stay verifiable",  # not words
        )


@migration(
    450,
    "invitations: address frame, waves, inclusion probabilities, letters, registrations",  # not words
)
def create_invitations(db: Database) -> None:
    db.execute(
        """create table invitation_addresses (
            id integer primary key,
            uprn text not null unique,
            lines text not null,
            postcode text not null,
            postcode_key text not null,
            lsoa text not null default '',
            ward text not null default '',
            decile integer check (decile between 1 and 10),
            imd_rank integer,
            areas text not null default '{}'
        )"""
    )
    db.execute("create index invitation_addresses_postcode on invitation_addresses(postcode_key)")
    db.execute(
        """create table invitation_waves (
            wave integer primary key check (wave >= 1),
            drawn_at text not null,
            seed text not null,
            seed_sha256 text not null,
            letters integer not null,
            design text not null,
            frame_sha256 text not null,
            commitment text not null,
            selection_sha256 text not null
        )"""
    )
    db.execute(
        """create table invitation_inclusion (
            wave integer not null references invitation_waves(wave),
            address_id integer not null references invitation_addresses(id),
            stratum text not null,
            probability real not null check (probability between 0 and 1),
            primary key (wave, address_id)
        ) without rowid"""
    )
    db.execute(
        """create table invitation_letters (
            address_id integer primary key references invitation_addresses(id),
            wave integer not null references invitation_waves(wave),
            reference text not null unique,
            position integer not null
        )"""
    )
    db.execute("create index invitation_letters_wave on invitation_letters(wave, position)")
    guard_draw_record(db, DRAW_RECORD)
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    db.execute(
        f"""create table invitation_registrations (
            id integer primary key,
            source text not null,
            row integer not null,
            name text not null default '',
            email text not null default '',
            phone text not null default '',
            address text not null,
            postcode text not null,
            reference text not null default '',
            status text not null check (status in ({statuses})),
            address_id integer references invitation_addresses(id),
            reason text not null default '',
            imported_at text not null
        )"""
    )
    db.execute(
        "create index invitation_registrations_address on invitation_registrations(address_id)"
    )


@migration(451, "invitations: registration imports, review candidates, a row's digest")  # not words
def registration_imports(db: Database) -> None:
    """Each import is recorded so a re-exported form adds only its new rows (resolved reviews
    stay), and a needs-review registration keeps the mailed addresses it could be."""
    db.execute(
        """create table invitation_registration_imports (
            id integer primary key,
            file_name text not null,
            sha256 text not null,
            rows integer not null,
            added integer not null,
            imported_at text not null
        )"""
    )
    db.execute(
        """create table invitation_registration_candidates (
            registration_id integer not null references invitation_registrations(id),
            address_id integer not null references invitation_addresses(id),
            score real not null,
            primary key (registration_id, address_id)
        ) without rowid"""
    )
    db.execute(
        "alter table invitation_registrations add column import_id integer "
        "references invitation_registration_imports(id)"
    )
    db.execute(
        "alter table invitation_registrations add column row_sha256 text not null default ''"
    )
    db.execute("create index invitation_registrations_row on invitation_registrations(row_sha256)")


@migration(452, "invitations: a registration keeps the form's other answers")  # not words
def registration_answers(db: Database) -> None:
    """The form's columns other than the address, postcode, name, contact and reference (the
    respondent's own answers, such as age band or gender), as JSON {heading: answer}: they
    become the respondent's features when matched registrants become the pool."""
    db.execute("alter table invitation_registrations add column answers text not null default '{}'")


@migration(
    453,
    "invitations: the mailed list purged, its counts per area and wave kept",  # not words
)
def purged_counts(db: Database) -> None:
    """What is left once the mailed list is purged: when, how much went, the registrations per
    status, and per area column and value the frame's addresses and each wave's letters,
    registered households and inclusion weights (sum of 1/p, of 1/p over those that answered,
    and of 1/p squared), so the response rates and their intervals read exactly as before."""
    db.execute(
        """create table invitation_purges (
            id integer primary key,
            purged_at text not null,
            addresses integer not null,
            letters integer not null,
            registrations integer not null
        )"""
    )
    db.execute(
        """create table invitation_purged_registrations (
            status text primary key,
            registrations integer not null
        )"""
    )
    db.execute(
        """create table invitation_purged_frame (
            field text not null,
            area text not null,
            addresses integer not null,
            unmailed integer not null,
            primary key (field, area)
        ) without rowid"""
    )
    db.execute(
        """create table invitation_purged_rates (
            field text not null,
            area text not null,
            wave integer not null,
            letters integer not null,
            households integer not null,
            weight real not null,
            answered_weight real not null,
            weight_sq real not null,
            primary key (field, area, wave)
        ) without rowid"""
    )
    for table in (
        "invitation_purges",
        "invitation_purged_registrations",
        "invitation_purged_frame",
        "invitation_purged_rates",
    ):
        append_only(
            db,
            table,
            on_update="what a purge kept is never changed",
            on_delete="what a purge kept is never deleted",
        )


MIGRATIONS = (create_invitations, registration_imports, registration_answers, purged_counts)
