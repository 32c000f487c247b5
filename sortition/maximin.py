"""MAXIMIN: the first level of LEXIMIN only (the smallest selection probability, maximised).

Kept for comparison with the peers' maximin: it is as fair to the least-chosen person but,
unlike LEXIMIN, says nothing about everyone else, whose chances the solver leaves wherever
its last basis put them. The search stops as soon as the first level is proven.
"""

from __future__ import annotations

from collections.abc import Iterable

from sortition.leximin import DEFAULT_GAP, leximin
from sortition.model import CancelToken, Distribution, Instance, ProgressCallback


def maximin(
    instance: Instance,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
) -> Distribution:
    """A lottery maximising the smallest selection probability, proven within `gap`."""
    return leximin(
        instance,
        progress=progress,
        cancel=cancel,
        fixed=fixed,
        levels=1,
        name="maximin",
        time_limit=time_limit,
        max_rounds=max_rounds,
        gap=gap,
    )
