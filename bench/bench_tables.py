"""Benchmark: table plans on GroupSelect's example data, scored by our objective and by
GroupSelect's published measures, against a random seating; plus the timing budget.

GroupSelect (sortitionfoundation/groupselect-lib) is not on PyPI, so its allocator is not run
here. Its published measures (docs/concepts.md of that repository) are reimplemented from their
definitions in `assembly.tables.search`:

- diversity: per feature, the mean over all tables of all rounds of the L1 distance between the
  table's value shares and the room's, summed over features (lower is better);
- meeting scores: share of all pairs who met at least once, and the normalised score
  (distinct pairs met - worst) / (best - worst), 0 = every round seats the same tables,
  1 = no pair meets twice.

The one GroupSelect output we have is the `allocation` column of 30i_4j_3k_3d_data.csv (one
round, 4 tables); it is scored as it stands next to our one-round plan.

File names read as: i individuals, j tables, k rounds, d dimensions (30i_4j_3k_3d = 30 people,
4 tables, 3 rounds, 3 features: gender, age, region).

Times are CPU seconds of this process (wall time on a busy machine says little).

Run:  python bench/bench_tables.py [--shared PATH] [--seeds 5]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assembly.tables.plans import DEFAULT_REPEAT_WEIGHT as WEIGHT  # noqa: E402
from assembly.tables.search import (  # noqa: E402
    encode,
    groupselect_diversity,
    groupselect_meeting_scores,
    plan_tables,
    score_seating,
    table_sizes,
)

# (file, features to balance, tables, rounds, why this setting)
CASES = [
    ("30i_4j_3k_3d_data.csv", ["gender", "age", "region"], 4, 3, "as the file name says"),
    ("100i_4j_3k_3d_data.csv", ["gender", "age", "region"], 4, 3, "as the file name says"),
    (
        "100i_4j_3k_3d_data.csv",
        ["gender", "age", "region", "nation", "media"],
        17,
        4,
        "tables of ~6, all 5 fields",
    ),
    ("sf_f_40.csv", list("abcdefg"), 5, 3, "our choice: tables of 8"),
    ("philipps_example_data.csv", ["age", "gender"], 18, 3, "their test: 3 rounds of groups of 6"),
    ("philipps_example_data.csv", ["age", "gender"], 14, 4, "their test: 4 rounds of groups of 8"),
]


def shared_dir(given: str | None) -> Path:
    candidates = [Path(given)] if given else []
    candidates += [REPO.parent / "shared", REPO / "shared", REPO.parent.parent / "shared"]
    for c in candidates:
        if (c / "peers" / "groupselect-lib").is_dir():
            return c / "peers" / "groupselect-lib"
    sys.exit("GroupSelect example data not found; pass --shared PATH (the folder holding peers/)")


def load(path: Path, features: list[str]) -> tuple[np.ndarray, list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for f in features:
        if f not in rows[0]:
            sys.exit(f"{path.name}: no column {f!r}")
    return encode([[r[f] for r in rows] for f in features]), rows


def random_seating(n: int, tables: int, rounds: int, rng: np.random.Generator) -> np.ndarray:
    seats = np.repeat(np.arange(tables), table_sizes(n, tables))
    return np.array([rng.permutation(seats) for _ in range(rounds)])


def measures(codes: np.ndarray, seating: np.ndarray, tables: int) -> dict[str, float]:
    ours = score_seating(codes, seating, tables)
    rel, norm = groupselect_meeting_scores(seating)
    return {
        "div_sq": ours.diversity,
        "div_l1": ours.diversity_l1,
        "repeat_pairs": ours.repeat_pairs,
        "gs_div": groupselect_diversity(codes, seating, tables),
        "gs_met": rel,
        "gs_norm": norm,
    }


def mean(rows: list[dict[str, float]], key: str) -> float:
    return float(np.mean([r[key] for r in rows]))


def line(label: str, rows: list[dict[str, float]], seconds: float | None = None) -> str:
    took = f"{seconds:.2f}" if seconds is not None else "—"
    return (
        f"| {label} | {mean(rows, 'div_sq'):.1f} | {mean(rows, 'div_l1'):.1f} | "
        f"{mean(rows, 'repeat_pairs'):.1f} | {mean(rows, 'gs_div'):.3f} | "
        f"{mean(rows, 'gs_met'):.3f} | {mean(rows, 'gs_norm'):.3f} | {took} |"
    )


HEADER = (
    "| method | our diversity (sq) | our gap (L1, people) | pairs meeting 2+ times | "
    "GroupSelect diversity | GS share of pairs met | GS meeting norm | CPU seconds |\n"
    "|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=None)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    folder = shared_dir(args.shared)
    seeds = range(args.seeds)

    for name, features, tables, rounds, why in CASES:
        codes, rows = load(folder / name, features)
        n = codes.shape[0]
        print(
            f"\n### {name}: {n} people, {tables} tables, {rounds} rounds, repeat weight {WEIGHT}, "
            f"features {', '.join(features)} ({why}); mean of {len(seeds)} seeds\n"
        )
        print(HEADER)
        ours, took = [], []
        for s in seeds:
            start = time.process_time()
            plan = plan_tables(
                codes, tables, rounds, np.random.default_rng(s), repeat_weight=WEIGHT
            )
            took.append(time.process_time() - start)
            ours.append(measures(codes, plan.seating, tables))
        greedy = [
            measures(
                codes,
                plan_tables(
                    codes,
                    tables,
                    rounds,
                    np.random.default_rng(s),
                    repeat_weight=WEIGHT,
                    iterations=0,
                ).seating,
                tables,
            )
            for s in seeds
        ]
        rand = [
            measures(
                codes, random_seating(n, tables, rounds, np.random.default_rng(100 + s)), tables
            )
            for s in seeds
        ]
        print(line("ours (greedy + annealing)", ours, float(np.mean(took))))
        print(line("ours without annealing (greedy + polish)", greedy))
        print(line("random seating", rand))
        if "allocation" in rows[0]:
            theirs = np.array([[int(r["allocation"]) for r in rows]])
            gs_tables = int(theirs.max()) + 1
            one = [
                measures(
                    codes,
                    plan_tables(
                        codes, gs_tables, 1, np.random.default_rng(s), repeat_weight=WEIGHT
                    ).seating,
                    gs_tables,
                )
                for s in seeds
            ]
            print(
                f"\nOne round, {gs_tables} tables: GroupSelect's stored `allocation` column "
                "against our one-round plan\n"
            )
            print(HEADER)
            print(
                line(
                    "GroupSelect's allocation (from the file)", [measures(codes, theirs, gs_tables)]
                )
            )
            print(line("ours, one round", one))

    # Timing budget from the brief: 150 people, 20 tables, 4 rounds, 7 features.
    rng = np.random.default_rng(1)
    codes = np.column_stack([rng.integers(0, k, 150) for k in (2, 7, 5, 5, 3, 2, 8)])
    times = []
    for s in seeds:
        start = time.process_time()
        plan = plan_tables(codes, 20, 4, np.random.default_rng(s), repeat_weight=WEIGHT)
        times.append(time.process_time() - start)
    rand = score_seating(codes, random_seating(150, 20, 4, np.random.default_rng(0)), 20)
    print(
        f"\n### Timing: 150 people, 20 tables, 4 rounds, 7 features: "
        f"median {np.median(times):.2f} s, max {max(times):.2f} s of CPU over {len(times)} seeds; "
        f"last plan {plan.score.repeat_pairs} pairs meeting twice and gap "
        f"{plan.score.diversity_l1:.0f} people (random seating: {rand.repeat_pairs} and "
        f"{rand.diversity_l1:.0f})."
    )


if __name__ == "__main__":
    main()
