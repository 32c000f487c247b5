"""Grouping respondents into types: people with the same features and no household tie.

Such people are interchangeable for every quota, so a fair lottery gives them the same chance,
and the solvers can work with how many of each type sit on a panel instead of who. That makes
the optimisation as large as the number of types, not of people (on the Nature examples, 4
types instead of 2,000 people). Members of shared households must stay individual because the
one-per-household rule tells them apart.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sortition.model import BadInput, Distribution, Instance, Pool, SelectionStats, chances


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
            raise BadInput(f"fixed person index {person} is not in the pool")
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
            raise BadInput("two fixed panel members share a household")
        if seated:
            for t in kinds:
                if t != seated[0]:
                    upper[t] = 0
        house_types.append(kinds)
    if np.any(lower > upper):
        raise BadInput("a fixed panel member has a value whose quota maximum is 0")
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


def _allocate(need: float, slots: list[tuple[int, float, int]], m: int) -> dict[int, np.ndarray]:
    """Share a type's seats in each slot among its m members so each gets `need` in total.

    `slots` are (slot, weight w, seats c). Returns per slot the time x_i <= w that member i
    sits (summing to c * w). Largest remaining need first, in whole slots where possible, keeps
    most members wholly in or out of a slot, so few panels are split; if that greedy runs into a
    dead end the even share c * w / m (always valid) is used instead.
    """
    remaining = np.full(m, need)
    out: dict[int, np.ndarray] = {}
    for j, w, c in sorted(slots, key=lambda s: -s[1]):
        x = np.zeros(m)
        want = c * w
        for i in np.argsort(-remaining, kind="stable"):
            give = min(w, remaining[i], want)
            if give <= 0:
                break
            x[i] = give
            want -= give
            if want <= 1e-15:
                break
        if want > 1e-12 * max(1.0, c * w):
            return {j: np.full(m, c * w / m) for j, w, c in slots}
        remaining -= x
        out[j] = x
    if np.max(np.abs(remaining)) > 1e-9:
        return {j: np.full(m, c * w / m) for j, w, c in slots}
    return out


def realise(
    model: TypeModel,
    columns: list[np.ndarray],
    weights: np.ndarray,
    algorithm: str,
) -> Distribution:
    """Turn a lottery over type panels into one over concrete panels of people.

    Within each type every member gets the same chance. Each type panel ("slot", of weight w)
    is cut into pieces: inside a slot, a type with c seats is McNaughton's wrap-around
    schedule of its members' shares on c machines of length w, and the slot is cut at every
    point where some type's seat changes hands. The probabilities are then recomputed from the
    concrete panels, so they are exact for the lottery returned.
    """
    w = np.asarray(weights, dtype=float)
    keep = [j for j in range(len(columns)) if w[j] > 1e-12]
    w = w[keep] / w[keep].sum()
    cols = np.array([columns[j] for j in keep], dtype=np.int64).reshape(len(keep), model.count)
    shares: dict[tuple[int, int], np.ndarray] = {}
    for t, people in enumerate(model.members):
        m = len(people)
        if m == 1:
            continue  # a single person's seat is never split
        held = cols[:, t]
        split = [(int(j), w[j], int(held[j])) for j in np.flatnonzero((held > 0) & (held < m))]
        if not split:
            continue
        need = sum(wj * c for _, wj, c in split) / m
        for j, x in _allocate(need, split, m).items():
            shares[(j, t)] = x

    by_panel: dict[tuple[int, ...], float] = {}
    for j in range(len(w)):
        whole: list[int] = []
        tapes: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        cuts = {0.0, float(w[j])}
        for t in np.flatnonzero(cols[j]):
            people = model.members[t]
            c = int(cols[j, t])
            if c == len(people):
                whole.extend(int(p) for p in people)
                continue
            x = shares[(j, int(t))]
            order = np.argsort(-x, kind="stable")
            order = order[x[order] > 0]
            cum = np.concatenate([[0.0], np.cumsum(x[order])])
            # Shares equal to the whole slot fill machines exactly; snap float noise.
            tol = 1e-13 * max(1.0, w[j])
            for edge in cum[1:-1]:
                pos = edge % w[j]
                if tol < pos < w[j] - tol:
                    cuts.add(float(pos))
            tapes.append((c, people[order], cum, np.arange(c) * w[j]))
        edges = np.array(sorted(cuts))
        for a, b in itertools.pairwise(edges):
            if b - a <= 1e-14:
                continue
            mid = (a + b) / 2
            panel = list(whole)
            for _c, members, cum, starts in tapes:
                slot = np.searchsorted(cum, starts + mid, side="right") - 1
                slot = np.minimum(slot, len(members) - 1)
                panel.extend(int(p) for p in members[slot])
            key = tuple(sorted(panel))
            by_panel[key] = by_panel.get(key, 0.0) + (b - a)

    panels = tuple(by_panel)
    weights_out = np.array([by_panel[p] for p in panels])
    weights_out /= weights_out.sum()
    probabilities = chances(panels, weights_out, model.instance.pool.size)
    return Distribution(
        panels=panels,
        weights=weights_out,
        probabilities=probabilities,
        algorithm=algorithm,
        stats=dataclasses.replace(summarise(probabilities, len(panels)), type_panels=len(w)),
    )
