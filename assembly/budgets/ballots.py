"""Ballots in a PB round: typed in, sent from phones, imported from a `.pb` file or from an
online platform's CSV (one row per voter), or paper ballots typed twice.

Every ballot is checked against the round's declared form (approval with least and most
projects, points shared out, or projects chosen within the budget). A voter (a voter code, or
a panel member) has one ballot that counts: a resubmission replaces the earlier one, which
stays in the file marked as replaced. A paper ballot counts only once two different people have
typed it in and their entries agree; entries that differ are listed until someone resolves them
with a further entry.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sqlite_utils import Database

from assembly.budgets.errors import BudgetError
from assembly.budgets.pbfile import PBFileError, format_amount, read_pb
from assembly.budgets.rounds import (
    Project,
    Round,
    add_project,
    get_round,
    list_projects,
    open_voting,
)
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Text, _
from assembly.core.library_words import refusal
from assembly.core.money import show_money
from assembly.store.database import write_transaction
from sortition.tabular import Table, TableError, id_key, read_table, whole_number

Marks = dict[str, int]
"""Project ref -> points (1 for each project ticked on an approval or knapsack ballot)."""


@dataclass(frozen=True)
class Ballot:
    id: int
    voter: str
    source: str
    marks: Marks
    recorded_at: str


@dataclass(frozen=True)
class PaperEntry:
    entered_by: str
    marks: Marks
    entered_at: str


@dataclass(frozen=True)
class PaperResult:
    """What typing a paper ballot in did: `waiting` (the first entry: someone else must type it
    too), `counted` (it agreed with another person's entry) or `mismatch`."""

    state: str
    ballot_id: int | None = None


@dataclass(frozen=True)
class Mismatch:
    paper: str
    entries: tuple[PaperEntry, ...]


@dataclass(frozen=True)
class Imported:
    projects: int
    ballots: int


def parse_marks(text: str, ballot_form: str) -> Marks:
    """'1, 3 5' (approval, knapsack) or '1=40, 2=60' (points) as marks."""
    marks: Marks = {}
    for token in re.split(r"[,\s]+", text.strip()):
        if not token:
            continue
        ref, sep, value = token.partition("=")
        ref = ref.strip()
        if ballot_form != "points":
            if sep:
                raise BudgetError(
                    _(
                        "%(token)s: an %(form)s ballot lists projects only (no '=' points).",
                        token=repr(token),
                        form=ballot_form,
                    )
                )
            points = 1
        else:
            if not sep:
                raise BudgetError(
                    _("%(token)s should look like PROJECT=POINTS, e.g. 3=40.", token=repr(token))
                )
            if not value.strip().isdigit():
                raise BudgetError(
                    _(
                        "%(token)s: %(value)s is not a whole number of points.",
                        token=repr(token),
                        value=repr(value),
                    )
                )
            points = int(value)
        if ref in marks:
            raise BudgetError(_("Project %(ref)s is marked twice.", ref=ref))
        marks[ref] = points
    return marks


def check_marks(round_: Round, projects: dict[str, Project], marks: Marks) -> None:
    """Refuse a ballot the round's form does not allow, saying what is wrong."""
    if not marks:
        raise BudgetError(_("The ballot marks no projects."))
    for ref, points in marks.items():
        project = projects.get(ref)
        if project is None:
            raise BudgetError(_("There is no project %(ref)s on this ballot.", ref=ref))
        if project.status != "feasible":
            raise BudgetError(
                _(
                    "Project %(ref)s is %(status)s: not on the ballot.",
                    ref=ref,
                    status=project.status_label.lower(),
                )
            )
        if points <= 0:
            raise BudgetError(_("Project %(ref)s: points must be more than zero.", ref=ref))
        if round_.ballot_form != "points" and points != 1:
            raise BudgetError(
                _(
                    "Project %(ref)s: an %(form)s ballot only ticks projects.",
                    ref=ref,
                    form=round_.ballot_form,
                )
            )
    chosen = len(marks)
    if round_.min_projects and chosen < round_.min_projects:
        raise BudgetError(
            _(
                "The ballot marks %(chosen)s projects; it must mark at least %(least)s.",
                chosen=chosen,
                least=round_.min_projects,
            )
        )
    if round_.max_projects and chosen > round_.max_projects:
        raise BudgetError(
            _(
                "The ballot marks %(chosen)s projects; it may mark at most %(most)s.",
                chosen=chosen,
                most=round_.max_projects,
            )
        )
    if round_.ballot_form == "knapsack":
        total = sum(projects[ref].cost for ref in marks)
        if total > round_.budget_pence:
            raise BudgetError(
                _(
                    "The chosen projects cost %(cost)s, more than the budget of %(budget)s.",
                    cost=show_money(total, round_.currency),
                    budget=round_.budget,
                )
            )
    if round_.ballot_form == "points":
        total = sum(marks.values())
        if total > (round_.points_per_voter or 0):
            raise BudgetError(
                _(
                    "The ballot gives %(total)s points; each voter has %(each)s.",
                    total=total,
                    each=round_.points_per_voter,
                )
            )


def _projects(db: Database, round_id: int) -> dict[str, Project]:
    return {p.ref: p for p in list_projects(db, round_id)}


def _marks_json(marks: Marks) -> str:
    return json.dumps(sorted(marks.items()))


def _marks_from(text: str) -> Marks:
    return dict((ref, int(points)) for ref, points in json.loads(text))


def _voter(db: Database, voter: str | None, member_number: int | None) -> tuple[str, int | None]:
    if (voter is None) == (member_number is None):
        raise BudgetError(_("Give either a voter code or a member number."))
    if member_number is not None:
        row = db.execute("select id from members where number = ?", [member_number]).fetchone()
        if row is None:
            raise BudgetError(
                _("There is no member %(number)s on the panel.", number=member_number)
            )
        return f"member {member_number}", row[0]  # not words: the voter as stored
    code = (voter or "").strip()
    if not code:
        raise BudgetError(_("A voter code cannot be empty."))
    return code, None


def _insert_ballot(
    db: Database,
    round_id: int,
    voter: str,
    member_id: int | None,
    source: str,
    marks: Marks,
    at: str,
) -> tuple[int, bool]:
    old = db.execute(
        "select id from pb_ballots where round_id = ? and voter = ? and replaced_by is null",
        [round_id, voter],
    ).fetchone()
    if old:
        # the old ballot steps aside first (the one-per-voter index), then points at the new one
        db.execute("update pb_ballots set replaced_by = id where id = ?", [old[0]])
    ballot_id = db.execute(
        "insert into pb_ballots (round_id, voter, member_id, source, marks, recorded_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [round_id, voter, member_id, source, _marks_json(marks), at],
    ).lastrowid
    return ballot_id, bool(old)


def cast_ballot(
    db: Database,
    round_id: int,
    *,
    marks: Marks,
    clock: Clock,
    voter: str | None = None,
    member_number: int | None = None,
    source: str = "typed",
) -> bool:
    """Record a voter's ballot; returns True when it replaced an earlier one."""
    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.status != "voting":
            raise BudgetError(_("Voting in round %(round)s is not open.", round=round_id))
        check_marks(round_, _projects(db, round_id), marks)
        name, member_id = _voter(db, voter, member_number)
        return _insert_ballot(db, round_id, name, member_id, source, marks, to_iso(clock.now()))[1]


def current_ballots(db: Database, round_id: int) -> list[Ballot]:
    """The ballots that count: one per voter, the latest."""
    return [
        Ballot(
            row["id"], row["voter"], row["source"], _marks_from(row["marks"]), row["recorded_at"]
        )
        for row in db.query(
            "select * from pb_ballots where round_id = ? and replaced_by is null order by id",
            [round_id],
        )
    ]


def ballot_of(db: Database, round_id: int, voter: str) -> Ballot | None:
    """The ballot that counts for `voter` (a code, 'member N', 'card N'), if any: a phone
    shows it to change."""
    rows = list(
        db.query(
            "select * from pb_ballots where round_id = ? and voter = ? and replaced_by is null",
            [round_id, voter],
        )
    )
    if not rows:
        return None
    row = rows[0]
    return Ballot(
        row["id"], row["voter"], row["source"], _marks_from(row["marks"]), row["recorded_at"]
    )


def replaced_count(db: Database, round_id: int) -> int:
    return db.execute(
        "select count(*) from pb_ballots where round_id = ? and replaced_by is not null",
        [round_id],
    ).fetchone()[0]


# --- paper ballots, typed twice ----------------------------------------------------------------


def _entries(db: Database, round_id: int, paper: str) -> list[tuple[PaperEntry, int | None]]:
    return [
        (
            PaperEntry(row["entered_by"], _marks_from(row["marks"]), row["entered_at"]),
            row["ballot_id"],
        )
        for row in db.query(
            "select * from pb_paper_entries where round_id = ? and paper = ? order by id",
            [round_id, paper],
        )
    ]


def enter_paper(
    db: Database, round_id: int, *, paper: str, entered_by: str, marks: Marks, clock: Clock
) -> PaperResult:
    """Type in paper ballot `paper` as `entered_by` read it. It counts when this entry agrees
    with one typed by somebody else."""
    paper, entered_by = (paper or "").strip(), (entered_by or "").strip()
    if not paper:
        raise BudgetError(_("Give the paper ballot's number (as written on the paper)."))
    if not entered_by:
        raise BudgetError(_("Say who typed the paper ballot in (--entered-by)."))
    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.status != "voting":
            raise BudgetError(_("Voting in round %(round)s is not open.", round=round_id))
        check_marks(round_, _projects(db, round_id), marks)
        earlier = _entries(db, round_id, paper)
        if any(ballot_id for _entry, ballot_id in earlier):
            raise BudgetError(_("Paper ballot %(paper)s was already counted.", paper=paper))
        if any(e.entered_by == entered_by for e, _ballot in earlier):
            raise BudgetError(
                _(
                    "%(who)s has already typed in paper ballot %(paper)s; someone else must "
                    "type it in for it to count.",
                    who=entered_by,
                    paper=paper,
                )
            )
        at = to_iso(clock.now())
        ballot_id = None
        if any(e.marks == marks for e, _ballot in earlier):
            ballot_id, _replaced = _insert_ballot(
                db, round_id, f"paper {paper}", None, "paper", marks, at
            )
        db.execute(
            "insert into pb_paper_entries (round_id, paper, entered_by, marks, entered_at, "
            "ballot_id) values (?, ?, ?, ?, ?, ?)",
            [round_id, paper, entered_by, _marks_json(marks), at, ballot_id],
        )
    if ballot_id is not None:
        return PaperResult("counted", ballot_id)
    return PaperResult("mismatch" if earlier else "waiting")


def paper_mismatches(db: Database, round_id: int) -> list[Mismatch]:
    """Paper ballots typed in by two or more people who disagree, not yet resolved."""
    out = []
    papers = db.execute(
        "select paper from pb_paper_entries where round_id = ? group by paper "
        "having count(*) > 1 and max(ballot_id) is null order by min(id)",
        [round_id],
    ).fetchall()
    for (paper,) in papers:
        out.append(Mismatch(paper, tuple(e for e, _ballot in _entries(db, round_id, paper))))
    return out


def papers_waiting(db: Database, round_id: int) -> list[str]:
    """Paper ballots typed in once only: they do not count until somebody types them again."""
    return [
        row[0]
        for row in db.execute(
            "select paper from pb_paper_entries where round_id = ? group by paper "
            "having count(*) = 1 and max(ballot_id) is null order by min(id)",
            [round_id],
        )
    ]


# --- a .pb file's projects and votes -----------------------------------------------------------


def _pence(amount: Fraction) -> int | None:
    pence = amount * 100
    return int(pence) if pence.denominator == 1 else None


def import_pb(
    db: Database, round_id: int, path: str | Path, *, actor: str, clock: Clock
) -> Imported:
    """Read `path` with the core's reader and put its projects (as feasible: they were on the
    file's ballot) and its votes into a round still being set up; voting opens when the file
    has votes. Nothing is stored unless the whole file fits the round."""
    try:
        election = read_pb(path)
    except PBFileError as error:
        raise BudgetError(str(error)) from error
    source = str(path)
    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.locked or list_projects(db, round_id):
            raise BudgetError(
                _(
                    "Round %(round)s already has projects or has opened voting; import a file "
                    "into a new round.",
                    round=round_id,
                )
            )
        if _pence(election.budget) != round_.budget_pence:
            raise BudgetError(
                _(
                    "%(source)s: the file's budget is %(file_budget)s but the round's is "
                    "%(budget)s.",
                    source=source,
                    file_budget=format_amount(election.budget),
                    budget=round_.budget,
                )
            )
        wanted = {"approval": ("approval", "knapsack"), "choose-1": ("approval", "knapsack")}
        wanted.update(cumulative=("points",), scoring=("points",))
        if round_.ballot_form not in wanted.get(election.vote_type, ()):
            raise BudgetError(
                _(
                    "%(source)s: %(vote_type)s votes do not fit this round's %(form)s ballot.",
                    source=source,
                    vote_type=election.vote_type,
                    form=round_.ballot_form,
                )
            )
        for row, project in enumerate(election.projects, start=1):
            cost = _pence(project.cost)
            if cost is None or cost <= 0:
                raise BudgetError(
                    _(
                        "%(source)s, PROJECTS row %(row)s (project %(project)s), field 'cost': "
                        "%(cost)s is not a positive amount in whole pence.",
                        source=source,
                        row=row,
                        project=project.project_id,
                        cost=format_amount(project.cost),
                    )
                )
            add_project(
                db,
                round_id,
                ref=project.project_id,
                title=project.column("name")
                or project.column("title")
                or Text(N_("Project %(ref)s"), {"ref": project.project_id}),
                cost_pence=cost,
                area=project.column("district") or project.column("subunit") or "",
                category=project.column("category") or "",
                status="feasible",
                reason=Text(N_("Imported from %(file)s"), {"file": Path(source).name}),
                actor=actor,
                clock=clock,
            )
        if not election.ballots:
            return Imported(len(election.projects), 0)
        open_voting(db, round_id, clock=clock)
        round_ = get_round(db, round_id)
        projects = _projects(db, round_id)
        at = to_iso(clock.now())
        for row, ballot in enumerate(election.ballots, start=1):
            points = ballot.points or tuple(Fraction(1) for _project in ballot.projects)
            if any(p.denominator != 1 for p in points):
                raise BudgetError(
                    _(
                        "%(source)s, VOTES row %(row)s (voter %(voter)s), field 'points': "
                        "points must be whole numbers.",
                        source=source,
                        row=row,
                        voter=ballot.voter_id,
                    )
                )
            marks = {ref: int(p) for ref, p in zip(ballot.projects, points, strict=True)}
            try:
                check_marks(round_, projects, marks)
            except BudgetError as error:
                raise BudgetError(
                    _(
                        "%(source)s, VOTES row %(row)s (voter %(voter)s), field 'vote': %(error)s",
                        source=source,
                        row=row,
                        voter=ballot.voter_id,
                        error=error,
                    )
                ) from error
            _insert_ballot(db, round_id, ballot.voter_id, None, "import", marks, at)
        return Imported(len(election.projects), len(election.ballots))


# --- an online platform's CSV: one row per voter ------------------------------------------------

VOTER_COLUMNS = ("voter_id", "voter", "user_id", "participant_id")
VOTE_COLUMNS = ("vote", "votes", "projects", "project_ids", "selected_projects")
POINTS_COLUMNS = ("points",)
ONLINE_PREFIX = "online "
_LIST = re.compile(r"[,;|\s]+")


@dataclass(frozen=True)
class ImportedVotes:
    ballots: int
    replaced: int  # ballots of the same online voters imported before, now replaced


def _column(table: Table, names: tuple[str, ...], what: str, *, needed: bool = True) -> int | None:
    index = table.column_index()
    for name in names:
        if name in index:
            return index[name]
    if needed:
        raise TableError(
            _(
                "no column of %(what)s; name one %(first)s (or %(others)s)",
                what=what,
                first=repr(names[0]),
                others=", ".join(names[1:]),
            ),
            file=table.file_name,
            row=1,
        )
    return None


def _regular_file(path: Path, name: str) -> None:
    """Only a regular file is read: a pipe would never end and /dev/zero never stops."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise TableError(
            _("cannot be read (%(error)s)", error=error.strerror or error), file=name
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise TableError(_("is not a regular file (a folder, device or pipe)"), file=name)


def _row_marks(
    table: Table,
    row: int,
    cells: tuple[str, ...],
    columns: tuple[int, int | None],
    refs: dict[str, str],
    ballot_form: str,
) -> Marks:
    vote_at, points_at = columns
    vote_column = table.header[vote_at]
    where = {"file": table.file_name, "row": row, "column": vote_column}
    chosen = [part for part in _LIST.split(cells[vote_at]) if part]
    if not chosen:
        raise TableError(_("lists no project; write the chosen project ids"), **where)
    if points_at is None:
        if ballot_form == "points":
            raise TableError(
                _(
                    "this round's ballot shares points: add a 'points' column, one number per "
                    "project in the same order"
                ),
                file=table.file_name,
                row=1,
            )
        points = [1] * len(chosen)
    else:
        points_column = table.header[points_at]
        given = [part for part in _LIST.split(cells[points_at]) if part]
        if len(given) != len(chosen):
            raise TableError(
                _(
                    "gives %(given)s numbers for %(chosen)s projects in %(column)s",
                    given=len(given),
                    chosen=len(chosen),
                    column=repr(vote_column),
                ),
                file=table.file_name,
                row=row,
                column=points_column,
            )
        points = [
            whole_number(p, file=table.file_name, row=row, column=points_column) for p in given
        ]
    marks: Marks = {}
    for part, value in zip(chosen, points, strict=True):
        ref = refs.get(id_key(part))
        if ref is None:
            shown = part if len(part) <= 30 else part[:30] + "…"
            raise TableError(
                _("there is no project %(project)s in this round", project=repr(shown)), **where
            )
        if ref in marks:
            raise TableError(_("project %(ref)s is listed twice", ref=ref), **where)
        marks[ref] = value
    return marks


def import_votes_table(
    db: Database, round_id: int, path: str | Path, *, clock: Clock
) -> ImportedVotes:
    """Read an online platform's export (CSV, or a spreadsheet) of one row per voter with the
    ids of the projects they chose (and, for a points ballot, a `points` column) into a round
    whose voting is open, through the shared tabular reader. Each voter is recorded as
    `online <id>`: importing the file again replaces their earlier ballots rather than
    counting them twice. Every row is checked against the round's form; nothing is stored
    unless every row is right, and a refusal names the file, the row and the column."""
    path = Path(path)
    name = str(path)
    try:
        _regular_file(path, name)
        table = read_table(path, display_name=name)
        voter_at = _column(table, VOTER_COLUMNS, _("voter ids"))
        vote_at = _column(table, VOTE_COLUMNS, _("chosen projects"))
        points_at = _column(table, POINTS_COLUMNS, "points", needed=False)
        with write_transaction(db):
            round_ = get_round(db, round_id)
            if round_.status != "voting":
                raise BudgetError(
                    _(
                        "%(file)s: voting in round %(round)s is not open; ballots are imported "
                        "into a round whose voting is open (budget round open).",
                        file=name,
                        round=round_id,
                    )
                )
            projects = _projects(db, round_id)
            refs = {id_key(ref): ref for ref in projects}
            seen: dict[str, int] = {}
            at = to_iso(clock.now())
            replaced = 0
            for row, cells in table.rows:
                voter = cells[voter_at]
                voter_column = table.header[voter_at]
                where = {"file": name, "row": row, "column": voter_column}
                if not voter:
                    raise TableError(_("is empty; every row needs the voter's id"), **where)
                if len(voter) > 200:
                    raise TableError(_("the voter id is longer than 200 characters"), **where)
                if id_key(voter) in seen:
                    raise TableError(
                        _(
                            "voter %(voter)s is on row %(row)s too; one row per voter",
                            voter=repr(voter),
                            row=seen[id_key(voter)],
                        ),
                        **where,
                    )
                seen[id_key(voter)] = row
                marks = _row_marks(
                    table, row, cells, (vote_at, points_at), refs, round_.ballot_form
                )
                try:
                    check_marks(round_, projects, marks)
                except BudgetError as error:
                    raise TableError(
                        str(error), file=name, row=row, column=table.header[vote_at]
                    ) from None
                _ballot_id, was = _insert_ballot(
                    db, round_id, ONLINE_PREFIX + voter, None, "import", marks, at
                )
                replaced += was
            if not table.rows:
                raise TableError(_("has a header but no votes"), file=name)
    except TableError as error:
        raise BudgetError(refusal(error)) from None
    return ImportedVotes(len(table.rows), replaced)
