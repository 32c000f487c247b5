"""Benchmark: how soon LEXIMIN's first level (the fairest smallest chance) is proven.

    python bench/bench_first_level.py [--people 2000] [--panel-size 100] [--features 7]
        [--full] [--maximin]

Runs LEXIMIN on a realistic pool (`sortition.synthetic.realistic_instance`, the same seeds as
bench/bench_selection.py: census-like skew, households) with a progress listener and prints
the seconds (wall and CPU) at which the `FirstLevelProven` event arrived, the minimum it
proved and the relaxation's ceiling. The draw screen shows that event as "Proven so far:
nobody's chance is below ...". `--full` lets the whole LEXIMIN finish and prints its time
too; without it the run stops at the first level (through the cancel token). `--maximin`
times `select(..., algorithm="maximin")`, which stops after the first level by itself.
This is a benchmark, not a test: nothing here asserts a time. Report the load (`uptime`).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sortition import (  # noqa: E402
    Cancelled,
    FirstLevelProven,
    ProgressEvent,
    select,
    silence_solver_banner,
)
from sortition.synthetic import realistic_instance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--panel-size", type=int, default=100)
    parser.add_argument("--features", type=int, default=7)
    parser.add_argument("--full", action="store_true", help="let the whole LEXIMIN finish")
    parser.add_argument("--maximin", action="store_true", help="time maximin as well")
    args = parser.parse_args()
    silence_solver_banner()
    instance = realistic_instance(
        np.random.default_rng(args.people),
        people=args.people,
        panel_size=args.panel_size,
        features=args.features,
    )
    print(f"pool n={args.people} k={args.panel_size} {args.features} features, households")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    stop = threading.Event()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    seen: list[tuple[float, float, FirstLevelProven]] = []

    def progress(event: ProgressEvent) -> None:
        if isinstance(event, FirstLevelProven) and not seen:
            seen.append((time.perf_counter() - wall0, time.process_time() - cpu0, event))
            if not args.full:
                stop.set()

    try:
        lottery = select(instance, "leximin", progress=progress, cancel=stop)
    except Cancelled:
        lottery = None
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if seen:
        at_wall, at_cpu, event = seen[0]
        print(
            f"leximin first level shown after {at_wall:.1f} s wall ({at_cpu:.1f} s CPU): "
            f"minimum {event.minimum:.6f}, ceiling {event.ceiling:.6f}"
        )
    else:
        print("leximin: the first level was not proven separately")
    if lottery is not None:
        print(
            f"leximin complete after {wall:.1f} s wall ({cpu:.1f} s CPU): "
            f"minimum {lottery.stats.min_probability:.6f}, gap {lottery.stats.gap:.1e}"
        )
    if args.maximin:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        lottery = select(instance, "maximin")
        print(
            f"maximin after {time.perf_counter() - wall0:.1f} s wall "
            f"({time.process_time() - cpu0:.1f} s CPU): minimum "
            f"{lottery.stats.min_probability:.6f}, levels {lottery.stats.levels}, "
            f"ceiling {lottery.stats.upper_bound:.6f}"
        )


if __name__ == "__main__":
    main()
