"""The example's lotteries, computed once and stored: the published artefact, as in a real draw.

Proving the LEXIMIN over the example's pool (1,500 respondents, 1,212 types) takes several
seconds of solver time, and the lottery that reaches the LEXIMIN chances is not unique: another
solver version or CPU takes column generation down another path to other panels with the same
chances. So, as for a real assembly, the lottery is computed once and kept
(`example_draw.npz`, beside this module), each with what it was computed from (the
instance's `sortition.instance_digest`, the algorithm and the gap): the draw's and the
replacement's (the one member who withdraws). The example is built from what is stored, so it is the same on every machine; its draw's commitment is stored
too, and a test rebuilds it bit for bit on whichever machine runs the tests. Another test
recomputes each lottery from scratch and checks what does hold everywhere: the same chances,
within the proof gap, proven. Refresh with `python -m assembly.demo.refresh_draws`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from sortition import (
    Distribution,
    Instance,
    SelectionStats,
    TypeLottery,
    chances,
    instance_digest,
    select,
)

CACHE = Path(__file__).with_name("example_draw.npz")
# The example draws by LEXIMIN to the end: over this pool (1,500 people, seven quota features,
# 1,212 distinct combinations) the lottery is proven the fairest, every level within GAP of its
# optimum.
ALGORITHM = "leximin"
GAP = 1e-6
# What a recomputation must agree on, anywhere: each person's chance, to within the proof gap.
CHANCE_TOLERANCE = GAP
ENTRIES = ("draw", "replacement")


def load(instance: Instance, algorithm: str, gap: float, path: Path = CACHE) -> Distribution | None:
    """The stored lottery for exactly this input (either entry), or None.

    Only the matching entry's arrays are decompressed (the file is opened lazily). An entry is
    either a compact lottery (type panels: seats per type, with each type's members) or, as
    stored before lotteries were kept compact, panels of people."""
    if not path.is_file():
        return None
    wanted = (instance_digest(instance), algorithm, gap)
    with np.load(path, allow_pickle=False) as data:
        for entry in ENTRIES:
            if f"{entry}_fingerprint" not in data.files:
                continue
            stored = (
                str(data[f"{entry}_fingerprint"]),
                str(data[f"{entry}_algorithm"]),
                float(data[f"{entry}_gap"]),
            )
            if stored != wanted:
                continue
            weights = np.asarray(data[f"{entry}_weights"], dtype=float)
            # Stored as JSON of floats (booleans as 0.0 and 1.0).
            stats = SelectionStats.from_mapping(json.loads(str(data[f"{entry}_stats"])))
            if f"{entry}_columns" in data.files:  # a compact lottery: type panels
                sizes = np.asarray(data[f"{entry}_type_sizes"], dtype=np.int64)
                people = np.asarray(data[f"{entry}_type_members"], dtype=np.int64)
                members = tuple(np.split(people, np.cumsum(sizes)[:-1]))
                columns = np.asarray(data[f"{entry}_columns"], dtype=np.int64)
                lottery = TypeLottery(members, columns, weights, instance.pool.size)
                return Distribution.compact(lottery, algorithm, stats)
            panels = tuple(map(tuple, data[f"{entry}_panels"].tolist()))
            probabilities = chances(panels, weights, instance.pool.size)
            return Distribution(panels, weights, probabilities, algorithm, stats)
    return None


def stored_commitment(path: Path = CACHE) -> str | None:
    """The commitment of the example's draw as built from the stored lottery."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return str(data["commitment"]) if "commitment" in data.files else None


def compute(instance: Instance, algorithm: str, gap: float) -> Distribution:
    """The lottery as the code computes it on this machine."""
    distribution = select(instance, algorithm, gap=gap)
    # Wall-clock time differs between machines; the example records none.
    return dataclasses.replace(
        distribution, stats=dataclasses.replace(distribution.stats, seconds=None)
    )


# Set only inside `refreshing()`: compute every lottery afresh and keep it, to store.
_refresh: list[tuple[Instance, Distribution]] | None = None


@contextlib.contextmanager
def refreshing() -> Iterator[list[tuple[Instance, Distribution]]]:
    """While open, `stored_select` computes every lottery afresh and collects it in the list."""
    global _refresh
    _refresh = []
    try:
        yield _refresh
    finally:
        _refresh = None


def stored_select(instance: Instance, algorithm: str = ALGORITHM, **_: object) -> Distribution:
    """A `select` for the example: the stored lottery for this input, computed only if none is
    (or while `refreshing`)."""
    if _refresh is not None:
        distribution = compute(instance, algorithm, GAP)
        _refresh.append((instance, distribution))
        return distribution
    return load(instance, algorithm, GAP) or compute(instance, algorithm, GAP)


def save(
    lotteries: dict[str, tuple[Instance, Distribution]], commitment: str, path: Path = CACHE
) -> None:
    arrays: dict[str, np.ndarray] = {"commitment": np.array(commitment)}
    for entry, (instance, distribution) in lotteries.items():
        arrays[f"{entry}_fingerprint"] = np.array(instance_digest(instance))
        arrays[f"{entry}_algorithm"] = np.array(distribution.algorithm)
        arrays[f"{entry}_gap"] = np.array(GAP)
        if distribution.types is not None:
            types = distribution.types
            arrays[f"{entry}_type_sizes"] = types.sizes.astype(np.int32)
            arrays[f"{entry}_type_members"] = np.concatenate(types.members).astype(np.int32)
            arrays[f"{entry}_columns"] = np.asarray(types.columns, dtype=np.int16)
            arrays[f"{entry}_weights"] = np.asarray(types.weights, dtype=float)
        else:
            arrays[f"{entry}_panels"] = np.array(distribution.panels, dtype=np.int32)
            arrays[f"{entry}_weights"] = np.asarray(distribution.weights, dtype=float)
        arrays[f"{entry}_stats"] = np.array(
            json.dumps(
                {k: float(v) for k, v in distribution.stats.as_dict().items() if v is not None}
            )
        )
    np.savez_compressed(path, **arrays)


def save_commitment(commitment: str, path: Path = CACHE) -> None:
    """Replace the stored draw's commitment, keeping every stored lottery as it is."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["commitment"] = np.array(commitment)
    np.savez_compressed(path, **arrays)


if __name__ == "__main__":
    argparse.ArgumentParser(
        prog="python -m assembly.demo.draw_cache",
        description="The example's stored lotteries; this module only reads and writes them. "
        "To recompute them, run python -m assembly.demo.refresh_draws.",  # not words
    ).parse_args()
    print(
        "Nothing changed: to recompute the stored lotteries run python -m assembly.demo.refresh_draws."  # not words
    )
