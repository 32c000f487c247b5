"""Benchmark: expected broken quotas after drop-outs, without reserves and with an ordered list.

    python bench/bench_reserves.py [--people 1500] [--panel-size 40] [--reserves 8] [--seed 1]

A realistic pool (`sortition.synthetic.realistic_instance`, households), one panel meeting
every quota (`find_panel`), drop-out rates from 5% to 30% by group (each value of every feature
gets a rate drawn uniformly from that range; a person's rate is the mean of their values'), and
the expected number of broken quotas after drop-outs (seeded Monte Carlo, fresh scenarios,
standard error printed) with: no reserves; a list of the same length drawn at random from
the rest of the pool; the list `sortition.reserves.choose_reserves` orders. Both lists are
used by the same rule and call at most as many people as there are vacancies, so the people
contacted are the same. This is a benchmark, not a test. Report the load (`uptime`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sortition import find_panel  # noqa: E402
from sortition.reserves import choose_reserves, expected_after_dropouts  # noqa: E402
from sortition.synthetic import realistic_instance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--panel-size", type=int, default=40)
    parser.add_argument("--features", type=int, default=7)
    parser.add_argument("--reserves", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    instance = realistic_instance(
        np.random.default_rng(args.people),
        people=args.people,
        panel_size=args.panel_size,
        features=args.features,
    )
    panel = list(find_panel(instance))
    rng = np.random.default_rng(args.seed)
    pool = instance.pool
    value_rates = {
        (f, v): rng.uniform(0.05, 0.30) for f in range(len(pool.features)) for v in range(99)
    }
    rates = np.array(
        [
            np.mean([value_rates[(f, int(pool.codes[i, f]))] for f in range(len(pool.features))])
            for i in range(pool.size)
        ]
    )
    # Means of several values cluster near the middle: spread the people's rates back over
    # 5%-30% by rank, keeping the order the groups give them.
    ranks = np.argsort(np.argsort(rates))
    rates = 0.05 + 0.25 * ranks / max(pool.size - 1, 1)
    print(f"pool n={args.people} k={args.panel_size} {args.features} features, households")
    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"drop-out rates {rates.min():.0%}-{rates.max():.0%}; expected drop-outs "
        f"{rates[panel].sum():.1f} of {len(panel)}"
    )
    started = time.perf_counter()
    plan = choose_reserves(instance, panel, args.reserves, rates, np.random.default_rng(args.seed))
    seconds = time.perf_counter() - started
    measure = np.random.default_rng(args.seed + 1000)
    houses = {pool.households[i] for i in panel} - {None}
    others = [
        i for i in range(pool.size) if i not in set(panel) and pool.households[i] not in houses
    ]
    naive = [
        int(i)
        for i in np.random.default_rng(args.seed).choice(others, args.reserves, replace=False)
    ]
    random_list = expected_after_dropouts(instance, panel, naive, rates, rng=measure)
    print(
        f"no reserves:        {plan.without.broken:.3f} broken quotas expected (± {plan.without.error:.3f})"
    )
    print(f"{args.reserves} random reserves:  {random_list.broken:.3f} (± {random_list.error:.3f})")
    print(
        f"{args.reserves} chosen reserves:  {plan.with_reserves.broken:.3f} (± {plan.with_reserves.error:.3f}), "
        f"chosen in {seconds:.1f} s"
    )
    print(f"ratio chosen / none: {plan.with_reserves.broken / max(plan.without.broken, 1e-12):.2f}")


if __name__ == "__main__":
    main()
