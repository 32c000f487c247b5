"""Benchmark: our leximin, maximin and legacy against the `sortition-algorithms` package.

    python bench/bench_selection.py [--quick] [--timeout 300] [--only fixture,small20,...]
    python bench/bench_selection.py --only realistic2000,realistic1800,realistic1500 \
        --ours leximin --peer maximin,maximin-cbc --timeout 1200

Prints one table (seconds, smallest selection probability, Gini coefficient, panels in the
lottery) for every instance and algorithm. Each run happens in its own process with a time
limit, so a slow run is reported as a timeout instead of stopping the table. The peer is an
optional, GPL-licensed bench-only dependency (`pip install sortition-algorithms`); without it
only our rows are printed. This is a benchmark, not a test: nothing here asserts a time.

Instances: (a) the peer's own fixture (n=150, k=22); (b) the Nature replication's
example_small_20 and example_large_200; (c) our synthetic generator, n=2000, k=100, 7 features
of 2-6 values, skewed pool, quotas at proportional targets +-10%, with and without households.
(d) realistic pools from `sortition.synthetic.realistic_instance` (census-like skew, 7
features of 2-8 values, 10% of respondents in shared households, quotas at proportional targets
+-15%): n=1500 k=40, n=1800 k=60, n=2000 k=100, and the stretch n=10000 k=150 with 8 features
(`--only stretch10000`). Almost every respondent is a type of their own there.
`--quick` skips the peer's runs on the synthetic instances (they take many minutes). The peer
runs with its default solver backend (HiGHS, `maximin`) and its fastest one (CBC through `mip<2`,
`maximin-cbc`). After the table, one line per instance gives our LEXIMIN's time as a ratio of
the peer's maximin times, from the same run, in CPU seconds (each run is single-threaded, so CPU
time is what a quiet machine's wall clock would show, and other jobs on the machine skew it far
less than wall time).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sortition.io import read_instance  # noqa: E402
from sortition.model import Instance  # noqa: E402
from sortition.synthetic import realistic_instance, synthetic_instance  # noqa: E402
from sortition.types import gini  # noqa: E402

LEGACY_DRAWS = 1000


def shared_dir() -> Path:
    for candidate in [
        *(p / "shared" for p in Path(__file__).resolve().parents),
        ROOT.parent / "shared",
    ]:
        if (candidate / "peers").is_dir():
            return candidate
    raise SystemExit("shared/peers not found beside the repository")


@dataclass(frozen=True)
class Case:
    name: str
    instance: Instance
    address: bool


def cases(only: set[str] | None) -> list[Case]:
    peers = shared_dir() / "peers"
    fixtures = peers / "sortition-algorithms" / "tests" / "fixtures"
    replication = peers / "citizensassemblies-replication"
    out: list[Case] = []

    def want(name: str) -> bool:
        return only is None or name in only

    if want("fixture"):
        out.append(
            Case(
                "fixture n=150 k=22",
                read_instance(
                    fixtures / "features.csv",
                    fixtures / "candidates.csv",
                    22,
                    id_column="nationbuilder_id",
                ),
                False,
            )
        )
    for key, folder, k in (
        ("small20", "example_small_20", 20),
        ("large200", "example_large_200", 200),
    ):
        if want(key):
            path = replication / folder
            out.append(
                Case(
                    f"{folder} n={2000 if k == 200 else 200} k={k}",
                    read_instance(path / "categories.csv", path / "respondents.csv", k),
                    False,
                )
            )
    if want("synthetic"):
        out.append(
            Case("synthetic n=2000 k=100", synthetic_instance(np.random.default_rng(1)), False)
        )
    if want("households"):
        out.append(
            Case(
                "synthetic n=2000 k=100 households",
                synthetic_instance(np.random.default_rng(1), households=True),
                True,
            )
        )
    for key, people, k, features in (
        ("realistic1500", 1500, 40, 7),
        ("realistic1800", 1800, 60, 7),
        ("realistic2000", 2000, 100, 7),
        ("realistic5000", 5000, 100, 7),
        ("realistic10000", 10000, 120, 7),
        ("realistic20000", 20000, 150, 8),
        ("stretch10000", 10000, 150, 8),
    ):
        large = key == "stretch10000" or people >= 5000  # minutes each: only when named
        if (only is None and not large) or (only is not None and key in only):
            instance = realistic_instance(
                np.random.default_rng(people), people=people, panel_size=k, features=features
            )
            out.append(
                Case(f"realistic n={people} k={k} {features} features, households", instance, True)
            )
    return out


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def peer_inputs(instance: Instance, address: bool) -> tuple[str, str]:
    """The instance as the peer's CSV text (feature,value,min,max and id + features)."""
    features = [["feature", "value", "min", "max"]] + [
        [q.feature, q.value, str(q.min), str(q.max)] for q in instance.quotas
    ]
    pool = instance.pool
    head = ["id", *pool.features] + (["address"] if address else [])
    people = [head]
    for i, person in enumerate(pool.ids):
        row = [person] + [
            pool.values[f][int(pool.codes[i, j])] for j, f in enumerate(pool.features)
        ]
        if address:
            row.append(pool.households[i] or f"alone-{person}")
        people.append(row)
    return _csv(features), _csv(people)


