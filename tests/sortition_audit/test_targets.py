"""Quotas from census shares: rounding, tolerance and the targets file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sortition.model import BadInput
from sortition.targets import Target, quotas_from_targets, read_targets, write_quotas


def by_value(quotas):
    return {(q.feature, q.value): (q.min, q.max) for q in quotas}


def test_largest_remainder_and_tolerance():
    quotas = quotas_from_targets({"gender": {"women": 0.51, "men": 0.49}}, 20, 0.1)
    # ideals 10.2 and 9.8 -> counts 10 and 10; min floor(ideal*0.9), max ceil(ideal*1.1)
    assert by_value(quotas) == {("gender", "women"): (9, 12), ("gender", "men"): (8, 11)}


def test_zero_tolerance_gives_floor_and_ceiling_of_the_ideal():
    quotas = quotas_from_targets({"age": {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}}, 10, 0)
    assert [(q.min, q.max) for q in quotas] == [(3, 4)] * 3
    exact = quotas_from_targets({"age": {"a": 0.3, "b": 0.7}}, 10, 0)
    assert [(q.min, q.max) for q in exact] == [(3, 3), (7, 7)]


def test_rounded_count_is_always_inside_the_range():
    # ideals 0.45, 0.45, 0.1 of k=1: largest remainder gives the single seat to the first
    quotas = quotas_from_targets({"x": {"a": 0.45, "b": 0.45, "c": 0.1}}, 1, 0)
    assert [(q.min, q.max) for q in quotas] == [(0, 1), (0, 1), (0, 1)]


def test_exact_ideals_are_not_widened_by_float_noise():
    quotas = quotas_from_targets({"x": {"a": 0.5, "b": 0.5}}, 20, 0.1)
    assert by_value(quotas) == {("x", "a"): (9, 11), ("x", "b"): (9, 11)}


def test_rare_value_may_still_be_selected():
    quotas = quotas_from_targets({"x": {"common": 0.996, "rare": 0.004}}, 22, 0.1)
    assert by_value(quotas)[("x", "rare")] == (0, 1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6).filter(lambda xs: sum(xs) > 0.01),
    st.integers(1, 300),
    st.floats(0.0, 0.9),
)
def test_each_feature_can_sum_to_panel_size(shares, k, tolerance):
    targets = [Target("f", f"v{i}", s) for i, s in enumerate(shares)]
    quotas = quotas_from_targets(targets, k, tolerance)
    assert sum(q.min for q in quotas) <= k <= sum(q.max for q in quotas)
    total = sum(shares)
    for q, s in zip(quotas, shares, strict=True):
        ideal = k * s / total
        assert 0 <= q.min <= q.max <= k
        assert q.min <= ideal + 1 and q.max >= ideal - 1


def write(tmp_path, text, name="targets.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_fractions_and_percentages(tmp_path):
    path = write(
        tmp_path,
        "feature,value,share\nGender,Women,51%\nGender,Men,49%\n"
        "Age,16-29,20.1\nAge,30-64,55\nAge,65+,24.8\n"
        "Region,North,0.4\nRegion,South,0.6\n",
    )
    targets = {(t.feature, t.value): t.share for t in read_targets(path)}
    assert targets[("Gender", "Women")] == pytest.approx(0.51)
    assert targets[("Region", "South")] == pytest.approx(0.6)
    # 99.9% is accepted and rescaled
    assert sum(v for (f, _), v in targets.items() if f == "Age") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("feature,value\nGender,Women\n", "missing share"),
        ("feature,value,share\nGender,Women,0.5\nGender,Men,0.3\n", "sum to 0.8"),
        ("feature,value,share\nGender,Women,half\n", "row 2"),
        ("feature,value,share\nGender,Women,-0.5\nGender,Men,1.5\n", "zero or more"),
        ("feature,value,share\nGender,Women,0.5\ngender,women,0.5\n", "already given on row 2"),
        ("feature,value,share\nGender,Women,50%\nGender,Men,0.5\n", "mixes"),
        ("feature,value,share\n", "no rows"),
    ],
)
def test_bad_targets_name_the_problem(tmp_path, text, needle):
    with pytest.raises(BadInput, match=needle):
        read_targets(write(tmp_path, text))


def test_bad_arguments():
    with pytest.raises(BadInput):
        quotas_from_targets({"x": {"a": 1}}, 0)
    with pytest.raises(BadInput):
        quotas_from_targets({"x": {"a": 1}}, 5, 1.5)
    with pytest.raises(BadInput):
        quotas_from_targets({"x": {"a": 0, "b": 0}}, 5)


def test_write_quotas_round_trips(tmp_path):
    quotas = quotas_from_targets({"g": {"w": 0.5, "m": 0.5}}, 10, 0.2)
    path = tmp_path / "q.csv"
    write_quotas(path, quotas)
    assert path.read_text().splitlines() == ["feature,value,min,max", "g,w,4,6", "g,m,4,6"]
