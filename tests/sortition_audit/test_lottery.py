"""Rounding a distribution to M equally likely panels, and the public seed rule."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.lottery import choose_panel_index, panel_probabilities, round_to_lottery, seed_digest
from sortition.model import BadInput

from .helpers import distribution_over, feasible_panels, make_instance, random_instance


def small_instance():
    rows = [
        {"gender": g, "age": a}
        for g, a in [
            ("f", "young"),
            ("f", "old"),
            ("m", "young"),
            ("m", "old"),
            ("f", "young"),
            ("m", "old"),
            ("f", "old"),
            ("m", "young"),
            ("f", "young"),
        ]
    ]
    quotas = [
        ("gender", "f", 1, 2),
        ("gender", "m", 1, 2),
        ("age", "young", 1, 2),
        ("age", "old", 1, 2),
    ]
    return make_instance(rows, quotas, 3)


def test_seed_rule_is_sha256_big_endian_mod_size():
    text = "07 13 22 38 41 49"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    assert seed_digest(text) == digest.hex()
    assert choose_panel_index(text, 1000) == int.from_bytes(digest, "big") % 1000
    # Documented example in docs/audit.md: recomputable with sha256sum.
    assert seed_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert choose_panel_index("abc", 1000) == int(seed_digest("abc"), 16) % 1000


def test_seed_is_exact_text_and_unicode_is_utf8():
    assert choose_panel_index("12 34", 10**9) != choose_panel_index("12 34 ", 10**9)
    assert seed_digest("Zürich") == hashlib.sha256("Zürich".encode()).hexdigest()


@pytest.mark.parametrize(("seed", "size"), [("", 10), ("x", 0)])
def test_seed_rule_rejects_empty_seed_and_size(seed, size):
    with pytest.raises(BadInput):
        choose_panel_index(seed, size)


def test_lottery_only_reuses_feasible_panels_and_reports_real_loss():
    instance = small_instance()
    panels = feasible_panels(instance)
    rng = np.random.default_rng(3)
    dist = distribution_over(panels, rng.random(len(panels)), instance.pool.size)
    lottery = round_to_lottery(dist, 1000)
    assert lottery.size == 1000
    assert set(lottery.panels) <= set(panels)
    for panel in set(lottery.panels):
        assert instance.violations(panel) == []
    real = panel_probabilities(lottery.panels, instance.pool.size)
    np.testing.assert_allclose(lottery.probabilities, real)
    assert lottery.largest_change == pytest.approx(np.max(np.abs(real - dist.probabilities)))
    # Copies are floor or ceil of M * w for each panel.
    copies = lottery.copies()
    for panel, w in zip(dist.panels, dist.weights, strict=True):
        assert np.floor(1000 * w) <= copies.get(panel, 0) <= np.ceil(1000 * w)


def test_rounding_is_optimal_among_floor_ceil_choices():
    """Exhaustive check on a small case: no other choice of extra copies does better."""
    instance = small_instance()
    panels = feasible_panels(instance)[:9]
    rng = np.random.default_rng(7)
    dist = distribution_over(panels, rng.random(len(panels)), instance.pool.size)
    size = 20
    lottery = round_to_lottery(dist, size)
    base = np.floor(dist.weights * size + 1e-9).astype(int)
    remainder = size - base.sum()
    fractional = [j for j in range(len(panels)) if dist.weights[j] * size - base[j] > 1e-9]
    best = np.inf
    for extra in itertools.combinations(fractional, remainder):
        counts = base.copy()
        counts[list(extra)] += 1
        chosen = tuple(p for p, c in zip(panels, counts, strict=True) for _ in range(c))
        change = np.max(
            np.abs(panel_probabilities(chosen, instance.pool.size) - dist.probabilities)
        )
        best = min(best, change)
    assert lottery.optimal
    assert lottery.largest_change == pytest.approx(best)


def test_exact_multiples_are_kept_exactly():
    instance = small_instance()
    panels = feasible_panels(instance)[:4]
    dist = distribution_over(panels, [0.5, 0.25, 0.125, 0.125], instance.pool.size)
    lottery = round_to_lottery(dist, 1000)
    assert lottery.largest_change == pytest.approx(0.0, abs=1e-12)
    assert lottery.copies() == {panels[0]: 500, panels[1]: 250, panels[2]: 125, panels[3]: 125}


def test_panels_are_listed_in_sorted_order_and_rounding_is_repeatable():
    instance = small_instance()
    panels = feasible_panels(instance)
    rng = np.random.default_rng(11)
    w = rng.random(len(panels))
    a = round_to_lottery(distribution_over(panels, w, instance.pool.size), 100)
    assert list(a.panels) == sorted(a.panels)
    assert (
        a.panels == round_to_lottery(distribution_over(panels, w, instance.pool.size), 100).panels
    )
    order = rng.permutation(len(panels))
    b = round_to_lottery(
        distribution_over([panels[i] for i in order], w[order], instance.pool.size), 100
    )
    assert b.largest_change == pytest.approx(a.largest_change)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 300))
def test_any_rounding_is_a_lottery_over_the_distributions_panels(seed, size):
    rng = np.random.default_rng(seed)
    instance = random_instance(rng, 8, 3)
    panels = feasible_panels(instance)
    if not panels:
        return
    dist = distribution_over(panels, rng.random(len(panels)), instance.pool.size)
    lottery = round_to_lottery(dist, size)
    assert lottery.size == size
    assert set(lottery.panels) <= set(panels)
    real = panel_probabilities(lottery.panels, instance.pool.size)
    assert lottery.largest_change == pytest.approx(np.max(np.abs(real - dist.probabilities)))
    # Never worse than giving the leftover copies by largest remainder.
    scaled = dist.weights * size
    base = np.floor(scaled + 1e-9).astype(int)
    order = np.argsort(-(scaled - base), kind="stable")
    base[order[: size - base.sum()]] += 1
    simple = tuple(p for p, c in zip(dist.panels, base, strict=True) for _ in range(c))
    simple_change = np.max(
        np.abs(panel_probabilities(simple, instance.pool.size) - dist.probabilities)
    )
    assert lottery.largest_change <= simple_change + 1e-12


def test_rejects_empty_distribution():
    from sortition.model import Distribution

    with pytest.raises(BadInput):
        round_to_lottery(Distribution((), np.array([]), np.zeros(3), "x"))
    instance = small_instance()
    panels = feasible_panels(instance)[:2]
    with pytest.raises(BadInput):
        round_to_lottery(distribution_over(panels, [1, 1], instance.pool.size), 0)


def test_documented_example_matches_docs():
    """docs/audit.md shows this digest and index; keep them in step with the code."""
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "audit.md").read_text(encoding="utf-8")
    digest = seed_digest("04 17 23 31 42 45")
    index = choose_panel_index("04 17 23 31 42 45", 1000)
    assert f"{digest}  -" in docs
    assert f"selects panel {index}" in docs
    assert f"{digest.upper()} % 3E8" in docs


def test_audit_modules_import_fast_and_without_ui():
    """scipy and textual are imported only when needed, so the app starts fast."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import sortition.lottery, sortition.bundle, sortition.targets, sortition.loosen\n"
        "import sortition.replace, sortition.cli\n"
        "print(sorted(m for m in ('scipy', 'textual', 'highspy') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert out.stdout.strip() == "[]"