def run_peer(instance: Instance, address: bool, algorithm: str) -> dict[str, float]:
    from sortition_algorithms.adapters import CSVStringDataSource, SelectionData
    from sortition_algorithms.committee_generation import (
        find_distribution_maximin,
        find_distribution_nash,
        find_random_sample_legacy,
    )
    from sortition_algorithms.settings import Settings

    features_csv, people_csv = peer_inputs(instance, address)
    columns = ["address"] if address else []
    settings = Settings(
        id_column="id",
        columns_to_keep=[],
        check_same_address=address,
        check_same_address_columns=columns,
        max_attempts=100,
    )
    data = SelectionData(CSVStringDataSource(features_csv, people_csv))
    k = instance.panel_size
    features, _ = data.load_features(k)
    people, _ = data.load_people(settings, features)
    start = time.perf_counter()
    cpu = time.process_time()
    if algorithm == "legacy":
        random.seed(0)
        counts: dict[frozenset[str], int] = {}
        for _ in range(LEGACY_DRAWS):
            committees, _ = find_random_sample_legacy(
                people, features, k, columns, max_attempts=100
            )
            counts[committees[0]] = counts.get(committees[0], 0) + 1
        committees = list(counts)
        weights = [counts[c] / LEGACY_DRAWS for c in committees]
    elif algorithm == "nash":
        committees, weights, _ = find_distribution_nash(features, people, k, columns)
    else:
        backend = "mip-cbc" if algorithm == "maximin-cbc" else "highspy"
        committees, weights, _ = find_distribution_maximin(
            features, people, k, columns, solver_backend=backend
        )
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    index = {person: i for i, person in enumerate(instance.pool.ids)}
    probabilities = np.zeros(instance.pool.size)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            probabilities[index[person]] += weight
    return {
        "seconds": seconds,
        "cpu": cpu,
        "min": float(probabilities.min()),
        "gini": gini(probabilities),
        "panels": float(sum(1 for w in weights if w > 1e-12)),
    }


def nan_if_none(value: float | None) -> float:
    """A measured number, or NaN in the table where the algorithm does not measure it."""
    return float("nan") if value is None else float(value)


def run_ours(instance: Instance, algorithm: str) -> dict[str, float]:
    from sortition.select import select

    start = time.perf_counter()
    cpu = time.process_time()
    dist = select(instance, algorithm, rng=np.random.default_rng(0))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    bad = sum(1 for panel in dist.support if instance.violations(panel))
    if bad:
        raise RuntimeError(f"{bad} panels break the quotas")
    return {
        "seconds": seconds,
        "cpu": cpu,
        "min": float(dist.probabilities.min()),
        "gini": gini(dist.probabilities),
        "panels": float(len(dist.support_weights)),
        "types": nan_if_none(dist.stats.types),
        "levels": nan_if_none(dist.stats.levels),
        "gap": nan_if_none(dist.stats.gap),
        "upper_bound": nan_if_none(dist.stats.upper_bound),
        "stopped_early": float(dist.stats.stopped_early),
    }


