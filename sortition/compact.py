"""A lottery kept compact: type panels (seats per type) with weights, not panels of people.

People of one type (same features, no household tie) are interchangeable for every quota, so a
lottery needs only say how many of each type sit on each panel. Every member of a type then has
the same chance, computed exactly from the seats (`probabilities`) without listing panels of
people, whose number can run to hundreds of thousands on a large pool. Panels of people are
made only where someone must see them: the M numbered panels of a public draw
(`numbered_panels`), which give each type's seats to its members in turn, so every member of a
type sits on the floor or the ceiling of (the type's seats) / (its size) of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class TypeLottery:
    """Type panel j (`columns[j, t]` seats for type t) is chosen with `weights[j]`.

    `members[t]` are the pool indices of type t's people, in the order their seats go round.
    `people` is the pool's size when some of it belongs to no type (a replacement's lottery
    over the eligible respondents only); by default every person is in a type.
    """

    members: tuple[np.ndarray, ...]
    columns: np.ndarray
    weights: np.ndarray
    people: int | None = None

    @property
    def sizes(self) -> np.ndarray:
        return np.array([len(people) for people in self.members], dtype=np.int64)

    @property
    def pool_size(self) -> int:
        if self.people is not None:
            return self.people
        return int(sum(len(people) for people in self.members))

    def draw(self, rng: np.random.Generator) -> tuple[int, ...]:
        """One panel of people, using only `rng`: a type panel by its weight (canonical
        order), then each type's seats to members chosen uniformly without replacement, so
        every member of a type has the type's chance."""
        lottery = self.canonical()
        j = int(rng.choice(len(lottery.weights), p=lottery.weights))
        people: list[int] = []
        for t in np.flatnonzero(lottery.columns[j]):
            c = int(lottery.columns[j, t])
            people.extend(int(i) for i in rng.choice(lottery.members[t], size=c, replace=False))
        return tuple(sorted(people))

    def mapped(self, mapping: np.ndarray, people: int) -> TypeLottery:
        """The same lottery with person i renamed `mapping[i]`, in a pool of `people`."""
        members = tuple(np.asarray(mapping, dtype=np.int64)[group] for group in self.members)
        return TypeLottery(members, self.columns, self.weights, people)

    def type_probabilities(self) -> np.ndarray:
        """Each type's per-person chance: expected seats over the type's size.

        Summed exactly (`math.fsum`, correctly rounded whatever the order) rather than by a
        matrix product, whose BLAS and SIMD kernels round differently on other CPUs: these
        chances go into the bundle and its commitment, so they must be the same everywhere."""
        w = np.asarray(self.weights, dtype=float)
        columns = np.asarray(self.columns)
        kinds, panels = np.nonzero(columns.T)  # grouped by type
        products = (columns[panels, kinds] * w[panels]).tolist()  # one IEEE product each
        bounds = np.searchsorted(kinds, np.arange(len(self.members) + 1)).tolist()
        seats = np.array([math.fsum(products[a:b]) for a, b in pairwise(bounds)])
        return seats / math.fsum(w.tolist()) / np.maximum(self.sizes, 1)

    def probabilities(self) -> np.ndarray:
        """Each person's chance of selection, exactly, without listing panels of people."""
        out = np.zeros(self.pool_size)
        for t, chance in enumerate(self.type_probabilities()):
            out[self.members[t]] = chance
        return out

    def canonical(self) -> TypeLottery:
        """Identical type panels merged, zero weights dropped, panels sorted: the same lottery
        found by another solver path gives the same numbering."""
        w = np.asarray(self.weights, dtype=float)
        keep = w > 0
        cols = np.asarray(self.columns, dtype=np.int64)
        if not keep.all():  # a copy only when some panel goes
            cols, w = cols[keep], w[keep]
        # Rows sorted lexicographically by a stable sort, so identical rows keep the order they
        # came in and their weights are added in that order (np.add.at is unbuffered): no tuple
        # per row, which on 10,000 respondents held a gigabyte of Python integers.
        cols = cols.reshape(len(cols), len(self.members))
        order = np.lexsort(cols.T[::-1]) if cols.size else np.arange(len(cols))
        ranked = cols[order]
        new = np.ones(len(ranked), dtype=bool)
        new[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
        columns = ranked if new.all() else ranked[new]
        weights = np.zeros(len(columns))
        np.add.at(weights, np.cumsum(new) - 1, w[order])
        # math.fsum, not numpy's sum: numpy picks its summation kernel by CPU, and the last bit
        # of these weights decides which panels get an extra copy.
        total = math.fsum(weights.tolist()) or 1.0
        return TypeLottery(self.members, columns, weights / total, self.people)

    def examples(self) -> tuple[tuple[int, ...], ...]:
        """One panel of people per type panel (seats given in turn): what a check that every
        panel meets the quotas and household rules needs, without listing them all."""
        return self.numbered_panels(np.ones(len(self.weights), dtype=np.int64))

    def numbered_panels(self, copies: Sequence[int]) -> tuple[tuple[int, ...], ...]:
        """Panels of people for type panel j repeated `copies[j]` times, in order.

        Each type's seats go to its members in cyclic order across the numbered panels: a panel
        takes the next c members of a type with c seats, continuing where the last one stopped.
        No one sits twice on a panel (c never exceeds the type's size), and each member of type
        t is on floor or ceil of (t's seats over all panels) / (t's size) of them.
        """
        nxt = np.zeros(len(self.members), dtype=np.int64)
        panels: list[tuple[int, ...]] = []
        for j, count in enumerate(copies):
            seated = np.flatnonzero(self.columns[j])
            for _ in range(int(count)):
                people: list[int] = []
                for t in seated:
                    group = self.members[t]
                    c = int(self.columns[j, t])
                    start = int(nxt[t])
                    people.extend(int(group[(start + i) % len(group)]) for i in range(c))
                    nxt[t] = (start + c) % len(group)
                panels.append(tuple(sorted(people)))
        return tuple(panels)


def from_panels(
    members: Sequence[np.ndarray],
    panels: Sequence[Sequence[int]],
    weights: np.ndarray,
    probabilities: np.ndarray,
    tolerance: float = 1e-9,
) -> TypeLottery | None:
    """The type lottery behind a lottery over panels of people, or None if it has none.

    Counting each panel's people by type loses nothing when every member of a type has the same
    chance (within `tolerance`), as in every lottery the type solvers make; a lottery that
    treats members of a type differently (such as the legacy sampler's) gives None.
    """
    n = len(probabilities)
    type_of = np.full(n, -1, dtype=np.int64)
    for t, people in enumerate(members):
        type_of[np.asarray(people, dtype=np.int64)] = t
    if np.any(type_of < 0) or len(panels) == 0:
        return None
    columns = np.zeros((len(panels), len(members)), dtype=np.int64)
    for j, panel in enumerate(panels):
        if len(panel):
            np.add.at(columns[j], type_of[np.asarray(panel, dtype=np.int64)], 1)
    lottery = TypeLottery(
        tuple(np.asarray(p, dtype=np.int64) for p in members),
        columns,
        np.asarray(weights, dtype=float),
    )
    if np.max(np.abs(lottery.probabilities() - np.asarray(probabilities))) > tolerance:
        return None
    return lottery.canonical()
