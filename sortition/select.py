"""The one entry point for drawing lotteries: `select(instance, algorithm=...)`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from sortition.goldilocks import goldilocks
from sortition.legacy import legacy
from sortition.leximin import DEFAULT_GAP, leximin
from sortition.maximin import maximin
from sortition.model import CancelToken, Distribution, Instance, ProgressCallback

ALGORITHMS = ("leximin", "maximin", "goldilocks", "legacy")
"""The selection algorithms, the default first: the one list every command and screen offers."""


def select(
    instance: Instance,
    algorithm: str = "leximin",
    rng: np.random.Generator | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
) -> Distribution:
    """A lottery over panels meeting every quota, by `algorithm`.

    `leximin` (the default) and `maximin` (its first level only, then stop) are exact
    optimisations and use no randomness;
    `goldilocks` (Baharav and Flanigan 2024) bounds the largest chance as well as the smallest:
    it minimises max p / (k/n) + max (k/n) / p, proven within `stats.gap` of that objective;
    `legacy` draws panels with the Sortition Foundation's greedy method and needs `rng`.
    `fixed` are person indices that must sit on every panel (say, people already confirmed).
    Raises `Infeasible` when no panel meets the quotas, `Cancelled` when `cancel` is set.
    `time_limit` (seconds) or `max_rounds` (pricing rounds) cap `leximin` and `maximin`: on a
    large pool with many distinct combinations of features they return the fairest lottery found
    within the budget, marked `stats.stopped_early`, with `stats.upper_bound` on the
    smallest chance any lottery could give.
    `gap` (LEXIMIN and MAXIMIN): how far below its optimum, in probability, a level may be
    when the search stops; `stats.gap` reports the gap actually proven.
    """
    fixed = tuple(fixed)
    exact = {"leximin": leximin, "maximin": maximin}
    if algorithm in exact:
        return exact[algorithm](
            instance,
            progress=progress,
            cancel=cancel,
            fixed=fixed,
            time_limit=time_limit,
            max_rounds=max_rounds,
            gap=gap,
        )
    if algorithm == "goldilocks":
        return goldilocks(
            instance,
            progress=progress,
            cancel=cancel,
            fixed=fixed,
            time_limit=time_limit,
            max_rounds=max_rounds,
        )
    if algorithm == "legacy":
        if rng is None:
            raise ValueError("the legacy algorithm draws at random: pass rng")
        return legacy(instance, rng, progress=progress, cancel=cancel, fixed=fixed)
    raise ValueError(f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}")
