"""Benchmark: `assembly demo` on a fresh file, as a person runs it, in a real terminal (a pty).

Prints the wall seconds from starting the command to
- the first screen: the app's first frame, the building screen ("Building the example
  assembly"), or, where the app only opens once the example is built, its Organiser home;
- the ready example: the Organiser home ("respondents in the pool");
then quits with Ctrl+Q and prints the command's peak memory (its maximum resident size).

Wall time, not CPU time: the figure is what the person waits. On a shared or busy machine it
varies from run to run, so it runs the command `--runs` times and prints each and the median;
`uptime`'s load average is printed beside them.

Run:  python bench/bench_demo.py [--runs 3] [--size 80x24] [--root DIR]

`--root DIR` runs the `assembly` package found in DIR instead of this checkout's (say, an
older version unpacked with `git archive`), to compare before and after on the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import resource
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIRST_SCREEN = ("Building the example assembly", "respondents in the pool")
READY = "respondents in the pool"
QUIT = b"\x11"  # Ctrl+Q
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")
TIMEOUT = 120.0


def _text(raw: bytes) -> str:
    """What the terminal shows, roughly: the output without its escape sequences."""
    return ANSI.sub(b"", raw).decode("utf-8", "replace")


def run_once(root: Path, columns: int, rows: int) -> tuple[float, float, float]:
    """(seconds to first screen, seconds to the ready example, peak MB) for one fresh run."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "example.assembly.db"
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
        env["PYTHONPATH"] = str(root)
        start = time.perf_counter()
        pid, fd = os.forkpty()
        if pid == 0:  # the child: the command, in the pty
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.chdir(folder)
            os.execvpe(sys.executable, [sys.executable, "-m", "assembly", "demo", str(target)], env)
        first = ready = None
        raw = b""
        try:
            while ready is None:
                if time.perf_counter() - start > TIMEOUT:
                    raise SystemExit(f"no ready example after {TIMEOUT:.0f} s:\n{_text(raw)}")
                readable, _, _ = select.select([fd], [], [], 0.05)
                if not readable:
                    continue
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the command ended
                    raise SystemExit(f"the command ended early:\n{_text(raw)}") from None
                raw += chunk
                shown = _text(raw)
                if first is None and any(mark in shown for mark in FIRST_SCREEN):
                    first = time.perf_counter() - start
                if READY in shown:
                    ready = time.perf_counter() - start
            os.write(fd, QUIT)
            _drain_until_exit(pid, fd)
        finally:
            os.close(fd)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return first, ready, peak


def _drain_until_exit(pid: int, fd: int) -> None:
    """Read what the app still writes (so it is never blocked on a full pty) until it exits."""
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        readable, _, _ = select.select([fd], [], [], 0.1)
        if readable:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
    os.kill(pid, 15)  # the one process this benchmark started
    os.waitpid(pid, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS")
    parser.add_argument("--root", type=Path, default=REPO, help="folder holding `assembly/`")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    print(f"assembly demo on a fresh file, {columns}x{rows} pty, code in {args.root}")
    firsts, readies = [], []
    for run in range(1, args.runs + 1):
        first, ready, peak = run_once(args.root.resolve(), columns, rows)
        firsts.append(first)
        readies.append(ready)
        load = os.getloadavg()[0]
        print(
            f"run {run}: first screen {first:5.2f} s  ready example {ready:5.2f} s  "
            f"peak memory {peak:5.0f} MB  (load {load:.1f})"
        )
    print(
        f"median: first screen {statistics.median(firsts):5.2f} s  "
        f"ready example {statistics.median(readies):5.2f} s"
    )


if __name__ == "__main__":
    main()
