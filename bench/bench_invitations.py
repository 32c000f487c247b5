"""Benchmark: the invitations on a synthetic borough (issue 20's targets, 2 cores).

Each step runs in a fresh forked process, so its peak resident memory is its own:

- draw: 30,000 letters from a 300,000-address frame, recorded with every address's inclusion
  probability (target <= 5 s); the frame's import and `verify` are timed beside it;
- letters: a 10,000-letter PDF by `assembly invitations letters`, run as its own process so
  its peak memory is the command's (target <= 60 s, <= 150 MB);
- registrations: matching 5,000 registrations (target <= 10 s).

    python bench/bench_invitations.py                # every step
    python bench/bench_invitations.py --only draw    # one step
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' typing-error generator

FRAME = 300_000
LETTERS = 30_000
PDF_LETTERS = 10_000
REGISTRATIONS = 5_000
SEED = "27 03 44 18 09 31"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _framed(folder: Path, size: int) -> tuple[Path, float]:
    import numpy as np

    from assembly.core.clock import SystemClock
    from assembly.invitations.frame import import_frame
    from assembly.invitations.synthetic import borough, write_frame
    from assembly.store import create_assembly

    addresses, postcodes, deprivation = write_frame(folder, borough(size, np.random.default_rng(1)))
    made = create_assembly(folder / "bench.assembly.db", name="Bench", clock=SystemClock())
    start = time.perf_counter()
    import_frame(made.db(), addresses, postcodes_path=postcodes, deprivation_path=deprivation)
    seconds = time.perf_counter() - start
    made.close()
    return folder / "bench.assembly.db", seconds


def _draw(queue) -> None:
    from assembly.invitations.lottery import Design
    from assembly.invitations.waves import draw_letters, verify_waves
    from assembly.store import open_assembly

    with tempfile.TemporaryDirectory() as folder:
        path, imported = _framed(Path(folder), FRAME)
        assembly = open_assembly(path)
        design = Design(wave=1, letters=LETTERS, top_up=0.2, deciles=(1, 2, 3))
        start, cpu = time.perf_counter(), time.process_time()
        draw_letters(assembly.db(), design, SEED, assembly.clock)
        drawn, cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        report = verify_waves(assembly.db())
        verified = time.perf_counter() - start
        assembly.close()
    queue.put(
        f"draw: {LETTERS:,} letters from {FRAME:,} addresses (20% top-up in deciles 1-3): "
        f"{drawn:.2f} s wall, {cpu:.2f} s CPU (target 5 s); import of the frame {imported:.2f} s; "
        f"verify {verified:.2f} s ({report[0][0]}); peak {_peak_mb():.0f} MB"
    )


def _letters(queue) -> None:
    """The PDF as an organiser makes it: `assembly invitations letters` in a process of its own
    (its peak memory is the command's, not the benchmark's frame import before it)."""
    import subprocess

    from assembly.invitations.lottery import Design
    from assembly.invitations.waves import draw_letters
    from assembly.store import open_assembly

    with tempfile.TemporaryDirectory() as folder:
        path, _ = _framed(Path(folder), 60_000)
        assembly = open_assembly(path)
        draw_letters(assembly.db(), Design(wave=1, letters=PDF_LETTERS), SEED, assembly.clock)
        assembly.close()
        out = Path(folder) / "letters.pdf"
        command = [sys.executable, "-m", "assembly", "invitations", "letters", str(path), str(out)]
        command += ["--url", "https://kingsbridge.example/assembly", "--phone", "0300 000 0000"]
        command += ["--deadline", "1 March"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            queue.put(f"letters: the command failed: {done.stdout}{done.stderr}")
            return
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        size = out.stat().st_size / 1e6
        pages = PDF_LETTERS
    queue.put(
        f"letters: `assembly invitations letters`, {pages:,}-page PDF in {seconds:.1f} s wall, "
        f"{cpu:.1f} s CPU (target 60 s), {size:.1f} MB file; the command's peak "
        f"{after.ru_maxrss / 1024:.0f} MB (target 150)"
    )


def _registrations(queue) -> None:
    import numpy as np

    from assembly.invitations.lottery import Design
    from assembly.invitations.registrations import import_registrations
    from assembly.invitations.synthetic import borough
    from assembly.invitations.waves import draw_letters
    from assembly.store import open_assembly
    from tests.invitations.typed_forms import registrations, write_form

    with tempfile.TemporaryDirectory() as folder:
        path, _ = _framed(Path(folder), 100_000)
        assembly = open_assembly(path)
        draw_letters(assembly.db(), Design(wave=1, letters=REGISTRATIONS), SEED, assembly.clock)
        letters = dict(
            assembly.db().execute(
                "select a.uprn, l.reference from invitation_letters l "
                "join invitation_addresses a on a.id = l.address_id"
            )
        )
        frame = borough(100_000, np.random.default_rng(1))
        typed = registrations(frame, letters, np.random.default_rng(5), neighbours=300)
        form = write_form(Path(folder) / "form.csv", typed)
        start = time.perf_counter()
        report = import_registrations(assembly.db(), form, assembly.clock)
        seconds = time.perf_counter() - start
        truth = {
            u: i for i, u in assembly.db().execute("select id, uprn from invitation_addresses")
        }
        stored = (
            assembly.db()
            .execute("select row, status, address_id from invitation_registrations")
            .fetchall()
        )
        assembly.close()
    genuine = [(typed[row - 2], s, a) for row, s, a in stored if typed[row - 2].genuine]
    matched = sum(s == "matched" for _, s, _ in genuine)
    wrong = sum(s == "matched" and a != truth[typed[row - 2].uprn] for row, s, a in stored)
    queue.put(
        f"registrations: {report.rows:,} read and matched to 100,000 addresses in {seconds:.2f} s "
        f"(target 10 s): {matched / len(genuine):.1%} of the {len(genuine):,} genuine matched, "
        f"{wrong} to a different household; {report.statuses}"
    )


STEPS = {"draw": _draw, "letters": _letters, "registrations": _registrations}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(STEPS), default=None)
    args = parser.parse_args()
    context = multiprocessing.get_context("fork")
    for name, step in STEPS.items():
        if args.only and name != args.only:
            continue
        queue = context.Queue()
        process = context.Process(target=step, args=(queue,))
        process.start()
        print(queue.get(), flush=True)
        process.join()


if __name__ == "__main__":
    main()
