"""The greedy method the Sortition Foundation long used, for comparison with LEXIMIN.

A panel is built one person at a time: take the feature value whose unmet minimum is largest
relative to the people still available with it, and pick one of those people at random; when
every minimum is met, pick anyone still allowed. A dead end (a minimum that can no longer be
met, or nobody left) starts the panel again. Its selection probabilities have no closed form,
so they are estimated from many draws and the result is that empirical lottery.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

import numpy as np

from sortition.model import (
    Cancelled,
    CancelToken,
    Distribution,
    Infeasible,
    Instance,
    ProgressCallback,
    ProgressEvent,
    chances,
)
from sortition.types import shared_households, summarise
from sortition.words import Words, words

DRAWS = 1000
"""Panels drawn to estimate the probabilities (the error of each is about 0.5/sqrt(DRAWS))."""

RESTARTS = 200
"""Dead ends tolerated per panel before giving up."""


class _Greedy:
    def __init__(self, instance: Instance, fixed: tuple[int, ...]) -> None:
        self.instance = instance
        self.member = instance.membership().astype(bool)
        self.member_f = self.member.astype(np.float64)
        self.mins = np.array([q.min for q in instance.quotas])
        self.maxs = np.array([q.max for q in instance.quotas])
        self.fixed = fixed
        self.mates: list[np.ndarray] = [np.zeros(0, dtype=np.int64)] * instance.pool.size
        for people in shared_households(instance.pool):
            for person in people:
                self.mates[person] = np.array(people, dtype=np.int64)

    def _seat(
        self, person: int, selected: np.ndarray, allowed: np.ndarray, panel: list[int]
    ) -> None:
        panel.append(person)
        selected += self.member[:, person]
        allowed[person] = False
        allowed[self.mates[person]] = False
        full = selected >= self.maxs
        if full.any():
            allowed &= ~self.member[full].any(axis=0)

    def attempt(self, rng: np.random.Generator) -> list[int] | None:
        """One greedy panel, or None at a dead end."""
        n = self.instance.pool.size
        k = self.instance.panel_size
        selected = np.zeros(len(self.mins), dtype=np.int64)
        allowed = np.ones(n, dtype=bool)
        panel: list[int] = []
        for person in self.fixed:
            self._seat(person, selected, allowed, panel)
        while len(panel) < k:
            if not allowed.any():
                return None
            available = self.member_f @ allowed
            needed = self.mins - selected
            if np.any(needed > available):
                return None
            open_ = needed > 0
            if open_.any():
                ratio = np.where(open_, needed / np.maximum(available, 1), -1.0)
                best = np.flatnonzero(ratio == ratio.max())
                q = int(best[rng.integers(len(best))]) if len(best) > 1 else int(best[0])
                candidates = np.flatnonzero(allowed & self.member[q])
            else:
                candidates = np.flatnonzero(allowed)
            self._seat(int(candidates[rng.integers(len(candidates))]), selected, allowed, panel)
        if np.any(selected < self.mins) or np.any(selected > self.maxs):
            return None
        return panel

    def panel(self, rng: np.random.Generator) -> tuple[int, ...]:
        for tries in range(RESTARTS):
            self.tries = tries
            panel = self.attempt(rng)
            if panel is not None:
                return tuple(sorted(panel))
        from sortition.loosen import explain_infeasible as short_infeasibility

        reason = short_infeasibility(self.instance)
        raise Infeasible(
            words(
                "the greedy method found no panel in %(tries)s tries (%(reason)s)",
                tries=RESTARTS,
                reason=_in_one(reason),
            ),
            reason.relaxation,
        )


def _in_one(reason: Infeasible) -> Words | str:
    """An explanation's lines as one message within a message (each line still its own words,
    one to a line, so its English is the explanation); the English when it gives no lines."""
    if not reason.lines:
        return reason.explanation
    if len(reason.lines) == 1:
        return reason.lines[0]
    names = [f"line{i}" for i in range(len(reason.lines))]
    return Words(
        "\n".join(f"%({name})s" for name in names), dict(zip(names, reason.lines, strict=True))
    )


def legacy(
    instance: Instance,
    rng: np.random.Generator,
    *,
    draws: int = DRAWS,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
) -> Distribution:
    """The empirical lottery of `draws` greedy panels (each meets every quota)."""
    start = time.perf_counter()
    greedy = _Greedy(instance, tuple(int(i) for i in fixed))
    counts: dict[tuple[int, ...], int] = {}
    for d in range(draws):
        if cancel is not None and cancel.is_set():
            raise Cancelled("selection cancelled")
        panel = greedy.panel(rng)
        counts[panel] = counts.get(panel, 0) + 1
        if progress is not None and (d + 1) % 100 == 0:
            progress(
                ProgressEvent(
                    "legacy",
                    words("%(drawn)s of %(draws)s panels drawn", drawn=d + 1, draws=draws),
                    (d + 1) / draws,
                )
            )
    panels = tuple(counts)
    weights = np.array([counts[p] for p in panels], dtype=float) / draws
    probabilities = chances(panels, weights, instance.pool.size)
    stats = dataclasses.replace(
        summarise(probabilities, len(panels)),
        draws=int(draws),
        seconds=time.perf_counter() - start,
    )
    return Distribution(
        panels=panels, weights=weights, probabilities=probabilities, algorithm="legacy", stats=stats
    )
