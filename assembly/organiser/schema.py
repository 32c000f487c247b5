"""Organiser tables: pool imports, quotas, draws (with their snapshots), witnesses, member
history, access support, expenses and purges.

A draw row keeps its own copy of the pool (pseudonymised: refs, feature values, household
groups) and of the quotas it used, so later edits to the pool or quotas cannot rewrite it.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration


@migration(
    100,
    "organiser: imports, quotas, draws, witnesses, member history, support, costs",  # not words
)
def create_organiser(db: Database) -> None:
    db.execute(
        """create table organiser_settings (
            key text primary key,
            value text not null
        )"""
    )
    db.execute(
        """create table pool_imports (
            id integer primary key,
            file_name text not null,
            file_sha256 text not null,
            rows integer not null,
            mapping text not null,
            imported_at text not null
        )"""
    )
    db.execute(
        """create table quotas (
            feature text not null,
            value text not null,
            min integer not null check (min >= 0),
            max integer not null check (max >= min),
            primary key (feature, value),
            foreign key (feature, value) references feature_values(feature, value)
                on delete cascade
        )"""
    )
    db.execute(
        """create table draws (
            id integer primary key,
            created_at text not null,
            algorithm text not null,
            panel_size integer not null,
            pool_snapshot text not null,
            quotas_snapshot text not null,
            snapshot_sha256 text not null,
            probabilities text not null,
            min_probability real not null,
            lottery_size integer not null,
            largest_change real not null,
            commitment text not null,
            bundle text not null,
            seconds real not null,
            seed text,
            seed_sha256 text,
            panel_index integer,
            panel text,
            drawn_at text
        )"""
    )
    db.execute(
        """create table draw_witnesses (
            id integer primary key,
            draw_id integer not null references draws(id),
            name text not null,
            role text not null default '',
            recorded_at text not null
        )"""
    )
    db.execute(
        """create table member_events (
            id integer primary key,
            member_id integer not null references members(id),
            status text not null,
            note text not null default '',
            at text not null
        )"""
    )
    db.execute(
        """create table member_support (
            member_id integer primary key references members(id),
            childcare integer not null default 0,
            travel integer not null default 0,
            interpreter text not null default '',
            first_language text not null default '',
            step_free integer not null default 0,
            other_needs text not null default '',
            honorarium_pence integer not null default 0 check (honorarium_pence >= 0),
            updated_at text not null
        )"""
    )
    db.execute(
        """create table member_expenses (
            id integer primary key,
            member_id integer not null references members(id),
            kind text not null,
            amount_pence integer not null check (amount_pence >= 0),
            description text not null default '',
            recorded_at text not null
        )"""
    )
    db.execute(
        """create table purges (
            id integer primary key,
            at text not null,
            respondents integer not null
        )"""
    )
    db.execute("create index member_events_member on member_events(member_id)")
    db.execute("create index member_expenses_member on member_expenses(member_id)")


@migration(101, "organiser: draws record whether the search stopped at its budget")  # not words
def draws_stopped_early(db: Database) -> None:
    # A budgeted LEXIMIN/MAXIMIN returns the fairest lottery found so far; the draw says so, with
    # the proven ceiling on the smallest chance when the search knows one.
    db.execute("alter table draws add column stopped_early integer not null default 0")
    db.execute("alter table draws add column upper_bound real")
    db.execute("alter table draws add column time_limit real")  # seconds; null = none


@migration(
    150,
    "organiser: a draw is seeded once; a withdrawn member is replaced once",  # not words
)
def draws_seeded_once(db: Database) -> None:
    # Backs the checks in enter_seed and replace_withdrawn (which run under BEGIN IMMEDIATE):
    # even a program that skips them cannot re-seed a draw or replace someone twice.
    db.execute(
        """create trigger draws_seeded_once before update of seed, seed_sha256, panel_index,
            panel, drawn_at on draws
        when old.seed is not null
        begin
            select raise(abort, 'this draw was already drawn with its public seed; a draw is never repeated');
        end"""
    )
    db.execute(
        "create unique index members_replaced_once on members(replaces_member_id) "
        "where replaces_member_id is not null"
    )


# --- Purges (moved from schema_privacy.py) ---
# Organiser: what a purge keeps of the people it forgets.
#
# A purge clears every personal field of respondents who never became members, their features
# and household keys included; only the number of purged respondents per feature value is kept,
# so the pool's make-up can still be reported. The draws keep their own pseudonymised snapshots
# for the audit (see migration 100 above).


@migration(
    170,
    "organiser: purged respondents are kept only as counts per feature value",  # not words
)
def purged_counts(db: Database) -> None:
    db.execute(
        """create table purged_feature_counts (
            feature text not null,
            value text not null,
            respondents integer not null,
            primary key (feature, value)
        )"""
    )


MIGRATIONS = (create_organiser, draws_stopped_early, draws_seeded_once, purged_counts)
