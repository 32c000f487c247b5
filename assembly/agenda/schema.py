"""Agenda setting and recommendations: topics residents propose, the votes that prioritise them,
the agendas built from the ranking, and the recommendations the assembly votes on.

Rules that protect the record live in the schema as well as in the services: a vote's method,
tie rule, scale, threshold and quorum cannot change once a ballot or tally is recorded, nothing
is recorded into a closed vote, and counts are never negative.
"""

from sqlite_utils import Database

from assembly.sessions.schema import ITEM_KINDS  # the timed agenda's items are a session's
from assembly.store.migrations import migration

TOPIC_STATUSES = ("open", "merged", "withdrawn")
PROPOSER_KINDS = ("member", "resident", "facilitator")
TOPIC_SOURCES = ("live", "csv")
ROUND_METHODS = ("dot", "approval", "borda", "schulze", "pairwise")
TIE_RULES = ("earliest", "lot")
BALLOT_KINDS = ("ballot", "tally", "choice", "skip")
RECOMMENDATION_STATUSES = ("draft", "voting", "passed", "not_passed", "withdrawn")
SCALES = ("support_oppose", "support_oppose_abstain", "five_point")

FIXED_ROUND = "The method and tie rule of a vote were declared before voting and cannot change once a ballot is recorded. Open a new vote instead."  # not words
FIXED_VOTE = "The scale, threshold and quorum of a vote were declared before voting and cannot change once a vote is recorded. Open a new vote instead."  # not words


