"""What `sortition select --out` writes: its JSON result document, written whole or not at all."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sortition import Distribution, Instance, TypeLottery
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
    """The JSON-ready result of a selection run (ids only, no personal data).

    A compact lottery is written as such (`type_lottery`): each type's ids, then each type
    panel's seats per type and weight, heaviest first. A lottery of listed panels (the legacy
    sampler's) is written panel by panel (`distribution`)."""
    ids = instance.pool.ids
    document: dict[str, object] = {
        "algorithm": dist.algorithm,
        "panel_size": instance.panel_size,
        "pool_size": instance.pool.size,
        "seed": seed,
        "probabilities": {ids[i]: round(float(p), 12) for i, p in enumerate(dist.probabilities)},
        "panel": [ids[i] for i in panel],
    }
    if dist.types is not None:
        document["type_lottery"] = type_lottery_document(ids, dist.types)
    else:
        order = np.argsort(-dist.weights, kind="stable")
        document["distribution"] = [
            {"panel": [ids[i] for i in dist.panels[j]], "weight": float(dist.weights[j])}
            for j in order
        ]
    document["quota_report"] = quota_report(instance, panel)
    document["stats"] = dist.stats.as_dict()
    return document


def result_json(document: dict[str, object]) -> str:
    """The result document as JSON text, indented, with each type panel on one line: indented
    number by number, the type panels of a 10,000-respondent lottery took 27 MB, on one line
    each about 7 MB. The same JSON value either way."""
    lottery = document.get("type_lottery")
    if not isinstance(lottery, dict) or "type_panels" not in lottery:
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    mark = "\u0000type panels\u0000"  # a string no result holds; found by its JSON form
    shown = {**document, "type_lottery": {**lottery, "type_panels": mark}}
    text = json.dumps(shown, indent=1, ensure_ascii=False)
    panels = lottery["type_panels"]
    listed = (
        "[\n" + ",\n".join("   " + json.dumps(p, ensure_ascii=False) for p in panels) + "\n  ]"
        if panels
        else "[]"
    )
    before, found, after = text.partition(json.dumps(mark))
    assert found, "the type panels' mark must appear once"
    return before + listed + after + "\n"


def type_lottery_document(ids: Sequence[str], types: TypeLottery) -> dict[str, object]:
    """A type lottery by ids: who is in each type, and each type panel's seats and weight."""
    order = np.argsort(-types.weights, kind="stable")
    return {
        "types": [[ids[int(i)] for i in people] for people in types.members],
        "type_panels": [
            {
                "seats": [
                    [int(t), int(types.columns[j, t])] for t in np.flatnonzero(types.columns[j])
                ],
                "weight": float(types.weights[j]),
            }
            for j in order
        ],
    }
