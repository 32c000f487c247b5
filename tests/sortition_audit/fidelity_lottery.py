"""The stored LEXIMIN lottery the draw-fidelity test rounds, and how to rebuild it.

Solving this pool's LEXIMIN takes about 36 s on two cores, and the fidelity test is about the
rounding, not the solve (tested elsewhere), so its type panels and weights are kept in
`data/fidelity_lottery.json.gz` (the nonzero seats of each type panel). `realistic_instance` is
seeded, so the pool is the same on every machine. Rebuild:
`python tests/sortition_audit/fidelity_lottery.py`.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from sortition.leximin import leximin_types
from sortition.model import Instance
from sortition.synthetic import realistic_instance
from sortition.types import TypeModel, group_types

STORED = Path(__file__).with_name("data") / "fidelity_lottery.json.gz"


def fidelity_instance() -> Instance:
    return realistic_instance(np.random.default_rng(1), people=400, panel_size=30)


def stored_lottery(model: TypeModel) -> tuple[list[np.ndarray], np.ndarray]:
    """The stored type panels (one seat count per type) and their weights."""
    doc = json.loads(gzip.decompress(STORED.read_bytes()))
    columns = []
    for seats in doc["columns"]:
        column = np.zeros(model.count, dtype=np.int64)
        for t, c in seats:
            column[t] = c
        columns.append(column)
    return columns, np.array(doc["weights"], dtype=float)


def main() -> None:
    model = group_types(fidelity_instance())
    columns, weights, _ = leximin_types(model)
    keep = [j for j, w in enumerate(weights) if w > 1e-12]
    doc = {
        "about": "LEXIMIN type lottery of fidelity_instance(); see fidelity_lottery.py",
        "types": model.count,
        "columns": [
            [[int(t), int(columns[j][t])] for t in np.flatnonzero(columns[j])] for j in keep
        ],
        "weights": [float(weights[j]) for j in keep],
    }
    STORED.parent.mkdir(exist_ok=True)
    text = json.dumps(doc, separators=(",", ":")) + "\n"
    STORED.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"Wrote {STORED} ({len(keep)} type panels over {model.count} types).")


if __name__ == "__main__":
    main()
