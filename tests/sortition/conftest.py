"""Shared helpers for the selection tests: where the peers' data lives, small instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

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
