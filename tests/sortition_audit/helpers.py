"""Small instances and exact references by enumeration, shared by the audit tests."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from sortition.model import Distribution, Instance, Pool, Quota


def make_instance(
    rows: Sequence[dict[str, str]],
    quotas: Sequence[tuple[str, str, int, int]],
    panel_size: int,
    households: Sequence[str | None] = (),
    ids: Sequence[str] | None = None,
) -> Instance:
    """An instance from feature dicts per person and (feature, value, min, max) quotas."""
    features = tuple(dict.fromkeys(f for f, _, _, _ in quotas))
    values = {
        f: tuple(dict.fromkeys([v for g, v, _, _ in quotas if g == f] + [r[f] for r in rows]))
        for f in features
    }
    codes = np.array(
        [[values[f].index(r[f]) for f in features] for r in rows], dtype=np.int64
    ).reshape(len(rows), len(features))
    pool = Pool(
        ids=tuple(ids) if ids is not None else tuple(f"p{i}" for i in range(len(rows))),
        features=features,
        values=values,
        codes=codes,
        households=tuple(households),
    )
    return Instance(pool, tuple(Quota(*q) for q in quotas), panel_size)


def random_instance(rng: np.random.Generator, n: int, k: int, households: bool = False) -> Instance:
    """A random small instance with two features and random (possibly infeasible) quotas."""
    rows = [
        {"gender": str(rng.choice(["f", "m"])), "age": str(rng.choice(["young", "mid", "old"]))}
        for _ in range(n)
    ]
    quotas = []
    for feature, vals in (("gender", ["f", "m"]), ("age", ["young", "mid", "old"])):
        for v in vals:
            lo = int(rng.integers(0, k // 2 + 2))
            hi = int(rng.integers(lo, k + 1))
            quotas.append((feature, v, lo, hi))
    keys = [str(rng.integers(0, n // 2)) if rng.random() < 0.5 else None for _ in range(n)]
    return make_instance(rows, quotas, k, keys if households else ())


def feasible_panels(instance: Instance) -> list[tuple[int, ...]]:
    """Every panel meeting the quotas and the household rule (small pools only)."""
    return [
        p
        for p in itertools.combinations(range(instance.pool.size), instance.panel_size)
        if not instance.violations(p)
    ]


def distribution_over(
    panels: Sequence[tuple[int, ...]], weights: Sequence[float], n: int, algorithm: str = "test"
) -> Distribution:
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    probs = np.zeros(n)
    for p, x in zip(panels, w, strict=True):
        probs[list(p)] += x
    return Distribution(tuple(tuple(p) for p in panels), w, probs, algorithm)


def enumeration_select(instance: Instance, **_: object) -> Distribution:
    """Stand-in for select(): uniform over all feasible panels (exact, small pools only)."""
    panels = feasible_panels(instance)
    if not panels:
        from sortition.model import Infeasible

        raise Infeasible("no feasible panel")
    return distribution_over(panels, [1.0] * len(panels), instance.pool.size, "enumeration")
