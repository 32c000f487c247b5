"""A participatory-budgeting round in an assembly file: its declared rules and its projects.

The budget, the counting rule and the ballot form are declared while the round is set up and
locked once voting opens (the schema refuses a change too), so nobody can move the goalposts
after seeing the ballots. Projects are proposed, then reviewed for feasibility; every change is
a row in `pb_project_changes`, which only grows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from assembly.budgets.errors import BudgetError
from assembly.budgets.rules import RULES
from assembly.budgets.schema import BALLOT_FORMS, LOCKED_ROUND, PROJECT_STATUSES
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, _, ngettext
from assembly.core.money import show_money
from assembly.store.database import write_transaction

STATUS_LABELS = {
    "proposed": N_("Proposed"),
    "feasible": N_("Feasible"),
    "not_feasible": N_("Not feasible"),
    "withdrawn": N_("Withdrawn"),
}
FORM_LABELS = {
    "approval": N_("approval (tick the projects you support)"),
    "points": N_("points (share your points between projects)"),
    "knapsack": N_("knapsack (choose projects within the budget)"),
}
# The counting rules by name, as the Round tab and the published result say them.
RULE_WORDS = {
    "greedy": N_("greedy: most votes first, while money lasts"),
    "greedy-no-skip": N_("greedy, stopping at the first that does not fit"),
    "greedy-threshold": N_("greedy, with a least number of votes"),
    "greedy-exclusive": N_("greedy, at most one of incompatible projects"),
    "mes": N_("Method of Equal Shares"),
    "mes-add1": N_("Method of Equal Shares, completed by Add1"),
    "mes-utilitarian": N_("Method of Equal Shares, then greedy"),
    "mes-add1-utilitarian": N_("Equal Shares, Add1, then greedy"),
}
ROUND_LABELS = {
    "setup": N_("Being set up"),
    "voting": N_("Voting open"),
    "closed": N_("Voting closed"),
}
_MONEY = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def parse_pence(text: str, what: str | None = None) -> int:
    """'1,250.50', '£1250.5' or '1250' as pence; a plain message for anything else. `what`
    names the amount in the message (already in the working language; default "An amount")."""
    what = _("An amount") if what is None else what
    cleaned = str(text).strip().lstrip("£€$").replace(",", "").replace(" ", "")
    if not _MONEY.fullmatch(cleaned):
        raise BudgetError(
            _(
                "%(what)s: %(text)s is not an amount of money (for example 1250.50).",
                what=what,
                text=repr(text),
            )
        )
    pounds, _point, pence = cleaned.partition(".")
    value = int(pounds) * 100 + int((pence + "00")[:2])
    if value <= 0:
        raise BudgetError(_("%(what)s must be more than zero.", what=what))
    return value


@dataclass(frozen=True)
class Round:
    id: int
    title: str
    budget_pence: int
    currency: str
    rule: str
    ballot_form: str
    min_projects: int | None
    max_projects: int | None
    points_per_voter: int | None
    tie_seed: str
    status: str
    created_at: str
    voting_opened_at: str | None
    voting_closed_at: str | None

    @property
    def locked(self) -> bool:
        """Budget, rule and ballot form can no longer change (voting has opened)."""
        return self.status != "setup"

    @property
    def budget(self) -> str:
        return show_money(self.budget_pence, self.currency)

    def describe_form(self) -> str:
        """The ballot form in words, with its limits."""
        parts = [_(FORM_LABELS[self.ballot_form])]
        if self.min_projects:
            parts.append(
                ngettext("at least %(num)s project", "at least %(num)s projects", self.min_projects)
            )
        if self.max_projects:
            parts.append(
                ngettext("at most %(num)s project", "at most %(num)s projects", self.max_projects)
            )
        if self.ballot_form == "points":
            parts.append(_("%(points)s points each", points=self.points_per_voter))
        return ", ".join(parts)


@dataclass(frozen=True)
class Project:
    id: int
    round_id: int
    ref: str
    title: str
    cost_pence: int
    area: str
    category: str
    proposer: str | None
    status: str
    reason: str
    revised_cost_pence: int | None
    created_at: str

    @property
    def cost(self) -> int:
        """What the project costs now: the reviewed cost where the review revised it."""
        return self.revised_cost_pence or self.cost_pence

    @property
    def status_label(self) -> str:
        """The review in the working language (shown; the status itself is stored)."""
        return _(STATUS_LABELS[self.status])

    @property
    def proposer_shown(self) -> str:
        return self.proposer or _("Anonymous")


@dataclass(frozen=True)
class ProjectChange:
    at: str
    actor: str
    action: str
    detail: dict[str, Any]
    reason: str


def _check_form(
    ballot_form: str,
    min_projects: int | None,
    max_projects: int | None,
    points_per_voter: int | None,
) -> None:
    if ballot_form not in BALLOT_FORMS:
        raise BudgetError(
            _(
                "Unknown ballot form %(form)s; use one of: %(forms)s.",
                form=repr(ballot_form),
                forms=", ".join(BALLOT_FORMS),
            )
        )
    if ballot_form == "points" and not points_per_voter:
        raise BudgetError(_("A points ballot needs the number of points each voter shares out."))
    if ballot_form != "points" and points_per_voter:
        raise BudgetError(_("Points per voter only apply to a points ballot."))
    if min_projects is not None and min_projects < 0:
        raise BudgetError(_("The least number of projects on a ballot cannot be negative."))
    if max_projects is not None and max_projects < 1:
        raise BudgetError(_("The most projects on a ballot must be at least 1."))
    if min_projects and max_projects and min_projects > max_projects:
        raise BudgetError(
            _(
                "At least %(least)s and at most %(most)s projects cannot both hold.",
                least=min_projects,
                most=max_projects,
            )
        )


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        raise BudgetError(
            _(
                "Unknown rule %(rule)s; use one of: %(rules)s.",
                rule=repr(rule),
                rules=", ".join(RULES),
            )
        )


def create_round(
    db: Database,
    *,
    title: str,
    budget_pence: int,
    rule: str,
    ballot_form: str,
    clock: Clock,
    currency: str = "GBP",
    min_projects: int | None = None,
    max_projects: int | None = None,
    points_per_voter: int | None = None,
    tie_seed: str = "0",
) -> int:
    """Declare a round; returns its number. Nothing about it is locked until voting opens."""
    if not title.strip():
        raise BudgetError(_("A round needs a title."))
    if budget_pence <= 0:
        raise BudgetError(_("The budget must be more than zero."))
    currency = (currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise BudgetError(
            _(
                "Currency %(currency)s should be a three-letter code such as GBP.",
                currency=repr(currency),
            )
        )
    _check_rule(rule)
    _check_form(ballot_form, min_projects, max_projects, points_per_voter)
    with write_transaction(db):
        return db.execute(
            "insert into pb_rounds (title, budget_pence, currency, rule, ballot_form, "
            "min_projects, max_projects, points_per_voter, tie_seed, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                title.strip(),
                budget_pence,
                currency,
                rule,
                ballot_form,
                min_projects,
                max_projects,
                points_per_voter,
                tie_seed,
                to_iso(clock.now()),
            ],
        ).lastrowid


def get_round(db: Database, round_id: int) -> Round:
    rows = list(db.query("select * from pb_rounds where id = ?", [round_id]))
    if not rows:
        raise BudgetError(_("There is no PB round %(round)s.", round=round_id))
    return Round(**rows[0])


def list_rounds(db: Database) -> list[Round]:
    return [Round(**row) for row in db.query("select * from pb_rounds order by id")]


def change_rules(db: Database, round_id: int, **changes: Any) -> Round:
    """Change what a round declares (budget_pence, currency, rule, ballot_form, min_projects,
    max_projects, points_per_voter, tie_seed); refused once voting has opened."""
    allowed = {
        "budget_pence",
        "currency",
        "rule",
        "ballot_form",
        "min_projects",
        "max_projects",
        "points_per_voter",
        "tie_seed",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise BudgetError(
            _("A round has no setting %(settings)s.", settings=", ".join(sorted(unknown)))
        )
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.locked:
            raise BudgetError(_(LOCKED_ROUND))
        merged = {**current.__dict__, **changes}
        _check_rule(merged["rule"])
        _check_form(
            merged["ballot_form"],
            merged["min_projects"],
            merged["max_projects"],
            merged["points_per_voter"],
        )
        if merged["budget_pence"] <= 0:
            raise BudgetError(_("The budget must be more than zero."))
        if changes:
            db.execute(
                f"update pb_rounds set {', '.join(f'{k} = ?' for k in changes)} where id = ?",
                [*changes.values(), round_id],
            )
        return get_round(db, round_id)


def open_voting(db: Database, round_id: int, *, clock: Clock) -> Round:
    """Open voting: from now the budget, rule, ballot form and projects are locked."""
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.status != "setup":
            raise BudgetError(_("Voting in round %(round)s has already opened.", round=round_id))
        projects = list_projects(db, round_id)
        waiting = [p.ref for p in projects if p.status == "proposed"]
        if waiting:
            raise BudgetError(
                _(
                    "Review every project before voting opens; still proposed: %(refs)s.",
                    refs=", ".join(waiting),
                )
            )
        if not any(p.status == "feasible" for p in projects):
            raise BudgetError(_("Voting needs at least one feasible project."))
        db.execute(
            "update pb_rounds set status = 'voting', voting_opened_at = ? where id = ?",
            [to_iso(clock.now()), round_id],
        )
        return get_round(db, round_id)


def close_voting(db: Database, round_id: int, *, clock: Clock) -> Round:
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.status != "voting":
            raise BudgetError(_("Voting in round %(round)s is not open.", round=round_id))
        db.execute(
            "update pb_rounds set status = 'closed', voting_closed_at = ? where id = ?",
            [to_iso(clock.now()), round_id],
        )
        return get_round(db, round_id)


# --- projects ----------------------------------------------------------------------------------


def _record_change(
    db: Database,
    project_id: int,
    *,
    action: str,
    detail: dict[str, Any],
    reason: str,
    actor: str,
    clock: Clock,
) -> None:
    db.execute(
        "insert into pb_project_changes (project_id, at, actor, action, detail, reason) "
        "values (?, ?, ?, ?, ?, ?)",
        [project_id, to_iso(clock.now()), actor, action, json.dumps(detail), reason],
    )


def _actor(actor: str) -> str:
    if not (actor or "").strip():
        raise BudgetError(_("Say who is recording this (actor)."))
    return actor.strip()


def add_project(
    db: Database,
    round_id: int,
    *,
    title: str,
    cost_pence: int,
    actor: str,
    clock: Clock,
    area: str = "",
    category: str = "",
    proposer: str | None = None,
    ref: str | None = None,
    status: str = "proposed",
    reason: str = "",
) -> Project:
    """Add a project to a round still being set up. `proposer` None keeps it anonymous; `ref`
    is how ballots name it (default: the next number in the round)."""
    actor = _actor(actor)
    if not title.strip():
        raise BudgetError(_("A project needs a title."))
    if cost_pence <= 0:
        raise BudgetError(_("A project's cost must be more than zero."))
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.locked:
            raise BudgetError(_("Projects cannot be added once voting has opened."))
        if ref is None:
            count = db.execute(
                "select count(*) from pb_projects where round_id = ?", [round_id]
            ).fetchone()[0]
            ref = str(count + 1)
        ref = str(ref).strip()
        if db.execute(
            "select 1 from pb_projects where round_id = ? and ref = ?", [round_id, ref]
        ).fetchone():
            raise BudgetError(
                _("Round %(round)s already has a project %(ref)s.", round=round_id, ref=ref)
            )
        project_id = db.execute(
            "insert into pb_projects (round_id, ref, title, cost_pence, area, category, "
            "proposer, status, reason, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                round_id,
                ref,
                title.strip(),
                cost_pence,
                area.strip(),
                category.strip(),
                (proposer or "").strip() or None,
                status,
                reason,
                to_iso(clock.now()),
            ],
        ).lastrowid
        _record_change(
            db,
            project_id,
            action="proposed",
            detail={"title": title.strip(), "cost_pence": cost_pence, "status": status},
            reason=reason,
            actor=actor,
            clock=clock,
        )
        return get_project(db, round_id, ref)


def get_project(db: Database, round_id: int, ref: str) -> Project:
    rows = list(
        db.query("select * from pb_projects where round_id = ? and ref = ?", [round_id, str(ref)])
    )
    if not rows:
        raise BudgetError(_("Round %(round)s has no project %(ref)s.", round=round_id, ref=ref))
    return Project(**rows[0])


def list_projects(db: Database, round_id: int) -> list[Project]:
    return [
        Project(**row)
        for row in db.query("select * from pb_projects where round_id = ? order by id", [round_id])
    ]


def review_project(
    db: Database,
    round_id: int,
    ref: str,
    *,
    status: str,
    actor: str,
    clock: Clock,
    reason: str = "",
    revised_cost_pence: int | None = None,
) -> Project:
    """Record a feasibility review: a status, the reason, and a revised cost if the review
    changed it. Not feasible, withdrawn and a revised cost each need a reason."""
    actor = _actor(actor)
    reason = (reason or "").strip()
    if status not in PROJECT_STATUSES:
        raise BudgetError(
            _(
                "Unknown status %(status)s; use one of: %(statuses)s.",
                status=repr(status),
                statuses=", ".join(PROJECT_STATUSES),
            )
        )
    if status == "not_feasible" and not reason:
        raise BudgetError(_("Say why the project is not feasible (a reason)."))
    if status == "withdrawn" and not reason:
        raise BudgetError(_("Say why the project is withdrawn (a reason)."))
    if revised_cost_pence is not None and revised_cost_pence <= 0:
        raise BudgetError(_("A revised cost must be more than zero."))
    if revised_cost_pence is not None and not reason:
        raise BudgetError(_("Say why the cost was revised (a reason)."))
    with write_transaction(db):
        if get_round(db, round_id).locked:
            raise BudgetError(
                _(
                    "Projects are reviewed before voting; voting has opened, so the ballot's "
                    "projects are fixed."
                )
            )
        project = get_project(db, round_id, ref)
        detail: dict[str, Any] = {}
        if status != project.status:
            detail["status"] = status
        if revised_cost_pence is not None and revised_cost_pence != project.cost:
            detail["revised_cost_pence"] = revised_cost_pence
        if not detail and reason == project.reason:
            raise BudgetError(
                _("Nothing to record for project %(ref)s: nothing would change.", ref=ref)
            )
        db.execute(
            "update pb_projects set status = ?, reason = ?, revised_cost_pence = ? where id = ?",
            [
                status,
                reason,
                detail.get("revised_cost_pence", project.revised_cost_pence),
                project.id,
            ],
        )
        _record_change(
            db,
            project.id,
            action="reviewed",
            detail=detail,
            reason=reason,
            actor=actor,
            clock=clock,
        )
        return get_project(db, round_id, ref)


def project_changes(db: Database, round_id: int, ref: str) -> list[ProjectChange]:
    project = get_project(db, round_id, ref)
    return [
        ProjectChange(
            row["at"], row["actor"], row["action"], json.loads(row["detail"]), row["reason"]
        )
        for row in db.query(
            "select * from pb_project_changes where project_id = ? order by id", [project.id]
        )
    ]
