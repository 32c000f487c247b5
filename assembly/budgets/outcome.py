"""What a count returns: the funded projects, the money, and why each project fared as it did."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from assembly.budgets.ties import TieRecord


@dataclass(frozen=True)
class Payment:
    """What a group of a funded project's supporters paid each."""

    amount: Fraction
    voters: int


@dataclass(frozen=True)
class ProjectFate:
    """The facts behind one project's explanation, in numbers (the text is made from these).

    `reason` for a project not funded: `no-money` (its supporters' money ran out), `overspend`
    (it did not fit in what was left), `threshold` (too few votes), `excluded` (a project it
    cannot go with was funded), `stopped` (greedy-no-skip stopped earlier), `no-votes`.
    """

    project_id: str
    funded: bool
    round: int | None
    reason: str | None = None
    votes: int = 0
    effective_votes: Fraction | None = None
    payments: tuple[Payment, ...] = ()
    money_left: Fraction | None = None
    """For `no-money`: what its supporters still had when it dropped out."""
    more_supporters: int | None = None
    lower_cost_by: Fraction | None = None
    stage: str = "main"
    """`main`, or `add1` / `top-up` / `greedy` (the comparison step chose greedy's outcome)."""


@dataclass(frozen=True)
class Outcome:
    """A finished count."""

    rule: dict[str, object]
    selected: tuple[str, ...]
    """In the order they were funded."""
    budget: Fraction
    spent: Fraction
    fates: tuple[ProjectFate, ...]
    endowment: Fraction | None = None
    ties: tuple[TieRecord, ...] = ()
    notes: tuple[str, ...] = ()

    def fate(self, project_id: str) -> ProjectFate:
        for fate in self.fates:
            if fate.project_id == project_id:
                return fate
        raise KeyError(project_id)
