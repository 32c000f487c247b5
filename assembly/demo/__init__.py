"""The ready example assembly: a fictional London borough's High Streets and Climate Assembly.

The example is built in parts, each owned by the area of the app it shows off (`part_*` modules,
run in their `ORDER`): the pool first, then quotas and the draw, then sessions, then the
feedback log. Everything comes from one seed and a fixed clock, so it is the same every time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assembly.core.clock import FixedClock
from assembly.store import AssemblyFile, create_assembly

DEMO_NAME = "Hollowfield High Streets and Climate Assembly"
DEMO_SEED = 20261126
# Early enough that the whole story (draw in March, sessions in April, council responses over
# the summer, some overdue) lies in the past for anyone opening the example; 26 weeks before
# the first version of the timeline, so weekdays are unchanged.
DEMO_START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
DEFAULT_PATH = Path("example.assembly.db")


def demo_parts() -> list[
    tuple[int, str, Callable[[AssemblyFile, np.random.Generator, FixedClock], None]]
]:
    """The example's parts in order: (order, module name, build function).

    Imported here, not at the top, so reading `DEMO_START` does not load every area."""
    from assembly.demo import (
        part_agenda,
        part_feedback,
        part_pool,
        part_selection,
        part_sessions,
        part_tables,
    )

    # In the order they build: each part's ORDER, which also seeds its randomness.
    parts = (part_pool, part_selection, part_sessions, part_agenda, part_tables, part_feedback)
    return [(part.ORDER, part.__name__.rpartition(".")[2], part.build) for part in parts]


def build_demo(
    path: str | Path = DEFAULT_PATH,
    *,
    overwrite: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> AssemblyFile:
    """Write the example assembly to `path` (replacing an old copy) and return it, opened.

    `progress(done, total, part)` is called as each part starts, so a caller can say what is
    happening during the seconds the build takes."""
    clock = FixedClock(DEMO_START)
    assembly = create_assembly(
        path,
        name=DEMO_NAME,
        timezone="Europe/London",
        description=(
            "A citizens' assembly of 40 residents of the (fictional) London Borough of "
            "Hollowfield, asked: how should our high streets change to meet the borough's "
            "climate goals, and who should they work for?"
        ),
        clock=clock,
        overwrite=overwrite,
    )
    parts = demo_parts()
    for done, (order, name, build) in enumerate(parts, start=1):
        if progress is not None:
            progress(done, len(parts), name.removeprefix("part_"))
        rng = np.random.default_rng([DEMO_SEED, order])
        build(assembly, rng, clock)
    return assembly
