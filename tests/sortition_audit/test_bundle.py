"""The audit bundle verifies when untouched and names each kind of tampering."""

from __future__ import annotations

import copy
import functools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.bundle import (
    add_draw,
    build_bundle,
    commitment_of,
    instance_from_bundle,
    load_bundle,
    write_bundle,
)
from sortition.bundle import verify_bundle as verify_words
from sortition.lottery import choose_panel_index, round_to_lottery
from sortition.model import BadInput
from sortition.words import Words

from .helpers import distribution_over, feasible_panels, make_instance

SEED = "04 17 23 31 42 45"


def verify_bundle(*args, **kwargs) -> list[str]:
    """The problems in English, as the library's command line prints them."""
    problems = verify_words(*args, **kwargs)
    assert all(isinstance(p, Words) for p in problems)  # for an app to show in its language
    return [str(p) for p in problems]


@functools.cache
def instance_and_lottery(size=50):
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
        ]
    ]
    quotas = [
        ("gender", "f", 1, 2),
        ("gender", "m", 1, 2),
        ("age", "young", 1, 2),
        ("age", "old", 1, 2),
    ]
    households = ["x", None, "x", None, None, "y", "y", None]
    instance = make_instance(rows, quotas, 3, households, ids=[f"R{i:03}" for i in range(8)])
    panels = feasible_panels(instance)
    weights = np.random.default_rng(0).random(len(panels))
    lottery = round_to_lottery(distribution_over(panels, weights, instance.pool.size), size)
    return instance, lottery


@pytest.fixture
def bundle():
    instance, lottery = instance_and_lottery()
    return build_bundle(instance, lottery, seed_text=SEED, algorithm="leximin")


def recommit(b):
    b["commitment"] = commitment_of(b)
    return b


def test_untouched_bundle_verifies_and_round_trips(bundle, tmp_path):
    assert verify_bundle(bundle) == []
    path = tmp_path / "b.json"
    write_bundle(path, bundle)
    assert load_bundle(path) == bundle
    assert verify_bundle(path) == []
    assert verify_bundle(bundle, commitment=bundle["commitment"]) == []
    # one panel per line in the file
    lines = path.read_text().splitlines()
    assert sum(1 for line in lines if line.strip().startswith('["R')) >= 50


def test_bundle_contents(bundle):
    assert bundle["draw"]["index"] == choose_panel_index(SEED, 50)
    assert bundle["draw"]["panel"] == bundle["lottery"]["panels"][bundle["draw"]["index"]]
    assert bundle["algorithm"] == "leximin" and bundle["library"]["version"]
    assert len(bundle["lottery"]["panels"]) == bundle["lottery"]["size"] == 50
    people = bundle["pool"]["people"]
    assert set(people[0]) == {"id", "features", "household"}
    # household keys are replaced by group labels; the sharing is kept
    assert [p["household"] for p in people] == ["h1", None, "h1", None, None, "h2", "h2", None]
    instance = instance_from_bundle(bundle)
    assert instance.pool.ids[0] == "R000" and instance.panel_size == 3


def test_changed_seed_is_caught(bundle):
    other = next(
        s
        for s in (f"{SEED} {i}" for i in range(100))
        if choose_panel_index(s, 50) != bundle["draw"]["index"]
    )
    bundle["draw"]["seed"] = other
    problems = verify_bundle(bundle)
    assert any("seed_sha256" in p for p in problems)
    assert any(f"selects panel {choose_panel_index(other, 50)}" in p for p in problems)


def test_changed_chosen_panel_is_caught(bundle):
    index = bundle["draw"]["index"]
    other = next(p for p in bundle["lottery"]["panels"] if p != bundle["lottery"]["panels"][index])
    bundle["draw"]["panel"] = other
    assert any("chosen panel is not panel" in p for p in verify_bundle(bundle))


def test_edited_lottery_panel_is_caught_even_with_recomputed_commitment(bundle):
    original = bundle["commitment"]
    panels = bundle["lottery"]["panels"]
    j = 1 if bundle["draw"]["index"] != 1 else 2
    outsider = next(p["id"] for p in bundle["pool"]["people"] if p["id"] not in panels[j])
    panels[j] = [*panels[j][:-1], outsider]
    problems = verify_bundle(bundle)
    assert any(p.startswith("commitment mismatch") for p in problems)
    assert any(p.startswith("probabilities:") for p in problems)
    recommit(bundle)
    problems = verify_bundle(bundle, commitment=original)
    assert any("announced" in p for p in problems)
    assert any(p.startswith("probabilities:") for p in problems)


