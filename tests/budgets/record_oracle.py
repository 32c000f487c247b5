"""Record pabutools' outcomes on the shared approval files, so the suite compares ours with
them on every machine, pabutools installed or not (`python -m tests.budgets.record_oracle`).

pabutools (GPL-3) is only an oracle: its outcomes are stored as project ids, next to each
file's SHA-256 and the pabutools version that computed them; none of its code is copied.
MES with cost utilities runs on every approval file; Add1 (`exhaustion_by_budget_increase`
with one currency unit per voter at a time) on the files where pabutools finishes it within
`--add1-seconds` (run in a child process that is stopped at that limit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sys
import time
from pathlib import Path

from tests.budgets.conftest import pabulib_files, pb_head

OUT = Path(__file__).with_name("data") / "pabutools_outcomes.json"


def _mes(path: str, add1_step: bool) -> list[str]:
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

    instance, profile = parse_pabulib(path)
    merged = profile.as_multiprofile()
    if not add1_step:
        outcome = method_of_equal_shares(instance, merged, sat_class=Cost_Sat)
    else:
        outcome = exhaustion_by_budget_increase(
            instance,
            merged,
            method_of_equal_shares,
            {"sat_class": Cost_Sat},
            budget_step=profile.num_ballots(),
            exhaustive_stop=False,
        )
    return sorted(p.name for p in outcome)


def _bounded(path: Path, add1_step: bool, seconds: float) -> list[str] | None:
    """pabutools' outcome, or None when it does not finish in time."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        job = pool.apply_async(_mes, (str(path), add1_step))
        try:
            return job.get(timeout=seconds)
        except multiprocessing.TimeoutError:
            return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mes-seconds", type=float, default=600.0)
    parser.add_argument("--add1-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    import pabutools

    files = [p for p in pabulib_files() if pb_head(p)[0].get("vote_type") == "approval"]
    if not files:
        print("No shared Pabulib files (../shared/peers/pabulib) to record.", file=sys.stderr)
        return 2
    record: dict[str, object] = {
        "pabutools": getattr(pabutools, "__version__", "unknown"),
        "rules": {
            "mes": "method_of_equal_shares, Cost_Sat, on the merged profile",
            "add1": "exhaustion_by_budget_increase(budget_step=number of ballots, "
            "exhaustive_stop=False) over method_of_equal_shares with Cost_Sat",
        },
        "files": {},
    }
    for path in files:
        started = time.perf_counter()
        mes = _bounded(path, False, args.mes_seconds)
        add1 = _bounded(path, True, args.add1_seconds)
        record["files"][path.name] = {  # type: ignore[index]
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "mes": mes,
            "add1": add1,
        }
        took = time.perf_counter() - started
        print(
            f"{path.name}: mes {'ok' if mes is not None else 'timeout'}, "
            f"add1 {'ok' if add1 is not None else 'timeout'} ({took:.1f} s)",
            flush=True,
        )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
