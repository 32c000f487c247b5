"""Explaining infeasible quotas and the smallest loosening of them, checked by enumeration."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from sortition.loosen import (
    Loosening,
    conflicting_quotas,
    explain_infeasible,
    find_loosening,
    find_panel,
)
from sortition.model import Infeasible, Instance

from .helpers import feasible_panels, make_instance, random_instance


def best_loosening_by_enumeration(instance: Instance) -> tuple[int, int] | None:
    """(bounds changed, total change) of the best loosening, trying every panel."""
    bare = Instance(instance.pool, (), instance.panel_size)
    membership = instance.membership()
    best = None
    for panel in itertools.combinations(range(instance.pool.size), instance.panel_size):
        if bare.violations(panel):
            continue
        counts = membership[:, list(panel)].sum(axis=1)
        changed = total = 0
        for quota, count in zip(instance.quotas, counts, strict=True):
            if count < quota.min:
                changed, total = changed + 1, total + quota.min - count
            if count > quota.max:
                changed, total = changed + 1, total + count - quota.max
        if best is None or (changed, total) < best:
            best = (changed, total)
    return best


@pytest.mark.parametrize("households", [False, True])
def test_loosening_is_minimal_and_feasible(households):
    rng = np.random.default_rng(42 if households else 7)
    checked = 0
    for _ in range(40):
        instance = random_instance(rng, 9, 4, households=households)
        panels = feasible_panels(instance)
        assert (find_panel(instance) is None) == (not panels)
        best = best_loosening_by_enumeration(instance)
        if best is None:
            with pytest.raises(Infeasible, match="household"):
                find_loosening(instance)
            continue
        loosening = find_loosening(instance)
        if panels:
            assert loosening is None
            continue
        checked += 1
        assert isinstance(loosening, Loosening)
        assert (loosening.bounds_changed, loosening.total_change) == best
        loosened = replace(instance, quotas=loosening.quotas)
        assert loosened.violations(loosening.example_panel) == []
        assert feasible_panels(loosened)
        for change, old in zip(loosening.changes, instance.quotas, strict=False):
            assert change.new_min <= change.old_min and change.new_max >= change.old_max
            del old
    assert checked >= 5


def two_feature_conflict() -> Instance:
    # 6 respondents; young women are rare, and the quotas want 2 young and 2 women of 3.
    rows = [
        {"gender": "woman", "age": "old"},
        {"gender": "woman", "age": "old"},
        {"gender": "man", "age": "young"},
        {"gender": "man", "age": "young"},
        {"gender": "man", "age": "old"},
        {"gender": "man", "age": "old"},
    ]
    quotas = [
        ("gender", "woman", 2, 3),
        ("gender", "man", 0, 3),
        ("age", "young", 2, 3),
        ("age", "old", 0, 3),
    ]
    return make_instance(rows, quotas, 3)


def test_explanation_names_conflicting_quotas_and_counts():
    instance = two_feature_conflict()
    assert conflicting_quotas(instance) == (0, 2)
    problem = explain_infeasible(instance)
    text = problem.explanation
    assert "gender = woman: 2 to 3; 2 respondent(s) have this value" in text
    assert "age = young: 2 to 3; 2 respondent(s) have this value" in text
    assert "gender = woman and age = young: 0" in text
    assert isinstance(problem.relaxation, Loosening)
    assert problem.relaxation.bounds_changed == 1
    assert "lower the minimum from 2 to 1" in text


def test_conflict_set_is_minimal_by_enumeration():
    rng = np.random.default_rng(5)
    seen = 0
    for _ in range(30):
        instance = random_instance(rng, 8, 4)
        conflict = conflicting_quotas(instance)
        if not conflict:
            continue
        seen += 1
        kept = replace(instance, quotas=tuple(instance.quotas[q] for q in conflict))
        assert not feasible_panels(kept)
        for q in conflict:
            fewer = replace(instance, quotas=tuple(instance.quotas[i] for i in conflict if i != q))
            assert feasible_panels(fewer)
    assert seen


def test_simple_reasons_are_stated():
    rows = [{"gender": "woman"}] * 2 + [{"gender": "man"}] * 5
    instance = make_instance(rows, [("gender", "woman", 3, 4), ("gender", "man", 0, 1)], 4)
    text = explain_infeasible(instance).explanation
    assert "gender = woman: at least 3 needed, but only 2 respondent(s) have this value" in text
    assert "gender: at most 3 panel members can be placed" in text


def test_household_rule_alone_cannot_be_loosened():
    rows = [{"gender": "woman"}] * 4
    instance = make_instance(rows, [("gender", "woman", 0, 4)], 3, households=["a", "a", "b", "b"])
    problem = explain_infeasible(instance)
    assert "household" in problem.explanation and problem.relaxation is None
    with pytest.raises(Infeasible):
        find_loosening(instance)


def test_feasible_instance_needs_no_loosening():
    instance = two_feature_conflict()
    easy = replace(instance, quotas=tuple(replace(q, min=0) for q in instance.quotas))
    assert find_loosening(easy) is None
    panel = find_panel(easy)
    assert panel is not None and easy.violations(panel) == []
    assert explain_infeasible(easy).relaxation is None


def test_large_pool_is_fast():
    """The profile grouping keeps a 2,000-person pool to a handful of variables."""
    rng = np.random.default_rng(0)
    rows = [
        {"g": str(rng.choice(["a", "b"])), "r": str(rng.choice(["x", "y", "z"]))}
        for _ in range(2000)
    ]
    quotas = [
        ("g", "a", 90, 100),
        ("g", "b", 90, 100),
        ("r", "x", 0, 10),
        ("r", "y", 0, 10),
        ("r", "z", 0, 10),
    ]
    instance = make_instance(rows, quotas, 200)
    loosening = find_loosening(instance)
    assert loosening is not None
    # one max raised from 10 to 180 beats three smaller changes
    assert loosening.bounds_changed == 1 and loosening.total_change == 170
