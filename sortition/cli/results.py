"""What `sortition select --out` writes: its JSON result document, written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sortition import Distribution, Instance
from sortition.files import write_atomic


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or nothing (owner-only: a result lists respondents' ids)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def quota_report(instance: Instance, panel: tuple[int, ...]) -> list[dict[str, object]]:
    """For each quota, how many of `panel` have the value."""
    counts = instance.membership()[:, list(panel)].sum(axis=1) if panel else None
    return [
        {
            "feature": q.feature,
            "value": q.value,
            "min": q.min,
            "max": q.max,
            "selected": int(counts[i]) if counts is not None else 0,
        }
        for i, q in enumerate(instance.quotas)
    ]


def result_document(
    instance: Instance, dist: Distribution, panel: tuple[int, ...], seed: int
) -> dict[str, object]:
    """The JSON-ready result of a selection run (ids only, no personal data)."""
    ids = instance.pool.ids
    order = np.argsort(-dist.weights, kind="stable")
    return {
        "algorithm": dist.algorithm,
        "panel_size": instance.panel_size,
        "pool_size": instance.pool.size,
        "seed": seed,
        "probabilities": {ids[i]: round(float(p), 12) for i, p in enumerate(dist.probabilities)},
        "panel": [ids[i] for i in panel],
        "distribution": [
            {"panel": [ids[i] for i in dist.panels[j]], "weight": float(dist.weights[j])}
            for j in order
        ],
        "quota_report": quota_report(instance, panel),
        "stats": dist.stats.as_dict(),
    }
