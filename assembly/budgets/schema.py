"""Participatory-budgeting rounds in an assembly file: the round and its declared rules, the
projects and their feasibility reviews, the ballots (typed, imported, and paper ballots typed
twice), the counts, the organisers' overrides and the funded projects handed to the feedback log.

What protects the record is in the schema as well as in the services: a round's budget, rule
and ballot form cannot change once voting opens; the review history, the counts and the
overrides are append-only; a ballot is never deleted or edited, only replaced by a later one.
"""

from sqlite_utils import Database

from assembly.budgets.rules import RULES
from assembly.core.i18n import N_
from assembly.store.migrations import migration
from assembly.store.triggers import append_only

ROUND_STATUSES = ("setup", "voting", "closed")
BALLOT_FORMS = ("approval", "points", "knapsack")
PROJECT_STATUSES = ("proposed", "feasible", "not_feasible", "withdrawn")
BALLOT_SOURCES = ("typed", "paper", "import")
OVERRIDE_ACTIONS = ("fund", "unfund")

# In the schema's trigger as it is (English), and shown with `_(LOCKED_ROUND)`.
LOCKED_ROUND = N_(
    "The budget, rule and ballot form were declared before voting and are locked now that "
    "voting has opened. Start a new round instead."
)


def _check(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _append_only(db: Database, table: str, what: str) -> None:
    append_only(
        db,
        table,
        on_update=f"{what} are append-only: record a new one instead",  # not words
        on_delete=f"{what} are append-only: they cannot be deleted",  # not words
    )


@migration(
    400,
    "budgets: PB rounds, projects, reviews, ballots, paper entries, counts, overrides",  # not words
)
def create_rounds(db: Database) -> None:
    # here, not at the top: `import assembly` registers every schema, and the counting core
    # should load only when something counts (the import-hygiene test checks that)
    db.execute(
        f"""create table pb_rounds (
            id integer primary key,
            title text not null check (length(trim(title)) > 0),
            budget_pence integer not null check (budget_pence > 0),
            currency text not null default 'GBP',
            rule text not null check (rule in ({_check(RULES)})),
            ballot_form text not null check (ballot_form in ({_check(BALLOT_FORMS)})),
            min_projects integer check (min_projects is null or min_projects >= 0),
            max_projects integer check (max_projects is null or max_projects > 0),
            points_per_voter integer check (points_per_voter is null or points_per_voter > 0),
            tie_seed text not null default '0',
            status text not null default 'setup' check (status in ({_check(ROUND_STATUSES)})),
            created_at text not null,
            voting_opened_at text,
            voting_closed_at text
        )"""
    )
    db.execute(
        f"""create trigger pb_rounds_locked before update of budget_pence, currency, rule,
            ballot_form, min_projects, max_projects, points_per_voter, tie_seed on pb_rounds
            when old.status != 'setup'
            begin select raise(abort, '{LOCKED_ROUND}'); end"""
    )
    db.execute(
        """create trigger pb_rounds_no_delete before delete on pb_rounds
        begin select raise(abort, 'PB rounds cannot be deleted'); end"""
    )
    db.execute(
        f"""create table pb_projects (
            id integer primary key,
            round_id integer not null references pb_rounds(id),
            ref text not null,
            title text not null check (length(trim(title)) > 0),
            cost_pence integer not null check (cost_pence > 0),
            area text not null default '',
            category text not null default '',
            proposer text,
            status text not null default 'proposed'
                check (status in ({_check(PROJECT_STATUSES)})),
            reason text not null default '',
            revised_cost_pence integer
                check (revised_cost_pence is null or revised_cost_pence > 0),
            created_at text not null,
            unique (round_id, ref)
        )"""
    )
    db.execute(
        """create trigger pb_projects_no_delete before delete on pb_projects
        begin select raise(abort, 'PB projects cannot be deleted: record them as withdrawn'); end"""
    )
    db.execute(
        """create trigger pb_projects_fixed_in_voting before update on pb_projects
            when (select status from pb_rounds where id = old.round_id) != 'setup'
            begin select raise(abort, 'Projects cannot change once voting has opened.'); end"""
    )
    db.execute(
        """create trigger pb_projects_only_in_setup before insert on pb_projects
            when (select status from pb_rounds where id = new.round_id) != 'setup'
            begin select raise(abort, 'Projects cannot be added once voting has opened.'); end"""
    )
    db.execute(
        """create table pb_project_changes (
            id integer primary key,
            project_id integer not null references pb_projects(id),
            at text not null,
            actor text not null,
            action text not null,
            detail text not null default '{}',
            reason text not null default ''
        )"""
    )
    db.execute("create index pb_project_changes_project on pb_project_changes(project_id)")
    _append_only(db, "pb_project_changes", "Project changes")  # not words
    db.execute(
        f"""create table pb_ballots (
            id integer primary key,
            round_id integer not null references pb_rounds(id),
            voter text not null,
            member_id integer references members(id),
            source text not null check (source in ({_check(BALLOT_SOURCES)})),
            marks text not null,
            recorded_at text not null,
            replaced_by integer references pb_ballots(id)
        )"""
    )
    db.execute(
        "create unique index pb_ballots_one_per_voter on pb_ballots(round_id, voter) "
        "where replaced_by is null"
    )
    db.execute(
        """create trigger pb_ballots_only_in_voting before insert on pb_ballots
            when (select status from pb_rounds where id = new.round_id) != 'voting'
            begin select raise(abort, 'Ballots are taken only while voting is open.'); end"""
    )
    db.execute(
        """create trigger pb_ballots_no_delete before delete on pb_ballots
        begin select raise(abort, 'Ballots are never deleted; a new ballot replaces one.'); end"""
    )
    db.execute(
        """create trigger pb_ballots_no_edit before update of round_id, voter, member_id, source,
            marks, recorded_at on pb_ballots
        begin select raise(abort, 'A recorded ballot cannot be changed; a new ballot replaces it.'); end"""
    )
    db.execute(
        """create trigger pb_ballots_replaced_once before update of replaced_by on pb_ballots
            when old.replaced_by is not null
        begin select raise(abort, 'This ballot was already replaced.'); end"""
    )
    db.execute(
        """create table pb_paper_entries (
            id integer primary key,
            round_id integer not null references pb_rounds(id),
            paper text not null,
            entered_by text not null check (length(trim(entered_by)) > 0),
            marks text not null,
            entered_at text not null,
            ballot_id integer references pb_ballots(id)
        )"""
    )
    db.execute("create index pb_paper_entries_paper on pb_paper_entries(round_id, paper)")
    _append_only(db, "pb_paper_entries", "Paper ballot entries")  # not words
    db.execute(
        """create table pb_counts (
            id integer primary key,
            round_id integer not null references pb_rounds(id),
            counted_at text not null,
            actor text not null,
            ballots integer not null,
            result text not null
        )"""
    )
    _append_only(db, "pb_counts", "Counts")  # not words
    db.execute(
        f"""create table pb_overrides (
            id integer primary key,
            count_id integer not null references pb_counts(id),
            project_id integer not null references pb_projects(id),
            action text not null check (action in ({_check(OVERRIDE_ACTIONS)})),
            reason text not null check (length(trim(reason)) > 0),
            actor text not null,
            at text not null
        )"""
    )
    _append_only(db, "pb_overrides", "Overrides")  # not words
    db.execute(
        """create table pb_deliveries (
            project_id integer primary key references pb_projects(id),
            count_id integer not null references pb_counts(id),
            feedback_item_id integer not null unique references feedback_items(id),
            at text not null
        )"""
    )
    _append_only(db, "pb_deliveries", "Deliveries")  # not words


MIGRATIONS = (create_rounds,)
