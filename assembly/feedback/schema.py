"""Feedback log tables: the append-only, hash-chained entries and a summary of each item.

`feedback_entries` is the record: triggers refuse any UPDATE or DELETE, and an INSERT must take
the next number and link to the current head, so even a program that bypasses the app cannot
quietly rewrite history (it would have to drop the triggers, and the hash chain would still show
it). `feedback_items` is a cache of each item's current state, written in the same transaction
as each entry, so the scrutiny dashboard reads one indexed table instead of replaying the log.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration
from assembly.store.triggers import append_only, chain_order, time_order

ITEM_STATUSES = (
    "received",
    "under_consideration",
    "accepted",
    "partly_accepted",
    "not_accepted",
    "in_progress",
    "done",
    "withdrawn",
)


@migration(300, "feedback: hash-chained log entries and item summaries")  # not words
def create_feedback(db: Database) -> None:
    statuses = ", ".join(f"'{s}'" for s in ITEM_STATUSES)
    db.execute(
        f"""create table feedback_items (
            id integer primary key,
            title text not null,
            description text not null default '',
            source_kind text not null check (source_kind in ('idea', 'recommendation', 'other')),
            source_id integer,
            external_ref text,
            responsible_body text,
            due text,
            status text not null check (status in ({statuses})),
            status_reason text not null default '',
            progress integer not null default 0 check (progress between 0 and 100),
            response text not null default '',
            milestones text not null default '[]',
            evidence text not null default '[]',
            created_at text not null,
            updated_at text not null,
            first_response_at text,
            response_days real,
            entry_count integer not null default 0,
            last_seq integer not null default 0
        )"""
    )
    db.execute(
        """create table feedback_entries (
            seq integer primary key,
            item_id integer not null references feedback_items(id),
            recorded_at text not null,
            actor text not null,
            kind text not null check (kind in ('received', 'update')),
            data text not null,
            reason text not null default '',
            prev_hash text not null,
            hash text not null unique
        )"""
    )
    db.execute("create index feedback_entries_item on feedback_entries(item_id, seq)")
    db.execute(
        "create index feedback_items_body_status on feedback_items(responsible_body, status)"
    )
    db.execute("create index feedback_items_status on feedback_items(status)")
    # medians of days to a first response, per body and overall, read by offset in these
    db.execute(
        "create index feedback_items_body_days on feedback_items(responsible_body, response_days)"
    )
    db.execute("create index feedback_items_days on feedback_items(response_days)")
    db.execute("create index feedback_items_unanswered on feedback_items(first_response_at, due)")
    db.execute("create index feedback_items_source on feedback_items(source_kind, source_id)")
    db.execute("create index feedback_items_external on feedback_items(external_ref)")
    append_only(
        db,
        "feedback_entries",
        on_update="feedback log entries are append-only: record a new entry instead",
        on_delete="feedback log entries are append-only: they cannot be deleted",
    )
    chain_order(db, "feedback_entries", "feedback log entry")  # not words
    db.execute(
        """create trigger feedback_items_no_delete before delete on feedback_items
        begin
            select raise(abort, 'feedback items cannot be deleted: record them as withdrawn');
        end"""
    )


@migration(350, "feedback: entries never go back in time")  # not words
def entries_in_time_order(db: Database) -> None:
    time_order(db, "feedback_entries", "feedback log entry")  # not words


MIGRATIONS = (create_feedback, entries_in_time_order)
