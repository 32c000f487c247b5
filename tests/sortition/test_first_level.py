"""The first level first: LEXIMIN reports its proven smallest chance before the other levels,
and MAXIMIN stops once that level is proven."""

from __future__ import annotations

import numpy as np
import pytest

import sortition.leximin as leximin_module
from assembly.organiser.screens.draw import first_level_text
from sortition import FirstLevelProven, ProgressEvent, select
from sortition.synthetic import realistic_instance
from tests.sortition.conftest import make_instance
from tests.sortition.test_leximin import CASES


@pytest.fixture(scope="module")
def pool():
    return realistic_instance(np.random.default_rng(7), people=300, panel_size=20, features=5)


def _run(instance, algorithm="leximin"):
    events: list[ProgressEvent] = []
    return select(instance, algorithm, progress=events.append), events


def test_leximin_reports_the_first_level_once_and_before_the_end(pool) -> None:
    lottery, events = _run(pool)
    proven = [i for i, e in enumerate(events) if isinstance(e, FirstLevelProven)]
    assert len(proven) == 1
    event = events[proven[0]]
    final = lottery.stats.min_probability
    # what it says is proven: a lottery gives at least `minimum`, none can give more than
    # `ceiling`, and the two are within what a screen shows
    assert event.minimum <= event.ceiling + 1e-9
    assert event.ceiling - event.minimum <= leximin_module.FIRST_LEVEL_SHOWN + 1e-9
    assert final == pytest.approx(event.ceiling, abs=1e-6)
    assert event.minimum <= final + 1e-9
    assert proven[0] < len(events) - 1  # sent while the search was still running


def test_without_a_listener_the_lottery_is_the_same(pool) -> None:
    quiet = select(pool, "leximin")
    watched, _ = _run(pool)
    assert np.allclose(quiet.probabilities, watched.probabilities, atol=1e-12)


def test_the_level_by_level_path_reports_the_first_level_too(monkeypatch) -> None:
    rows, quotas, k, households = CASES["three features, twelve people"]
    instance = make_instance(rows, quotas, k, households)
    monkeypatch.setattr(leximin_module, "reach", lambda *args, **kwargs: None)
    lottery, events = _run(instance)
    proven = [e for e in events if isinstance(e, FirstLevelProven)]
    assert len(proven) == 1
    assert proven[0].minimum == pytest.approx(lottery.stats.min_probability, abs=1e-6)


@pytest.mark.parametrize("name", list(CASES))
def test_maximin_stops_after_the_first_level(name: str) -> None:
    rows, quotas, k, households = CASES[name]
    instance = make_instance(rows, quotas, k, households)
    lex = select(instance, "leximin")
    lottery, events = _run(instance, "maximin")
    assert lottery.stats.levels == 1
    assert lottery.stats.min_probability == pytest.approx(lex.stats.min_probability, abs=1e-6)
    assert lottery.stats.upper_bound == pytest.approx(lex.stats.min_probability, abs=1e-6)
    assert sum(isinstance(e, FirstLevelProven) for e in events) == 1
    for panel in lottery.panels:
        assert instance.violations(panel) == []


def test_maximin_on_a_realistic_pool_proves_only_the_first_level(pool) -> None:
    lex = select(pool, "leximin")
    lottery = select(pool, "maximin")
    assert lottery.stats.levels == 1
    assert not lottery.stats.stopped_early
    assert lottery.stats.min_probability >= lex.stats.min_probability - 1e-6
    assert lottery.stats.columns <= lex.stats.columns


@pytest.mark.parametrize(
    ("minimum", "shown"),
    [(0.021899, "2.18%"), (0.0218, "2.18%"), (0.019447, "1.94%"), (0.1, "10.00%")],
)
def test_the_first_level_in_words_never_says_more_than_is_proven(minimum, shown) -> None:
    assert first_level_text(minimum) == (
        f"Proven so far: nobody's chance is below {shown}; making the rest as fair as possible…"
    )
