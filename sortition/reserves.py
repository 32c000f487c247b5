"""Reserves for drop-outs: an ordered list of people to call when panel members withdraw.

After a panel is drawn some members drop out, at rates that differ by group (young renters
more often than retired owners). Assos, Baharav, Flanigan and Procaccia ("Alternates,
Assemble! Selecting Optimal Alternates for Citizens' Assemblies", EC 2025) choose the
alternates to minimise the expected loss against the quotas after drop-outs, by sample average
approximation: fixed sampled drop-out scenarios, the choice optimised over them. This module
does the same for an ordered list, chosen greedily position by position over the scenarios
(each reserve added is the one that most lowers the expected number of broken quotas given
the ones before it), then measured on fresh scenarios.

The rule the list is used by (`_fill`), the same in the choice and in the measure: vacancies
are filled by going down the list once; a reserve who is available is seated if a seat is
empty, no quota's maximum would be passed, and they help a quota still below its minimum (or
none is below its minimum). Candidates share no household with a panel member or an earlier
reserve, so every panel made this way keeps the household rule and every maximum.

A person's drop-out rate is the mean of the rates given for their feature values (`person_rates`);
reserves called may be unavailable at the same rate. Expected values are exact (every outcome
enumerated) for at most `EXACT_AT_MOST` people, else a seeded Monte Carlo whose standard error
is reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sortition.model import BadInput, Instance, normalise
from sortition.words import words

EXACT_AT_MOST = 14
"""Panel members plus reserves up to which every drop-out outcome is enumerated."""

SCENARIOS = 4000
"""Sampled drop-out scenarios, both to choose the list and (fresh ones) to measure it."""


@dataclass(frozen=True)
class Expected:
    """Expected broken quotas and seats short of minimums; `error` is the standard error of
    `broken` (0 when every outcome was enumerated)."""

    broken: float
    shortfall: float
    error: float
    scenarios: int


@dataclass(frozen=True)
class ReservePlan:
    """The ordered reserves (person indices) and what they do to the quotas after drop-outs."""

    reserves: tuple[int, ...]
    without: Expected
    with_reserves: Expected


def person_rates(
    instance: Instance, rates: Mapping[tuple[str, str], float], default: float = 0.0
) -> np.ndarray:
    """Each person's drop-out rate: the mean of the rates of their feature values that have
    one (`rates[(feature, value)]`, matched ignoring case and spaces), else `default`."""
    pool = instance.pool
    keyed = {(normalise(f), normalise(v)): float(r) for (f, v), r in rates.items()}
    for (feature, value), rate in keyed.items():
        if not 0.0 <= rate < 1.0:
            raise BadInput(
                words(
                    "drop-out rate %(rate)s for %(feature)s = %(value)s is not in [0, 1)",
                    rate=str(rate),
                    feature=feature,
                    value=value,
                )
            )
    out = np.full(pool.size, float(default))
    for i in range(pool.size):
        found = [
            keyed[key]
            for f, feature in enumerate(pool.features)
            if (key := (normalise(feature), normalise(pool.values[feature][pool.codes[i, f]])))
            in keyed
        ]
        if found:
            out[i] = float(np.mean(found))
    return out


class _Quotas:
    def __init__(self, instance: Instance) -> None:
        self.member = instance.membership().astype(np.int64)  # quotas x people
        self.low = np.array([q.min for q in instance.quotas], dtype=np.int64)
        self.high = np.array([q.max for q in instance.quotas], dtype=np.int64)
        self.size = instance.panel_size

    def start(self, panel: Sequence[int], present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(counts per scenario and quota, vacancies per scenario) after the drop-outs."""
        counts = present.astype(np.int64) @ self.member[:, list(panel)].T
        return counts, self.size - present.sum(axis=1)

    def step(
        self, counts: np.ndarray, vacant: np.ndarray, person: int, available: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The rule, for the next reserve on the list in every scenario at once."""
        values = self.member[:, person].astype(bool)
        keeps = np.all(counts[:, values] < self.high[values], axis=1)
        below = counts < self.low
        helps = below[:, values].any(axis=1) | ~below.any(axis=1)
        take = available & (vacant > 0) & keeps & helps
        counts = counts + np.outer(take, values.astype(np.int64))
        return counts, vacant - take

    def measure(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        broken = (counts < self.low).sum(axis=1) + (counts > self.high).sum(axis=1)
        return broken, np.maximum(self.low - counts, 0).sum(axis=1)


def _expected(broken: np.ndarray, shortfall: np.ndarray, weights: np.ndarray | None) -> Expected:
    if weights is None:
        error = float(np.std(broken) / np.sqrt(len(broken))) if len(broken) > 1 else 0.0
        return Expected(float(np.mean(broken)), float(np.mean(shortfall)), error, len(broken))
    return Expected(float(broken @ weights), float(shortfall @ weights), 0.0, len(broken))


def _outcomes(rates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every stay/drop outcome of people with `rates`, and its probability."""
    grid = np.array(list(itertools.product([True, False], repeat=len(rates))), dtype=bool)
    grid = grid.reshape(-1, len(rates))
    weights = np.prod(np.where(grid, 1 - rates, rates), axis=1)
    return grid, weights


def _scenarios(
    rates: np.ndarray, people: int, rng: np.random.Generator | None, count: int
) -> tuple[np.ndarray, np.ndarray | None]:
    if people <= EXACT_AT_MOST or rng is None:
        if people > EXACT_AT_MOST:
            raise ValueError(f"more than {EXACT_AT_MOST} people: pass rng for a Monte Carlo")
        return _outcomes(rates)
    return rng.random((count, people)) >= rates[None, :], None


def expected_after_dropouts(
    instance: Instance,
    panel: Sequence[int],
    reserves: Sequence[int],
    rates: np.ndarray,
    *,
    rng: np.random.Generator | None = None,
    scenarios: int = SCENARIOS,
) -> Expected:
    """Expected broken quotas after drop-outs, with `reserves` called down the list."""
    quotas = _Quotas(instance)
    people = list(panel) + list(reserves)
    present, weights = _scenarios(rates[people], len(people), rng, scenarios)
    counts, vacant = quotas.start(panel, present[:, : len(panel)])
    for j, person in enumerate(reserves):
        counts, vacant = quotas.step(counts, vacant, person, present[:, len(panel) + j])
    return _expected(*quotas.measure(counts), weights)


def choose_reserves(
    instance: Instance,
    panel: Sequence[int],
    count: int,
    rates: np.ndarray,
    rng: np.random.Generator,
    *,
    scenarios: int = SCENARIOS,
) -> ReservePlan:
    """An ordered list of `count` reserves from the people not on `panel`, chosen greedily over
    sampled drop-out scenarios (sample average approximation), and its expected broken quotas
    measured on fresh scenarios beside those of no reserves (or exactly, on small problems)."""
    pool = instance.pool
    panel = [int(i) for i in panel]
    if count < 0:
        raise BadInput(words("the number of reserves cannot be negative"))
    houses = {pool.households[i] for i in panel if pool.households} - {None}
    candidates = [
        i
        for i in range(pool.size)
        if i not in set(panel) and not (pool.households and pool.households[i] in houses)
    ]
    quotas = _Quotas(instance)
    # Scenarios: panel members' stays, and per list position a uniform number; the reserve at
    # position j is available when it is at least their rate.
    # On small problems every choice is scored exactly (every outcome enumerated).
    exact = len(panel) + count <= EXACT_AT_MOST
    stays = rng.random((scenarios, len(panel))) >= rates[panel][None, :]
    uniforms = rng.random((scenarios, count))
    counts, vacant = quotas.start(panel, stays)
    chosen: list[int] = []
    used_houses = set(houses)
    for j in range(count):
        # One candidate per kind of person (same features and rate): the first not yet used.
        kinds: dict[bytes, int] = {}
        for i in candidates:
            if i in chosen or (pool.households and pool.households[i] in used_houses):
                continue
            kinds.setdefault(pool.codes[i].tobytes() + np.float64(rates[i]).tobytes(), i)
        best = None
        for i in kinds.values():
            if exact:
                result = expected_after_dropouts(instance, panel, [*chosen, i], rates)
                score = (result.broken, result.shortfall)
            else:
                available = uniforms[:, j] >= rates[i]
                c, _ = quotas.step(counts, vacant, i, available)
                broken, short = quotas.measure(c)
                score = (float(np.mean(broken)), float(np.mean(short)))
            if best is None or score < best[0]:
                best = (score, i)
        if best is None:
            break
        person = best[1]
        chosen.append(person)
        if pool.households and pool.households[person] is not None:
            used_houses.add(pool.households[person])
        if not exact:
            counts, vacant = quotas.step(counts, vacant, person, uniforms[:, j] >= rates[person])
    measure = np.random.default_rng(rng.integers(2**63)) if not exact else None
    return ReservePlan(
        reserves=tuple(chosen),
        without=expected_after_dropouts(instance, panel, (), rates, rng=measure),
        with_reserves=expected_after_dropouts(instance, panel, chosen, rates, rng=measure),
    )
