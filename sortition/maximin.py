"""MAXIMIN: only the first level of LEXIMIN (the smallest selection probability, maximised).

Kept for comparison with the peers' maximin: it is as fair to the least-chosen person but,
unlike LEXIMIN, says nothing about everyone else, whose chances the solver leaves wherever
its last basis put them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sortition.model import CancelToken, Distribution, Instance, ProgressCallback


def maximin(
    instance: Instance,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = 1e-6,
) -> Distribution:
    """A lottery maximising the smallest selection probability (one LEXIMIN level)."""
    from sortition.leximin import leximin

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
