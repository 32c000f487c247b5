"""LEXIMIN through the relaxation: its ceiling is never beaten, reaching it gives the exact
LEXIMIN, and when it is out of reach the level-by-level search still finds the right answer."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sortition.leximin as leximin_module
from sortition.fractional import fractional_leximin
from sortition.leximin import leximin
from sortition.reach import face_model, reach
from sortition.sampler import PanelSampler
from sortition.select import select
from sortition.synthetic import realistic_instance
from sortition.types import group_types
from tests.sortition.conftest import make_instance
from tests.sortition.test_leximin import CASES, reference_leximin


@pytest.mark.parametrize("name", list(CASES))
def test_relaxation_is_a_ceiling_for_every_level(name: str) -> None:
    rows, quotas, k, households = CASES[name]
    instance = make_instance(rows, quotas, k, households)
    model = group_types(instance)
    relaxed = np.sort(model.person_probabilities(fractional_leximin(model).probabilities))
    exact = np.sort(reference_leximin(instance))
    # Leximin order: the relaxed vector is at least as good at the first place they differ.
    differ = np.flatnonzero(np.abs(relaxed - exact) > 1e-7)
    assert len(differ) == 0 or relaxed[differ[0]] > exact[differ[0]]


def _realistic(seed: int, people: int = 90, panel_size: int = 9):
    return realistic_instance(
        np.random.default_rng(seed), people=people, panel_size=panel_size, features=6
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_realistic_pools_reach_the_relaxation_and_prove_it(seed: int) -> None:
    instance = _realistic(seed)
    model = group_types(instance)
    ceiling = fractional_leximin(model)
    dist = select(instance)
    assert dist.stats.relaxation_reached
    assert not dist.stats.stopped_early
    assert 0 <= dist.stats.gap <= 1e-6
    assert dist.stats.upper_bound == pytest.approx(ceiling.minimum)
    expected = model.person_probabilities(ceiling.probabilities)
    np.testing.assert_allclose(dist.probabilities, expected, atol=1e-6)
    assert all(instance.violations(panel) == [] for panel in dist.support)


def test_the_gap_is_a_setting() -> None:
    instance = _realistic(4)
    loose = select(instance, gap=1e-3)
    assert loose.stats.gap <= 1e-3
    with pytest.raises(ValueError, match="gap"):
        select(instance, gap=0.0)


def test_sampled_panels_meet_every_rule() -> None:
    instance = _realistic(5, people=120, panel_size=12)
    model = group_types(instance)
    assert model.households, "the realistic pool has shared households"
    ceiling = fractional_leximin(model)
    face = face_model(model, ceiling.seats)
    start = leximin_module.PanelPricer(face).best(np.ones(model.count))[0]
    sampler = PanelSampler(face, np.random.default_rng(0))
    panels, last, _ = sampler.walk(start, np.ones(model.count), 600, 3, target=ceiling.seats)
    assert len(panels) == 200
    assert len({p.tobytes() for p in panels}) > 50, "the walk moves"
    for panel in [*panels, last]:
        assert face.is_panel(panel) and model.is_panel(panel)


def test_the_same_input_gives_the_same_lottery() -> None:
    instance = _realistic(6)
    first, again = select(instance), select(instance)
    assert first.support == again.support
    np.testing.assert_array_equal(first.support_weights, again.support_weights)


@pytest.mark.parametrize("outcome", ["no panel on the face", "proven out of reach"])
def test_falls_back_to_level_by_level_when_the_relaxation_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch, outcome: str
) -> None:
    rows, quotas, k, households = CASES["three features, twelve people"]
    instance = make_instance(rows, quotas, k, households)
    expected = reference_leximin(instance)

    def unreachable(model, target, **kwargs):
        if outcome == "no panel on the face":
            return None
        found = reach(model, target, **{**kwargs, "max_rounds": 1})
        # One panel alone, and a MILP ceiling below the target: the search must go on.
        return dataclasses.replace(
            found, columns=found.columns[:1], weights=np.ones(1), ratio=0.0, ceiling=0.5
        )

    monkeypatch.setattr(leximin_module, "reach", unreachable)
    dist = leximin(instance)
    assert not dist.stats.relaxation_reached
    assert not dist.stats.stopped_early
    np.testing.assert_allclose(dist.probabilities, expected, atol=1e-6)
    assert all(instance.violations(panel) == [] for panel in dist.support)


def test_walks_at_once_are_the_walks_one_after_the_other() -> None:
    """Large pools herd in two walks at once, one per core: each takes its seed in turn before
    either starts, so the panels are those of the same walks run one after the other, whatever
    the threads' scheduling or the machine's cores."""
    instance = _realistic(5, people=120, panel_size=12)
    model = group_types(instance)
    ceiling = fractional_leximin(model)
    face = face_model(model, ceiling.seats)
    start = leximin_module.PanelPricer(face).best(np.ones(model.count))[0]
    weights = np.ones(model.count)
    alone = PanelSampler(face, np.random.default_rng(3))
    one = alone.walk(start, weights, 300, 3, target=ceiling.seats)
    two = alone.walk(start, weights * 2, 300, 3, target=ceiling.seats)
    together = PanelSampler(face, np.random.default_rng(3)).walks(
        [start, start], [weights, weights * 2], 300, 3, target=ceiling.seats
    )
    assert [p.tobytes() for p in together[0]] == [p.tobytes() for p in one[0] + two[0]]
    np.testing.assert_array_equal(together[1][0], one[1])
    np.testing.assert_array_equal(together[1][1], two[1])
    np.testing.assert_array_equal(together[2][1], two[2])


def test_a_large_pools_path_reaches_and_proves_the_same_lottery_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From `DUAL_ROWS` active types: two walks at once, no master while herding, the master
    as its dual. Brought down to a small pool here, it still proves the relaxation's LEXIMIN,
    and gives the same lottery every time."""
    import sortition.reach as reach_module

    monkeypatch.setattr(reach_module, "DUAL_ROWS", 10)
    monkeypatch.setattr(reach_module, "DUAL_PANELS", 1.0)
    instance = _realistic(2)
    model = group_types(instance)
    ceiling = fractional_leximin(model)
    first, again = select(instance), select(instance)
    assert first.stats.relaxation_reached and 0 <= first.stats.gap <= 1e-6
    expected = model.person_probabilities(ceiling.probabilities)
    np.testing.assert_allclose(first.probabilities, expected, atol=1e-6)
    assert first.support == again.support
    np.testing.assert_array_equal(first.support_weights, again.support_weights)
    assert all(instance.violations(panel) == [] for panel in first.support)
