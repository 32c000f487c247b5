"""Participatory budgeting from phones in the room: the ballot a form sent, cast through the
budgets' services, and projects proposed while a round takes proposals.

Who votes: a panel member signed in with their room code (recorded as `member N`), or a
resident with a voter card from the door (`card N`, `assembly.budgets.codes`). Either way one
voter has one ballot in a round, and a second one replaces the first (`ballots.cast_ballot`).
Every ballot and proposal checks, inside the write transaction that records it, that the
phone's code is still in force, so a code stopped a moment before wins; every one, accepted or
refused, goes into the room's audit (action `budget ballot` or `budget project`; the audit's
`round_id` is for the agenda's votes, so a PB round is named in the reason).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.agenda.room import submissions as room
from assembly.budgets import ballots, codes, proposals
from assembly.budgets.errors import BudgetError
from assembly.budgets.rounds import (
    Project,
    Round,
    get_round,
    list_projects,
    parse_pence,
)
from assembly.core.clock import Clock, to_iso
from assembly.core.html import render
from assembly.core.i18n import N_, NP_, Text, translator
from assembly.core.money import Money
from assembly.core.safe_output import csv_text
from assembly.store import write_transaction

# The room audit's actions (stored).
BALLOT = "budget ballot"  # not words
PROJECT = "budget project"  # not words


@dataclass(frozen=True)
class Voter:
    """Who a phone votes as: a member's sign-in or a voter card's, never both."""

    member: room.SignIn | None = None
    card: codes.CardSignIn | None = None

    def name(self, db: Database) -> str:
        """The ballot's voter ('member N' or 'card N')."""
        if self.card is not None:
            return self.card.voter
        assert self.member is not None
        return f"member {room.member_number(db, self.member.member_id)}"

    def cast_as(self, db: Database) -> dict:
        """Who `ballots.cast_ballot` records the ballot for."""
        if self.card is not None:
            return {"voter": self.card.voter}
        assert self.member is not None
        return {"member_number": room.member_number(db, self.member.member_id)}

    @property
    def member_id(self) -> int | None:
        return self.member.member_id if self.member else None


@dataclass(frozen=True)
class BudgetReceipt:
    """What was recorded, to show back to the resident."""

    round_id: int
    replaced: bool
    recorded_at: str
    lines: tuple[str, ...]


def voting_round(db: Database) -> Round | None:
    """The PB round phones vote in: the latest with voting open."""
    row = db.execute(
        "select id from pb_rounds where status = 'voting' order by id desc limit 1"
    ).fetchone()
    return get_round(db, row[0]) if row else None


def on_ballot(db: Database, round_id: int) -> list[Project]:
    """The projects on the ballot (the feasible ones), in the round's order."""
    return [p for p in list_projects(db, round_id) if p.status == "feasible"]


def check_in_force(db: Database, voter: Voter) -> None:
    """Refuse a phone whose code stopped working (`room.CodeNotInForce`)."""
    if voter.card is not None:
        if not codes.card_in_force(db, voter.card):
            raise room.CodeNotInForce(
                room.CODE_NOT_IN_FORCE,
                reason="voter card stopped",  # not words
            )
    elif voter.member is not None:
        room.check_sign_in(db, voter.member)


# --- the ballot a form sent --------------------------------------------------------------------

_WHOLE = re.compile(r"[0-9]{1,6}")


def field_id(kind: str, project: Project) -> str:
    """A form field's name and id for a project: by its row id, never the project's own ref,
    which came from outside (a .pb file) and may hold anything."""
    return f"{kind}-{project.id}"


def ballot_fields(round_: Round, projects: Sequence[Project], marks: Mapping[str, int]) -> dict:
    """A recorded ballot's marks as the form's fields, so "change my vote" shows what counts
    (the inverse of `parse_ballot`)."""
    if round_.ballot_form == "points":
        return {field_id("points", p): str(marks.get(p.ref, 0)) for p in projects}
    return {"project": ",".join(str(p.id) for p in projects if p.ref in marks)}


