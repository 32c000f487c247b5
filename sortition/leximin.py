"""LEXIMIN selection by column generation over types (Flanigan et al., Nature 2021).

LEXIMIN maximises the smallest selection probability, then the next smallest, and so on. The
lottery is over panels, far too many to list, so a master LP holds a growing set of panels and
a pricing MILP finds the panel that most improves the master's dual; when none improves it by
more than `TOLERANCE`, the current level is optimal, the types whose dual is positive cannot
rise above it and are fixed, and the next level starts. Both are HiGHS models kept in memory:
the master gains columns and restarts from its last basis, the pricing model only changes its
objective. Everything is over types (see `sortition.types`), a panel being a count per type.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sortition.columns import Master, PanelPricer
from sortition.fractional import FractionalLeximin, fractional_leximin
from sortition.highs import LOTTERY_SLACK
from sortition.loosen import explain_infeasible
from sortition.model import (
    Cancelled,
    CancelToken,
    Distribution,
    Instance,
    ProgressCallback,
    ProgressEvent,
    SelectionStats,
)
from sortition.reach import Reached, TargetMaster, reach, seats_by_type
from sortition.types import TypeModel, compact_lottery, group_types
from sortition.words import words

DEFAULT_GAP = 1e-6
"""Largest gap, in selection probability, between a level and its proven optimum, by default.

