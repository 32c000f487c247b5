"""Counting a PB round, the organisers' overrides, and handing funded projects to the log.

The count runs the core's rule (`assembly.budgets.rules.count`) on the round's feasible projects
and the ballots that count, and stores the whole result with every project's explanation. An
organiser may then fund or unfund a project with a reason; the computed outcome is never
changed, so the published result shows it, each override and its reason side by side. Counts
and overrides only grow (append-only tables). Funded projects become feedback-log items, so
their delivery is tracked like any recommendation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlite_utils import Database

from assembly.budgets.ballots import current_ballots
from assembly.budgets.election import Ballot, Election
from assembly.budgets.election import Project as PBProject
from assembly.budgets.errors import BudgetError
from assembly.budgets.explain import explain, fate_from_json
from assembly.budgets.mes import UTILITIES
from assembly.budgets.report import outcome_json
from assembly.budgets.rounds import (
    STATUS_LABELS,
    Project,
    Round,
    get_project,
    get_round,
    list_projects,
)
from assembly.budgets.rules import RULES, RuleError, RuleSpec, count
from assembly.budgets.schema import OVERRIDE_ACTIONS
from assembly.budgets.ties import TieError, TieOrder
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Text, Translator, _, stored_form, working
from assembly.core.money import show_money
from assembly.feedback import writes
from assembly.feedback.entries import FeedbackError
from assembly.store.database import write_transaction


@dataclass(frozen=True)
class Override:
    action: str
    reason: str
    actor: str
    at: str


@dataclass(frozen=True)
class ResultRow:
    """One project in the published result: what the count decided and why, any override,
    and the outcome after it."""

    ref: str
    title: str
    cost_pence: int
    status: str
    computed: bool
    final: bool
    explanation: str
    override: Override | None
    votes: int | None = None
    """Ballots that marked it (None: it was not on the ballot)."""
    facts: Mapping[str, Any] | None = None
    """The count's stored explanation with its facts (None: it was not on the ballot)."""
    review_reason: str = ""
    """Why the review kept it off the ballot, as the officer wrote it."""
    title_language: str = ""
    """The language a resident wrote its title in, from a phone ('' when not known)."""

    def explanation_in(self, tr: Translator) -> str:
        """Why it fared as it did, in `tr`'s language: worded again from the count's facts
        (a count stored before one of them was kept shows its stored text)."""
        if self.facts is None:
            return not_on_ballot(self.status, self.review_reason, tr)
        fate = fate_from_json(self.ref, self.facts)
        return self.explanation if fate is None else explain(fate, tr)


@dataclass(frozen=True)
class PublishedResult:
    round: Round
    count_id: int
    counted_at: str
    ballots: int
    rule: dict[str, Any]
    rows: tuple[ResultRow, ...]
    ties: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]

    def row(self, ref: str) -> ResultRow:
        for row in self.rows:
            if row.ref == ref:
                return row
        raise KeyError(ref)

    @property
    def computed_spent_pence(self) -> int:
        return sum(r.cost_pence for r in self.rows if r.computed)

    @property
    def final_spent_pence(self) -> int:
        return sum(r.cost_pence for r in self.rows if r.final)

    @property
    def overridden(self) -> tuple[ResultRow, ...]:
        return tuple(r for r in self.rows if r.override is not None)


def election_of(db: Database, round_id: int):
    """The round as the counting core's `Election`: its feasible projects (at their reviewed
    cost, in pounds) and the ballots that count."""
    round_ = get_round(db, round_id)
    feasible = [p for p in list_projects(db, round_id) if p.status == "feasible"]
    refs = {p.ref for p in feasible}
    vote_type = "cumulative" if round_.ballot_form == "points" else "approval"
    ballots = []
    for ballot in current_ballots(db, round_id):
        marked = [(ref, points) for ref, points in ballot.marks.items() if ref in refs]
        ballots.append(
            Ballot(
                ballot.voter,
                tuple(ref for ref, _points in marked),
                tuple(Fraction(p) for _ref, p in marked) if vote_type == "cumulative" else None,
            )
        )
    return Election(
        meta=(
            ("description", round_.title),
            ("currency", round_.currency),
            ("budget", str(Fraction(round_.budget_pence, 100))),
            ("vote_type", vote_type),
            ("rule", round_.rule),
        ),
        budget=Fraction(round_.budget_pence, 100),
        vote_type=vote_type,
        projects=tuple(
            PBProject(
                p.ref,
                Fraction(p.cost, 100),
                (("name", p.title), ("category", p.category), ("district", p.area)),
            )
            for p in feasible
        ),
        ballots=tuple(ballots),
        project_header=("project_id", "cost", "name", "category", "district"),
        vote_header=("voter_id", "vote", "points")
        if vote_type == "cumulative"
        else ("voter_id", "vote"),
        source=f"round {round_id}",
    )


