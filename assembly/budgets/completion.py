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

from assembly.budgets.mes import MesRun, Prepared, certified_outcome, equal_shares
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

    By definition Add1 goes one increment at a time and stops at the first outcome that
    overspends (the previous one is the result; outcomes are not monotone in the endowment, so
    it never bisects), when every supported project is funded (a higher endowment cannot fund
    more), or past the bound B x (n + 1) / n. This gives the same result without counting every
    increment: where `certified_outcome` proves that MES makes the same decisions for every
    endowment from the current step to a later one, the steps between have the current outcome
    (so none overspends and no stopping rule triggers) and are jumped over, with a jump that
    doubles after each success and halves after each failure. A step that cannot be jumped
    over is counted as the definition does, by the same bounds at that one endowment (they
    settle every decision but exact ties and near-ties; those get the full exact count). Where
    proofs over ranges keep failing (Łódź: the funding order changes at almost every step),
    they are tried less often, after 1, 2, 4 then 8 counted steps.
    """
    profile = prepared.profile
    if increment <= 0:
        raise ValueError("the Add1 increment must be positive")  # not words
    voters = max(profile.voters, 1)
    start = profile.budget / voters
    if whole_unit_start:
        start = Fraction(floor(start))
    bound = profile.budget * (voters + 1) / voters
    last_step = floor((bound - start) / increment)
    supported = {i for i, n in enumerate(profile.supporters) if n > 0}
    run = equal_shares(prepared, start, utility=utility, ties=ties)
    step, counted, span = 0, 0, 1
    wait, patience = 0, 1  # after a failed proof, count `wait` steps before trying again
    outcome = run.selected
    while True:
        chosen = set(outcome)
        if stop_when_exhaustive and is_exhaustive(profile, chosen, profile.budget):
            break
        if supported <= chosen or step >= last_step:
            break
        if wait == 0:
            top = min(step + span, last_step)
            proven = certified_outcome(
                prepared, start + step * increment, start + top * increment, utility=utility
            )
            if proven is not None:
                if proven != outcome:
                    raise AssertionError(
                        "a certified range disagrees with its own first step"  # not words
                    )
                step, span, patience = top, span * 2, 1
                continue
            if span > 1:
                span //= 2
                continue
            wait, patience = patience, min(patience * 2, 8)
        wait -= 1
        endowment = start + (step + 1) * increment
        following = certified_outcome(prepared, endowment, endowment, utility=utility)
        if following is None:  # a tie, or a decision closer than the bounds can tell
            counted_run = equal_shares(prepared, endowment, utility=utility, ties=ties)
            following = counted_run.selected
        else:
            counted_run = None
        if sum((profile.costs[p] for p in following), Fraction(0)) > profile.budget:
            break
        step, outcome = step + 1, following
        if counted_run is not None:
            run, counted = counted_run, step
    if counted != step:  # the result is the run at the last step, counted in full
        run = equal_shares(prepared, start + step * increment, utility=utility, ties=ties)
    return run, step


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