A setting (`gap=` on `select`, `--gap` on the command line): the search stops a level once no
panel could raise it by more than this. The peer `sortition-algorithms` stops at 5e-4."""

REACH_SEED = 20211
"""Seed of the panel sampler: the same lottery for the same input on one installation (solver
versions and CPUs may take other paths to other panels with the same chances; docs/sortition.md,
"What holds on every machine")."""

FIX_DUAL = 1e-6
"""Types whose dual weight exceeds this are tight at the current level (and fixed there)."""

EXTRA_COLUMNS = 4
"""Near-optimal panels added per pricing round besides the best one."""

PRUNE_AT = 3
"""The master keeps at most this many panels per type (dropping unused ones beyond it)."""

SMOOTHING = 0.7
"""Weight of the best duals so far in the duals used to search for new panels."""

STARTS = 16
"""Known panels to climb from in each pricing round (each may give a new column)."""


@dataclass(frozen=True)
class FirstLevelProven(ProgressEvent):
    """The progress event sent once LEXIMIN's first level is proven, before the other levels.

    `minimum` is the smallest chance a lottery of real panels gives (found), `ceiling` the
    relaxation's, which no lottery can pass: the fairest possible minimum lies between them,
    `ceiling - minimum` being at most the proof gap. A screen can say at once "nobody's chance
    is below ..." while the remaining levels are still being proven.
    """

    minimum: float = 0.0
    ceiling: float = 0.0


def _add_columns(
    master: Master,
    pricer: PanelPricer,
    counts: np.ndarray,
    costs: np.ndarray,
    rho: float,
    tolerance: float,
) -> int:
    """Add `counts` and its best neighbours that improve on `rho`; returns how many were new."""
    added = int(master.add(counts))
    for extra in pricer.neighbours(counts, costs, EXTRA_COLUMNS):
        if float(costs @ extra) <= rho + tolerance:
            break
        added += master.add(extra)
    return added


def _report(
    progress: ProgressCallback | None,
    rounds: int,
    level: int,
    z: float,
    master: Master,
    unfixed: np.ndarray,
) -> None:
    if progress is not None and rounds % 10 == 0:
        progress(
            ProgressEvent(
                "leximin",
                words(
                    "level %(level)s: minimum probability %(minimum)s, %(panels)s panels "
                    "considered",
                    level=level + 1,
                    minimum=f"{z:.4f}",
                    panels=len(master.columns),
                ),
                float(np.mean(~unfixed)),
            )
        )


def _cover(
    master: Master, pricer: PanelPricer, model: TypeModel, active: np.ndarray, panel: np.ndarray
) -> None:
    """Start with panels that between them seat every type that can be seated.

    Until every type has some chance the minimum is 0 and the master's duals say little
    (all weight on one unseated type), so column generation would crawl; a greedy cover by
    swaps, with a MILP when swaps stall, is far cheaper.
    """
    want = np.zeros(model.count, dtype=bool)
    want[active] = True
    covered = panel > 0
    while True:
        costs = np.where(want & ~covered, 1.0, 0.0)
        if not costs.any():
            return
        costs += 1e-3 / np.maximum(model.sizes, 1)
        candidate = pricer.ascend(panel, costs, steps=2 * model.instance.panel_size)
        if not np.any((candidate > 0) & want & ~covered):
            candidate, _, _ = pricer.best(costs)
            if candidate is None or not np.any((candidate > 0) & want & ~covered):
                return
        master.add(candidate)
        covered |= candidate > 0
        panel = candidate


def _level_by_level(
    model: TypeModel,
    *,
    levels: int | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    time_limit: float | None,
    max_rounds: int | None,
    tolerance: float,
    seeds: Iterable[np.ndarray] = (),
) -> tuple[list[np.ndarray], np.ndarray, SelectionStats]:
    """Column generation level by level (Flanigan et al.), starting from the `seeds` panels:
    the way to the LEXIMIN when no lottery reaches the relaxation's."""
    pricer = PanelPricer(model)
    sizes = model.sizes.astype(float)
    first, _, _ = pricer.best(1.0 / np.maximum(sizes, 1.0))
    if first is None:
        raise explain_infeasible(model.instance)
    # Types held at 0 or 1 by the rules need no row in the master.
    active = np.flatnonzero((model.upper > 0) & (model.lower < model.sizes))
    if len(active) == 0:
        return [first], np.ones(1), SelectionStats(levels=0, pricing_rounds=0)
    master = Master(model, active)
    master.add(first)
    for panel in seeds:
        master.add(panel)
    _cover(master, pricer, model, active, first)
    unfixed = np.ones(len(active), dtype=bool)
    rounds = milps = 0
    bound = rho = 0.0
    level_count = 0
    weights = np.ones(1)
    centre: np.ndarray | None = None
    centre_bound = np.inf
    floor = np.zeros(len(active))
    started = time.perf_counter()
    upper = np.inf  # proven ceiling on the first level (the smallest chance)
    stopped_early = False
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled("selection cancelled")
        z, weights, lam = master.solve()
        if (max_rounds is not None and rounds >= max_rounds) or (
            time_limit is not None and time.perf_counter() - started > time_limit
        ):
            stopped_early = True
            break
        costs = np.zeros(model.count)
        costs[active] = lam / master.sizes
        values = lam @ master.probs
        rho = float(np.max(values))
        if len(master.columns) > PRUNE_AT * max(len(active), 1000):
            master.prune(values, PRUNE_AT * max(len(active), 1000))
            values = lam @ master.probs
        # Dual smoothing (Wentges): search with a mix of these duals and the best ones seen at
        # this level; the raw duals jump between extreme points and make many rounds.
        pi = lam if centre is None else SMOOTHING * centre + (1 - SMOOTHING) * lam
        search = np.zeros(model.count)
        search[active] = pi / master.sizes
        # Cheap first: climb from the best known panels; only prove optimality by MILP.
        found = 0
        for j in np.argsort(-values)[:STARTS]:
            top = pricer.ascend(master.columns[int(j)], search)
            if float(costs @ top) > rho + tolerance:
                found += _add_columns(master, pricer, top, costs, rho, tolerance)
        rounds += 1
        if found:
            _report(progress, rounds, level_count, z, master, unfixed)
            continue
        counts, value, bound = pricer.best(search)
        milps += 1
        if level_count == 0:
            # Any dual point of the simplex bounds the first level from above (weak duality).
            upper = min(upper, bound)
        limit = bound - float(pi[~unfixed] @ floor[~unfixed])
        if limit < centre_bound:
            centre, centre_bound = pi, limit
        if counts is not None and float(costs @ counts) > rho + tolerance:
            _add_columns(master, pricer, counts, costs, rho, tolerance)
            _report(progress, rounds, level_count, z, master, unfixed)
            continue
        if pi is not lam:  # the smoothed search found nothing: price the true duals
            counts, value, bound = pricer.best(costs)
            milps += 1
            if level_count == 0:
                upper = min(upper, bound)
            if counts is not None and value > rho + tolerance:
                _add_columns(master, pricer, counts, costs, rho, tolerance)
                continue
        # The level is optimal within `tolerance` (bound - rho bounds the gap in z).
        level_count += 1
        y = np.where(unfixed, lam, 0.0)
        tight = np.flatnonzero(unfixed & (y > FIX_DUAL))
        if len(tight) == 0:
            tight = np.array([int(np.argmax(y))])
        master.fix(tight, z)
        unfixed[tight] = False
        floor[tight] = z - LOTTERY_SLACK
        centre, centre_bound = None, np.inf
        if progress is not None and level_count == 1:
            progress(
                FirstLevelProven(
                    "leximin",
                    words(
                        "first level proven: nobody's chance is below %(minimum)s, the fairest "
                        "possible",
                        minimum=f"{z:.2%}",
                    ),
                    float(np.mean(~unfixed)),
                    minimum=z,
                    ceiling=z + max(bound - rho, 0.0),
                )
            )
        if progress is not None:
            progress(
                ProgressEvent(
                    "leximin",
                    words(
                        "level %(level)s fixed at probability %(probability)s (%(settled)s of "
                        "%(types)s types settled)",
                        level=level_count,
                        probability=f"{z:.4f}",
                        settled=int((~unfixed).sum()),
                        types=len(active),
                    ),
                    float(np.mean(~unfixed)),
                )
            )
        if not unfixed.any() or (levels is not None and level_count >= levels):
            break
    stats = SelectionStats(
        levels=level_count,
        pricing_rounds=rounds,
        milps=milps,
        columns=len(master.columns),
        gap=float(max(bound - rho, 0.0)),
        stopped_early=stopped_early,
        upper_bound=float(upper) if np.isfinite(upper) else None,
    )
    return master.columns, weights, stats


