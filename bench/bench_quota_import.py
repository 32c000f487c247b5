"""Benchmark: `assembly quotas import` on files of 1,000 to 100,000 rows (issue 26).

Every row used to re-read its feature's values and the panel size from the file, so the import
was quadratic: 1,000 rows took 1.3 s, 10,000 took 68 s and 100,000 ran past 120 s. The goal is
100,000 rows in 5 s. Each file sets gender quotas and then one quota of minimum 0 per value of
`age` that nobody has (the worst case: every row adds a value), on a pool of 30 respondents.

Times are wall-clock seconds (and this process's CPU seconds) of the import alone (the file read, checked and written in one
transaction), on a fresh copy of the assembly each time.

Run:  python bench/bench_quota_import.py [ROWS ...]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assembly.organiser.quotas import import_quotas_csv
from assembly.store import open_assembly
from tests.imports.hostile import make_assembly


def _quota_file(folder: Path, rows: int) -> Path:
    path = folder / f"quotas-{rows}.csv"
    body = "".join(f"age,a{i},0,1\n" for i in range(rows))
    path.write_text(
        "feature,value,min,max\ngender,female,4,6\ngender,male,4,6\n" + body, encoding="utf-8"
    )
    return path


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        master = make_assembly(root, quotas=False)
        for rows in sizes:
            source = _quota_file(root, rows)
            target = root / f"copy-{rows}.db"
            shutil.copy(master, target)
            assembly = open_assembly(target)
            try:
                start, cpu = time.perf_counter(), time.process_time()
                result = import_quotas_csv(assembly.db(), source, 10)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            finally:
                assembly.close()
            print(f"{rows:>9,} rows  {seconds:7.2f} s  ({cpu:.2f} s CPU, {result.quotas:,} quotas)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
