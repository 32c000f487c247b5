"""Synthetic selection problems shaped like real ones, for benchmarks, tests and demos.

Real respondent pools are skewed against the population (some groups answer invitations far
more often) and their features are correlated. `synthetic_instance` draws such a pool from an
explicit generator and sets quotas at the population's proportional targets plus or minus a
margin, as organisers do.
"""

from __future__ import annotations

import math

import numpy as np

from sortition.model import Instance, Pool, Quota


def synthetic_instance(
    rng: np.random.Generator,
    *,
    people: int = 2000,
    panel_size: int = 100,
    features: int = 7,
    values: tuple[int, int] = (2, 6),
    margin: float = 0.10,
    skew: float = 1.0,
    households: bool = False,
) -> Instance:
    """A pool of `people` with `features` features of 2-6 values and proportional quotas.

    Each person has a latent score that tilts every feature, so features are correlated, and
    each value's response rate varies by a factor up to about e**skew, so the pool is skewed.
    Quotas are the population target (panel_size x population share) within +-margin
    (at least +-1 person). With `households`, about a third of people share an address with one
    or two others, who then share their first feature (say, the region).
    """
    names = [f"f{f + 1}" for f in range(features)]
    counts = rng.integers(values[0], values[1] + 1, size=features)
    pool_values = {
        name: tuple(f"{name}v{v + 1}" for v in range(c))
        for name, c in zip(names, counts, strict=True)
    }
    latent = rng.normal(size=people)
    codes = np.zeros((people, features), dtype=np.int32)
    quotas: list[Quota] = []
    for f, name in enumerate(names):
        c = int(counts[f])
        share = rng.dirichlet(np.full(c, 3.0))
        response = np.exp(skew * rng.uniform(-1, 1, size=c))
        tilt = rng.normal(scale=0.8, size=c)
        logits = np.log(share * response)[None, :] + latent[:, None] * tilt[None, :]
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        codes[:, f] = (p.cumsum(axis=1) > rng.random(people)[:, None]).argmax(axis=1)
        for v in range(c):
            target = panel_size * share[v]
            low = max(0, min(math.floor(target * (1 - margin)), math.floor(target) - 1))
            high = max(math.ceil(target * (1 + margin)), math.ceil(target) + 1)
            quotas.append(Quota(name, pool_values[name][v], low, high))
    keys: list[str | None] = [None] * people
    if households:
        order = rng.permutation(people)
        i = 0
        house = 0
        while i < people:
            if rng.random() < 1 / 3 and i + 1 < people:
                size = int(rng.integers(2, 4))
                group = order[i : i + size]
                codes[group, 0] = codes[group[0], 0]
                for person in group:
                    keys[int(person)] = f"h{house}"
                i += size
            else:
                keys[int(order[i])] = f"h{house}"
                i += 1
            house += 1
    pool = Pool(
        ids=tuple(f"s{i + 1:05d}" for i in range(people)),
        features=tuple(names),
        values=pool_values,
        codes=codes,
        households=tuple(keys) if households else (),
    )
    return Instance(pool=pool, quotas=tuple(quotas), panel_size=panel_size)
