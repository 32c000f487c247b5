"""A budget stops LEXIMIN early with a valid lottery: every panel within the quotas, chances
summing to k, the same answer for the same round budget, and an honest ceiling."""

from __future__ import annotations

import numpy as np

from sortition.select import select
from sortition.synthetic import synthetic_instance


def _instance():
    return synthetic_instance(
        np.random.default_rng(7), people=120, panel_size=12, features=3, values=(2, 3)
    )


def test_round_budget_gives_a_valid_reproducible_lottery() -> None:
    instance = _instance()
    first = select(instance, max_rounds=1)
    again = select(instance, max_rounds=1)
    assert first.stats.stopped_early
    assert first.support == again.support
    np.testing.assert_allclose(first.probabilities, again.probabilities)
    np.testing.assert_allclose(first.probabilities.sum(), instance.panel_size, atol=1e-6)
    for panel in first.support:
        assert instance.violations(panel) == []
    assert first.probabilities.min() > 0


def test_more_rounds_never_lower_the_smallest_chance_below_the_ceiling() -> None:
    instance = _instance()
    short = select(instance, max_rounds=2)
    full = select(instance)
    assert not full.stats.stopped_early
    assert short.probabilities.min() <= full.probabilities.min() + 1e-9
    ceiling = full.stats.upper_bound
    assert ceiling is not None and full.probabilities.min() <= ceiling + 1e-7


def test_time_limit_stops_with_a_valid_lottery() -> None:
    instance = _instance()
    quick = select(instance, time_limit=1e-9)
    assert quick.stats.stopped_early
    np.testing.assert_allclose(quick.probabilities.sum(), instance.panel_size, atol=1e-6)
    for panel in quick.support:
        assert instance.violations(panel) == []
