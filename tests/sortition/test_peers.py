"""Every peer pool loads and solves; LEXIMIN reaches the published minimum on the replication."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sortition.io import read_instance
from sortition.select import select

FIXTURES = "sortition-algorithms/tests/fixtures"
REPLICATION = "citizensassemblies-replication"


@pytest.mark.parametrize("people", ["candidates.csv", "candidates_lower.csv"])
def test_sortition_algorithms_fixture(peers: Path, people: str) -> None:
    instance = read_instance(
        peers / FIXTURES / "features.csv",
        peers / FIXTURES / people,
        22,
        id_column="nationbuilder_id",
        address_columns=("primary_address1", "primary_zip"),
    )
    assert instance.pool.size == 150
    dist = select(instance, "maximin")
    assert all(not instance.violations(p) for p in dist.support)
    assert abs(dist.probabilities.sum() - 22) < 1e-6
    # 1/11: the optimum found here, matched by the peer's own maximin (see docs/sortition.md)
    assert dist.probabilities.min() == pytest.approx(1 / 11, abs=1e-6)


def test_fixture_spellings_give_the_same_pool(peers: Path) -> None:
    upper = read_instance(
        peers / FIXTURES / "features.csv", peers / FIXTURES / "candidates.csv", 22,
        id_column="nationbuilder_id",
    )  # fmt: skip
    lower = read_instance(
        peers / FIXTURES / "features.csv", peers / FIXTURES / "candidates_lower.csv", 22,
        id_column="nationbuilder_id",
    )  # fmt: skip
    assert upper.pool.ids == lower.pool.ids
    assert np.array_equal(upper.pool.codes, lower.pool.codes)


@pytest.mark.parametrize(("example", "k"), [("example_small_20", 20), ("example_large_200", 200)])
def test_replication_examples_reach_published_leximin(peers: Path, example: str, k: int) -> None:
    folder = peers / REPLICATION / example
    instance = read_instance(folder / "categories.csv", folder / "respondents.csv", k)
    assert instance.pool.ids[0] == "1"  # no id column: row numbers
    dist = select(instance)
    assert dist.probabilities.min() == pytest.approx(0.10, abs=1e-6)
    assert abs(dist.probabilities.sum() - k) < 1e-6
    assert all(not instance.violations(p) for p in dist.support)
    assert dist.stats.seconds < 5
