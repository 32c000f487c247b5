"""Feedback log at scale: a log of 100,000 entries, the Scrutiny dashboard (target < 100 ms) and
a full verification of the chain and item summaries (target < 2 s).

Run: python bench/bench_feedback.py [--entries 100000] [--keep PATH]
The log is written through the real services (track/record), batched in one transaction so the
build takes seconds rather than minutes; each entry is hash-chained exactly as in normal use.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assembly.core.clock import FixedClock
from assembly.feedback import scrutiny, writes
from assembly.feedback.schema import ITEM_STATUSES
from assembly.feedback.verify import verify_log
from assembly.store import create_assembly, open_assembly, write_transaction

BODIES = [f"Department {n:02d}" for n in range(1, 25)]


def build_log(path: Path, entries: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assembly = create_assembly(path, name="Bench", clock=clock)
    db = assembly.db()
    n_items = entries // 5
    with write_transaction(db):
        for n in range(n_items):
            clock.advance(minutes=3)
            writes.track(
                db,
                title=f"Residents' idea number {n} about high streets and climate",
                description="A longer description of what residents asked for. " * 3,
                source_kind="idea",
                source_id=n,
                actor="Organiser",
                clock=clock,
                responsible_body=BODIES[n % len(BODIES)],
                due=f"2026-{1 + n % 12:02d}-15",
            )
        statuses = [s for s in ITEM_STATUSES if s != "received"]
        for k in range(entries - n_items):
            clock.advance(minutes=1)
            item = int(rng.integers(1, n_items + 1))
            status = statuses[int(rng.integers(len(statuses)))]
            writes.record(
                db,
                item,
                actor="Officer",
                clock=clock,
                status=status,
                reason="Budget and legal review." if status == "not_accepted" else "",
                progress=int(rng.integers(0, 101)),
                response=f"Response number {k}.",
            )
    assembly.close()


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="Keep the log file here.")
    parser.add_argument("--reuse", type=Path, default=None, help="Time an existing log file.")
    args = parser.parse_args()
    if args.reuse:
        path = args.reuse
    else:
        path = args.keep or Path(tempfile.mkdtemp()) / "bench.assembly.db"
        t = time.perf_counter()
        build_log(path, args.entries)
        print(f"built a log of {args.entries:,} entries in {time.perf_counter() - t:.1f} s")
    open_assembly(path).close()  # brings an older file's schema up to date
    review = open_assembly(path, read_only=True)
    db = review.db()
    today = date(2026, 7, 1)
    board = timed(lambda: scrutiny.dashboard(db, today), 7)
    items = timed(
        lambda: scrutiny.find_items(db, scrutiny.ItemFilter(text="number 1234"), today), 7
    )
    overdue = timed(
        lambda: scrutiny.find_items(db, scrutiny.ItemFilter(overdue_only=True), today), 7
    )
    verify = timed(lambda: verify_log(db), 3)
    deep = timed(lambda: verify_log(db, deep=True), 3)
    check = verify_log(db, deep=True)
    assert check.ok, check.describe()
    print(f"dashboard: median {statistics.median(board) * 1000:.1f} ms (target < 100 ms)")
    print(f"search items: median {statistics.median(items) * 1000:.1f} ms")
    print(f"overdue items: median {statistics.median(overdue) * 1000:.1f} ms")
    print(
        f"verify (chain, form, times, counts, dates): median {statistics.median(verify):.2f} s (target < 2 s)"
    )
    print(f"verify --deep (replays every entry): median {statistics.median(deep):.2f} s")
    print(check.describe())
    review.close()


if __name__ == "__main__":
    main()
