"""Shared helpers for the selection tests: where the peers' data lives, small instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from sortition.model import Instance, Pool, Quota
from tests.conftest import shared_dir


@pytest.fixture
def peers() -> Path:
    shared = shared_dir()
    if shared is None:
        pytest.skip("shared/peers not found beside the repository (peer data is not in git)")
    return shared / "peers"


def make_instance(
    rows: list[tuple[int, ...]],
    quotas: list[tuple[int, int, int, int]],
    panel_size: int,
    households: list[str | None] | None = None,
) -> Instance:
    """An instance from feature codes per person and (feature, value, min, max) quotas."""
    codes = np.array(rows, dtype=np.int32).reshape(len(rows), -1)
    features = tuple(f"f{f}" for f in range(codes.shape[1]))
    values = {
        name: tuple(f"v{v}" for v in range(int(codes[:, f].max()) + 1))
        for f, name in enumerate(features)
    }
    quota_list = [Quota(features[f], f"v{v}", low, high) for f, v, low, high in quotas]
    pool = Pool(
        ids=tuple(f"p{i}" for i in range(len(rows))),
        features=features,
        values=values,
        codes=codes,
        households=tuple(households) if households else (),
    )
    return Instance(pool=pool, quotas=tuple(quota_list), panel_size=panel_size)


@st.composite
def instances(draw: st.DrawFn, *, households: bool | None = None, most_people: int = 11):
    """Random small pools with random quotas (often feasible, not always), for properties and
    for comparisons with the enumeration reference. `households`: always, never, or drawn."""
    n = draw(st.integers(4, most_people))
    features = draw(st.integers(1, 3))
    sizes = [draw(st.integers(2, 3)) for _ in range(features)]
    rows = [tuple(draw(st.integers(0, s - 1)) for s in sizes) for _ in range(n)]
    # values above the largest one drawn do not exist in this pool
    for f in range(len(sizes)):
        present = {r[f] for r in rows}
        sizes[f] = max(present) + 1
    k = draw(st.integers(1, max(1, n // 2)))
    quotas = []
    for f, size in enumerate(sizes):
        for v in range(size):
            have = sum(1 for r in rows if r[f] == v)
            low = draw(st.integers(0, min(have, k)))
            high = draw(st.integers(low, k))
            quotas.append((f, v, low, high))
    keys = None
    if households if households is not None else draw(st.booleans()):
        keys = [draw(st.sampled_from([None, "a", "b", "c"])) for _ in range(n)]
    return make_instance(rows, quotas, k, keys)
