"""Residents propose projects from their phones while a round takes proposals.

The organiser opens a round being set up to proposals (`budget proposals open`) and closes it
again; meanwhile a proposal sent from a phone becomes a project like one typed in
(`rounds.add_project`): status proposed, awaiting its feasibility review, in the round's
review history. What the project record has no place for, the description and who sent it (a
member number, a card number or a visitor, never a name unless they typed one as proposer) and
the language the phone's page was in, is kept beside it in `pb_phone_proposals`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.budgets.errors import BudgetError
from assembly.budgets.rounds import Project, Round, add_project, get_round
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Number, Text, _
from assembly.core.money import Money
from assembly.store.database import write_transaction

PHONE_ACTOR = "room (phone)"
# A resident reads these on the phone, in the phone page's language: each is a `Text`.
TOO_LONG = {
    "title": N_("The title must be %(most)s characters or fewer"),
    "description": N_("The description must be %(most)s characters or fewer"),
    "area": N_("The area must be %(most)s characters or fewer"),
    "category": N_("The kind of project must be %(most)s characters or fewer"),
    "proposer": N_("Your name must be %(most)s characters or fewer"),
}
LIMITS = {"title": 200, "description": 2000, "area": 100, "category": 100, "proposer": 100}


class ProposalError(BudgetError):
    """A proposal refused, in words a resident can act on; `field` names the form field.
    `text` is the message as a `Text` (its English is `str()`), for the phone's language."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.text = message if isinstance(message, Text) else Text(message)
        self.field = field


@dataclass(frozen=True)
class PhoneProposal:
    description: str
    sent_by: str
    sent_at: str
    language: str = ""  # the phone page's language, which the resident wrote in ('' before 421)


def open_proposals(db: Database, round_id: int, *, clock: Clock, actor: str) -> Round:
    """Let residents propose projects for a round still being set up, from their phones."""
    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.status != "setup":
            raise BudgetError(
                _(
                    "Round %(round)s has opened voting: projects can only be proposed before.",
                    round=round_id,
                )
            )
        db.execute(
            "insert or ignore into pb_proposals_open (round_id, opened_at, opened_by) "
            "values (?, ?, ?)",
            [round_id, to_iso(clock.now()), actor.strip() or "organiser"],
        )
        return round_


def close_proposals(db: Database, round_id: int) -> None:
    with write_transaction(db):
        get_round(db, round_id)
        db.execute("delete from pb_proposals_open where round_id = ?", [round_id])


def proposals_round(db: Database) -> Round | None:
    """The round phones propose to: the latest one open to proposals and still being set up
    (opening voting ends its proposals, since the ballot's projects are then fixed)."""
    row = db.execute(
        "select r.id from pb_rounds r join pb_proposals_open o on o.round_id = r.id "
        "where r.status = 'setup' order by r.id desc limit 1"
    ).fetchone()
    return get_round(db, row[0]) if row else None


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > LIMITS[field]:
        form_field = "name" if field == "proposer" else field  # the phone's form calls it so
        raise ProposalError(Text(TOO_LONG[field], {"most": Number(LIMITS[field])}), form_field)
    return value


def propose_project(
    db: Database,
    round_id: int,
    *,
    title: str,
    cost_pence: int,
    sent_by: str,
    clock: Clock,
    description: str = "",
    area: str = "",
    category: str = "",
    proposer: str | None = None,
    language: str = "",
) -> Project:
    """A project proposed from a phone: checked, then added as proposed (awaiting review).
    `language` is the one the phone's page was in (a tag such as pl), which the resident
    wrote the title and description in."""
    title = _text(title, "title")
    if not title:
        raise ProposalError(Text(N_("Enter a title for your project")), "title")
    description = _text(description, "description")
    area = _text(area, "area")
    category = _text(category, "category")
    proposer = _text(proposer or "", "proposer") or None
    with write_transaction(db):
        round_ = get_round(db, round_id)
        taking = proposals_round(db)
        if taking is None or taking.id != round_id:
            raise ProposalError(
                Text(N_("This round is not taking proposals now, so nothing was recorded."))
            )
        if cost_pence > round_.budget_pence:
            raise ProposalError(
                Text(
                    N_(
                        "The cost is more than the whole budget of %(budget)s. Enter a smaller "
                        "estimate, or split the idea into smaller projects."
                    ),
                    {"budget": Money(round_.budget_pence, round_.currency)},
                ),
                "cost",
            )
        project = add_project(
            db,
            round_id,
            title=title,
            cost_pence=cost_pence,
            area=area,
            category=category,
            proposer=proposer,
            actor=PHONE_ACTOR,
            clock=clock,
        )
        db.execute(
            "insert into pb_phone_proposals (project_id, description, sent_by, sent_at, "
            "language) values (?, ?, ?, ?, ?)",
            [project.id, description, sent_by, to_iso(clock.now()), (language or "").strip()],
        )
        return project


def phone_proposal(db: Database, project_id: int) -> PhoneProposal | None:
    """What a phone sent beside project `project_id`, if it came from one."""
    row = db.execute(
        "select description, sent_by, sent_at, language from pb_phone_proposals "
        "where project_id = ?",
        [project_id],
    ).fetchone()
    return PhoneProposal(*row) if row else None
