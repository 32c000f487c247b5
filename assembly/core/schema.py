"""Core tables every area shares: the assembly itself, the respondent pool and panel members.

Features are stored per respondent as a JSON object {feature: value}; the `features` and
`feature_values` tables give their order, labels and target population shares.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration

MEMBER_STATUSES = ("selected", "invited", "confirmed", "withdrawn", "replaced")


@migration(1, "core: assembly info, respondents, features, members")  # not words
def create_core(db: Database) -> None:
    db.execute("create table assembly_info (key text primary key, value text)")
    db.execute(
        """create table features (
            name text primary key,
            label text not null,
            position integer not null,
            sensitive integer not null default 0
        )"""
    )
    db.execute(
        """create table feature_values (
            feature text not null references features(name) on delete cascade,
            value text not null,
            position integer not null,
            target_share real,
            primary key (feature, value)
        )"""
    )
    db.execute(
        """create table respondents (
            id integer primary key,
            ref text not null unique,
            name text,
            email text,
            phone text,
            address text,
            postcode text,
            household text,
            features text not null default '{}',
            imported_at text not null,
            purged_at text
        )"""
    )
    statuses = ", ".join(f"'{s}'" for s in MEMBER_STATUSES)
    db.execute(
        f"""create table members (
            id integer primary key,
            respondent_id integer not null unique references respondents(id),
            number integer not null unique,
            status text not null check (status in ({statuses})),
            draw_id integer,
            replaces_member_id integer references members(id),
            status_changed_at text not null
        )"""
    )
    db.execute("create index respondents_household on respondents(household)")


@migration(10, "core: the backups this app made of the file, for the purge to name")  # not words
def backups_made(db: Database) -> None:
    # A backup holds everyone's personal data as it was; a purge cannot reach it, so it names it.
    db.execute(
        """create table backups (
            id integer primary key,
            path text not null,
            made_at text not null
        )"""
    )


MIGRATIONS = (create_core, backups_made)
