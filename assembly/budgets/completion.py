"""Completing MES, which on its own often leaves money unspent.

Add1 (equalshares.net): raise every voter's endowment by an increment (1 currency unit by
default) and count again, as long as the outcome still fits the real budget; the last outcome
that fits is the result. Options: the increment; stop as soon as an outcome is exhaustive (no
unfunded project fits in what is left); start from a whole-unit endowment (B/n rounded down).

Utilitarian top-up: spend what is left greedily, by score, on projects not yet funded.

The comparison step: if more voters prefer greedy's outcome to MES's (by their utility), take
greedy's.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

from assembly.budgets.mes import MesRun, Prepared, equal_shares
from assembly.budgets.profile import Profile


def is_exhaustive(profile: Profile, selected: set[int], budget: Fraction) -> bool:
    """No project left out would fit in the money left."""
    left = budget - sum((profile.costs[i] for i in selected), Fraction(0))
    return all(i in selected or cost > left for i, cost in enumerate(profile.costs))


def add1(
    prepared: Prepared,
    *,
    utility: str,
    ties,
    increment: Fraction = Fraction(1),
    stop_when_exhaustive: bool = False,
    whole_unit_start: bool = False,
) -> tuple[MesRun, int]:
    """The Add1 result and how many increments it took.

    Stops when the next outcome would overspend, when every supported project is funded (a
    higher endowment cannot fund more), or past the bound B x (n + 1) / n.
    """
    profile = prepared.profile
    if increment <= 0:
        raise ValueError("the Add1 increment must be positive")
    voters = max(profile.voters, 1)
    start = profile.budget / voters
    if whole_unit_start:
        start = Fraction(floor(start))
    bound = profile.budget * (voters + 1) / voters
    supported = {i for i, n in enumerate(profile.supporters) if n > 0}
    run = equal_shares(prepared, start, utility=utility, ties=ties)
    steps = 0
    while True:
        chosen = set(run.selected)
        if stop_when_exhaustive and is_exhaustive(profile, chosen, profile.budget):
            break
        if supported <= chosen:
            break
        endowment = start + (steps + 1) * increment
        if endowment > bound:
            break
        following = equal_shares(prepared, endowment, utility=utility, ties=ties)
        if following.spent > profile.budget:
            break
        run, steps = following, steps + 1
    return run, steps


def voter_utility(profile: Profile, selected: set[int], utility: str) -> list[tuple[Fraction, int]]:
    """(utility, voters) per ballot group for an outcome."""
    rows = []
    for group in profile.groups:
        total = Fraction(0)
        for p, w in zip(group.projects, group.weights, strict=True):
            if p in selected:
                total += w * profile.costs[p] if utility == "cost" else Fraction(w)
        rows.append((total, group.count))
    return rows


def prefer_greedy(profile: Profile, mes: set[int], greedy: set[int], utility: str) -> bool:
    """The comparison step: strictly more voters prefer greedy's outcome than prefer MES's."""
    mine = voter_utility(profile, mes, utility)
    theirs = voter_utility(profile, greedy, utility)
    for_greedy = sum(n for (a, n), (b, _) in zip(mine, theirs, strict=True) if b > a)
    for_mes = sum(n for (a, n), (b, _) in zip(mine, theirs, strict=True) if a > b)
    return for_greedy > for_mes
