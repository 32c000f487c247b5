"""A budgeted draw: LEXIMIN stops early on purpose and the draw records it in plain terms."""

from __future__ import annotations

import numpy as np
import pytest

from assembly.organiser.draws import (
    compute_draw,
    draw_proof_message,
    draw_stopped_message,
    draw_summary,
    proof_message,
    record_draw,
    stopped_early_message,
)
from assembly.organiser.errors import OrganiserError
from sortition.fractional import fractional_leximin
from sortition.synthetic import synthetic_instance
from sortition.types import group_types


def _instance():
    return synthetic_instance(
        np.random.default_rng(7), people=120, panel_size=12, features=3, values=(2, 3)
    )


def test_budgeted_draw_records_stopped_early_and_ceiling(assembly, clock) -> None:
    # One round of panel sampling does not reach the relaxation's chances on this pool.
    computed = compute_draw(
        _instance(), "leximin", lottery_size=50, rounding_seconds=0.0, max_rounds=1
    )
    assert computed.stopped_early
    assert computed.upper_bound is not None
    assert computed.upper_bound >= computed.min_probability - 1e-9
    db = assembly.db()
    draw_id = record_draw(db, computed, clock)
    row = next(db.query("select stopped_early, upper_bound from draws where id = ?", [draw_id]))
    assert row["stopped_early"] == 1
    assert row["upper_bound"] == pytest.approx(computed.upper_bound)
    summary = draw_summary(db, draw_id)
    assert summary.stopped_early and summary.upper_bound == pytest.approx(computed.upper_bound)


def test_a_stopped_draw_is_never_looser_than_the_relaxation(assembly, clock) -> None:
    # The relaxation's ceiling is known before any panel is sought, so even the shortest
    # budget reports it (it used to report none, or a ceiling 2.7x too loose).
    instance = _instance()
    computed = compute_draw(
        instance, "leximin", lottery_size=50, rounding_seconds=0.0, max_rounds=1
    )
    model = group_types(instance)
    relaxed = fractional_leximin(model).minimum
    assert computed.stopped_early
    assert computed.upper_bound is not None and computed.upper_bound <= relaxed + 1e-12
    db = assembly.db()
    summary = draw_summary(db, record_draw(db, computed, clock))
    assert summary.stopped_early and summary.upper_bound == pytest.approx(computed.upper_bound)
    assert draw_proof_message(summary) is None


def test_a_finished_draw_says_it_is_proven_with_its_gap(assembly, clock) -> None:
    computed = compute_draw(_instance(), "leximin", lottery_size=50, rounding_seconds=0.0)
    assert not computed.stopped_early
    db = assembly.db()
    summary = draw_summary(db, record_draw(db, computed, clock))
    assert summary.upper_bound == pytest.approx(summary.min_probability, abs=1e-6)
    text = draw_proof_message(summary)
    assert text is not None
    assert text.startswith("Proven the fairest: no lottery can give the least-chosen")
    assert "proof gap less than 0.0001 percentage points" in text
    assert proof_message(0.02, 0.021) == (
        "Proven the fairest: no lottery can give the least-chosen respondent more than 2.10%; "
        "this one gives 2.00% (proof gap 0.1000 percentage points)."
    )


def test_unbudgeted_draw_is_not_marked(assembly, clock) -> None:
    computed = compute_draw(
        _instance(), "legacy", lottery_size=50, rounding_seconds=0.0, rng=np.random.default_rng(1)
    )
    assert not computed.stopped_early and computed.upper_bound is None
    db = assembly.db()
    summary = draw_summary(db, record_draw(db, computed, clock))
    assert not summary.stopped_early and summary.upper_bound is None


def test_time_limit_must_be_positive() -> None:
    with pytest.raises(OrganiserError, match="time limit"):
        compute_draw(_instance(), "leximin", time_limit=-1.0)


def test_message_says_limit_chance_and_ceiling() -> None:
    text = stopped_early_message("leximin", 0.0191, 0.058, time_limit=600)
    assert text == (
        "LEXIMIN stopped at the 10-minute limit: the smallest chance is 1.9% "
        "(no lottery can give more than 5.8%)."
    )
    assert stopped_early_message("maximin", 0.02, None) == (
        "MAXIMIN stopped before proving its lottery the fairest: the smallest chance is 2.0%."
    )


def test_stored_draw_remembers_its_time_limit(assembly, clock) -> None:
    # A generous limit with a round cap: stops at the cap, and the message names the limit asked.
    computed = compute_draw(
        _instance(),
        "leximin",
        lottery_size=50,
        rounding_seconds=0.0,
        max_rounds=1,
        time_limit=600.0,
    )
    db = assembly.db()
    summary = draw_summary(db, record_draw(db, computed, clock))
    assert summary.time_limit == 600.0
    assert draw_stopped_message(summary) == draw_stopped_message(computed)
    assert draw_stopped_message(summary).startswith("LEXIMIN stopped at the 10-minute limit: ")
