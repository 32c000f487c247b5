"""The compact lottery (issue 21 item 1): type panels with weights, never panels of people.

The solvers return their lottery over type panels; every person's chance is exact from it; panels
of people are made only for the numbered panels of a public draw and for the panel drawn; the
bundle holds the compact form and `verify` re-derives the numbered panels from it bit for bit.
"""

from __future__ import annotations

import copy
import itertools
import json
import math

import numpy as np
import pytest

from sortition import Distribution, TypeLottery, public_draw, select
from sortition import verify_bundle as verify_words
from sortition.bundle import commitment_of, load_bundle, write_bundle
from sortition.cli.results import result_document
from sortition.types import group_types

from .helpers import feasible_panels, make_instance


def verify_bundle(*args, **kwargs) -> list[str]:
    """The problems in English (each is `Words`), as the library's command line prints them."""
    return [str(p) for p in verify_words(*args, **kwargs)]


def _instance():
    rows = [
        {"gender": g, "age": a}
        for g, a in itertools.product(("f", "m"), ("young", "mid", "old"))
        for _ in range(3)
    ]
    quotas = [
        ("gender", "f", 2, 3),
        ("gender", "m", 2, 3),
        ("age", "young", 1, 2),
        ("age", "mid", 1, 2),
        ("age", "old", 1, 3),
    ]
    households = ["h1", "h1", *[None] * 16]
    return make_instance(rows, quotas, 5, households, ids=[f"R{i:02}" for i in range(18)])


def _people_panels(types: TypeLottery) -> dict[tuple[int, ...], float]:
    """Every panel of people the lottery can choose, with its chance: each type panel's
    seats given among a type's members in every way, all equally likely (by enumeration)."""
    out: dict[tuple[int, ...], float] = {}
    for j, weight in enumerate(types.weights):
        choices = [
            list(itertools.combinations(types.members[t].tolist(), int(types.columns[j, t])))
            for t in np.flatnonzero(types.columns[j])
        ]
        ways = list(itertools.product(*choices))
        for way in ways:
            panel = tuple(sorted(i for part in way for i in part))
            out[panel] = out.get(panel, 0.0) + weight / len(ways)
    return out


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "goldilocks"])
def test_the_solvers_keep_their_lottery_compact_and_its_chances_exact(algorithm: str) -> None:
    instance = _instance()
    dist = select(instance, algorithm)
    assert dist.types is not None and dist.panels == ()
    assert dist.stats.panels == len(dist.types.weights) == dist.stats.type_panels
    expanded = _people_panels(dist.types)
    feasible = set(feasible_panels(instance))
    assert set(expanded) <= feasible  # every way of seating a type panel meets every rule
    exact = np.zeros(instance.pool.size)
    for panel, chance in expanded.items():
        exact[list(panel)] += chance
    np.testing.assert_allclose(dist.probabilities, exact, rtol=0, atol=1e-12)
    assert dist.stats.min_probability == pytest.approx(exact.min(), abs=1e-12)


def test_a_compact_draw_gives_a_types_members_equal_chances() -> None:
    members = (np.array([0, 1, 2, 3]), np.array([4]), np.array([5, 6]))
    types = TypeLottery(members, np.array([[2, 1, 0], [1, 0, 2]]), np.array([0.25, 0.75]))
    dist = Distribution.compact(types, "test")
    rng = np.random.default_rng(5)
    draws = [dist.draw(rng) for _ in range(8000)]
    seen = np.bincount(np.concatenate(draws), minlength=7) / len(draws)
    np.testing.assert_allclose(seen, dist.probabilities, atol=0.02)
    assert {len(set(p)) for p in draws} == {3}
    # The same generator draws the same panel, whatever order the type panels came in.
    swapped = TypeLottery(members, types.columns[::-1], types.weights[::-1])
    a = Distribution.compact(types, "test").draw(np.random.default_rng(9))
    b = Distribution.compact(swapped, "test").draw(np.random.default_rng(9))
    assert a == b