def _active(model: TypeModel) -> np.ndarray:
    """Types whose chance a lottery can move: the ones every level is about (the rules hold
    the others at 0 or 1)."""
    return np.flatnonzero((model.upper > 0) & (model.lower < model.sizes))


def _first_level_floor(model: TypeModel, ceiling: FractionalLeximin) -> np.ndarray:
    """Seats per type that give every movable type the relaxation's first level."""
    floor = np.zeros(model.count)
    active = _active(model)
    floor[active] = ceiling.minimum * model.sizes[active]
    return floor


def first_level(
    model: TypeModel,
    ceiling: FractionalLeximin,
    *,
    gap: float,
    time_limit: float | None = None,
    max_rounds: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Reached | None:
    """A lottery over real panels giving every type at least the relaxation's first level less
    `gap`: that level, the smallest chance, is then proven the fairest (MAXIMIN).

    The panels are herded towards the whole relaxation's LEXIMIN and sought on its face (which
    holds a lottery meeting the first level), but the master only asks every type for the first
    level's chance. None when no panel lies on the face; a result whose `ratio` is below
    `1 - gap / level` ran out of budget or was proven out of reach.
    """
    return reach(
        model,
        ceiling,
        gap=gap,
        rng=np.random.default_rng(REACH_SEED),
        time_limit=time_limit,
        max_rounds=max_rounds,
        progress=progress,
        cancel=cancel,
        floor=_first_level_floor(model, ceiling),
    )


FIRST_LEVEL_SHOWN = 1e-4
"""How close, in probability, to the relaxation's first level the smallest chance must be for
the first level to be reported before the whole LEXIMIN is proven: a hundredth of a percentage
point, the last digit a screen shows ("2.18%"). The event carries both figures, so what is
proven is said exactly; the whole LEXIMIN later proves the level within the gap."""


class _FirstLevelWatch:
    """Proves the first level from the panels the whole LEXIMIN's search has found so far.

    Called after every round of `reach`: a lottery over those panels that gives every type the
    relaxation's first level less `FIRST_LEVEL_SHOWN` (one more interior-point solve) proves
    it to that precision before the lottery reaches every level; then it reports
    `FirstLevelProven` and is not called again.
    """

    def __init__(
        self,
        model: TypeModel,
        ceiling: FractionalLeximin,
        gap: float,
        progress: ProgressCallback,
    ) -> None:
        self.model, self.ceiling, self.gap, self.progress = model, ceiling, gap, progress
        self.floor = _first_level_floor(model, ceiling)
        self.active = np.flatnonzero(self.floor > 0)

    def __call__(self, columns: list[np.ndarray]) -> bool:
        held = seats_by_type(columns, self.active)
        lowest = held.min(axis=1).toarray().ravel()
        fixed = lowest == held.max(axis=1).toarray().ravel()  # the same on every panel
        if np.any(fixed & (lowest < self.floor[self.active] * (1 - 1e-12))):
            return False  # a type no known panel seats
        master = TargetMaster(self.active[~fixed], self.floor)
        master.columns = list(columns)
        ratio, weights, _ = master.solve() if (~fixed).any() else (1.0, np.ones(1), None)
        level = max(self.ceiling.minimum, 1e-12)
        if ratio < 1 - max(self.gap, FIRST_LEVEL_SHOWN) / level:
            return False
        found = Reached(list(columns), weights, ratio, 1.0, 0, 0, 0.0)
        self.progress(_first_level_event(self.model, found, self.ceiling))
        return True


def _first_level_event(
    model: TypeModel, reached: Reached, ceiling: FractionalLeximin
) -> FirstLevelProven:
    probabilities = _type_probabilities(model, reached.columns, reached.weights)
    active = _active(model)
    minimum = float(np.min(probabilities[active], initial=1.0))
    return FirstLevelProven(
        "leximin",
        words(
            "first level proven: nobody's chance is below %(minimum)s, the fairest possible (no "
            "lottery gives more than %(ceiling)s)",
            minimum=f"{minimum:.2%}",
            ceiling=f"{ceiling.minimum:.2%}",
        ),
        None,
        minimum=minimum,
        ceiling=ceiling.minimum,
    )


def _proves_first_level(reached: Reached | None, ceiling: FractionalLeximin, gap: float) -> bool:
    return reached is not None and reached.ratio >= 1 - gap / max(ceiling.minimum, 1e-12)


def _maximin_types(
    model: TypeModel,
    *,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    time_limit: float | None,
    max_rounds: int | None,
    gap: float,
) -> tuple[list[np.ndarray], np.ndarray, SelectionStats]:
    """MAXIMIN, LEXIMIN's first level only: the relaxation's first level is a ceiling, and a
    lottery that reaches it (`first_level`) proves it; the search then stops. Only when no
    lottery on the relaxation's face reaches it does the search go level by level (one level)."""
    started = time.perf_counter()
    try:
        ceiling = fractional_leximin(model)
    except RuntimeError:
        raise explain_infeasible(model.instance) from None
    reached = None
    if ceiling.minimum > gap:
        reached = first_level(
            model,
            ceiling,
            gap=gap,
            time_limit=time_limit,
            max_rounds=max_rounds,
            progress=progress,
            cancel=cancel,
        )
    if reached is not None and (
        _proves_first_level(reached, ceiling, gap) or reached.ceiling >= 1.0
    ):
        event = _first_level_event(model, reached, ceiling)
        proven = _proves_first_level(reached, ceiling, gap)
        if proven and progress is not None:
            progress(event)
        stats = SelectionStats(
            relaxed_minimum=ceiling.minimum,
            upper_bound=ceiling.minimum,
            levels=1,
            pricing_rounds=reached.rounds,
            milps=reached.milps,
            columns=len(reached.columns),
            gap=max(ceiling.minimum - event.minimum, 0.0),
            stopped_early=not proven,
        )
        return reached.columns, reached.weights, stats
    remaining = None
    if time_limit is not None:
        remaining = max(time_limit - (time.perf_counter() - started), 0.0)
    columns, weights, stats = _level_by_level(
        model,
        levels=1,
        progress=progress,
        cancel=cancel,
        time_limit=remaining,
        max_rounds=max_rounds,
        tolerance=gap,
        seeds=reached.columns if reached is not None else (),
    )
    upper = (
        ceiling.minimum if stats.upper_bound is None else min(stats.upper_bound, ceiling.minimum)
    )
    return (
        columns,
        weights,
        dataclasses.replace(stats, relaxed_minimum=ceiling.minimum, upper_bound=upper),
    )


def leximin_types(
    model: TypeModel,
    *,
    levels: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
) -> tuple[list[np.ndarray], np.ndarray, SelectionStats]:
    """Type panels and weights of the LEXIMIN lottery, or of its first `levels` levels only.

    The whole LEXIMIN: first the relaxation's LEXIMIN (`sortition.fractional`), a ceiling for
    every level; then a lottery over real panels that reaches it (`sortition.reach`), which is
    then the LEXIMIN, proven. Only if the relaxation's chances are out of reach of every
    lottery does the search go level by level. With `levels` set, the search goes level by
    level from the start and stops once that many levels are proven (MAXIMIN is `levels=1`):
    the chances of the people above those levels are wherever the solver left them.
    `stats.gap` bounds, in probability, how far any level may be below its optimum;
    `stats.upper_bound` is a proven ceiling on the smallest chance.

    With a budget (`time_limit` seconds or `max_rounds` rounds) it stops when the budget is
    spent and returns the lottery found so far: every panel in it still meets every quota,
    only the chances are not yet proven the fairest (`stats.stopped_early`). `max_rounds`
    gives the same answer every time on one installation; `time_limit` does not.
    """
    if not gap > 0:
        raise ValueError(f"the gap must be a positive probability, not {gap!r}")
    if levels == 1:
        return _maximin_types(
            model,
            progress=progress,
            cancel=cancel,
            time_limit=time_limit,
            max_rounds=max_rounds,
            gap=gap,
        )
    if levels is not None:
        return _level_by_level(
            model,
            levels=levels,
            progress=progress,
            cancel=cancel,
            time_limit=time_limit,
            max_rounds=max_rounds,
            tolerance=gap,
        )
    started = time.perf_counter()
    try:
        ceiling = fractional_leximin(model)
    except RuntimeError:
        raise explain_infeasible(model.instance) from None
    if progress is not None:
        for level, z in enumerate(sorted(set(np.round(ceiling.levels, 6))), start=1):
            progress(
                ProgressEvent(
                    "leximin",
                    words(
                        "relaxation: level %(level)s fixed at probability %(probability)s, a "
                        "ceiling no lottery can pass",
                        level=level,
                        probability=f"{z:.4f}",
                    ),
                    0.0,
                )
            )
    reached = reach(
        model,
        ceiling,
        gap=gap,
        rng=np.random.default_rng(REACH_SEED),
        time_limit=time_limit,
        max_rounds=max_rounds,
        progress=progress,
        cancel=cancel,
        watch=(
            _FirstLevelWatch(model, ceiling, gap, progress)
            if progress is not None and ceiling.minimum > gap
            else None
        ),
    )
    if reached is not None:
        probabilities = _type_probabilities(model, reached.columns, reached.weights)
        shortfall = float(np.max(ceiling.probabilities - probabilities, initial=0.0))
        stats = SelectionStats(
            relaxed_minimum=ceiling.minimum,
            upper_bound=ceiling.minimum,
            levels=len(ceiling.levels),
            pricing_rounds=reached.rounds,
            milps=reached.milps,
            columns=len(reached.columns),
            gap=max(shortfall, 0.0),
            relaxation_reached=shortfall <= gap,
        )
        if shortfall <= gap:
            return reached.columns, reached.weights, stats
        out_of_reach = reached.ceiling < 1.0
        if not out_of_reach:  # the budget ran out before the lottery reached the ceiling
            return reached.columns, reached.weights, dataclasses.replace(stats, stopped_early=True)
    remaining = None
    if time_limit is not None:
        remaining = max(time_limit - (time.perf_counter() - started), 0.0)
    rounds_left = None
    if max_rounds is not None:
        rounds_left = max(max_rounds - (reached.rounds if reached else 0), 0)
    columns, weights, stats = _level_by_level(
        model,
        levels=None,
        progress=progress,
        cancel=cancel,
        time_limit=remaining,
        max_rounds=rounds_left,
        tolerance=gap,
        seeds=reached.columns if reached is not None else (),
    )
    upper = (
        ceiling.minimum if stats.upper_bound is None else min(stats.upper_bound, ceiling.minimum)
    )
    stats = dataclasses.replace(
        stats, relaxed_minimum=ceiling.minimum, relaxation_reached=False, upper_bound=upper
    )
    return columns, weights, stats


def _type_probabilities(
    model: TypeModel, columns: list[np.ndarray], weights: np.ndarray
) -> np.ndarray:
    """Each type's per-person chance under a lottery over type panels."""
    w = np.asarray(weights, dtype=float)
    seats = seats_by_type(columns, np.arange(model.count)) @ (w / w.sum())
    return seats / np.maximum(model.sizes, 1)


def leximin(
    instance: Instance,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    levels: int | None = None,
    name: str = "leximin",
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
) -> Distribution:
    """The LEXIMIN lottery over panels of `instance` (its first `levels` levels if set);
    `fixed` people sit on every panel.

    `time_limit` / `max_rounds`: stop early with the fairest lottery found so far; `gap`: how
    close to optimal each level must be proven (see `leximin_types`)."""
    start = time.perf_counter()
    model = group_types(instance, fixed)
    if progress is not None:
        progress(
            ProgressEvent(
                name,
                words(
                    "%(people)s people form %(types)s types",
                    people=instance.pool.size,
                    types=model.count,
                ),
                0.0,
            )
        )
    columns, weights, stats = leximin_types(
        model,
        levels=levels,
        progress=progress,
        cancel=cancel,
        time_limit=time_limit,
        max_rounds=max_rounds,
        gap=gap,
    )
    return compact_lottery(model, columns, weights, name, stats, start)
