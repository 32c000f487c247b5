"""An outcome as the JSON result file: exact amounts as decimal strings where they have one,
else as `numerator/denominator`, so the file is the same on every machine."""

from __future__ import annotations

from fractions import Fraction

from assembly.budgets.explain import explain
from assembly.budgets.outcome import Outcome
from assembly.budgets.pbfile import format_amount


def exact(amount: Fraction | None) -> str | None:
    if amount is None:
        return None
    try:
        return format_amount(amount)
    except ValueError:
        return f"{amount.numerator}/{amount.denominator}"


def outcome_json(outcome: Outcome) -> dict[str, object]:
    """The result file's content."""
    return {
        "selected": list(outcome.selected),
        "rule": outcome.rule,
        "budget": exact(outcome.budget),
        "spent": exact(outcome.spent),
        "endowment": exact(outcome.endowment),
        "explanations": {
            fate.project_id: {
                "funded": fate.funded,
                "round": fate.round,
                "stage": fate.stage,
                "reason": fate.reason,
                "votes": fate.votes,
                "effective_votes": exact(fate.effective_votes),
                "payments": [
                    {"amount": exact(p.amount), "voters": p.voters} for p in fate.payments
                ],
                "money_left": exact(fate.money_left),
                "more_supporters": fate.more_supporters,
                "lower_cost_by": exact(fate.lower_cost_by),
                "text": explain(fate),
            }
            for fate in outcome.fates
        },
        "ties": [
            {
                "round": t.round,
                "tied": list(t.tied),
                "decided_by": t.decided_by,
                "first": t.first,
                "lot": [{"project": p, "number": n} for p, n in t.lot],
            }
            for t in outcome.ties
        ],
        "notes": list(outcome.notes),
    }