def test_the_bundle_holds_the_compact_form_and_verify_rederives_the_numbered_panels(
    tmp_path,
) -> None:
    instance = _instance()
    drawn = public_draw(instance, "leximin", lottery_size=100, seed_text="7 11 19")
    lottery = drawn.bundle["lottery"]
    assert sorted(i for people in lottery["types"] for i in people) == sorted(instance.pool.ids)
    assert sum(entry["copies"] for entry in lottery["type_panels"]) == 100
    assert verify_bundle(drawn.bundle) == []
    path = tmp_path / "bundle.json"
    write_bundle(path, drawn.bundle)
    text = path.read_text(encoding="utf-8")
    lines = set(line.strip().rstrip(",") for line in text.splitlines())
    for key in ("types", "type_panels", "panels"):  # one line each
        assert all(json.dumps(item, ensure_ascii=False) in lines for item in lottery[key])
    assert verify_bundle(load_bundle(path)) == []

    # A type panel's seats changed and the commitment recomputed: the numbered panels no
    # longer follow from the compact form.
    tampered = copy.deepcopy(drawn.bundle)
    seats = tampered["lottery"]["type_panels"][0]["seats"]
    tampered["lottery"]["type_panels"][0]["seats"] = [[t, c] for t, c in seats if c] + [[0, 1]]
    tampered["commitment"] = commitment_of(tampered)
    problems = verify_bundle(tampered)
    assert any(p.startswith("type panels:") or p.startswith("type panel 0:") for p in problems)
    # Two people swapped between types: the cyclic seating gives other panels.
    tampered = copy.deepcopy(drawn.bundle)
    big = [t for t, people in enumerate(tampered["lottery"]["types"]) if len(people) > 1]
    tampered["lottery"]["types"][big[0]].reverse()
    tampered["commitment"] = commitment_of(tampered)
    assert any(p.startswith("type panels:") for p in verify_bundle(tampered))
    # A bundle made before the compact form (no types) verifies on its panels, as before.
    old = copy.deepcopy(drawn.bundle)
    del old["lottery"]["types"], old["lottery"]["type_panels"]
    old["commitment"] = commitment_of(old)
    assert verify_bundle(old) == []


def test_the_result_document_is_compact_and_names_no_panel_of_people() -> None:
    instance = _instance()
    dist = select(instance, "leximin")
    panel = dist.draw(np.random.default_rng(1))
    doc = json.loads(json.dumps(result_document(instance, dist, panel, 1)))
    assert "distribution" not in doc
    types = doc["type_lottery"]["types"]
    model = group_types(instance)
    assert [sorted(people) for people in types] == [
        sorted(instance.pool.ids[i] for i in people) for people in model.members
    ]
    assert len(doc["type_lottery"]["type_panels"]) == len(dist.types.weights)


@pytest.mark.parametrize("seed", range(5))
def test_canonical_merges_and_sorts_panels_as_tuples_would(seed: int) -> None:
    """`canonical` works on arrays (no tuple per panel, for 10,000-respondent lotteries); it
    must give what merging tuples in a dict and sorting them gives, to the last bit."""
    rng = np.random.default_rng(seed)
    members = tuple(np.array([i]) for i in range(4))
    cols = rng.integers(0, 3, size=(60, 4))
    weights = rng.random(60)
    weights[rng.random(60) < 0.2] = 0.0
    merged: dict[tuple[int, ...], float] = {}
    for row, w in zip(cols.tolist(), weights.tolist(), strict=True):
        if w > 0:
            merged[tuple(row)] = merged.get(tuple(row), 0.0) + w
    keys = sorted(merged)
    total = math.fsum(merged[k] for k in keys)
    lottery = TypeLottery(members, cols, weights).canonical()
    assert lottery.columns.tolist() == [list(k) for k in keys]
    assert lottery.weights.tolist() == [merged[k] / total for k in keys]
