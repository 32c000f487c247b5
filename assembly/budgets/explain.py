"""A plain-English sentence for every project: why it was funded or not.

Residents read these, so they are whole sentences through gettext, with the numbers as
placeholders. Money is shown rounded to the cent; the exact amounts stay in the result file.
"""

from __future__ import annotations

from fractions import Fraction

from assembly.budgets.outcome import ProjectFate
from assembly.core.i18n import _
from assembly.core.money import exact_money


def _paid(fate: ProjectFate) -> str:
    parts = []
    for payment in fate.payments:
        parts.append(
            _(
                "%(voters)s paid %(amount)s each",
                voters=payment.voters,
                amount=exact_money(payment.amount),
            )
        )
    return "; ".join(parts)


def explain(fate: ProjectFate) -> str:
    """The sentence for one project."""
    if fate.funded:
        if fate.stage == "top-up":
            return _(
                "Funded in round %(round)s, by the top-up that spends the money left over, in "
                "order of votes (%(votes)s votes).",
                round=fate.round,
                votes=fate.votes,
            )
        if fate.effective_votes is not None:
            return _(
                "Funded in round %(round)s: it had %(votes)s votes, an effective vote count of "
                "%(effective)s; its supporters paid: %(paid)s.",
                round=fate.round,
                votes=fate.votes,
                effective=format(float(fate.effective_votes), ",.2f"),
                paid=_paid(fate),
            )
        return _(
            "Funded in round %(round)s, with %(votes)s votes.", round=fate.round, votes=fate.votes
        )
    reason = fate.reason
    if reason == "no-votes":
        return _("Not funded: nobody voted for it.")
    if reason == "threshold":
        return _(
            "Not funded: %(votes)s votes is below the least score a project needs; it needed "
            "%(more)s more.",
            votes=fate.votes,
            more=fate.more_supporters,
        )
    if reason == "excluded":
        return _(
            "Not funded at its turn (%(round)s): a project it cannot go with was already funded.",
            round=fate.round,
        )
    if reason == "stopped":
        return _(
            "Not funded: the count stopped at the first project that did not fit, before its "
            "turn (%(round)s).",
            round=fate.round,
        )
    if reason == "overspend":
        if fate.more_supporters is None:
            return _(
                "Not funded at its turn (%(round)s): it would overspend the budget; it would "
                "have needed a cost %(lower)s lower.",
                round=fate.round,
                lower=exact_money(fate.lower_cost_by or Fraction(0)),
            )
        return _(
            "Not funded at its turn (%(round)s): it would overspend the budget; it would have "
            "needed a cost %(lower)s lower, or %(more)s more votes to come earlier.",
            round=fate.round,
            lower=exact_money(fate.lower_cost_by or Fraction(0)),
            more=fate.more_supporters,
        )
    if reason == "no-money":
        values = {
            "votes": fate.votes,
            "left": exact_money(fate.money_left or Fraction(0)),
            "lower": exact_money(fate.lower_cost_by or Fraction(0)),
            "more": fate.more_supporters,
        }
        if fate.round == 0:
            return _(
                "Not funded: it dropped out from the start, when its %(votes)s supporters had "
                "only %(left)s left between them; it would have needed a cost %(lower)s lower, "
                "or about %(more)s more supporters.",
                **values,
            )
        return _(
            "Not funded: it dropped out after round %(round)s, when its %(votes)s supporters "
            "had only %(left)s left between them; it would have needed a cost %(lower)s lower, "
            "or about %(more)s more supporters.",
            round=fate.round,
            **values,
        )
    return _("Not funded.")
