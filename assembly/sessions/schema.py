"""Live sessions: the sessions, their agenda items, ideas with their history, attendance,
speaking turns, the speaker queue, pauses and a log of every action.

Every timer is stored as UTC start/end timestamps (an open interval has `ended_at` NULL) and
pauses are rows of their own, so the state of a running session can be rebuilt from the file
alone after a crash: nothing lives only in memory.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration

SESSION_STATUSES = ("planned", "running", "paused", "finished")
ITEM_KINDS = ("topic", "break", "evidence", "witness", "welcome", "other")
ATTENDANCE_STATUSES = ("present", "absent", "apologies")
QUEUE_ORDERS = ("fifo", "progressive")


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@migration(200, "sessions: sessions, agenda items, ideas and idea revisions")  # not words
def create_sessions(db: Database) -> None:
    db.execute(
        f"""create table sessions (
            id integer primary key,
            title text not null,
            starts_at text,
            planned_minutes integer,
            status text not null default 'planned'
                check (status in ({_choices(SESSION_STATUSES)})),
            started_at text,
            ended_at text,
            queue_order text not null default 'fifo'
                check (queue_order in ({_choices(QUEUE_ORDERS)})),
            location text,
            created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )"""
    )
    db.execute(
        f"""create table agenda_items (
            id integer primary key,
            session_id integer not null references sessions(id) on delete cascade,
            position integer not null,
            title text not null,
            minutes integer not null check (minutes >= 0),
            kind text not null default 'topic' check (kind in ({_choices(ITEM_KINDS)})),
            topic_id integer,
            residents_rank integer,
            started_at text,
            ended_at text,
            extended_minutes integer not null default 0
        )"""
    )
    db.execute("create index agenda_items_session on agenda_items(session_id, position)")
    db.execute(
        """create table ideas (
            id integer primary key,
            session_id integer references sessions(id),
            agenda_item_id integer references agenda_items(id) on delete set null,
            member_id integer references members(id),
            text text not null,
            created_at text not null,
            updated_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            revision integer not null default 1,
            withdrawn_at text
        )"""
    )
    db.execute("create index ideas_session on ideas(session_id)")
    # Every version of every idea, the first included: edits never overwrite what was said.
    # (Rows other areas insert straight into `ideas` get their first version on first edit.)
    db.execute(
        """create table idea_revisions (
            id integer primary key,
            idea_id integer not null references ideas(id),
            revision integer not null,
            text text not null,
            agenda_item_id integer,
            member_id integer,
            recorded_at text not null,
            unique (idea_id, revision)
        )"""
    )


LIVE_TABLES = "sessions: attendance, speaking turns, speaker queue, pauses, action log"  # not words


@migration(201, LIVE_TABLES)
def create_live_tables(db: Database) -> None:
    # Kept to the three columns other areas read (and their tests write positionally); when
    # each mark was made is in session_events. The session is checked by the domain, not a key.
    db.execute(
        f"""create table attendance (
            session_id integer not null,
            member_id integer not null references members(id),
            status text not null check (status in ({_choices(ATTENDANCE_STATUSES)})),
            primary key (session_id, member_id)
        )"""
    )
    db.execute(
        """create table speaking_turns (
            id integer primary key,
            session_id integer not null references sessions(id) on delete cascade,
            agenda_item_id integer references agenda_items(id) on delete set null,
            member_id integer not null references members(id),
            started_at text not null,
            ended_at text
        )"""
    )
    db.execute("create index speaking_turns_session on speaking_turns(session_id)")
    # At most one person speaks at a time in a session.
    db.execute(
        "create unique index one_open_turn on speaking_turns(session_id) where ended_at is null"
    )
    db.execute(
        """create table speaker_queue (
            id integer primary key,
            session_id integer not null references sessions(id) on delete cascade,
            member_id integer not null references members(id),
            added_at text not null,
            left_at text,
            outcome text check (outcome in ('spoke', 'removed'))
        )"""
    )
    db.execute(
        "create unique index one_queue_place on speaker_queue(session_id, member_id) "
        "where left_at is null"
    )
    db.execute(
        """create table session_pauses (
            id integer primary key,
            session_id integer not null references sessions(id) on delete cascade,
            started_at text not null,
            ended_at text
        )"""
    )
    db.execute(
        "create unique index one_open_pause on session_pauses(session_id) where ended_at is null"
    )
    # What happened, when: the audit trail and the source of the session's exported timeline.
    db.execute(
        """create table session_events (
            id integer primary key,
            session_id integer not null references sessions(id) on delete cascade,
            at text not null,
            kind text not null,
            detail text not null default '{}'
        )"""
    )


@migration(202, "sessions: an idea keeps the language it was written in")  # not words
def idea_language(db: Database) -> None:
    """Residents' own words stay as written: an idea records the language it was written in
    (a tag such as pl or ur), so the "you said, we did" report can mark it for screen readers
    and translators; '' when it was not recorded (typed by the facilitator)."""
    db.execute("alter table ideas add column language text not null default ''")


MIGRATIONS = (create_sessions, create_live_tables, idea_language)
