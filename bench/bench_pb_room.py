"""The decision day: 60 phones cast participatory-budgeting ballots within one minute against a
real `assembly room` process on 127.0.0.1. Target: p95 response time under 300 ms.

Run: python bench/bench_pb_room.py [--phones 60] [--members 20] [--seconds 60] [--burst]
       [--form knapsack|approval|points] [--keep PATH]
The file holds a PB round of 12 feasible projects (budget £100,000) with voting open; the first
--members phones sign in with panel members' room codes, the rest with walk-in voter cards.
Each phone opens the start page, types its code, loads the ballot, checks its running total
(one in three, knapsack and points), sends a ballot within the budget and reads the
confirmation; one in ten then changes its mind and votes again. Phones start at random moments
within --seconds (seeded), or with --burst all at the same moment. Every request's time is
measured from send to last byte. Prints p50, p95 and max per kind of request, the server's CPU
time, the machine's load and peak memory, and checks one ballot counts per phone. Traffic goes
to 127.0.0.1 only and stops after the last phone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_room import cpu_seconds, load, p95, peak_memory_mb

from assembly.agenda.room import submissions as room
from assembly.budgets import ballots, codes, rounds
from assembly.core.clock import FixedClock
from assembly.store import create_assembly, open_assembly, write_transaction

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
COSTS = (5, 8, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60)  # thousands of pounds
BUDGET = 100_000


def build(path: Path, phones: int, members: int, form: str) -> list[str]:
    """The assembly file; returns one code per phone (members' room codes, then cards)."""
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assembly = create_assembly(path, name="Bench assembly", clock=clock)
    db = assembly.db()
    with write_transaction(db):
        for n in range(1, members + 1):
            rid = (
                db["respondents"]
                .insert({"ref": f"R{n}", "name": f"P{n}", "features": "{}", "imported_at": "x"})
                .last_pk
            )
            db["members"].insert(
                {"respondent_id": rid, "number": n, "status": "confirmed", "status_changed_at": "x"}
            )
    round_id = rounds.create_round(
        db,
        title="Decision day",
        budget_pence=BUDGET * 100,
        rule="mes-add1",
        ballot_form=form,
        points_per_voter=100 if form == "points" else None,
        max_projects=5 if form == "approval" else None,
        clock=clock,
    )
    for n, cost in enumerate(COSTS, start=1):
        rounds.add_project(
            db,
            round_id,
            title=f"Project {n}",
            cost_pence=cost * 100_000,
            area="North" if n % 2 else "South",
            category="Parks",
            status="feasible",
            actor="bench",
            clock=clock,
        )
    rounds.open_voting(db, round_id, clock=clock)
    member_codes = [c.code for c in room.issue_codes(db, clock)]
    cards = codes.issue_voter_codes(db, round_id, phones - members, clock=clock)
    assembly.close()
    return member_codes + [c.code for c in cards]


def choose(rng: random.Random, form: str) -> list[tuple[str, str]]:
    """A ballot within the rules: projects (by position 1-12) whose costs fit the budget."""
    order = list(range(1, len(COSTS) + 1))
    rng.shuffle(order)
    chosen, spent = [], 0
    for n in order[: rng.randint(1, 5)]:
        if spent + COSTS[n - 1] * 1000 <= BUDGET:
            chosen.append(n)
            spent += COSTS[n - 1] * 1000
    if form == "points":
        share = 100 // len(chosen)
        return [(f"points-{n}", str(share)) for n in chosen]
    return [("project", str(n)) for n in chosen]  # row ids are 1-12 in a fresh file


async def phone(url: str, code: str, start: float, rng: random.Random, form: str, times: dict):
    await asyncio.sleep(start)
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:

        async def call(kind: str, method: str, path: str, data=None) -> str:
            began = time.perf_counter()
            async with http.request(method, url + path, data=data, allow_redirects=False) as r:
                text = await r.text()
                status = r.status
            times.setdefault(kind, []).append(time.perf_counter() - began)
            if status >= 400:
                raise RuntimeError(f"{method} {path}: HTTP {status}")
            return text

        page = await call("start page", "GET", "")
        await call("enter code", "POST", "code", {"csrf": CSRF.search(page)[1], "code": code})
        for _ in range(2 if rng.random() < 0.1 else 1):
            page = await call("ballot form", "GET", "budget")
            ballot = [("csrf", CSRF.search(page)[1]), ("round", "1"), *choose(rng, form)]
            if form != "approval" and rng.random() < 1 / 3:
                page = await call("check total", "POST", "budget", [*ballot, ("action", "check")])
            await call("send ballot", "POST", "budget", [*ballot, ("action", "send")])
            await call("confirmation", "GET", "budget/recorded")


async def run(url: str, phone_codes: list[str], args) -> dict:
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {}
    await asyncio.gather(
        *(
            phone(
                url,
                code,
                0.0 if args.burst else rng.uniform(0, args.seconds),
                random.Random(n),
                args.form,
                times,
            )
            for n, code in enumerate(phone_codes)
        )
    )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--members", type=int, default=20, help="Of the phones, panel members.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--form", choices=("knapsack", "approval", "points"), default="knapsack")
    parser.add_argument(
        "--burst", action="store_true", help="Every phone starts at once, not over --seconds."
    )
    parser.add_argument("--keep", type=Path, default=None, help="Keep the file at this path.")
    args = parser.parse_args()
    if not 0 <= args.members < args.phones <= 1000:
        parser.error("--phones must be 1-1000 and more than --members")
    folder = Path(tempfile.mkdtemp(prefix="bench-pb-room-"))
    path = args.keep or folder / "pb-room.assembly.db"
    phone_codes = build(path, args.phones, args.members, args.form)
    print(f"Load before: {load()}")
    server = subprocess.Popen(
        [sys.executable, "-m", "assembly", "room", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = next(line.split()[-1] for line in server.stdout if line.startswith("Room open at "))
        assert url.startswith("http://127.0.0.1:"), url  # this machine only
        cpu_before = cpu_seconds(server.pid)
        began = time.perf_counter()
        times = asyncio.run(run(url, phone_codes, args))
        wall = time.perf_counter() - began
        server_peak = peak_memory_mb(server.pid)
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    everything = [t for values in times.values() for t in values]
    spread = "all at once" if args.burst else f"within {args.seconds:g} s"
    print(
        f"{args.phones} phones ({args.members} members, {args.phones - args.members} voter "
        f"cards), {args.form} ballots, {spread}, against {url} ({wall:.1f} s wall)"
    )
    print(f"{'request':<14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in times.items():
        print(
            f"{kind:<14} {len(values):>6} {statistics.median(values) * 1000:>8.1f} "
            f"{p95(values) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
        )
    overall = p95(everything) * 1000
    print(
        f"{'all':<14} {len(everything):>6} {statistics.median(everything) * 1000:>8.1f} "
        f"{overall:>8.1f} {max(everything) * 1000:>8.1f}"
    )
    print(f"Server CPU: {server_cpu:.2f} s for {len(everything)} requests (load after: {load()})")
    print(
        f"Peak memory: server {server_peak:.0f} MB, this client {peak_memory_mb():.0f} MB (VmHWM)"
    )
    db = open_assembly(path, read_only=True).db()
    counted = len(ballots.current_ballots(db, 1))
    print(f"Ballots counted: {counted} (one per phone: {counted == args.phones})")
    print(
        f"p95 response time: {overall:.0f} ms (target < 300 ms): "
        f"{'met' if overall < 300 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
