"""The example's LEXIMIN lottery, computed ahead so the example opens in moments.

Proving the LEXIMIN over the example's pool (1,500 respondents, 1,212 types) takes several
seconds of solver time; the example is built on every first run and by the tests, so the
lottery is kept beside this module (`example_draw.npz`) with a fingerprint of exactly what it
was computed from: the pool, the quotas, the panel size, the algorithm and its proof gap. The
example uses it only when the fingerprint matches, and a test recomputes it from scratch and
checks it is what the code gives today, so what ships is always what the code reproduces.
Refresh it with `python -m assembly.demo.draw_cache`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from sortition.model import Distribution, Instance, chances

CACHE = Path(__file__).with_name("example_draw.npz")
# The example draws by LEXIMIN, the app's default, to the end: over this pool (1,500 people,
# seven quota features, 1,212 distinct combinations) the lottery is proven the fairest, every
# level within GAP of its optimum. The lottery is computed ahead (here) so the example
# opens in moments; a test checks the stored one is what the code computes today.
ALGORITHM = "leximin"
GAP = 1e-6


def fingerprint(instance: Instance, algorithm: str, gap: float) -> str:
    """SHA-256 of everything the lottery depends on."""
    pool = instance.pool
    digest = hashlib.sha256()
    digest.update(json.dumps([algorithm, gap, instance.panel_size]).encode())
    digest.update(json.dumps([list(pool.ids), list(pool.features)]).encode())
    digest.update(json.dumps({f: list(v) for f, v in pool.values.items()}).encode())
    digest.update(np.ascontiguousarray(pool.codes, dtype=np.int64).tobytes())
    digest.update(json.dumps(list(pool.households)).encode())
    digest.update(
        json.dumps([[q.feature, q.value, q.min, q.max] for q in instance.quotas]).encode()
    )
    return digest.hexdigest()


def load(instance: Instance, algorithm: str, gap: float, path: Path = CACHE) -> Distribution | None:
    """The stored lottery for exactly this input, or None."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if str(data["fingerprint"]) != fingerprint(instance, algorithm, gap):
            return None
        panels = tuple(tuple(int(p) for p in row) for row in data["panels"])
        weights = np.asarray(data["weights"], dtype=float)
        stats = json.loads(str(data["stats"]))
    probabilities = chances(panels, weights, instance.pool.size)
    return Distribution(panels, weights, probabilities, algorithm, stats)


def save(instance: Instance, distribution: Distribution, gap: float, path: Path = CACHE) -> None:
    np.savez_compressed(
        path,
        fingerprint=np.array(fingerprint(instance, distribution.algorithm, gap)),
        panels=np.array(distribution.panels, dtype=np.int32),
        weights=np.asarray(distribution.weights, dtype=float),
        stats=np.array(json.dumps({k: float(v) for k, v in distribution.stats.items()})),
    )


def compute(instance: Instance, algorithm: str, gap: float) -> Distribution:
    """The lottery as the code computes it today (what the cache must equal)."""
    from sortition.select import select

    distribution = select(instance, algorithm, gap=gap)
    # Wall-clock time differs between machines; the example records none.
    distribution.stats.pop("seconds", None)
    return distribution


def main() -> None:
    """Recompute the example's lottery and store it beside this module."""
    import tempfile

    from assembly.demo import build_demo
    from assembly.organiser import quotas

    with tempfile.TemporaryDirectory() as folder:
        assembly = build_demo(Path(folder) / "example.assembly.db")
        instance = quotas.build_instance(assembly.db())
        assembly.close()
    save(instance, compute(instance, ALGORITHM, GAP), GAP)
    print(f"wrote {CACHE}")


if __name__ == "__main__":
    main()
