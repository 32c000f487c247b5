"""LEXIMIN against an independent reference: every feasible panel listed, LPs solved directly."""

from __future__ import annotations

import contextlib
import threading
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import sortition.leximin as leximin_module
from sortition.leximin import leximin
from sortition.model import Cancelled, Infeasible, Instance
from sortition.select import select
from sortition.words import Words
from tests.sortition.conftest import instances, make_instance
from tests.sortition_audit.helpers import feasible_panels


def reference_leximin(instance: Instance) -> np.ndarray:
    """Person-level LEXIMIN by brute force: one LP per level, one LP per person to fix."""
    panels = feasible_panels(instance)
    n = instance.pool.size
    a = np.zeros((n, len(panels)))
    for j, panel in enumerate(panels):
        a[list(panel), j] = 1.0
    fixed = np.full(n, np.nan)
    while np.isnan(fixed).any():
        free = np.isnan(fixed)
        # variables: weights..., z ; maximise z
        c = np.zeros(len(panels) + 1)
        c[-1] = -1.0
        rows = [np.append(-a[i], 1.0) for i in np.flatnonzero(free)]
        rows += [np.append(-a[i], 0.0) for i in np.flatnonzero(~free)]
        rhs = [0.0] * int(free.sum()) + list(-(fixed[~free] - 1e-9))
        eq = [np.append(np.ones(len(panels)), 0.0)]
        bounds = [(0, None)] * len(panels) + [(None, None)]
        res = linprog(c, A_ub=rows, b_ub=rhs, A_eq=eq, b_eq=[1.0], bounds=bounds)
        assert res.status == 0
        z = -res.fun
        progressed = False
        for i in np.flatnonzero(free):
            # can person i go above z while everyone unfixed keeps z?
            c2 = np.zeros(len(panels) + 1)
            c2[:-1] = -a[i]
            bounds2 = [(0, None)] * len(panels) + [(z - 1e-9, z - 1e-9)]
            res2 = linprog(c2, A_ub=rows, b_ub=rhs, A_eq=eq, b_eq=[1.0], bounds=bounds2)
            if -res2.fun <= z + 1e-7:
                fixed[i] = z
                progressed = True
        assert progressed
    return fixed


