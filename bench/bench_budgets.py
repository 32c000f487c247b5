"""Benchmark: our exact MES and MES+Add1 beside pabutools' with the same rule, in the same run.

Each measurement runs in a fresh forked process (so peak memory is that count's own): the file
is read there, then profile, preparation and count are timed (ours: merging ballots and the
entry arrays; pabutools: its multiprofile). Printed: wall and CPU seconds, peak resident
memory, and pabutools' time over ours in CPU seconds (both sides are single-threaded, so CPU
time is what other jobs on a shared machine distort least). pabutools (GPL-3) is a peer here,
never a dependency.

    python bench/bench_budgets.py                 # the default set (pabutools MES on Łódź ~1 min)
    python bench/bench_budgets.py --quick         # skip the Łódź pabutools run
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "shared" / "peers" / "pabulib"
LARGE = "Poland_Lodz_2022.pb"
SIX_THOUSAND = "Poland_Warszawa_2024_Bialoleka.pb"  # 8,422 voters, 54 projects
MID = "Poland_Lodz_2020_Baluty_Zachodnie.pb"  # 2,227 voters, 9 projects
SMALL = "Poland_Gdynia_2020_Leszczynki__small.pb"  # 675 voters, 9 projects


def _ours(path: str, rule: str) -> tuple[float, float, int]:
    from assembly.budgets.completion import add1
    from assembly.budgets.mes import equal_shares, prepare
    from assembly.budgets.pbfile import read_pb
    from assembly.budgets.profile import profile_of
    from assembly.budgets.ties import TieOrder

    election = read_pb(path)
    start, cpu = time.perf_counter(), time.process_time()
    profile = profile_of(election)
    prepared = prepare(profile)
    if rule == "mes":
        run = equal_shares(prepared, profile.budget / profile.voters)
    else:
        run, _ = add1(prepared, utility="cost", ties=TieOrder())
    return time.perf_counter() - start, time.process_time() - cpu, len(run.selected)


def _theirs(path: str, rule: str) -> tuple[float, float, int]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    instance, profile = parse_pabulib(path)
    start, cpu = time.perf_counter(), time.process_time()
    merged = profile.as_multiprofile()
    if rule == "mes":
        outcome = method_of_equal_shares(instance, merged, sat_class=Cost_Sat)
    else:
        outcome = exhaustion_by_budget_increase(
            instance,
            merged,
            method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=profile.num_ballots(),  # 1 currency unit per voter, as ours
            exhaustive_stop=False,
        )
    return time.perf_counter() - start, time.process_time() - cpu, len(outcome)


def _child(job, path, rule, pipe) -> None:
    seconds, cpu, funded = job(path, rule)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pipe.send((seconds, cpu, peak, funded))


def measure(job, path: Path, rule: str) -> tuple[float, float, float, int]:
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    process = context.Process(target=_child, args=(job, str(path), rule, theirs))
    process.start()
    result = mine.recv()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER)
    parser.add_argument("--quick", action="store_true", help="skip pabutools' MES on Łódź")
    args = parser.parse_args()
    plan = [
        (LARGE, "mes", not args.quick),
        (LARGE, "mes-add1", False),  # pabutools' Add1 on 90k voters would take hours
        (SIX_THOUSAND, "mes", True),
        (MID, "mes-add1", True),
        (SMALL, "mes", True),
        (SMALL, "mes-add1", True),
    ]
    print(
        f"{'file':42} {'rule':9} {'ours s':>8} {'cpu s':>7} {'MB':>5}"
        f" {'pabutools s':>12} {'cpu s':>7} {'MB':>5} {'cpu ratio':>9}"
    )
    for name, rule, with_peer in plan:
        path = args.folder / name
        ours = measure(_ours, path, rule)
        line = f"{name[:42]:42} {rule:9} {ours[0]:8.3f} {ours[1]:7.3f} {ours[2]:5.0f}"
        if with_peer:
            peer = measure(_theirs, path, rule)
            same = "" if peer[3] == ours[3] else "  (different count!)"
            line += (
                f" {peer[0]:12.3f} {peer[1]:7.3f} {peer[2]:5.0f} {peer[1] / ours[1]:8.1f}x{same}"
            )
        print(line, flush=True)


if __name__ == "__main__":
    main()
