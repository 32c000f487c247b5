"""Grouping respondents into types: people with the same features and no household tie.

Such people are interchangeable for every quota, so a fair lottery gives them the same chance,
and the solvers can work with how many of each type sit on a panel instead of who. That makes
the optimisation as large as the number of types, not of people (on the Nature examples, 4
types instead of 2,000 people). Members of shared households must stay individual because the
one-per-household rule tells them apart.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sortition.compact import TypeLottery
from sortition.model import BadInput, Distribution, Instance, Pool, SelectionStats
from sortition.words import words


@dataclass(frozen=True)
class TypeModel:
    """The instance seen through types.

    `members[t]` are the person indices of type t, `sizes[t]` their number, `matrix[q, t]` is 1
    when type t counts towards quota q. A panel is a count vector c with `lower <= c <= upper`,
    `lo <= matrix @ c <= hi`, `sum(c) == k`, and at most one seat in each of `households`
    (tuples of type indices, each a single person).
    """

    instance: Instance
    members: tuple[np.ndarray, ...]
    sizes: np.ndarray
    matrix: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    households: tuple[tuple[int, ...], ...]

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def quota_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        quotas = self.instance.quotas
        return (
            np.array([q.min for q in quotas], dtype=float),
            np.array([q.max for q in quotas], dtype=float),
        )

    def quota_rows(self, missing: int) -> np.ndarray:
        """(types x features): the quota row each type's value counts towards, `missing` for a
        value with no quota. The panel searches check a swap feature by feature with it."""
        pool = self.instance.pool
        row = {(q.feature, q.value): i for i, q in enumerate(self.instance.quotas)}
        first = np.array([people[0] for people in self.members], dtype=np.int64)
        out = np.full((self.count, len(pool.features)), missing, dtype=np.int64)
        for f, feature in enumerate(pool.features):
            lookup = np.array(
                [row.get((feature, v), missing) for v in pool.values[feature]], dtype=np.int64
            )
            out[:, f] = lookup[pool.codes[first, f]]
        return out

    def household_of(self, missing: int) -> np.ndarray:
        """Each type's index in `households`, `missing` for a type in none."""
        out = np.full(self.count, missing, dtype=np.int64)
        for g, house in enumerate(self.households):
            out[list(house)] = g
        return out

    def person_probabilities(self, type_probabilities: np.ndarray) -> np.ndarray:
        """Spread each type's per-person probability over its members."""
        out = np.zeros(self.instance.pool.size)
        for t, people in enumerate(self.members):
            out[people] = type_probabilities[t]
        return out

    def is_panel(self, counts: np.ndarray) -> bool:
        """True when the count vector meets every rule (used as a guard on solver output)."""
        lo, hi = self.quota_bounds
        totals = self.matrix @ counts
        return bool(
            counts.sum() == self.instance.panel_size
            and np.all(counts >= self.lower)
            and np.all(counts <= self.upper)
            and np.all(totals >= lo)
            and np.all(totals <= hi)
            and all(counts[list(h)].sum() <= 1 for h in self.households)
        )


def shared_households(pool: Pool) -> list[list[int]]:
    """The people (indices) of each household with two or more respondents, in order of first
    appearance: the groups the one-per-household rule keeps apart. Everyone in no such group
    can sit beside anyone."""
    groups: dict[str, list[int]] = {}
    for person, key in enumerate(pool.households):
        if key is not None:
            groups.setdefault(key, []).append(person)
    return [people for people in groups.values() if len(people) > 1]


def group_types(instance: Instance, fixed: Iterable[int] = ()) -> TypeModel:
    """Group the pool into types; people in `fixed` (indices) sit on every panel."""
    pool = instance.pool
    fixed_set = sorted(set(int(i) for i in fixed))
    for person in fixed_set:
        if not 0 <= person < pool.size:
            raise BadInput(words("fixed person index %(person)s is not in the pool", person=person))
    households = shared_households(pool)
    single = set(fixed_set)
    for people in households:
        single.update(people)

    members: list[list[int]] = []
    by_features: dict[bytes, int] = {}
    for person in range(pool.size):
        if person in single:
            members.append([person])
            continue
        key = pool.codes[person].tobytes()
        if key not in by_features:
            by_features[key] = len(members)
            members.append([])
        members[by_features[key]].append(person)
    type_of = np.empty(pool.size, dtype=np.int64)
    for t, people in enumerate(members):
        type_of[people] = t

    first = np.array([people[0] for people in members], dtype=np.int64)
    matrix = instance.membership()[:, first].astype(float)
    sizes = np.array([len(people) for people in members], dtype=np.int64)
    lower = np.zeros(len(members), dtype=np.int64)
    upper = sizes.copy()
    # A value with max 0 rules its holders out of every panel.
    closed = np.array([q.max == 0 for q in instance.quotas], dtype=bool)
    if closed.any():
        upper[matrix[closed].any(axis=0)] = 0
    for person in fixed_set:
        lower[type_of[person]] = 1
    house_types: list[tuple[int, ...]] = []
    for people in households:
        kinds = tuple(int(type_of[p]) for p in people)
        seated = [t for t in kinds if lower[t] > 0]
        if len(seated) > 1:
            raise BadInput(words("two fixed panel members share a household"))
        if seated:
            for t in kinds:
                if t != seated[0]:
                    upper[t] = 0
        house_types.append(kinds)
    if np.any(lower > upper):
        raise BadInput(words("a fixed panel member has a value whose quota maximum is 0"))
    return TypeModel(
        instance=instance,
        members=tuple(np.array(people, dtype=np.int64) for people in members),
        sizes=sizes,
        matrix=matrix,
        lower=lower,
        upper=upper,
        households=tuple(house_types),
    )


def gini(values: np.ndarray) -> float:
    """Gini coefficient of the selection probabilities (0 when everyone has the same chance)."""
    v = np.sort(np.asarray(values, dtype=float))
    n = len(v)
    if n == 0 or v.sum() <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ v / (n * v.sum()))


def summarise(dist_probabilities: np.ndarray, panels: int) -> SelectionStats:
    """What every lottery reports about itself: its smallest chance, its Gini and its panels."""
    return SelectionStats(
        min_probability=float(dist_probabilities.min()) if len(dist_probabilities) else 0.0,
        gini=gini(dist_probabilities),
        panels=int(panels),
    )


def compact_lottery(
    model: TypeModel,
    columns: list[np.ndarray],
    weights: np.ndarray,
    algorithm: str,
    stats: SelectionStats,
    start: float,
) -> Distribution:
    """A type solver's lottery as a `Distribution`, kept compact (no panels of people listed).

    Its chances are computed exactly from the type panels; `stats` gains the smallest chance,
    the Gini, the number of type panels (`panels` and `type_panels` alike: they are the
    lottery's panels, each standing for all the ways of giving its seats within the types) and
    the seconds since `start`.
    """
    w = np.asarray(weights, dtype=float)
    keep = np.flatnonzero(w > 1e-12)
    cols = np.array([columns[j] for j in keep], dtype=np.int64).reshape(len(keep), model.count)
    distribution = Distribution.compact(  # which puts the lottery in canonical form
        TypeLottery(tuple(model.members), cols, w[keep] / w[keep].sum()), algorithm
    )
    lottery = distribution.types
    assert lottery is not None
    summary = summarise(distribution.probabilities, len(lottery.weights))
    return dataclasses.replace(
        distribution,
        stats=dataclasses.replace(
            stats,
            min_probability=summary.min_probability,
            gini=summary.gini,
            panels=summary.panels,
            type_panels=summary.panels,
            types=model.count,
            seconds=time.perf_counter() - start,
        ),
    )
