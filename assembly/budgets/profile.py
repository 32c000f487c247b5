"""The ballots as the counting rules see them: each project's weight on each ballot, with
identical ballots merged into one group that counts several voters.

The weight is what a ballot gives a project: 1 for approval and choose-1, the points for
cumulative and scoring ballots, and Borda points for ordinal ones (first of k places gets k,
the last gets 1, where k is the file's `max_length`, else the number of projects). Merging
matters for speed: a city's 90,000 ballots are a few thousand distinct ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from assembly.budgets.election import POINT_VOTE_TYPES, Election


@dataclass(frozen=True)
class BallotGroup:
    """Voters who cast the same ballot: project indexes, the weight of each, and how many."""

    projects: tuple[int, ...]
    weights: tuple[int | Fraction, ...]
    """Whole weights are ints (quick to hash and compare), others exact Fractions."""
    count: int


@dataclass(frozen=True)
class Profile:
    """Everything a rule needs, indexed by project position in the file."""

    project_ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    budget: Fraction
    groups: tuple[BallotGroup, ...]
    voters: int
    supporters: tuple[int, ...]
    """How many voters give each project a positive weight (its vote count)."""
    scores: tuple[Fraction, ...]
    """Each project's total weight: votes, points or Borda points."""


def borda_length(election: Election) -> int:
    """The k of Borda points: the longest allowed ranking."""
    return election.limits.max_length or len(election.projects)


def ballot_weights(election: Election, projects: tuple[str, ...], points) -> tuple[Fraction, ...]:
    if election.vote_type in POINT_VOTE_TYPES:
        return tuple(points)
    if election.vote_type == "ordinal":
        top = borda_length(election)
        return tuple(Fraction(max(top - place, 0)) for place in range(len(projects)))
    return tuple(Fraction(1) for _ in projects)


def _plain(weight: Fraction) -> int | Fraction:
    return weight.numerator if weight.denominator == 1 else weight


def profile_of(election: Election) -> Profile:
    """Merge identical ballots and total each project's votes and score."""
    index = {project.project_id: i for i, project in enumerate(election.projects)}
    plain = election.vote_type in ("approval", "choose-1")
    groups = []
    supporters = [0] * len(index)
    if plain:  # the common case, kept quick: every weight is 1, no Fraction arithmetic
        merged = Counter(tuple(sorted(index[p] for p in b.projects)) for b in election.ballots)
        for projects, count in merged.items():
            for project in projects:
                supporters[project] += count
            groups.append(BallotGroup(projects, (1,) * len(projects), count))
        scores = [Fraction(votes) for votes in supporters]
    else:
        weighted: Counter[tuple[tuple[int, Fraction], ...]] = Counter()
        for ballot in election.ballots:
            weights = ballot_weights(election, ballot.projects, ballot.points)
            pairs = zip(ballot.projects, weights, strict=True)
            weighted[tuple(sorted((index[p], _plain(w)) for p, w in pairs if w > 0))] += 1
        scores = [Fraction(0)] * len(index)
        for pairs, count in weighted.items():
            for project, weight in pairs:
                supporters[project] += count
                scores[project] += weight * count
            groups.append(
                BallotGroup(tuple(p for p, _ in pairs), tuple(w for _, w in pairs), count)
            )
    return Profile(
        project_ids=tuple(index),
        costs=tuple(project.cost for project in election.projects),
        budget=election.budget,
        groups=tuple(groups),
        voters=len(election.ballots),
        supporters=tuple(supporters),
        scores=tuple(scores),
    )