def parse_ballot(
    round_: Round, projects: Sequence[Project], form: Mapping[str, str]
) -> ballots.Marks:
    """The marks a ballot form sent, checked against the round's declared form with messages
    a resident can act on (`field` is the form field to put right). `ballots.check_marks`
    checks them again, inside the transaction that records them."""
    if not projects:
        raise room.RoomError(N_("There are no projects on this ballot."))
    first = field_id("points" if round_.ballot_form == "points" else "project", projects[0])
    by_id = {str(p.id): p for p in projects}
    marks: ballots.Marks = {}
    if round_.ballot_form == "points":
        for project in projects:
            name = field_id("points", project)
            text = form.get(name, "").strip() or "0"
            if not _WHOLE.fullmatch(text):
                raise room.RoomError(
                    N_("Enter the points as a whole number, like 20"),
                    field=name,
                    reason=f"points not a whole number: {text[:20]!r}",  # not words
                )
            if int(text):
                marks[project.ref] = int(text)
        if not marks:
            raise room.RoomError(N_("Give some points to at least one project"), field=first)
        used = sum(marks.values())
        if used > (round_.points_per_voter or 0):
            over = next(p for p in projects if p.ref in marks)
            raise room.RoomError(
                N_("You gave %(used)s points but you have %(have)s. Take some off and send again."),
                params={"used": used, "have": round_.points_per_voter},
                field=field_id("points", over),
            )
    else:
        for part in form.get("project", "").split(","):
            if not part:
                continue
            project = by_id.get(part)
            if project is None:
                raise room.RoomError(N_("One of the chosen projects is not on this ballot."))
            marks[project.ref] = 1
        if not marks:
            raise room.RoomError(N_("Choose at least one project"), field=first)
    chosen = len(marks)
    if round_.min_projects and chosen < round_.min_projects:
        raise room.RoomError(
            N_("Choose at least %(least)s projects. You chose %(chosen)s."),
            params={"least": round_.min_projects, "chosen": chosen},
            field=first,
        )
    if round_.max_projects and chosen > round_.max_projects:
        raise room.RoomError(
            N_("Choose no more than %(most)s projects. You chose %(chosen)s."),
            params={"most": round_.max_projects, "chosen": chosen},
            field=first,
        )
    if round_.ballot_form == "knapsack":
        total = chosen_cost(projects, marks)
        if total > round_.budget_pence:
            raise room.RoomError(
                N_(
                    "The projects you chose cost %(cost)s, which is %(over)s more than the "
                    "budget of %(budget)s. Untick some projects and send again."
                ),
                params={
                    "cost": Money(total, round_.currency),
                    "over": Money(total - round_.budget_pence, round_.currency),
                    "budget": Money(round_.budget_pence, round_.currency),
                },
                field=first,
            )
    return marks


def chosen_cost(projects: Sequence[Project], marks: Mapping[str, int]) -> int:
    """What the projects marked on a ballot cost together, in pence."""
    return sum(p.cost for p in projects if p.ref in marks)


def describe(round_: Round, projects: Sequence[Project], marks: Mapping[str, int]) -> tuple:
    """A ballot in words, to show back to the resident."""
    money = {p.ref: Money(p.cost, round_.currency) for p in projects}
    titles = {p.ref: p.title for p in projects}
    order = [p.ref for p in projects if p.ref in marks]
    if round_.ballot_form == "points":
        lines = [
            NP_(
                "%(project)s (%(cost)s): %(num)s point",
                "%(project)s (%(cost)s): %(num)s points",
                marks[r],
                {"project": titles[r], "cost": money[r]},
            )
            for r in order
        ]
        lines.append(
            Text(
                N_("%(used)s of your %(have)s points used."),
                {"used": sum(marks.values()), "have": round_.points_per_voter},
            )
        )
        return tuple(lines)
    lines = [
        Text(N_("Chosen: %(project)s (%(cost)s)"), {"project": titles[r], "cost": money[r]})
        for r in order
    ]
    if round_.ballot_form == "knapsack":
        total = chosen_cost(projects, marks)
        lines.append(
            Text(
                N_("Together they cost %(cost)s of the %(budget)s budget."),
                {
                    "cost": Money(total, round_.currency),
                    "budget": Money(round_.budget_pence, round_.currency),
                },
            )
        )
    return tuple(lines)


def plain_refusal(action: str, internal: str) -> str:
    """A service's refusal in words a resident can act on (never the service's own)."""
    if action == BALLOT:
        if "not open" in internal or "only while voting" in internal:
            return N_("Voting on the budget has closed, so nothing more can be recorded.")
        return N_(
            "Your vote could not be recorded. Check your choices and send it again, or ask a "
            "facilitator for help."
        )
    if "voting has opened" in internal:
        return N_("Proposals for this budget have closed, so nothing was recorded.")
    return N_(
        "Your project could not be recorded. Check it and send it again, or ask a facilitator "
        "for help."
    )


def _audit(db: Database, clock: Clock, action: str, outcome: str, reason: str, voter: Voter):
    db["room_audit"].insert(
        {
            "at": to_iso(clock.now()),
            "action": action,
            "outcome": outcome,
            "reason": reason,
            "member_id": voter.member_id,
        }
    )


def refused(db: Database, clock: Clock, action: str, error: Exception, voter: Voter, where: str):
    """Audit a refusal (after the refused write rolled back) and return the resident's error."""
    reason = error.reason if isinstance(error, room.RoomError) else str(error)
    with write_transaction(db):
        _audit(db, clock, action, "refused", f"{where}: {reason}", voter)
    if isinstance(error, room.RoomError):
        return error
    return room.RoomError(plain_refusal(action, str(error)), reason=reason)


