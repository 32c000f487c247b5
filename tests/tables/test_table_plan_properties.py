"""Invariants every plan keeps, for rooms hypothesis makes up: sizes balanced, everyone seated
once per round, pins held, the reported score equal to a fresh scoring."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly.tables.search import (
    Pins,
    PlanError,
    check_seating,
    plan_tables,
    score_seating,
)


@st.composite
def rooms(draw):
    n = draw(st.integers(2, 24))
    tables = draw(st.integers(1, min(6, n)))
    rounds = draw(st.integers(1, 4))
    levels = draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))
    codes = np.array(
        [[draw(st.integers(0, k - 1)) for k in levels] for _ in range(n)], dtype=np.int64
    ).reshape(n, len(levels))
    people = st.integers(0, n - 1)
    together = draw(st.lists(st.tuples(people, people), max_size=2))
    apart = draw(st.lists(st.tuples(people, people), max_size=3))
    pins = Pins(
        together=tuple(tuple(sorted({a, b})) for a, b in together if a != b),
        apart=tuple((a, b) for a, b in apart if a != b),
    )
    seed = draw(st.integers(0, 2**32 - 1))
    return codes, tables, rounds, pins, seed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rooms())
def test_plans_keep_the_rules(room) -> None:
    codes, tables, rounds, pins, seed = room
    try:
        plan = plan_tables(
            codes, tables, rounds, np.random.default_rng(seed), pins=pins, iterations=300
        )
    except PlanError as error:
        # Refusals must come with a reason; the only ones possible here are pin conflicts.
        assert "pin" in str(error)
        return
    assert plan.seating.shape == (rounds, codes.shape[0])
    assert check_seating(plan.seating, tables, pins) == []
    assert score_seating(codes, plan.seating, tables, pins=pins) == plan.score
