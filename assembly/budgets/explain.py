"""A plain-English sentence for every project: why it was funded or not.

Residents read these, so they are whole sentences through gettext, with the numbers as
placeholders. Money is shown rounded to the cent; the exact amounts stay in the result file.
"""

from __future__ import annotations

from fractions import Fraction
from gettext import gettext as _

from assembly.budgets.outcome import ProjectFate
from assembly.core.money import exact_money


def _paid(fate: ProjectFate) -> str:
    parts = []
    for payment in fate.payments:
        parts.append(
            _("{voters} paid {amount} each").format(
                voters=payment.voters, amount=exact_money(payment.amount)
            )
        )
    return "; ".join(parts)


def explain(fate: ProjectFate) -> str:
    """The sentence for one project."""
    if fate.funded:
        if fate.stage == "top-up":
            return _(
                "Funded in round {round}, by the top-up that spends the money left over, in "
                "order of votes ({votes} votes)."
            ).format(round=fate.round, votes=fate.votes)
        if fate.effective_votes is not None:
            return _(
                "Funded in round {round}: it had {votes} votes, an effective vote count of "
                "{effective}; its supporters paid: {paid}."
            ).format(
                round=fate.round,
                votes=fate.votes,
                effective=f"{float(fate.effective_votes):,.2f}",
                paid=_paid(fate),
            )
        return _("Funded in round {round}, with {votes} votes.").format(
            round=fate.round, votes=fate.votes
        )
    reason = fate.reason
    if reason == "no-votes":
        return _("Not funded: nobody voted for it.")
    if reason == "threshold":
        return _(
            "Not funded: {votes} votes is below the least score a project needs; it needed "
            "{more} more."
        ).format(votes=fate.votes, more=fate.more_supporters)
    if reason == "excluded":
        return _(
            "Not funded at its turn ({round}): a project it cannot go with was already funded."
        ).format(round=fate.round)
    if reason == "stopped":
        return _(
            "Not funded: the count stopped at the first project that did not fit, before its "
            "turn ({round})."
        ).format(round=fate.round)
    if reason == "overspend":
        if fate.more_supporters is None:
            return _(
                "Not funded at its turn ({round}): it would overspend the budget; it would "
                "have needed a cost {lower} lower."
            ).format(round=fate.round, lower=exact_money(fate.lower_cost_by or Fraction(0)))
        return _(
            "Not funded at its turn ({round}): it would overspend the budget; it would have "
            "needed a cost {lower} lower, or {more} more votes to come earlier."
        ).format(
            round=fate.round,
            lower=exact_money(fate.lower_cost_by or Fraction(0)),
            more=fate.more_supporters,
        )
    if reason == "no-money":
        when = (
            _("from the start")
            if fate.round == 0
            else _("after round {round}").format(round=fate.round)
        )
        return _(
            "Not funded: it dropped out {when}, when its {votes} supporters had only {left} "
            "left between them; it would have needed a cost {lower} lower, or about {more} "
            "more supporters."
        ).format(
            when=when,
            votes=fate.votes,
            left=exact_money(fate.money_left or Fraction(0)),
            lower=exact_money(fate.lower_cost_by or Fraction(0)),
            more=fate.more_supporters,
        )
    return _("Not funded.")
