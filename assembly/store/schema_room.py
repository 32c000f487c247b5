"""The room: residents vote and propose from their own phones on the facilitator's laptop.

Personal codes are stored only as hashes: the printed card is the one place a code is readable, so
a copy of the file cannot be used to vote. Each member has at most one code in force; a revoked
code stays on record. The audit keeps every accepted and refused submission and is never changed.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration

AUDIT_OUTCOMES = ("accepted", "refused")


@migration(260, "agenda: room codes, room settings and the audit of phone submissions")
def create_room(db: Database) -> None:
    db.execute(
        """create table room_codes (
            id integer primary key,
            member_id integer not null references members(id),
            code_hash text not null unique,
            issued_at text not null,
            revoked_at text,
            revoke_reason text
        )"""
    )
    # One code in force per member; revoked ones stay as the record.
    db.execute(
        "create unique index room_codes_one_live on room_codes(member_id) where revoked_at is null"
    )
    db.execute(
        """create trigger room_codes_never_deleted before delete on room_codes
            begin select raise(abort, 'Codes are never deleted; revoke one instead.'); end"""
    )
    db.execute(
        """create table room_settings (
            key text primary key,
            value text not null
        )"""
    )
    db.execute(
        """create table room_published (
            round_id integer primary key references priority_rounds(id),
            published_at text not null
        )"""
    )
    outcomes = ", ".join(f"'{o}'" for o in AUDIT_OUTCOMES)
    db.execute(
        f"""create table room_audit (
            id integer primary key,
            at text not null,
            action text not null,
            outcome text not null check (outcome in ({outcomes})),
            reason text not null default '',
            member_id integer references members(id),
            round_id integer,
            ref_id integer
        )"""
    )
    db.execute("create index room_audit_round on room_audit(round_id)")
    db.execute(
        """create trigger room_audit_never_changed before update on room_audit
            begin select raise(abort, 'The room audit is never changed.'); end"""
    )
    db.execute(
        """create trigger room_audit_never_deleted before delete on room_audit
            begin select raise(abort, 'The room audit is never deleted.'); end"""
    )
