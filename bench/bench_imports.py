"""Benchmark: the shared reader on the hostile shapes issue 11 reported, and on a large pool.

- a pool CSV whose header has 100,000 columns (the old header checks were quadratic: minutes);
- a 5 KB workbook with one more cell at XFD1048576 (the old reader grew past 2.8 GB);
- a pool of 100,000 respondents (CSV) read, mapped and checked;
- a workbook of 50,000 rows read in streaming mode.

Times are CPU seconds of this process; peak memory is the process's maximum resident size.

Run:  python bench/bench_imports.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assembly.organiser.errors import OrganiserError
from assembly.organiser.pool_import import guess_mapping, plan_import, read_source
from tests.imports.hostile import POOL_CSV, far_cell_workbook, rows_of, workbook


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, job) -> None:
    start = time.process_time()
    try:
        outcome = job()
    except OrganiserError as error:
        outcome = f"refused: {str(error)[:70]}"
    seconds = time.process_time() - start
    print(f"{label:<46} {seconds:8.2f} s CPU  peak {_peak_mb():7.0f} MB  {outcome}")


def _plan(path: Path) -> str:
    source = read_source(path)
    plan = plan_import(source, guess_mapping(source.header))
    return f"{len(plan.people):,} people, {len(source.header):,} columns"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        wide = root / "wide.csv"
        lines = POOL_CSV.splitlines()
        extra = ",".join(f"q{i}" for i in range(100_000))
        wide.write_text(lines[0] + "," + extra + "\n" + "\n".join(lines[1:]) + "\n")
        _timed("header of 100,000 columns (refused: > 16,384)", lambda: _plan(wide))
        wide16 = root / "wide16.csv"
        extra16 = ",".join(f"q{i}" for i in range(16_000))
        wide16.write_text(lines[0] + "," + extra16 + "\n" + "\n".join(lines[1:]) + "\n")
        _timed("header of 16,000 columns", lambda: _plan(wide16))

        far = root / "far.xlsx"
        far.write_bytes(far_cell_workbook(rows_of(POOL_CSV)))
        _timed(
            f"{far.stat().st_size / 1024:.0f} KB workbook, a cell at XFD1048576", lambda: _plan(far)
        )

        big = root / "big.csv"
        rows = [
            f"p{i},Person {i},{i} Road,HF{i % 9} 1AA,{'fm'[i % 2]},{'abc'[i % 3]},{i % 7}"
            for i in range(100_000)
        ]
        big.write_text("id,name,address,postcode,gender,age,ward\n" + "\n".join(rows) + "\n")
        _timed("pool of 100,000 respondents (CSV)", lambda: _plan(big))

        book = root / "book.xlsx"
        sheet = [["id", "gender", "age"]] + [
            [f"p{i}", "fm"[i % 2], "abc"[i % 3]] for i in range(50_000)
        ]
        book.write_bytes(workbook([("Sheet", sheet)]))
        _timed("workbook of 50,000 rows", lambda: _plan(book))


if __name__ == "__main__":
    main()
