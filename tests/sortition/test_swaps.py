"""The one swap check (`sortition.swaps`) against the rules themselves: on small pools with
shared households, every single-seat move it allows leaves a valid panel, and every move it
refuses breaks a rule."""

from __future__ import annotations

import numpy as np
import pytest

from sortition.columns import PanelPricer
from sortition.swaps import SwapRules
from sortition.synthetic import realistic_instance
from sortition.types import group_types


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_swap_is_allowed_exactly_when_the_panel_after_it_meets_every_rule(seed: int) -> None:
    rng = np.random.default_rng(seed)
    instance = realistic_instance(rng, people=60, panel_size=8, shared_households=0.3)
    model = group_types(instance)
    assert model.households, "the pool should have shared households"
    pricer = PanelPricer(model)
    panels = []
    for _ in range(4):
        counts, _, _ = pricer.best(rng.random(model.count))
        assert counts is not None
        panels.append(counts)
    cols = np.array(panels, dtype=np.int64)
    rules = SwapRules.of(model)
    totals = rules.totals(cols)
    every = np.array(
        [
            (j, a, b)
            for j in range(len(cols))
            for a in range(model.count)
            for b in range(model.count)
        ]
    )
    allowed = rules.allowed(cols, totals, every[:, 0], every[:, 1], every[:, 2])
    for (j, a, b), ok in zip(every.tolist(), allowed.tolist(), strict=True):
        after = cols[j].copy()
        after[a] -= 1
        after[b] += 1
        valid = a != b and cols[j, a] > model.lower[a] and model.is_panel(after)
        assert ok == valid, (j, a, b)
    assert allowed.any() and not allowed.all()
