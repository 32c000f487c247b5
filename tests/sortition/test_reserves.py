"""Reserves for drop-outs against enumeration: every stay/drop outcome listed, the list's rule
applied person by person in plain Python, the expectation summed by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import sortition.reserves as reserves_module
from sortition.model import BadInput, Instance
from sortition.reserves import choose_reserves, expected_after_dropouts, person_rates
from tests.sortition.conftest import make_instance

ROWS = [(0, 0), (0, 1), (1, 0), (1, 1), (0, 0), (1, 1), (0, 1), (1, 0), (0, 0), (1, 1)]
QUOTAS = [(0, 0, 2, 2), (0, 1, 2, 2), (1, 0, 1, 3), (1, 1, 1, 3)]


@pytest.fixture
def instance() -> Instance:
    return make_instance(ROWS, QUOTAS, 4, ["a", "a", None, None, "b", "b", None, None, None, None])


PANEL = [0, 3, 4, 7]  # f0: v0 v1 v0 v1; f1: v0 v1 v0 v0


def reference(instance: Instance, panel, reserves, rates) -> tuple[float, float]:
    """Expected broken quotas and shortfall, outcome by outcome."""
    people = list(panel) + list(reserves)
    broken_total = short_total = 0.0
    member = instance.membership()
    for outcome in itertools.product([True, False], repeat=len(people)):
        weight = 1.0
        for person, stays in zip(people, outcome, strict=True):
            weight *= (1 - rates[person]) if stays else rates[person]
        seated = [p for p, stays in zip(panel, outcome, strict=False) if stays]
        for j, person in enumerate(reserves):
            if not outcome[len(panel) + j] or len(seated) >= instance.panel_size:
                continue
            counts = member[:, seated].sum(axis=1)
            mine = [q for q in range(len(instance.quotas)) if member[q, person]]
            if any(counts[q] >= instance.quotas[q].max for q in mine):
                continue
            below = [q for q, quota in enumerate(instance.quotas) if counts[q] < quota.min]
            if below and not any(q in below for q in mine):
                continue
            seated.append(person)
        counts = member[:, seated].sum(axis=1)
        # what the rule promises: maxima and households kept on every panel it makes
        assert all(c <= q.max for c, q in zip(counts, instance.quotas, strict=True))
        houses = [instance.pool.households[p] for p in seated if instance.pool.households[p]]
        assert len(houses) == len(set(houses))
        broken = sum(not q.min <= c <= q.max for c, q in zip(counts, instance.quotas, strict=True))
        short = sum(max(q.min - c, 0) for c, q in zip(counts, instance.quotas, strict=True))
        broken_total += weight * broken
        short_total += weight * short
    return broken_total, short_total


RATES = np.array([0.1, 0.3, 0.05, 0.2, 0.25, 0.15, 0.1, 0.3, 0.05, 0.2])


@pytest.mark.parametrize("reserves", [(), (2,), (8, 6), (6, 8), (2, 9, 6)])
def test_expected_broken_quotas_equal_enumeration(instance, reserves) -> None:
    got = expected_after_dropouts(instance, PANEL, reserves, RATES)
    broken, short = reference(instance, PANEL, reserves, RATES)
    assert got.error == 0.0
    assert got.broken == pytest.approx(broken, abs=1e-12)
    assert got.shortfall == pytest.approx(short, abs=1e-12)


def test_the_monte_carlo_is_within_its_stated_error(instance, monkeypatch) -> None:
    monkeypatch.setattr(reserves_module, "EXACT_AT_MOST", 0)
    got = expected_after_dropouts(
        instance, PANEL, (8, 6), RATES, rng=np.random.default_rng(3), scenarios=20000
    )
    broken, _ = reference(instance, PANEL, (8, 6), RATES)
    assert got.error > 0
    assert abs(got.broken - broken) <= 4 * got.error


def test_one_reserve_is_the_best_one_by_enumeration(instance) -> None:
    plan = choose_reserves(instance, PANEL, 1, RATES, np.random.default_rng(1))
    others = [i for i in range(10) if i not in PANEL and instance.pool.households[i] != "a"]
    others = [i for i in others if instance.pool.households[i] != "b"]
    best = min(reference(instance, PANEL, (i,), RATES) for i in others)
    assert plan.with_reserves.broken == pytest.approx(best[0], abs=1e-12)
    assert plan.without.broken == pytest.approx(reference(instance, PANEL, (), RATES)[0])


def test_reserves_lower_the_broken_quotas_and_keep_households(instance) -> None:
    plan = choose_reserves(instance, PANEL, 3, RATES, np.random.default_rng(1))
    assert len(plan.reserves) == 3
    assert not set(plan.reserves) & set(PANEL)
    households = instance.pool.households
    assert all(households[r] not in {"a", "b"} for r in plan.reserves)  # panel's households
    assert plan.with_reserves.broken < plan.without.broken


def test_person_rates_are_the_mean_of_their_values_rates(instance) -> None:
    rates = person_rates(instance, {("F0", "v1"): 0.2, ("f1", " V1 "): 0.1}, default=0.05)
    assert rates[3] == pytest.approx(0.15)  # v1, v1
    assert rates[1] == pytest.approx(0.1)  # v0, v1
    assert rates[0] == pytest.approx(0.05)  # neither listed


def test_a_rate_outside_zero_to_one_is_refused(instance) -> None:
    with pytest.raises(BadInput, match="not in"):
        person_rates(instance, {("f0", "v0"): 1.5})
