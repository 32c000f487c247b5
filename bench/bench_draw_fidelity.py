"""How closely the public draw's 1,000 numbered panels keep the LEXIMIN chances (issue 21).

For the app's example (its stored lottery) and realistic synthetic pools
(`sortition.synthetic.realistic_instance`, census-like, 10% shared households), prints the
largest change in anyone's chance, the least chosen respondent's panels out of 1,000 against
the LEXIMIN minimum, and the seconds the rounding took, both rounded over panels of people (as
before issue 21) and over type panels (now). Targets: change at most 2/1000, least chosen at
least the minimum less 1/1000.

    python bench/bench_draw_fidelity.py [--pools 400:30:1,400:30:2,1000:50:1]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from sortition import Distribution, Instance, round_to_lottery, select
from sortition.draw import type_lottery
from sortition.synthetic import realistic_instance
from sortition.types import group_types


def example() -> tuple[Instance, Distribution]:
    from assembly.demo import build_demo, draw_cache
    from assembly.organiser.draws import draw_instance

    with tempfile.TemporaryDirectory() as folder:
        assembly = build_demo(Path(folder) / "example.assembly.db")
        instance = draw_instance(assembly.db(), 1)
        assembly.close()
    stored = draw_cache.load(instance, draw_cache.ALGORITHM, draw_cache.GAP)
    assert stored is not None
    return instance, stored


def report(name: str, instance: Instance, dist: Distribution) -> None:
    fair = dist.probabilities
    model = group_types(instance)
    types = type_lottery(dist, model)
    for how, over, seats in (
        ("people", None, None),
        ("types", types, None),
        ("seats", types, model),
    ):
        start = time.perf_counter()
        lottery = round_to_lottery(dist, 1000, types=over, model=seats)
        seconds = time.perf_counter() - start
        least = round(float(lottery.probabilities.min()) * 1000)
        print(
            f"{name:24} {how:6} change {lottery.largest_change * 1000:5.2f}/1000  least on "
            f"{least:3} of 1000 (LEXIMIN min {fair.min() * 1000:6.2f})  {seconds:5.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pools", default="400:30:1,400:30:2,1000:50:1", help="n:k:seed,...")
    parser.add_argument("--no-example", action="store_true")
    args = parser.parse_args()
    if not args.no_example:
        instance, dist = example()
        report("example (1,500, k=40)", instance, dist)
    for spec in filter(None, args.pools.split(",")):
        n, k, seed = (int(x) for x in spec.split(":"))
        instance = realistic_instance(np.random.default_rng(seed), people=n, panel_size=k)
        report(f"realistic n={n} k={k} s{seed}", instance, select(instance, "leximin"))


if __name__ == "__main__":
    main()
