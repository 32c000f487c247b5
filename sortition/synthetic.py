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


def _draw_values(
    rng: np.random.Generator, weight: np.ndarray, latent: np.ndarray, tilt: np.ndarray
) -> np.ndarray:
    """Each person's value of one feature: drawn in proportion to `weight` (share times
    response rate), tilted by the person's latent score so that features correlate."""
    logits = np.log(weight)[None, :] + latent[:, None] * tilt[None, :]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return (p.cumsum(axis=1) > rng.random(len(latent))[:, None]).argmax(axis=1)


def _proportional_bounds(target: float, margin: float) -> tuple[int, int]:
    """A quota around a proportional `target` seats: +-`margin` of it, at least +-1 person."""
    low = max(0, min(math.floor(target * (1 - margin)), math.floor(target) - 1))
    high = max(math.ceil(target * (1 + margin)), math.ceil(target) + 1)
    return low, high


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
        codes[:, f] = _draw_values(rng, share * response, latent, tilt)
        for v in range(c):
            low, high = _proportional_bounds(panel_size * share[v], margin)
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


# (feature, number of values): the characteristics UK councils stratify on, in the order they
# are offered. A realistic pool takes the first `features` of them.
REALISTIC_FEATURES: tuple[tuple[str, int], ...] = (
    ("gender", 3),
    ("age_band", 6),
    ("ethnicity", 7),
    ("deprivation", 5),
    ("disability", 2),
    ("language", 3),
    ("ward", 8),
    ("tenure", 4),
)


def realistic_instance(
    rng: np.random.Generator,
    *,
    people: int = 2000,
    panel_size: int = 100,
    features: int = 7,
    tolerance: float = 0.15,
    skew: float = 1.2,
    shared_households: float = 0.10,
) -> Instance:
    """A pool like the ones councils really draw from: almost everyone a type of their own.

    `features` (6-8) characteristics with 2-8 values each (`REALISTIC_FEATURES`), population
    shares drawn with census-like skew (one large group, several small ones), response rates
    that differ by value up to about e**skew (the usual over-response of older and better-off
    residents), features correlated through a latent score, and `shared_households` of the
    respondents living with another respondent (who then share their ward, the last address
    feature, and are kept apart on panels). Quotas are the proportional target of the panel
    (`panel_size` x population share) within +-`tolerance` (at least +-1 person).
    """
    if not 1 <= features <= len(REALISTIC_FEATURES):
        raise ValueError(f"features must be between 1 and {len(REALISTIC_FEATURES)}")
    chosen = REALISTIC_FEATURES[:features]
    names = [name for name, _ in chosen]
    pool_values = {name: tuple(f"{name}_{v + 1}" for v in range(c)) for name, c in chosen}
    latent = rng.normal(size=people)
    codes = np.zeros((people, features), dtype=np.int32)
    quotas: list[Quota] = []
    for f, (name, c) in enumerate(chosen):
        # Census-like: shares fall off geometrically with a little noise (the first value is
        # the largest group), binary features split unevenly.
        share = np.exp(-rng.uniform(0.3, 0.9) * np.arange(c)) * rng.uniform(0.7, 1.3, size=c)
        share /= share.sum()
        response = np.exp(skew * rng.uniform(-1, 1, size=c))
        tilt = rng.normal(scale=0.6, size=c)
        codes[:, f] = _draw_values(rng, share * response, latent, tilt)
        for v in range(c):
            low, high = _proportional_bounds(panel_size * share[v], tolerance)
            quotas.append(Quota(name, pool_values[name][v], low, min(high, panel_size)))
    keys: list[str | None] = [None] * people
    order = rng.permutation(people)
    sharing = round(shared_households * people)
    i = house = 0
    while i < sharing - 1:
        size = 3 if rng.random() < 0.2 and i + 3 <= sharing else 2
        group = order[i : i + size]
        ward = features - 1
        codes[group, ward] = codes[group[0], ward]
        for person in group:
            keys[int(person)] = f"h{house}"
        house += 1
        i += size
    pool = Pool(
        ids=tuple(f"r{i + 1:05d}" for i in range(people)),
        features=tuple(names),
        values=pool_values,
        codes=codes,
        households=tuple(keys),
    )
    return Instance(pool=pool, quotas=tuple(quotas), panel_size=panel_size)
