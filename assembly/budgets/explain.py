"""A plain-English sentence for every project: why it was funded or not.

Residents read these, so they are whole sentences through gettext, with the numbers as
placeholders. Money is shown rounded to the cent; the exact amounts stay in the result file.

The count stores each sentence in the working language of the moment (`explain(fate)`); the
published page words it again in the page's own language from the same facts
(`explain(fate, tr)`, with `fate_from_json` reading them back from the result file), so a
round counted in English publishes in Welsh or Urdu.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from assembly.budgets.outcome import Payment, ProjectFate
from assembly.core.i18n import PSEUDO, Number, Translator, working
from assembly.core.money import exact_money

# The facts a stored explanation keeps beside its text (`report.outcome_json`).
FACT_KEYS = (
    "funded",
    "round",
    "stage",
    "reason",
    "votes",
    "effective_votes",
    "payments",
    "money_left",
    "more_supporters",
    "lower_cost_by",
)


def _two_places(amount: Fraction, language: str) -> str:
    """`amount` to two places, rounded half up, as `language` writes numbers ('1 234,50')."""
    pence = (amount * 100 + Fraction(1, 2)).__floor__()
    tag = "en" if language == PSEUDO else language.replace("-", "_")
    return format_decimal(Decimal(pence) / 100, format="#,##0.00", locale=Locale.parse(tag))


class _Words:
    """How `explain` says numbers: as the count always stored them (English digits, for the
    working language), or as the page's language writes them (`tr` given)."""

    def __init__(self, tr: Translator | None) -> None:
        self.tr = tr or working()
        self.local = tr is not None

    def money(self, amount: Fraction | None) -> str:
        amount = amount or Fraction(0)
        return _two_places(amount, self.tr.language) if self.local else exact_money(amount)

    def effective(self, amount: Fraction) -> str:
        if self.local:
            return _two_places(amount, self.tr.language)
        return format(float(amount), ",.2f")

    def count(self, value: int | None) -> object:
        return Number(value) if self.local and value is not None else value


def _paid(fate: ProjectFate, words: _Words) -> str:
    parts = []
    for payment in fate.payments:
        parts.append(
            words.tr.gettext(
                "%(voters)s paid %(amount)s each",
                voters=words.count(payment.voters),
                amount=words.money(payment.amount),
            )
        )
    return "; ".join(parts)


def explain(fate: ProjectFate, tr: Translator | None = None) -> str:
    """The sentence for one project: in the working language, its numbers as the result file
    has always stored them; with `tr`, in `tr`'s language with its numbers written its way."""
    words = _Words(tr)
    tr = words.tr
    n = words.count
    if fate.funded:
        if fate.stage == "top-up":
            return tr.gettext(
                "Funded in round %(round)s, by the top-up that spends the money left over, in "
                "order of votes (%(votes)s votes).",
                round=n(fate.round),
                votes=n(fate.votes),
            )
        if fate.effective_votes is not None:
            return tr.gettext(
                "Funded in round %(round)s: it had %(votes)s votes, an effective vote count of "
                "%(effective)s; its supporters paid: %(paid)s.",
                round=n(fate.round),
                votes=n(fate.votes),
                effective=words.effective(fate.effective_votes),
                paid=_paid(fate, words),
            )
        return tr.gettext(
            "Funded in round %(round)s, with %(votes)s votes.",
            round=n(fate.round),
            votes=n(fate.votes),
        )
    reason = fate.reason
    if reason == "no-votes":
        return tr.gettext("Not funded: nobody voted for it.")
    if reason == "threshold":
        return tr.gettext(
            "Not funded: %(votes)s votes is below the least score a project needs; it needed "
            "%(more)s more.",
            votes=n(fate.votes),
            more=n(fate.more_supporters),
        )
    if reason == "excluded":
        return tr.gettext(
            "Not funded at its turn (%(round)s): a project it cannot go with was already funded.",
            round=n(fate.round),
        )
    if reason == "stopped":
        return tr.gettext(
            "Not funded: the count stopped at the first project that did not fit, before its "
            "turn (%(round)s).",
            round=n(fate.round),
        )
    if reason == "overspend":
        if fate.more_supporters is None:
            return tr.gettext(
                "Not funded at its turn (%(round)s): it would overspend the budget; it would "
                "have needed a cost %(lower)s lower.",
                round=n(fate.round),
                lower=words.money(fate.lower_cost_by),
            )
        return tr.gettext(
            "Not funded at its turn (%(round)s): it would overspend the budget; it would have "
            "needed a cost %(lower)s lower, or %(more)s more votes to come earlier.",
            round=n(fate.round),
            lower=words.money(fate.lower_cost_by),
            more=n(fate.more_supporters),
        )
    if reason == "no-money":
        values = {
            "votes": n(fate.votes),
            "left": words.money(fate.money_left),
            "lower": words.money(fate.lower_cost_by),
            "more": n(fate.more_supporters),
        }
        if fate.round == 0:
            return tr.gettext(
                "Not funded: it dropped out from the start, when its %(votes)s supporters had "
                "only %(left)s left between them; it would have needed a cost %(lower)s lower, "
                "or about %(more)s more supporters.",
                **values,
            )
        return tr.gettext(
            "Not funded: it dropped out after round %(round)s, when its %(votes)s supporters "
            "had only %(left)s left between them; it would have needed a cost %(lower)s lower, "
            "or about %(more)s more supporters.",
            round=n(fate.round),
            **values,
        )
    return tr.gettext("Not funded.")


def _amount(text: Any) -> Fraction | None:
    return None if text is None else Fraction(str(text))


def fate_from_json(project_id: str, stored: Mapping[str, Any]) -> ProjectFate | None:
    """A project's fate read back from its stored explanation (`report.outcome_json`), or None
    when the stored count is older than one of its facts (then its stored text is shown)."""
    if any(key not in stored for key in FACT_KEYS):
        return None
    try:
        return ProjectFate(
            project_id,
            bool(stored["funded"]),
            stored["round"],
            reason=stored["reason"],
            votes=stored["votes"],
            effective_votes=_amount(stored["effective_votes"]),
            payments=tuple(
                Payment(Fraction(str(p["amount"])), p["voters"]) for p in stored["payments"]
            ),
            money_left=_amount(stored["money_left"]),
            more_supporters=stored["more_supporters"],
            lower_cost_by=_amount(stored["lower_cost_by"]),
            stage=stored["stage"],
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
