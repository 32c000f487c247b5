"""Recompute the example's stored lotteries and the draw's commitment:
`python -m assembly.demo.refresh_draws`.

Kept apart from `draw_cache` because it builds the whole example, which reads that cache.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from assembly.demo import build_demo, draw_cache


def main(argv: list[str] | None = None) -> None:
    """Recompute the example's lotteries and store them, with the draw's commitment."""
    parser = argparse.ArgumentParser(
        prog="python -m assembly.demo.refresh_draws",
        description=f"Recompute the example's stored lotteries and rewrite {draw_cache.CACHE.name} "
        "(takes a minute or so). For maintainers, after a change to the example's pool or "
        "the selection code; nothing else needs it.",  # not words
    )
    parser.add_argument(
        "--commitment-only",  # not words
        action="store_true",
        help="keep the stored lotteries; store only the draw's new commitment (after a change "
        "to how a lottery is rounded to numbered panels or bundled)",
    )
    if parser.parse_args(argv).commitment_only:
        with tempfile.TemporaryDirectory() as folder:
            assembly = build_demo(Path(folder) / "example.assembly.db")
            row = assembly.db().execute("select commitment from draws where id = 1").fetchone()
            assembly.close()
        draw_cache.save_commitment(row[0])
        print(f"wrote the commitment in {draw_cache.CACHE}")  # not words
        return
    with tempfile.TemporaryDirectory() as folder, draw_cache.refreshing() as fresh:
        assembly = build_demo(Path(folder) / "example.assembly.db")
        commitment = assembly.db().execute("select commitment from draws where id = 1")
        commitment = commitment.fetchone()
        assembly.close()
    draw, replacement = fresh
    draw_cache.save({"draw": draw, "replacement": replacement}, commitment[0])
    print(f"wrote {draw_cache.CACHE}")


if __name__ == "__main__":
    main()
