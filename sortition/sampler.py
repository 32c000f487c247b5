"""Many valid panels fast: a Gibbs sampler over panels that keeps every quota at every step.

Column generation needs good panels in bulk: one MILP per panel is far too slow when a
lottery needs a thousand panels or more. This sampler walks from panel to panel by resampling
one seat at a time: take a seat away, then give it to a type drawn (in proportion to a weight
per person) from all those whose arrival keeps every quota, every household rule and every
type's bounds. That is a heat-bath step, so the walk samples panels with probability
proportional to the product of their members' weights; the weights steer it towards the panels
a lottery is short of. Randomness comes only from the `numpy.random.Generator` passed in.
"""

from __future__ import annotations

import numpy as np

from sortition.types import TypeModel


class PanelSampler:
    """Walks between valid panels (counts per type) of `model`."""

    def __init__(self, model: TypeModel, rng: np.random.Generator) -> None:
        self.model = model
        self.rng = rng
        pool = model.instance.pool
        quotas = model.instance.quotas
        count = model.count
        sentinel = len(quotas)
        row = {(q.feature, q.value): i for i, q in enumerate(quotas)}
        first = np.array([people[0] for people in model.members], dtype=np.int64)
        self.quota_of = np.full((count, len(pool.features)), sentinel, dtype=np.int64)
        for f, feature in enumerate(pool.features):
            lookup = np.array(
                [row.get((feature, v), sentinel) for v in pool.values[feature]], dtype=np.int64
            )
            self.quota_of[:, f] = lookup[pool.codes[first, f]]
        # The feature each quota row belongs to (the sentinel row last, in none).
        self.value_feature = np.array(
            [pool.features.index(q.feature) for q in quotas], dtype=np.int64
        )
        self.lo = np.array([q.min for q in quotas] + [-1], dtype=np.int64)
        self.hi = np.array([q.max for q in quotas] + [count * 10**6], dtype=np.int64)
        self.house_of = np.full(count, len(model.households), dtype=np.int64)
        for g, house in enumerate(model.households):
            self.house_of[list(house)] = g
        self.lower = model.lower.astype(np.int64)
        self.upper = model.upper.astype(np.int64)

    def walk(
        self,
        start: np.ndarray,
        weights: np.ndarray,
        steps: int,
        every: int,
        reseat: int = 3,
        target: np.ndarray | None = None,
        rate: float = 0.05,
    ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
        """Panels seen every `every` steps of a walk of `steps` from `start`, the last panel,
        and the weights at the end (changed only when they adapt to a `target`).

        Each step frees 1 to `reseat` seats and fills them again one by one, each from the
        types (drawn by `weights`, per person) whose arrival keeps every maximum and leaves
        the minimums reachable with the seats still free; a step that runs into a dead end
        is undone. Freeing one seat alone cannot move between panels that differ in a quota
        held exactly (its minimum equal to its maximum), so several seats move at once.

        With `target` (expected seats per type) the weights adapt as the walk goes: a type
        seated more often than its target loses weight, one seated less gains it, in
        proportion to `rate` and to how far off it is relative to its target. The panels seen
        then average close to the target much sooner than independent samples would
        (herding), which is what a lottery that must reach the target needs."""
        rng = self.rng
        quota_of, lo, hi = self.quota_of, self.lo, self.hi
        lower, upper, house_of = self.lower, self.upper, self.house_of
        count, features = quota_of.shape
        c = start.astype(np.int64).copy()
        totals = np.zeros(len(lo), dtype=np.int64)
        np.add.at(totals, quota_of.ravel(), np.repeat(c, features))
        houses = np.zeros(len(self.model.households) + 1, dtype=np.int64)
        np.add.at(houses, house_of, c)
        no_house = len(self.model.households)
        has_house = house_of < no_house
        value_feature = self.value_feature
        out: list[np.ndarray] = []
        log_weights = np.log(np.maximum(weights, 1e-300))
        if target is not None:
            movable = upper > lower
            pull = np.where(movable, rate / np.maximum(target, 1e-3), 0.0)
        for step in range(steps):
            if target is not None:
                log_weights += pull * (target - c)
                log_weights -= log_weights[movable].max() if movable.any() else 0.0
                weights = np.exp(np.maximum(log_weights, -700.0))
            freed: list[int] = []
            for _ in range(int(rng.integers(1, reseat + 1))):
                removable = np.flatnonzero(c > lower)
                if len(removable) == 0:
                    break
                seats = (c - lower)[removable]
                cum = np.cumsum(seats)
                a = int(removable[np.searchsorted(cum, rng.random() * cum[-1], side="right")])
                c[a] -= 1
                totals[quota_of[a]] -= 1
                houses[house_of[a]] -= 1
                freed.append(a)
            added: list[int] = []
            for remaining in range(len(freed), 0, -1):
                houses[no_house] = 0
                short = np.maximum(lo - totals, 0)
                short[-1] = 0
                missing = np.bincount(value_feature, weights=short[:-1], minlength=features)
                ok = np.all((totals < hi)[quota_of], axis=1)
                for f in np.flatnonzero(missing >= remaining):
                    ok &= short[quota_of[:, f]] > 0
                ok &= c < upper
                ok &= ~has_house | (houses[house_of] == 0)
                rate = np.where(ok, weights * (upper - c), 0.0)
                cum_rate = np.cumsum(rate)
                if cum_rate[-1] <= 0:
                    break
                b = int(np.searchsorted(cum_rate, rng.random() * cum_rate[-1], side="right"))
                b = min(b, count - 1)
                c[b] += 1
                totals[quota_of[b]] += 1
                houses[house_of[b]] += 1
                added.append(b)
            if len(added) < len(freed):  # dead end: put the panel back as it was
                for b in added:
                    c[b] -= 1
                    totals[quota_of[b]] -= 1
                    houses[house_of[b]] -= 1
                for a in freed:
                    c[a] += 1
                    totals[quota_of[a]] += 1
                    houses[house_of[a]] += 1
            if (step + 1) % every == 0:
                out.append(c.copy())
        return out, c, weights