def _child(queue: mp.Queue, who: str, case: Case, algorithm: str) -> None:
    # The peer prints its progress on stdout; keep the table clean.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        if who == "peer":
            result = run_peer(case.instance, case.address, algorithm)
        else:
            result = run_ours(case.instance, algorithm)
        # the child's own peak resident memory (Linux reports kilobytes)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(("ok", result))
    except BaseException as err:  # reported in the table
        queue.put(("error", f"{type(err).__name__}: {err}"[:60]))


def timed(who: str, case: Case, algorithm: str, timeout: float) -> tuple[str, dict | str]:
    ctx = mp.get_context("fork")
    queue: mp.Queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(queue, who, case, algorithm))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return "timeout", f"> {timeout:.0f} s"
    if queue.empty():
        return "error", f"exit code {process.exitcode}"
    return queue.get()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the peer on synthetic cases")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--only", default="", help="fixture,small20,large200,synthetic,households")
    parser.add_argument("--no-peer", action="store_true", help="only our algorithms")
    parser.add_argument("--ours", default="leximin,maximin,legacy", help="our algorithms to run")
    parser.add_argument(
        "--peer", default="maximin,nash,legacy", help="peer algorithms (also maximin-cbc)"
    )
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None
    try:
        import sortition_algorithms  # noqa: F401

        have_peer = not args.no_peer
    except ImportError:
        have_peer = False
        print("(sortition-algorithms not installed: peer rows skipped)", file=sys.stderr)

    print(
        "| instance | implementation | algorithm | seconds | CPU s | min probability | gini "
        "| panels | proven gap | ceiling | peak MB |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratios: list[str] = []
    ours_algorithms = [a.strip() for a in args.ours.split(",") if a.strip()]
    peer_algorithms = [a.strip() for a in args.peer.split(",") if a.strip()]
    for case in cases(only):
        runs: list[tuple[str, str]] = [("ours", a) for a in ours_algorithms]
        if have_peer and not (args.quick and case.name.startswith(("synthetic", "realistic"))):
            runs += [("peer", a) for a in peer_algorithms]
        seconds: dict[tuple[str, str], float] = {}
        for who, algorithm in runs:
            status, result = timed(who, case, algorithm, args.timeout)
            label = "ours" if who == "ours" else "sortition-algorithms"
            if status != "ok":
                print(
                    f"| {case.name} | {label} | {algorithm} | {result} | | | | | | | |", flush=True
                )
                continue
            seconds[(who, algorithm)] = result["cpu"]
            proof = ""
            if who == "ours" and algorithm != "legacy":
                stopped = " (stopped)" if result.get("stopped_early") else ""
                proof = f"{result['gap']:.1e}{stopped} | {result['upper_bound']:.6f}"
            else:
                proof = " | "
            print(
                f"| {case.name} | {label} | {algorithm} | {result['seconds']:.2f} | "
                f"{result['cpu']:.2f} | {result['min']:.6f} | {result['gini']:.4f} | {result['panels']:.0f} "
                f"| {proof} | {result['peak_mb']:.0f} |",
                flush=True,
            )
        ours = seconds.get(("ours", "leximin"))
        for peer in ("maximin", "maximin-cbc"):
            theirs = seconds.get(("peer", peer))
            if ours and theirs:
                ratios.append(
                    f"{case.name}: peer {peer} / our leximin = {theirs / ours:.1f}x in CPU time "
                    f"({theirs:.1f} s vs {ours:.1f} s)"
                )
    for line in ratios:
        print(line)


if __name__ == "__main__":
    main()
