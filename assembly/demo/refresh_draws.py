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
    argparse.ArgumentParser(
        prog="python -m assembly.demo.refresh_draws",
        description=f"Recompute the example's stored lotteries and rewrite {draw_cache.CACHE.name} "
        "(takes a minute or so). For maintainers, after a change to the example's pool or "
        "the selection code; nothing else needs it.",
    ).parse_args(argv)
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