def _check(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@migration(250, "agenda: topics, merges and their history")  # not words
def create_topics(db: Database) -> None:
    db.execute(
        f"""create table topics (
            id integer primary key,
            title text not null check (length(trim(title)) > 0),
            description text not null default '',
            proposer_kind text not null check (proposer_kind in ({_check(PROPOSER_KINDS)})),
            member_id integer references members(id),
            proposer_name text,
            anonymous integer not null default 0 check (anonymous in (0, 1)),
            source text not null check (source in ({_check(TOPIC_SOURCES)})),
            source_ref text,
            status text not null default 'open' check (status in ({_check(TOPIC_STATUSES)})),
            merged_into_id integer references topics(id),
            created_at text not null
        )"""
    )
    db.execute(
        """create table topic_history (
            id integer primary key,
            topic_id integer not null references topics(id),
            at text not null,
            action text not null,
            detail text not null default '{}'
        )"""
    )
    db.execute("create index topic_history_topic on topic_history(topic_id)")
    db.execute(
        """create table topic_merges (
            id integer primary key,
            kept_topic_id integer not null references topics(id),
            merged_topic_id integer not null unique references topics(id),
            merged_at text not null,
            note text not null default ''
        )"""
    )


@migration(251, "agenda: prioritisation rounds, ballots and tallies")  # not words
def create_rounds(db: Database) -> None:
    db.execute(
        f"""create table priority_rounds (
            id integer primary key,
            title text not null,
            question text not null,
            method text not null check (method in ({_check(ROUND_METHODS)})),
            tie_rule text not null check (tie_rule in ({_check(TIE_RULES)})),
            tie_seed integer,
            dots_per_voter integer check (dots_per_voter is null or dots_per_voter > 0),
            session_id integer,
            status text not null default 'open' check (status in ('open', 'closed')),
            opened_at text not null,
            closed_at text,
            result text
        )"""
    )
    db.execute(
        """create table round_topics (
            round_id integer not null references priority_rounds(id),
            topic_id integer not null references topics(id),
            position integer not null,
            primary key (round_id, topic_id)
        )"""
    )
    db.execute(
        f"""create table ballots (
            id integer primary key,
            round_id integer not null references priority_rounds(id),
            kind text not null check (kind in ({_check(BALLOT_KINDS)})),
            voter text,
            member_id integer references members(id),
            papers integer check (papers is null or papers >= 0),
            recorded_at text not null,
            voided_at text,
            void_reason text
        )"""
    )
    db.execute("create index ballots_round on ballots(round_id)")
    db.execute(
        """create table ballot_marks (
            ballot_id integer not null references ballots(id),
            topic_id integer not null references topics(id),
            value integer not null check (value >= 0),
            primary key (ballot_id, topic_id)
        )"""
    )
    db.execute(
        f"""create trigger priority_rounds_fixed before update of method, tie_rule, tie_seed,
            dots_per_voter on priority_rounds
            when exists (select 1 from ballots where round_id = old.id)
            begin select raise(abort, '{FIXED_ROUND}'); end"""
    )
    db.execute(
        f"""create trigger round_topics_fixed before insert on round_topics
            when exists (select 1 from ballots where round_id = new.round_id)
            begin select raise(abort, '{FIXED_ROUND}'); end"""
    )
    # A ballot entered by mistake is voided with a reason, never changed or deleted.
    db.execute(
        """create trigger ballots_never_deleted before delete on ballots
            begin select raise(abort, 'Ballots are never deleted; void one instead.'); end"""
    )
    db.execute(
        """create trigger ballots_never_changed before update of round_id, kind, voter, member_id,
            papers, recorded_at on ballots
            begin select raise(abort, 'A recorded ballot cannot be changed; void it instead.'); end"""
    )
    db.execute(
        """create trigger ballots_void_once before update of voided_at, void_reason on ballots
            when old.voided_at is not null
            begin select raise(abort, 'This ballot was already voided.'); end"""
    )
    db.execute(
        """create trigger ballot_marks_never_changed before update on ballot_marks
            begin select raise(abort, 'A recorded ballot cannot be changed; void it instead.'); end"""
    )
    db.execute(
        """create trigger ballot_marks_never_deleted before delete on ballot_marks
            begin select raise(abort, 'Ballots are never deleted; void one instead.'); end"""
    )
    db.execute(
        """create trigger ballots_only_while_open before insert on ballots
            when (select status from priority_rounds where id = new.round_id) != 'open'
            begin select raise(abort, 'This vote is closed: no more ballots can be recorded.'); end"""
    )


@migration(
    252,
    "agenda: proposed agendas, keeping the residents' ranking beside the final order",  # not words
)
def create_agenda_proposals(db: Database) -> None:
    db.execute(
        """create table agenda_proposals (
            id integer primary key,
            session_id integer,
            round_id integer references priority_rounds(id),
            session_minutes integer not null check (session_minutes > 0),
            settings text not null default '{}',
            status text not null default 'proposed' check (status in ('proposed', 'final')),
            created_at text not null,
            finalised_at text
        )"""
    )
    db.execute(
        f"""create table agenda_proposal_items (
            proposal_id integer not null references agenda_proposals(id),
            position integer not null,
            proposed_position integer not null,
            title text not null,
            minutes integer not null check (minutes > 0),
            kind text not null check (kind in ({_check(ITEM_KINDS)})),
            topic_id integer references topics(id),
            residents_rank integer,
            primary key (proposal_id, position)
        )"""
    )


@migration(
    253,
    "agenda: recommendations and their votes with declared scale, threshold, quorum",  # not words
)
def create_recommendations(db: Database) -> None:
    db.execute(
        f"""create table recommendations (
            id integer primary key,
            title text not null check (length(trim(title)) > 0),
            text text not null default '',
            topic_id integer references topics(id),
            status text not null default 'draft'
                check (status in ({_check(RECOMMENDATION_STATUSES)})),
            created_at text not null,
            updated_at text not null,
            feedback_item_id integer
        )"""
    )
    db.execute(
        """create table recommendation_ideas (
            recommendation_id integer not null references recommendations(id),
            idea_id integer not null,
            primary key (recommendation_id, idea_id)
        )"""
    )
    db.execute(
        """create table recommendation_revisions (
            id integer primary key,
            recommendation_id integer not null references recommendations(id),
            at text not null,
            title text not null,
            text text not null
        )"""
    )
    db.execute(
        f"""create table recommendation_votes (
            id integer primary key,
            recommendation_id integer not null references recommendations(id),
            scale text not null check (scale in ({_check(SCALES)})),
            threshold real not null check (threshold > 0 and threshold <= 1),
            quorum integer not null check (quorum >= 0),
            status text not null default 'open' check (status in ('open', 'closed')),
            opened_at text not null,
            closed_at text,
            outcome text check (outcome is null or outcome in ('passed', 'not_passed', 'no_quorum')),
            result text
        )"""
    )
    db.execute(
        """create table recommendation_marks (
            id integer primary key,
            vote_id integer not null references recommendation_votes(id),
            entry integer not null,
            choice text not null,
            count integer not null check (count >= 0),
            member_id integer references members(id),
            note text not null default '',
            recorded_at text not null,
            voided_at text,
            void_reason text
        )"""
    )
    db.execute("create index recommendation_marks_vote on recommendation_marks(vote_id)")
    db.execute(
        f"""create trigger recommendation_votes_fixed before update of scale, threshold, quorum
            on recommendation_votes
            when exists (select 1 from recommendation_marks where vote_id = old.id)
            begin select raise(abort, '{FIXED_VOTE}'); end"""
    )
    db.execute(
        """create trigger recommendation_marks_never_deleted before delete on recommendation_marks
            begin select raise(abort, 'Counts are never deleted; void one instead.'); end"""
    )
    db.execute(
        """create trigger recommendation_marks_never_changed before update of vote_id, entry,
            choice, count, member_id, recorded_at on recommendation_marks
            begin select raise(abort, 'A recorded count cannot be changed; void it instead.'); end"""
    )
    db.execute(
        """create trigger recommendation_marks_only_while_open before insert on recommendation_marks
            when (select status from recommendation_votes where id = new.vote_id) != 'open'
            begin select raise(abort, 'This vote is closed: no more votes can be recorded.'); end"""
    )


# --- The room (moved from schema_room.py) ---
# The room: residents vote and propose from their own phones on the facilitator's laptop.
#
# Personal codes are stored only as hashes: the printed card is the one place a code is readable, so
# a copy of the file cannot be used to vote. Each member has at most one code in force; a revoked
# code stays on record. The audit keeps every accepted and refused submission and is never changed.

AUDIT_OUTCOMES = ("accepted", "refused")


@migration(260, "agenda: room codes, room settings and the audit of phone submissions")  # not words
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


@migration(261, "agenda: a topic keeps the language its proposer wrote it in")  # not words
def topic_language(db: Database) -> None:
    """Residents' own words stay as written: a topic proposed from a phone records the
    language the phone chose (a tag such as pl or cy), so pages and reports can mark it for
    screen readers and translators; '' when it was not recorded (typed at the laptop)."""
    db.execute("alter table topics add column language text not null default ''")


MIGRATIONS = (
    create_topics,
    create_rounds,
    create_agenda_proposals,
    create_recommendations,
    create_room,
    topic_language,
)
