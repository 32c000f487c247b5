"""The tables PB on phones needs: voter codes for walk-in residents, a round's proposals window,
and what a phone sent beside a proposed project (migration 420, in the budgets' 400-449), with
the language the phone's page was in (421).

Apart from `schema` (migration 400) so that it stays light: `import assembly` registers every
migration, and this module imports nothing but the store's `migration`.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration
from assembly.store.triggers import append_only


@migration(
    420,
    "budgets: voter codes for walk-in residents, projects proposed from phones",  # not words
)
def create_phone_tables(db: Database) -> None:
    db.execute(
        """create table pb_voter_codes (
            id integer primary key,
            round_id integer not null references pb_rounds(id),
            number integer not null check (number > 0),
            code_hash text not null unique,
            issued_at text not null,
            revoked_at text,
            revoke_reason text,
            unique (round_id, number)
        )"""
    )
    db.execute(
        """create trigger pb_voter_codes_never_deleted before delete on pb_voter_codes
            begin select raise(abort, 'Voter codes are never deleted; stop one instead.'); end"""
    )
    db.execute(
        """create trigger pb_voter_codes_fixed before update of round_id, number, code_hash,
            issued_at on pb_voter_codes
            begin select raise(abort, 'A voter code cannot be changed; issue a new one.'); end"""
    )
    db.execute(
        """create trigger pb_voter_codes_stopped_once before update of revoked_at on pb_voter_codes
            when old.revoked_at is not null
            begin select raise(abort, 'This voter code was already stopped.'); end"""
    )
    # A round takes proposals from phones only while the organiser says so (a row here).
    db.execute(
        """create table pb_proposals_open (
            round_id integer primary key references pb_rounds(id),
            opened_at text not null,
            opened_by text not null
        )"""
    )
    # What a phone sent beside the project itself: the description and who sent it (a member
    # number, a card number or a visitor), kept with the project it became.
    db.execute(
        """create table pb_phone_proposals (
            project_id integer primary key references pb_projects(id),
            description text not null default '',
            sent_by text not null,
            sent_at text not null
        )"""
    )
    kept = "A proposal from a phone is kept as it was sent."  # not words
    append_only(db, "pb_phone_proposals", on_update=kept, on_delete=kept)


@migration(
    421,
    "budgets: a project proposed from a phone keeps the language it was written in",  # not words
)
def phone_proposal_language(db: Database) -> None:
    """Residents' own words stay as written (issue 22): a proposal records the language the
    phone's page was in (a tag such as pl), so the "you said, we did" report can mark a funded
    project's title for screen readers and translators; '' for proposals sent before."""
    db.execute("alter table pb_phone_proposals add column language text not null default ''")


MIGRATIONS = (create_phone_tables, phone_proposal_language)