class CountStopped(Exception):
    """The count was stopped before its result was saved: nothing was stored."""


COUNT_STEPS = (
    N_("Reading the ballots"),
    N_("Counting by the declared rule"),
    N_("Saving the result"),
)
"""What `count_round` reports through `progress`, one step at a time (English: show `_(step)`)."""


def count_problem(error: TieError | RuleError) -> str:
    """Why the core could not count, in the working language (the core's own message is
    English: it imports nothing of the app)."""
    if isinstance(error, TieError):
        tied = ", ".join(error.tied)
        if error.kind == "deciding":
            return _(
                "projects %(projects)s tie on %(score)s and not all of them fit (the rule "
                "refuses ties)",
                projects=tied,
                score=error.score,
            )
        if error.kind == "unsettled":
            return _(
                "a tie between projects %(projects)s that the tie order does not settle",
                projects=tied,
            )
        return _("a tie between projects %(projects)s (the rule refuses ties)", projects=tied)
    names = ", ".join(error.names)
    if error.kind == "rule":
        return _("unknown rule '%(rule)s' (one of %(rules)s)", rule=names, rules=", ".join(RULES))
    if error.kind == "utility":
        return _(
            "unknown utility '%(utility)s' (one of %(utilities)s)",
            utility=names,
            utilities=", ".join(UTILITIES),
        )
    if error.kind == "increment":
        return _("the Add1 increment must be positive")
    if error.kind == "exclusive":
        return _("exclusive group names unknown projects: %(projects)s", projects=names)
    return str(error)


