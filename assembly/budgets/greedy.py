"""Greedy counting, the way most councils count: fund projects from the most votes down.

Four variants that Pabulib names: `greedy` skips a project that does not fit in what is left and
carries on; `greedy-no-skip` stops at the first that does not fit; `greedy-threshold` first
drops projects below a least score; `greedy-exclusive` funds at most one project of each group
of incompatible ones. Scores are the profile's (votes, points or Borda points).
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil

from assembly.budgets.outcome import Outcome, ProjectFate
from assembly.budgets.profile import Profile
from assembly.budgets.ties import TieError, TieOrder, TieRecord, break_tie


def greedy_order(
    profile: Profile, candidates: list[int], ties: TieOrder, records: list[TieRecord]
) -> list[list[int]]:
    """Candidates from the highest score down, as runs of equal score (each run already in the
    tie order, its ties recorded)."""
    by_score: dict[Fraction, list[int]] = {}
    for i in candidates:
        by_score.setdefault(profile.scores[i], []).append(i)
    runs = []
    for score in sorted(by_score, reverse=True):
        run = by_score[score]
        ordered = []
        while run:
            if len(run) == 1:
                ordered.append(run.pop())
                break
            unordered = ties if not ties.refuse else TieOrder()
            first, record = break_tie(
                run,
                order=unordered,
                ids=profile.project_ids,
                costs=profile.costs,
                votes=profile.supporters,
                round_number=0,
            )
            if len(ordered) == 0:
                records.append(record)
            ordered.append(first)
            run.remove(first)
        runs.append(ordered)
    return runs


def count_greedy(
    profile: Profile,
    *,
    skip: bool = True,
    threshold: Fraction | None = None,
    exclusive: tuple[frozenset[str], ...] = (),
    ties: TieOrder | None = None,
    budget: Fraction | None = None,
    rule: dict[str, object] | None = None,
    already: tuple[int, ...] = (),
) -> Outcome:
    """Count `profile` greedily. `budget` overrides the profile's (a top-up spends what is left);
    `already` are projects funded before (they are neither counted again nor charged)."""
    ties = ties or TieOrder()
    budget = profile.budget if budget is None else budget
    ids, costs, scores = profile.project_ids, profile.costs, profile.scores
    fates: dict[int, ProjectFate] = {}
    records: list[TieRecord] = []
    candidates = []
    for i in range(len(ids)):
        if i in already:
            continue
        if scores[i] <= 0:
            fates[i] = ProjectFate(ids[i], False, None, "no-votes", votes=0)  # not words
        elif threshold is not None and scores[i] < threshold:
            needed = ceil(threshold - scores[i])
            fates[i] = ProjectFate(
                ids[i],
                False,
                None,
                "threshold",
                votes=profile.supporters[i],
                more_supporters=needed,
            )
        else:
            candidates.append(i)
    group_of = {pid: n for n, group in enumerate(exclusive) for pid in group}
    taken_groups = {group_of[ids[i]] for i in already if ids[i] in group_of}
    runs = greedy_order(profile, candidates, ties, records)
    if ties.refuse:
        _refuse_deciding_ties(runs, profile, budget, group_of)
    order = [i for run in runs for i in run]
    remaining = budget
    before: list[Fraction] = []  # what was left before each project's turn
    selected: list[int] = []
    stopped = False
    for position, i in enumerate(order):
        before.append(remaining)
        if stopped:
            fates[i] = ProjectFate(
                ids[i], False, position + 1, "stopped", votes=profile.supporters[i]
            )
            continue
        group = group_of.get(ids[i])
        if group is not None and group in taken_groups:
            fates[i] = ProjectFate(
                ids[i], False, position + 1, "excluded", votes=profile.supporters[i]
            )
            continue
        if costs[i] <= remaining:
            remaining -= costs[i]
            selected.append(i)
            if group is not None:
                taken_groups.add(group)
            fates[i] = ProjectFate(
                ids[i], True, position + 1, votes=profile.supporters[i], payments=()
            )
            continue
        more = _votes_to_fit(order, before, position, costs[i], scores)
        fates[i] = ProjectFate(
            ids[i],
            False,
            position + 1,
            "overspend",
            votes=profile.supporters[i],
            lower_cost_by=costs[i] - remaining,
            more_supporters=more,
        )
        if not skip:
            stopped = True
    spent = sum((costs[i] for i in selected), Fraction(0))
    return Outcome(
        rule=rule or {"name": "greedy" if skip else "greedy-no-skip"},  # not words
        selected=tuple(ids[i] for i in selected),
        budget=budget,
        spent=spent,
        fates=tuple(fates[i] for i in sorted(fates)),
        ties=tuple(records),
    )


def _votes_to_fit(order, before, position, cost, scores) -> int | None:
    """How many more votes would have moved the project ahead to a turn where it still fitted
    (None if it never would have)."""
    for earlier in range(position - 1, -1, -1):
        if before[earlier] >= cost:
            return ceil(scores[order[earlier]] - scores[order[position]]) + 1
    return None


def _refuse_deciding_ties(runs, profile: Profile, budget: Fraction, group_of) -> None:
    """Refuse only a tie whose order could change the outcome: a run of equal scores that does
    not all fit together in what is left, or holds two incompatible projects."""
    remaining = budget
    for run in runs:
        total = sum((profile.costs[i] for i in run), Fraction(0))
        groups = [
            group_of[profile.project_ids[i]] for i in run if profile.project_ids[i] in group_of
        ]
        if len(run) > 1 and (total > remaining or len(groups) != len(set(groups))):
            names = tuple(profile.project_ids[i] for i in run)
            raise TieError(
                f"projects {', '.join(names)} tie on {profile.scores[run[0]]} and "  # not words
                "not all of them fit (the rule refuses ties)",
                names,
                kind="deciding",
                score=profile.scores[run[0]],
            )
        for i in run:
            if profile.costs[i] <= remaining:
                remaining -= profile.costs[i]
