"""The public draw keeps the chances it promises (issue 21 item 2).

The 1,000 numbered panels are the lottery anyone actually runs: every respondent's chance among
them must be within 2/1000 of their LEXIMIN chance, and the least chosen at least the LEXIMIN
minimum less 1/1000. Rounding over panels of people missed both on a realistic pool (largest
change 0.0098, least chosen on 21 of 1,000 against a minimum of 30.8).
"""

from __future__ import annotations

import numpy as np
import pytest

from assembly.demo import draw_cache
from assembly.organiser.draws import draw_instance
from assembly.store import open_assembly
from sortition import Distribution, public_draw
from sortition.compact import TypeLottery, from_panels
from sortition.types import group_types

from .fidelity_lottery import fidelity_instance, stored_lottery


def _every_panel_meets_the_rules(model, panels) -> None:
    type_of = np.empty(model.instance.pool.size, dtype=np.int64)
    for t, people in enumerate(model.members):
        type_of[people] = t
    for panel in set(panels):
        assert len(set(panel)) == len(panel)
        assert model.is_panel(np.bincount(type_of[list(panel)], minlength=model.count))


@pytest.mark.parametrize(("people", "least"), [(400, 0.0308008), (1000, 0.0164835)])
def test_public_draw_on_a_realistic_pool_keeps_the_leximin_chances(
    people: int, least: float
) -> None:
    """Rounds the pool's LEXIMIN, stored (its solve takes 10-36 s; see fidelity_lottery.py)."""
    instance = fidelity_instance(people)
    model = group_types(instance)
    columns, weights = stored_lottery(model, people)
    types = TypeLottery(model.members, np.array(columns, dtype=np.int64), np.asarray(weights))
    leximin = Distribution.compact(types, "leximin")
    assert leximin.probabilities.min() == pytest.approx(least, abs=1e-6)
    drawn = public_draw(instance, "leximin", distribution=leximin)
    fair = drawn.distribution.probabilities
    chances = drawn.lottery.probabilities
    assert np.max(np.abs(chances - fair)) <= 0.002
    assert chances.min() >= fair.min() - 0.001
    lottery = drawn.bundle["lottery"]
    assert lottery["largest_change"] <= 0.002
    _every_panel_meets_the_rules(model, drawn.lottery.panels)


def test_the_examples_draw_gives_what_its_screen_promises(demo_path) -> None:
    """The draw screen says the least chosen gets 2.18%; among the 1,000 numbered panels they
    were on 20 (2.0%), and the largest change was 2.64/1000, before single seats could move."""
    assembly = open_assembly(demo_path, read_only=True)
    instance = draw_instance(assembly.db(), 1)
    assembly.close()
    stored = draw_cache.load(instance, draw_cache.ALGORITHM, draw_cache.GAP)
    assert stored is not None
    drawn = public_draw(instance, "leximin", distribution=stored)
    fair = drawn.distribution.probabilities
    chances = drawn.lottery.probabilities
    assert fair.min() == pytest.approx(0.021834, abs=1e-6)
    assert np.max(np.abs(chances - fair)) <= 0.002
    assert chances.min() >= fair.min() - 0.001  # on at least 21 of the 1,000
    _every_panel_meets_the_rules(group_types(instance), drawn.lottery.panels)


def test_numbered_panels_share_a_types_seats_to_within_one() -> None:
    members = (np.array([0, 1, 2]), np.array([3]), np.array([4, 5]))
    columns = np.array([[2, 1, 0], [1, 0, 2], [0, 1, 2]])
    lottery = TypeLottery(members, columns, np.array([0.5, 0.3, 0.2]))
    panels = lottery.numbered_panels([4, 3, 2])
    assert len(panels) == 9
    assert all(len(set(p)) == len(p) == 3 for p in panels)
    on = np.bincount(np.concatenate(panels), minlength=6)
    seats = columns.T @ np.array([4, 3, 2])
    for t, people in enumerate(members):
        share = seats[t] / len(people)
        assert set(on[people]) <= {int(np.floor(share)), int(np.ceil(share))}
    assert np.allclose(lottery.probabilities()[[0, 3, 4]], [1.3 / 3, 0.7, 1.0 / 2])


def test_a_lottery_that_treats_a_type_unevenly_has_no_type_lottery() -> None:
    members = (np.array([0, 1]), np.array([2]))
    panels = [(0, 2), (1, 2)]
    even = from_panels(members, panels, np.array([0.5, 0.5]), np.array([0.5, 0.5, 1.0]))
    assert even is not None and even.columns.tolist() == [[1, 1]]
    assert from_panels(members, panels, np.array([0.7, 0.3]), np.array([0.7, 0.3, 1.0])) is None