def count_round(
    db: Database,
    round_id: int,
    *,
    actor: str,
    clock: Clock,
    progress: Callable[[int, int, str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Count a closed round by its declared rule; returns the count's number.

    `progress(done, total, step)` is called as each of `COUNT_STEPS` starts; `should_stop()` is
    asked between steps, and a yes raises `CountStopped` with nothing saved (the screen runs
    the count in a worker that can be cancelled)."""
    if not (actor or "").strip():
        raise BudgetError(_("Say who is counting (actor)."))

    def step(done: int) -> None:
        if should_stop is not None and should_stop():
            raise CountStopped(_("The count was stopped: nothing was saved."))
        if progress is not None:
            progress(done, len(COUNT_STEPS), COUNT_STEPS[done])

    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.status != "closed":
            raise BudgetError(
                _("Close voting in round %(round)s before counting it.", round=round_id)
            )
        step(0)
        election = election_of(db, round_id)
        if not election.ballots:
            raise BudgetError(_("Round %(round)s has no ballots to count.", round=round_id))
        step(1)
        try:
            outcome = count(election, RuleSpec(round_.rule, ties=TieOrder(seed=round_.tie_seed)))
        except (TieError, RuleError) as error:
            raise BudgetError(
                _(
                    "Round %(round)s could not be counted: %(problem)s.",
                    round=round_id,
                    problem=count_problem(error),
                )
            ) from error
        step(2)
        return db.execute(
            "insert into pb_counts (round_id, counted_at, actor, ballots, result) "
            "values (?, ?, ?, ?, ?)",
            [
                round_id,
                to_iso(clock.now()),
                actor.strip(),
                len(election.ballots),
                json.dumps(outcome_json(outcome), ensure_ascii=False),
            ],
        ).lastrowid


def _latest_count(db: Database, round_id: int) -> dict[str, Any]:
    rows = list(
        db.query("select * from pb_counts where round_id = ? order by id desc limit 1", [round_id])
    )
    if not rows:
        raise BudgetError(_("Round %(round)s has not been counted yet.", round=round_id))
    return rows[0]


def _overrides(db: Database, count_id: int) -> dict[int, Override]:
    """The latest override of each project (project id -> override)."""
    out: dict[int, Override] = {}
    for row in db.query("select * from pb_overrides where count_id = ? order by id", [count_id]):
        out[row["project_id"]] = Override(row["action"], row["reason"], row["actor"], row["at"])
    return out


def not_on_ballot(status: str, reason: str, tr: Translator | None = None) -> str:
    """Why a project was not counted (its review), in `tr`'s language (default: the working
    language); the review's reason as the officer wrote it."""
    tr = tr or working()
    label = tr.gettext(STATUS_LABELS[status]).lower()
    if reason:
        return tr.gettext(
            "Not on the ballot: %(status)s (%(reason)s).", status=label, reason=reason
        )
    return tr.gettext("Not on the ballot: %(status)s.", status=label)


def _not_on_ballot(project: Project) -> str:
    return not_on_ballot(project.status, project.reason)


def _title_languages(db: Database, round_id: int) -> dict[int, str]:
    """Project id -> the language a resident wrote its title in, for those sent from phones."""
    if "pb_phone_proposals" not in db.table_names():
        return {}
    return {
        project_id: language
        for project_id, language in db.execute(
            "select f.project_id, f.language from pb_phone_proposals f "
            "join pb_projects p on p.id = f.project_id where p.round_id = ?",
            [round_id],
        )
        if language
    }


def published_result(db: Database, round_id: int) -> PublishedResult:
    """The latest count with its overrides: each project's computed outcome and explanation,
    the override and its reason if any, and the outcome after it."""
    round_ = get_round(db, round_id)
    stored = _latest_count(db, round_id)
    result = json.loads(stored["result"])
    explanations = result["explanations"]
    selected = set(result["selected"])
    overrides = _overrides(db, stored["id"])
    languages = _title_languages(db, round_id)
    rows = []
    for project in list_projects(db, round_id):
        computed = project.ref in selected
        override = overrides.get(project.id)
        final = computed if override is None else override.action == "fund"
        facts = explanations.get(project.ref)
        if facts is not None:
            explanation, votes = facts["text"], facts["votes"]
        else:
            explanation, votes = _not_on_ballot(project), None
        rows.append(
            ResultRow(
                project.ref,
                project.title,
                project.cost,
                project.status,
                computed,
                final,
                explanation,
                override,
                votes,
                facts,
                project.reason,
                languages.get(project.id, ""),
            )
        )
    return PublishedResult(
        round_,
        stored["id"],
        stored["counted_at"],
        stored["ballots"],
        result["rule"],
        tuple(rows),
        tuple(result["ties"]),
        tuple(result["notes"]),
    )


def override(
    db: Database, round_id: int, ref: str, action: str, *, reason: str, actor: str, clock: Clock
) -> Override:
    """Fund or unfund a project after the count, with a reason; the count itself stays."""
    if action not in OVERRIDE_ACTIONS:
        raise BudgetError(
            _(
                "An override funds or unfunds a project (%(actions)s).",
                actions=", ".join(OVERRIDE_ACTIONS),
            )
        )
    reason, actor = (reason or "").strip(), (actor or "").strip()
    if not reason:
        raise BudgetError(_("An override needs a reason: it is published beside the result."))
    if not actor:
        raise BudgetError(_("Say who is overriding the count (actor)."))
    with write_transaction(db):
        current = published_result(db, round_id)
        project = get_project(db, round_id, ref)
        now_funded = current.row(project.ref).final
        if action == "fund" and now_funded:
            raise BudgetError(_("Project %(ref)s is already funded.", ref=ref))
        if action == "unfund" and not now_funded:
            raise BudgetError(
                _("Project %(ref)s is not funded, so it cannot be unfunded.", ref=ref)
            )
        if action == "fund" and project.status != "feasible":
            raise BudgetError(
                _(
                    "Project %(ref)s is %(status)s: it cannot be funded.",
                    ref=ref,
                    status=project.status_label.lower(),
                )
            )
        at = to_iso(clock.now())
        db.execute(
            "insert into pb_overrides (count_id, project_id, action, reason, actor, at) "
            "values (?, ?, ?, ?, ?, ?)",
            [current.count_id, project.id, action, reason, actor, at],
        )
        return Override(action, reason, actor, at)


# What the feedback log keeps for a funded project handed to it (`deliver`): the app's sentence
# in English, filled in with the budget's name, its cost and how it was funded (the count's
# explanation as the count stored it, or the officer's reason for funding it after the count),
# as it was hashed and as old files hold it. A report shows it in its reader's language
# (`delivery_in`). The one place that knows its wording.
FUNDED = N_("Funded in the participatory budget '%(title)s' (%(cost)s). %(how)s")
FUNDED_AFTER_COUNT = N_("Funded after the count: %(reason)s")
_VALUES = {"title": ".*?", "cost": "[^()]+"}  # each other value any text


_FUNDED, _FUNDED_AFTER_COUNT = (
    re.compile(stored_form(message, _VALUES), re.DOTALL) for message in (FUNDED, FUNDED_AFTER_COUNT)
)


def delivery_in(description: str, tr: Translator) -> str | None:
    """A log item's description as `deliver` wrote it, in `tr`'s language (the budget's name,
    the amount and the count's explanation as stored, the officer's reason as written); None
    for any other (someone's words)."""
    found = _FUNDED.fullmatch(description)
    if found is None:
        return None
    after = _FUNDED_AFTER_COUNT.fullmatch(found["how"])
    how = found["how"] if after is None else Text(FUNDED_AFTER_COUNT, after.groupdict())
    return tr.gettext(FUNDED, title=found["title"], cost=found["cost"], how=how)


def deliver(
    db: Database,
    round_id: int,
    *,
    responsible_body: str,
    due: str,
    actor: str,
    clock: Clock,
    projects: Sequence[str] | None = None,
) -> list[int]:
    """Make every funded project (after overrides), or only the named ones, a feedback-log item
    with the body that delivers it and the date a response is due; returns the new items' ids.
    Naming projects lets each have its own body and date. A project already handed over is not
    handed over twice, and naming one that was, or one not funded, is refused."""
    if not (responsible_body or "").strip():
        raise BudgetError(_("Say which body delivers the funded projects."))
    if not (due or "").strip():
        raise BudgetError(_("Give the date a response is due (YYYY-MM-DD)."))
    new = []
    with write_transaction(db):
        result = published_result(db, round_id)
        delivered = {
            row[0]
            for row in db.execute(
                "select p.ref from pb_deliveries d join pb_projects p on p.id = d.project_id "
                "where p.round_id = ?",
                [round_id],
            )
        }
        chosen = _chosen_for_delivery(result, delivered, projects)
        for row in result.rows:
            if not row.final or row.ref in delivered or row.ref not in chosen:
                continue
            project = get_project(db, round_id, row.ref)
            # stored in the feedback log: its English, marked (`Text`)
            how = (
                Text(FUNDED_AFTER_COUNT, {"reason": row.override.reason})
                if row.override is not None
                else row.explanation
            )
            try:
                item_id = writes.track(
                    db,
                    title=row.title,
                    description=Text(
                        FUNDED,
                        {
                            "title": result.round.title,
                            "cost": show_money(row.cost_pence, result.round.currency),
                            "how": how,
                        },
                    ),
                    source_kind="other",
                    source_id=None,
                    external_ref=f"pb-round-{round_id}-project-{row.ref}",  # not words
                    responsible_body=responsible_body,
                    due=due,
                    actor=actor,
                    clock=clock,
                )
            except FeedbackError as error:
                raise BudgetError(str(error)) from error
            db.execute(
                "insert into pb_deliveries (project_id, count_id, feedback_item_id, at) "
                "values (?, ?, ?, ?)",
                [project.id, result.count_id, item_id, to_iso(clock.now())],
            )
            new.append(item_id)
    return new


def _chosen_for_delivery(
    result: PublishedResult, delivered: set[str], projects: Sequence[str] | None
) -> set[str]:
    """The refs to hand over: all funded ones, or the named ones once each checked."""
    if projects is None:
        return {row.ref for row in result.rows}
    known = {row.ref: row for row in result.rows}
    for ref in projects:
        if ref not in known:
            raise BudgetError(_("There is no project %(ref)s in this round.", ref=ref))
        if not known[ref].final:
            raise BudgetError(
                _("Project %(ref)s (%(title)s) was not funded.", ref=ref, title=known[ref].title)
            )
        if ref in delivered:
            raise BudgetError(
                _(
                    "Project %(ref)s (%(title)s) is already tracked in the feedback log.",
                    ref=ref,
                    title=known[ref].title,
                )
            )
    return set(projects)


def delivered_items(db: Database, round_id: int) -> dict[str, int]:
    """Projects of the round already handed to the feedback log: project ref -> item id."""
    return {
        ref: item_id
        for ref, item_id in db.execute(
            "select p.ref, d.feedback_item_id from pb_deliveries d "
            "join pb_projects p on p.id = d.project_id where p.round_id = ? order by p.id",
            [round_id],
        )
    }
