"""The stored LEXIMIN lotteries the draw-fidelity tests round, and how to rebuild them.

Solving these pools' LEXIMIN takes 10 to 36 s each on two cores, and the fidelity tests are
about the rounding, not the solve (tested elsewhere), so their type panels and weights are kept
in `data/fidelity_lottery_<people>.json.gz` (the nonzero seats of each type panel).
`realistic_instance` is seeded, so each pool is the same on every machine. Rebuild:
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

DATA = Path(__file__).with_name("data")
# Respondents: panel size. On the larger pool, single seats moved only for the one type
# furthest from its chance missed both targets (2.16/1000, least chosen on 15 of 1,000 panels
# against a LEXIMIN minimum of 16.48).
POOLS = {400: 30, 1000: 50}


def stored(people: int) -> Path:
    return DATA / f"fidelity_lottery_{people}.json.gz"


def fidelity_instance(people: int = 400) -> Instance:
    return realistic_instance(np.random.default_rng(1), people=people, panel_size=POOLS[people])


def stored_lottery(model: TypeModel, people: int = 400) -> tuple[list[np.ndarray], np.ndarray]:
    """The stored type panels (one seat count per type) and their weights."""
    doc = json.loads(gzip.decompress(stored(people).read_bytes()))
    columns = []
    for seats in doc["columns"]:
        column = np.zeros(model.count, dtype=np.int64)
        for t, c in seats:
            column[t] = c
        columns.append(column)
    return columns, np.array(doc["weights"], dtype=float)


def write(people: int) -> None:
    model = group_types(fidelity_instance(people))
    columns, weights, _ = leximin_types(model)
    keep = [j for j, w in enumerate(weights) if w > 1e-12]
    doc = {
        "about": f"LEXIMIN type lottery of fidelity_instance({people}); see fidelity_lottery.py",
        "types": model.count,
        "columns": [
            [[int(t), int(columns[j][t])] for t in np.flatnonzero(columns[j])] for j in keep
        ],
        "weights": [float(weights[j]) for j in keep],
    }
    path = stored(people)
    path.parent.mkdir(exist_ok=True)
    text = json.dumps(doc, separators=(",", ":")) + "\n"
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"Wrote {path} ({len(keep)} type panels over {model.count} types).")


if __name__ == "__main__":
    import sys

    for people in [int(a) for a in sys.argv[1:]] or POOLS:
        write(people)
