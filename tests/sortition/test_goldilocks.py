"""Goldilocks against an independent reference: every feasible panel listed, and for each
smallest chance the LP of the smallest largest chance (scipy's linprog), minimised over the
smallest chance by golden section (the objective is convex in it)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from scipy.optimize import linprog

from sortition import ALGORITHMS, select
from sortition.goldilocks import goldilocks, objective
from sortition.model import Infeasible, Instance
from tests.sortition.conftest import instances, make_instance
from tests.sortition.test_leximin import CASES
from tests.sortition_audit.helpers import feasible_panels


def _chances_matrix(instance: Instance) -> tuple[np.ndarray, np.ndarray]:
    panels = feasible_panels(instance)
    a = np.zeros((instance.pool.size, len(panels)))
    for j, panel in enumerate(panels):
        a[list(panel), j] = 1.0
    seatable = a.any(axis=1)  # people on no panel have no chance under any lottery
    return a[seatable], seatable


def reference_goldilocks(instance: Instance) -> float:
    """min over lotteries of max p/r + r/min p, over the people some panel seats (r = k/n)."""
    a, _ = _chances_matrix(instance)
    people, count = a.shape
    r = instance.panel_size / instance.pool.size
    # The largest smallest chance (maximin), in units of r: the end of the search interval.
    c = np.zeros(count + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([-a, np.ones((people, 1))]),
        b_ub=np.zeros(people),
        A_eq=[np.append(np.ones(count), 0.0)],
        b_eq=[1.0],
        bounds=[(0, None)] * count + [(None, None)],
    )
    top = -res.fun / r

    def best_upper(low: float) -> float:
        # min U subject to a w <= r U and a w >= r low
        c = np.zeros(count + 1)
        c[-1] = 1.0
        res = linprog(
            c,
            A_ub=np.vstack(
                [np.hstack([a, -r * np.ones((people, 1))]), np.hstack([-a, np.zeros((people, 1))])]
            ),
            b_ub=np.concatenate([np.zeros(people), -r * low * np.ones(people)]),
            A_eq=[np.append(np.ones(count), 0.0)],
            b_eq=[1.0],
            bounds=[(0, None)] * count + [(None, None)],
        )
        assert res.status == 0
        return res.fun + 1.0 / low

    lo, hi = top * 1e-3, top * (1 - 1e-12)
    golden = (math.sqrt(5) - 1) / 2
    x1, x2 = hi - golden * (hi - lo), lo + golden * (hi - lo)
    f1, f2 = best_upper(x1), best_upper(x2)
    for _ in range(80):
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - golden * (hi - lo)
            f1 = best_upper(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + golden * (hi - lo)
            f2 = best_upper(x2)
    return min(f1, f2, best_upper(top * (1 - 1e-12)))


def _ours(instance: Instance) -> float:
    dist = select(instance, "goldilocks")
    for panel in dist.support:
        assert instance.violations(panel) == []
    assert dist.probabilities.sum() == pytest.approx(instance.panel_size)
    _, seatable = _chances_matrix(instance)
    r = instance.panel_size / instance.pool.size
    p = dist.probabilities[seatable]
    return float(np.max(p) / r + r / np.min(p))


def test_goldilocks_is_an_algorithm() -> None:
    assert "goldilocks" in ALGORITHMS


@pytest.mark.parametrize("name", list(CASES))
def test_goldilocks_equals_enumeration(name: str) -> None:
    rows, quotas, k, households = CASES[name]
    instance = make_instance(rows, quotas, k, households)
    assert _ours(instance) == pytest.approx(reference_goldilocks(instance), abs=1e-5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(most_people=9))
def test_goldilocks_equals_enumeration_on_random_pools(instance: Instance) -> None:
    if not feasible_panels(instance):
        with pytest.raises(Infeasible):
            goldilocks(instance)
        return
    assert _ours(instance) == pytest.approx(reference_goldilocks(instance), abs=1e-5)


def test_goldilocks_lowers_the_largest_chance_leximin_leaves_high() -> None:
    # Three of one value must fill two seats: LEXIMIN seats each of them with chance 2/3 while
    # pulling the others up; Goldilocks trades a little of the smallest chance for a lower top.
    rows = [(0,)] * 3 + [(1,)] * 9
    instance = make_instance(rows, [(0, 0, 1, 2), (0, 1, 2, 3)], 4)
    lex = select(instance, "leximin").probabilities
    gold = select(instance, "goldilocks").probabilities
    assert objective(gold, 4) <= objective(lex, 4) + 1e-9
    assert gold.max() <= lex.max() + 1e-9


def test_objective_is_infinite_when_someone_has_no_chance() -> None:
    assert objective(np.array([0.0, 1.0]), 1) == math.inf