def submit_ballot(
    db: Database, clock: Clock, round_id: int, marks: ballots.Marks, voter: Voter
) -> BudgetReceipt:
    """A ballot from a phone in PB round `round_id`; a second one from the same voter replaces
    the first. The phone's code is checked still in force inside the same transaction."""
    where = f"PB round {round_id}"  # not words
    try:
        with write_transaction(db):
            check_in_force(db, voter)
            if voter.card is not None and voter.card.round_id != round_id:
                raise room.RoomError(
                    N_("This voter card is for another round. Ask a facilitator for help."),
                    reason=f"card for PB round {voter.card.round_id}",  # not words
                )
            name = voter.name(db)
            replaced = ballots.cast_ballot(
                db, round_id, marks=marks, clock=clock, **voter.cast_as(db)
            )
            _audit(db, clock, BALLOT, "accepted", f"{where}, {name}", voter)
    except (BudgetError, room.RoomError) as error:
        raise refused(db, clock, BALLOT, error, voter, where) from None
    round_ = get_round(db, round_id)
    lines = describe(round_, on_ballot(db, round_id), marks)
    return BudgetReceipt(round_id, replaced, to_iso(clock.now()), lines)


def live_fields(db: Database, round_: Round, projects: Sequence[Project], voter: Voter) -> dict:
    """The voter's ballot that counts in this round, as the form's fields ({} if none)."""
    ballot = ballots.ballot_of(db, round_.id, voter.name(db))
    return ballot_fields(round_, projects, ballot.marks) if ballot else {}


# --- projects proposed from phones --------------------------------------------------------------


def parse_cost(text: str) -> int:
    """An estimated cost typed on a phone, in pence ('12500', '£12,500.50')."""
    text = (text or "").strip()
    if not text:
        raise room.RoomError(N_("Enter an estimated cost, like 12500"), field="cost")
    if len(text) > 20:
        raise room.RoomError(N_("Enter the cost in pounds, like 12500"), field="cost")
    try:
        return parse_pence(text, "The cost")  # not words
    except BudgetError:
        raise room.RoomError(
            N_("Enter the cost in pounds, like 12500 or 12500.50"),
            field="cost",
            reason=f"cost not an amount: {text[:20]!r}",  # not words
        ) from None


def submit_project(
    db: Database,
    clock: Clock,
    round_id: int,
    form: Mapping[str, str],
    voter: Voter | None,
    language: str = "",
) -> Project:
    """A project proposed from a phone, by a member, a card holder or (when the facilitator
    allows visitors) anyone in the room; it waits for its feasibility review. `language` is
    the one the phone's page was in, kept with the resident's words."""
    who = voter or Voter()
    where = f"PB round {round_id}"  # not words
    try:
        if voter is None and not room.visitors_allowed(db):
            raise room.RoomError(N_("Only residents with a code can propose projects right now."))
        cost = parse_cost(form.get("cost", ""))
        with write_transaction(db):
            if voter is not None:
                check_in_force(db, voter)
            sent_by = voter.name(db) if voter is not None else "visitor"
            project = proposals.propose_project(
                db,
                round_id,
                title=form.get("title", ""),
                description=form.get("description", ""),
                cost_pence=cost,
                area=form.get("area", ""),
                category=form.get("category", ""),
                proposer=form.get("name", "") or None,
                sent_by=sent_by,
                clock=clock,
                language=language,
            )
            _audit(db, clock, PROJECT, "accepted", f"{where}, project {project.ref}", who)
    except proposals.ProposalError as error:
        raise refused(
            db, clock, PROJECT, room.RoomError(error.text, field=error.field), who, where
        ) from None
    except (BudgetError, room.RoomError) as error:
        raise refused(db, clock, PROJECT, error, who, where) from None
    return project


# --- voter cards to print -------------------------------------------------------------------------


def voter_cards_html(
    cards: Sequence[codes.VoterCard],
    *,
    assembly_name: str,
    round_title: str,
    url: str,
    language: str = room.DEFAULT_LANGUAGE,
) -> str:
    """Printable voter cards, eight to an A4 page (`templates/voter_cards.html`)."""
    return render(
        __package__,
        "voter_cards.html",
        translator=translator(language),
        cards=cards,
        assembly_name=assembly_name,
        round_title=round_title,
        url=url,
        language=language,
    )


def voter_cards_csv(cards: Sequence[codes.VoterCard], url: str) -> str:
    """The cards as CSV (card number, code, room address), every cell neutralised."""
    return csv_text(["card_number", "code", "room_url"], ((c.number, c.code, url) for c in cards))