def test_panel_breaking_quotas_is_named():
    instance, lottery = instance_and_lottery()
    b = build_bundle(instance, lottery)
    b["lottery"]["panels"][0] = ["R000", "R004", "R001"]  # three women, one household each
    problems = verify_bundle(recommit(b))
    assert "panel 0: gender = f: 3 selected, quota is 1 to 2" in problems
    b["lottery"]["panels"][0] = ["R000", "R002", "R001"]
    assert "panel 0: R000 and R002 share a household" in verify_bundle(recommit(b))
    b["lottery"]["panels"][0] = ["R000", "NOBODY", "R001"]
    assert "panel 0: 'NOBODY' is not in the pool" in verify_bundle(recommit(b))


def test_changed_pool_row_is_caught(bundle):
    original = bundle["commitment"]
    row = bundle["pool"]["people"][3]
    row["features"]["age"] = "young" if row["features"]["age"] == "old" else "old"
    assert any(p.startswith("commitment mismatch") for p in verify_bundle(bundle))
    assert any("announced" in p for p in verify_bundle(recommit(bundle), commitment=original))


def test_changed_quota_is_caught(bundle):
    original = bundle["commitment"]
    bundle["quotas"][0]["max"] = 1
    assert any(p.startswith("commitment mismatch") for p in verify_bundle(bundle))
    problems = verify_bundle(recommit(bundle), commitment=original)
    assert any("announced" in p for p in problems)
    assert any("gender = f: 2 selected, quota is 1 to 1" in p for p in problems)


def test_changed_probabilities_and_loss_are_caught(bundle):
    people = bundle["lottery"]["probabilities"]
    first = next(iter(people))
    people[first] += 0.01
    assert any(p.startswith("probabilities:") for p in verify_bundle(recommit(bundle)))
    people[first] -= 0.01
    bundle["lottery"]["largest_change"] = 0.0
    assert any(p.startswith("largest change") for p in verify_bundle(recommit(bundle)))


def test_undrawn_bundle_verifies_and_can_be_drawn_once():
    instance, lottery = instance_and_lottery()
    b = build_bundle(instance, lottery)
    assert b["draw"] is None and verify_bundle(b) == []
    drawn = add_draw(b, SEED)
    assert drawn["commitment"] == b["commitment"]
    assert verify_bundle(drawn) == []
    with pytest.raises(BadInput, match="drawn already"):
        add_draw(drawn, "another")


def test_unreadable_bundles_are_reported(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    assert "not a JSON file" in verify_bundle(path)[0]
    path.write_text(json.dumps({"format": "other"}))
    assert verify_bundle(path)
    instance, lottery = instance_and_lottery()
    b = build_bundle(instance, lottery)
    broken = copy.deepcopy(b)
    del broken["pool"]
    assert "cannot be read" in verify_bundle(broken)[0]


def leaves(value, path=()):
    """Every (path, leaf) in a JSON value; lists of panels are sampled to keep it small."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index in sorted({0, len(value) // 2, len(value) - 1}):
            yield from leaves(value[index], (*path, index))
    else:
        yield path, value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_single_change_is_reported_and_never_crashes(data):
    instance, lottery = instance_and_lottery()
    b = build_bundle(instance, lottery, seed_text=SEED)
    paths = [p for p, _ in leaves(b)]
    path = data.draw(st.sampled_from(paths))
    junk = data.draw(
        st.one_of(
            st.none(),
            st.integers(-3, 60),
            st.floats(allow_nan=False),
            st.text(max_size=5),
            st.just([]),
            st.just({}),
            st.booleans(),
        )
    )
    target = b
    for key in path[:-1]:
        target = target[key]
    if type(target[path[-1]]) is type(junk) and target[path[-1]] == junk:
        return
    target[path[-1]] = junk
    problems = verify_bundle(b)
    assert isinstance(problems, list) and problems, (path, junk)