CASES = {
    "two features": (
        [(0, 0), (0, 1), (1, 0), (1, 1), (0, 0), (1, 1), (0, 1), (1, 1), (0, 0)],
        [(0, 0, 1, 2), (0, 1, 1, 3), (1, 0, 1, 2), (1, 1, 1, 3)],
        4,
        None,
    ),
    "skewed three values": (
        [(0,), (0,), (0,), (0,), (0,), (1,), (1,), (2,), (2,), (2,)],
        [(0, 0, 1, 1), (0, 1, 1, 2), (0, 2, 1, 2)],
        4,
        None,
    ),
    "households": (
        [(0, 0), (0, 1), (1, 0), (1, 1), (0, 0), (1, 1), (0, 1), (1, 0), (0, 0), (1, 1)],
        [(0, 0, 2, 2), (0, 1, 2, 2), (1, 0, 1, 3), (1, 1, 1, 3)],
        4,
        ["a", "a", "b", None, "b", "c", "c", None, "d", "d"],
    ),
    "identical people in one household": (
        [(0,), (0,), (0,), (1,), (1,), (1,), (1,), (0,)],
        [(0, 0, 1, 2), (0, 1, 1, 2)],
        3,
        ["h", "h", None, "g", "g", "g", None, None],
    ),
    "three features, twelve people": (
        [
            (0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0), (0, 0, 1), (1, 1, 1),
            (0, 1, 0), (1, 0, 0), (0, 0, 0), (1, 1, 1), (0, 1, 1), (1, 0, 1),
        ],
        [
            (0, 0, 2, 3), (0, 1, 2, 3), (1, 0, 1, 3), (1, 1, 2, 4),
            (2, 0, 1, 2), (2, 1, 2, 4),
        ],
        5,
        None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_leximin_equals_enumeration(name: str) -> None:
    rows, quotas, k, households = CASES[name]
    instance = make_instance(rows, quotas, k, households)
    expected = reference_leximin(instance)
    dist = leximin(instance)
    assert np.allclose(np.sort(dist.probabilities), np.sort(expected), atol=1e-6)
    assert np.allclose(dist.probabilities, expected, atol=1e-6)
    assert abs(dist.probabilities.sum() - k) < 1e-6
    assert all(not instance.violations(p) for p in dist.support)
    assert abs(dist.support_weights.sum() - 1) < 1e-9 and np.all(dist.support_weights > 0)


def test_maximin_reaches_the_same_minimum() -> None:
    rows, quotas, k, households = CASES["households"]
    instance = make_instance(rows, quotas, k, households)
    lex = select(instance, "leximin")
    top = select(instance, "maximin")
    assert top.algorithm == "maximin"
    assert abs(top.probabilities.min() - lex.probabilities.min()) < 1e-6
    assert all(not instance.violations(p) for p in top.support)


def test_legacy_panels_are_valid_and_reproducible() -> None:
    rows, quotas, k, households = CASES["households"]
    instance = make_instance(rows, quotas, k, households)
    first = select(instance, "legacy", rng=np.random.default_rng(5))
    again = select(instance, "legacy", rng=np.random.default_rng(5))
    assert first.support == again.support and np.array_equal(
        first.support_weights, again.support_weights
    )
    assert all(not instance.violations(p) for p in first.support)
    assert abs(first.probabilities.sum() - k) < 1e-9
    with pytest.raises(ValueError, match="rng"):
        select(instance, "legacy")


def test_infeasible_quotas_raise_infeasible() -> None:
    instance = make_instance([(0,), (0,), (1,)], [(0, 0, 0, 1), (0, 1, 2, 2)], 2)
    with pytest.raises(Infeasible) as caught:
        select(instance)
    assert caught.value.explanation


def test_cancel_token_stops_the_run() -> None:
    rows, quotas, k, households = CASES["two features"]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        select(make_instance(rows, quotas, k, households), cancel=cancel)


def test_progress_is_reported() -> None:
    rows, quotas, k, households = CASES["three features, twelve people"]
    events = []
    select(make_instance(rows, quotas, k, households), progress=events.append)
    assert events and all(e.fraction is None or 0 <= e.fraction <= 1 for e in events)
    assert any("fixed" in str(e.message) for e in events)
    # Words, for an app to show in its own language; str() is the English.
    assert all(isinstance(e.message, Words) for e in events)


def test_fixed_people_sit_on_every_panel() -> None:
    rows, quotas, k, households = CASES["households"]
    instance = make_instance(rows, quotas, k, households)
    dist = select(instance, fixed=[3])
    assert all(3 in p for p in dist.support)
    assert abs(dist.probabilities[3] - 1) < 1e-9
    assert all(not instance.violations(p) for p in dist.support)


def test_pruning_the_master_keeps_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import sortition.leximin as module

    rows, quotas, k, households = CASES["three features, twelve people"]
    instance = make_instance(rows, quotas, k, households)
    expected = reference_leximin(instance)
    monkeypatch.setattr(module, "PRUNE_AT", 0.004)  # keep at most 4 panels: prunes often
    dist = leximin(instance)
    assert np.allclose(dist.probabilities, expected, atol=1e-6)
    assert all(not instance.violations(p) for p in dist.support)


PATHS = {
    # The default: the relaxation's LEXIMIN, then a lottery over real panels reaching it (or,
    # when it is out of reach, level by level from the panels found).
    "reach": lambda: contextlib.nullcontext(),
    # The column-generation fallback alone, as when no panel lies on the relaxation's face.
    "level by level": lambda: mock.patch.object(leximin_module, "reach", lambda *a, **k: None),
}


@pytest.mark.parametrize("households", [False, True], ids=["no households", "households"])
@pytest.mark.parametrize("path", list(PATHS))
@settings(max_examples=12, deadline=None, derandomize=True)
@given(data=st.data())
def test_selection_equals_the_enumeration_reference_on_random_pools(
    path: str, households: bool, data: st.DataObject
) -> None:
    """Any small pool and quotas: the selection's chances are the reference's (all feasible
    panels listed, one LP per level), on either way to the LEXIMIN; no feasible panel at all
    raises Infeasible."""
    instance = data.draw(instances(households=households, most_people=9))
    with PATHS[path]():
        if not feasible_panels(instance):
            with pytest.raises(Infeasible):
                select(instance, "leximin")
            return
        dist = select(instance, "leximin")
    expected = reference_leximin(instance)
    np.testing.assert_allclose(np.sort(dist.probabilities), np.sort(expected), atol=1e-5)
    assert all(not instance.violations(p) for p in dist.support)
    if path == "level by level":
        assert dist.stats.relaxation_reached is False
