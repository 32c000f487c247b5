"""The ready example assembly: a fictional London borough's High Streets and Climate Assembly.

The example is built in parts, each owned by the area of the app it shows off (`part_*` modules,
run in their `ORDER`): the invitation letters and who answered them first, then the pool, then
quotas and the draw, then sessions, then the
feedback log, then a participatory budget. Everything comes from one seed and a fixed clock, so
it is the same every time.

The build takes a few seconds, so it writes a hidden file beside the target and renames it into
place only when every part is done: an interrupted build (Escape, a crash, a power cut) never
leaves a file that could be taken for the complete example, and the next `assembly demo` builds
it again.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assembly.core.clock import FixedClock
from assembly.core.i18n import N_, _
from assembly.store import AssemblyFile, StoreError, create_assembly

# The example's own content (its name, its question), like its parts': as its council wrote it.
DEMO_NAME = "Hollowfield High Streets and Climate Assembly"  # not words
DEMO_SEED = 20261126
# Early enough that the whole story (draw in March, sessions in April, council responses over
# the summer, some overdue) lies in the past for anyone opening the example; 26 weeks before
# the first version of the timeline, so weekdays are unchanged.
DEMO_START = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
DEMO_TIMEZONE = "Europe/London"  # not words
DEFAULT_PATH = Path("example.assembly.db")
# What each part makes, for a person watching the build ("part 2 of 6: the draw ...").
PART_TITLES = {
    "invitations": N_("10,000 invitation letters and who answered"),
    "pool": N_("the pool of 1,500 respondents"),
    "selection": N_("quotas, the draw and the panel's replies"),
    "sessions": N_("three sessions, speakers and ideas"),
    "agenda": N_("topics, votes and the agenda"),
    "tables": N_("table plans"),
    "feedback": N_("the feedback log of council responses"),
    "budgets": N_("the neighbourhood fund's participatory budget"),
}


class DemoCancelled(Exception):
    """The build was stopped before it finished; nothing was left at the target path."""


def demo_parts() -> list[
    tuple[int, str, Callable[[AssemblyFile, np.random.Generator, FixedClock], None]]
]:
    """The example's parts in order: (order, module name, build function).

    Imported here, not at the top, so reading `DEMO_START` does not load every area."""
    from assembly.demo import (
        part_agenda,
        part_budgets,
        part_feedback,
        part_invitations,
        part_pool,
        part_selection,
        part_sessions,
        part_tables,
    )

    # In the order they build: each part's ORDER, which also seeds its randomness.
    parts = (
        part_invitations,
        part_pool,
        part_selection,
        part_sessions,
        part_agenda,
        part_tables,
        part_feedback,
        part_budgets,
    )
    return [(part.ORDER, part.__name__.rpartition(".")[2], part.build) for part in parts]


def part_title(part: str) -> str:
    """What a part makes, in words (its name if it has no title)."""
    return _(PART_TITLES[part]) if part in PART_TITLES else part


def build_demo(
    path: str | Path = DEFAULT_PATH,
    *,
    overwrite: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AssemblyFile:
    """Write the example assembly to `path` (replacing an old copy) and return it, opened.

    `progress(done, total, part)` is called as each part starts, so a caller can say what is
    happening during the seconds the build takes. `cancelled()` is asked before each part and
    before the finished file is moved into place; when it says yes the build stops with
    `DemoCancelled`. Either way, or on any error, the half-built file is removed and `path` is
    as it was: the new example appears there whole, in one rename, or not at all."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise StoreError(
            _("%(path)s already exists; choose another name or remove it first.", path=str(path))
        )
    if not path.parent.exists():
        raise StoreError(_("The folder %(folder)s does not exist.", folder=str(path.parent)))
    building = path.with_name(f".{path.name}.building-{secrets.token_hex(4)}")
    clock = FixedClock(DEMO_START)
    assembly = None
    try:
        assembly = create_assembly(
            building,
            name=DEMO_NAME,
            timezone=DEMO_TIMEZONE,
            description=(
                "A citizens' assembly of 40 residents of the (fictional) London Borough of "
                "Hollowfield, asked: how should our high streets change to meet the borough's "
                "climate goals, and who should they work for?"  # not words
            ),
            clock=clock,
        )
        parts = demo_parts()
        for done, (order, name, build) in enumerate(parts, start=1):
            _stop_if(cancelled)
            if progress is not None:
                progress(done, len(parts), name.removeprefix("part_"))
            rng = np.random.default_rng([DEMO_SEED, order])
            build(assembly, rng, clock)
        _stop_if(cancelled)
        assembly.close()  # the last connection: SQLite folds the -wal into the file
        for suffix in ("-wal", "-shm"):  # an old copy's companions must not meet the new file
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(building, path)
    except BaseException:
        if assembly is not None:
            assembly.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        raise
    return AssemblyFile(path=path, clock=clock)


def _stop_if(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise DemoCancelled(_("The example was not built: stopped before it finished."))
