"""The room under a full panel: 60 members vote from their phones within one minute against a
real `assembly room` process on 127.0.0.1. Target: p95 response time under 300 ms.

Run: python bench/bench_room.py [--members 60] [--seconds 60] [--burst] [--keep PATH]
Each member is a phone: open the start page, type the code, load the vote form, send a dot
ballot, read the confirmation (one in ten then changes their mind and votes again). Members
start at random moments within --seconds (seeded), or with --burst all at the same moment (the
facilitator says "vote now"); every request's time is measured from send to last byte. Prints
p50, p95 and max per kind of request, and the server's and this client's peak memory (VmHWM).
Traffic goes to 127.0.0.1 only and stops after the last member.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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

from assembly.agenda import rounds, topics
from assembly.agenda.room import submissions as room
from assembly.core.clock import FixedClock
from assembly.store import create_assembly, open_assembly, write_transaction

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TOPICS = 8


def build(path: Path, members: int) -> dict[int, str]:
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
    for n in range(1, TOPICS + 1):
        topics.propose_topic(db, clock, f"Topic {n}")
    rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3)
    codes = {c.member_number: c.code for c in room.issue_codes(db, clock)}
    assembly.close()
    return codes


async def member(
    session_factory, url: str, code: str, start: float, rng: random.Random, times: dict
) -> None:
    await asyncio.sleep(start)
    async with session_factory() as http:

        async def call(kind: str, method: str, path: str, data: dict | None = None) -> str:
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
            form = await call("vote form", "GET", "vote")
            dots = {f"dots-{rng.randint(1, TOPICS)}": "1" for _ in range(3)}
            await call(
                "send ballot", "POST", "vote", {"csrf": CSRF.search(form)[1], "round": "1", **dots}
            )
            await call("confirmation", "GET", "recorded")


async def run(url: str, codes: dict[int, str], seconds: float, seed: int, burst: bool) -> dict:
    rng = random.Random(seed)
    times: dict[str, list[float]] = {}

    def session_factory():
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    await asyncio.gather(
        *(
            member(
                session_factory,
                url,
                code,
                0.0 if burst else rng.uniform(0, seconds),
                random.Random(n),
                times,
            )
            for n, code in codes.items()
        )
    )
    return times


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def peak_memory_mb(pid: int | str = "self") -> float:
    """Peak resident memory (VmHWM) of a process, in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load() -> str:
    """The machine's 1-minute load average: other work competing for the same cores."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--burst", action="store_true", help="Every member starts at once, not over --seconds."
    )
    parser.add_argument("--keep", type=Path, default=None, help="Keep the file at this path.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-room-"))
    path = args.keep or folder / "room.assembly.db"
    codes = build(path, args.members)
    server = subprocess.Popen(
        [sys.executable, "-m", "assembly", "room", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = next(line.split()[-1] for line in server.stdout if line.startswith("Room open at "))
        cpu_before = cpu_seconds(server.pid)
        began = time.perf_counter()
        times = asyncio.run(run(url, codes, args.seconds, args.seed, args.burst))
        wall = time.perf_counter() - began
        server_peak = peak_memory_mb(server.pid)
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=10)
    everything = [t for values in times.values() for t in values]
    spread = "all at once" if args.burst else f"within {args.seconds:g} s"
    print(f"{args.members} members {spread} against {url} ({wall:.1f} s wall)")
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
    print(f"Server CPU: {server_cpu:.2f} s for {len(everything)} requests (load: {load()})")
    print(
        f"Peak memory: server {server_peak:.0f} MB, this client {peak_memory_mb():.0f} MB (VmHWM)"
    )
    db = open_assembly(path, read_only=True).db()
    counted = rounds.get_round(db, 1).ballots
    print(f"Ballots counted: {counted} (one per member: {counted == args.members})")
    print(
        f"p95 response time: {overall:.0f} ms (target < 300 ms): "
        f"{'met' if overall < 300 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
