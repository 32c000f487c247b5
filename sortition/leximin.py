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

import time
from collections.abc import Iterable

import numpy as np

from sortition.columns import Master, PanelPricer
from sortition.fractional import fractional_leximin
from sortition.highs import LOTTERY_SLACK
from sortition.model import (
    Cancelled,
    CancelToken,
    Distribution,
    Infeasible,
    Instance,
    ProgressCallback,
    ProgressEvent,
)
from sortition.reach import reach
from sortition.types import TypeModel, group_types, realise

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

PRUNE_AT = 3
"""The master keeps at most this many panels per type (dropping unused ones beyond it)."""

SMOOTHING = 0.7
"""Weight of the best duals so far in the duals used to search for new panels."""

STARTS = 16
"""Known panels to climb from in each pricing round (each may give a new column)."""
"""Near-optimal panels added per pricing round besides the best one."""


def short_infeasibility(instance: Instance) -> Infeasible:
    """A one-line reason no panel meets the quotas (the first simple cause found)."""
    try:
        from sortition.loosen import explain_infeasible  # type: ignore[attr-defined]
    except ImportError:
        explain_infeasible = None
    if explain_infeasible is not None:
        return explain_infeasible(instance)
    k = instance.panel_size
    pool = instance.pool
    by_feature: dict[str, list] = {}
    for quota in instance.quotas:
        by_feature.setdefault(quota.feature, []).append(quota)
    for feature, quotas in by_feature.items():
        low = sum(q.min for q in quotas)
        high = sum(q.max for q in quotas)
        if low > k:
            return Infeasible(
                f"the minimums for {feature} add up to {low}, more than the panel of {k}"
            )
        if high < k:
            return Infeasible(
                f"the maximums for {feature} add up to {high}, less than the panel of {k}"
            )
    membership = instance.membership().sum(axis=1)
    for quota, have in zip(instance.quotas, membership, strict=True):
        if have < quota.min:
            return Infeasible(
                f"{quota.feature} = {quota.value} needs at least {quota.min} but only "
                f"{have} people in the pool have it"
            )
    if pool.households and any(pool.households):
        return Infeasible(
            f"no panel of {k} meets all the quotas together with one person per household"
        )
    return Infeasible(f"no panel of {k} meets all the quotas together")


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
                f"level {level + 1}: minimum probability {z:.4f}, "
                f"{len(master.columns)} panels considered",
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
) -> tuple[list[np.ndarray], np.ndarray, dict[str, float]]:
    """Column generation level by level (Flanigan et al.), starting from the `seeds` panels:
    the way to the LEXIMIN when no lottery reaches the relaxation's."""
    pricer = PanelPricer(model)
    sizes = model.sizes.astype(float)
    first, _, _ = pricer.best(1.0 / np.maximum(sizes, 1.0))
    if first is None:
        raise short_infeasibility(model.instance)
    # Types held at 0 or 1 by the rules need no row in the master.
    active = np.flatnonzero((model.upper > 0) & (model.lower < model.sizes))
    if len(active) == 0:
        return [first], np.ones(1), {"levels": 0.0, "pricing_rounds": 0.0}
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
        if progress is not None:
            progress(
                ProgressEvent(
                    "leximin",
                    f"level {level_count} fixed at probability {z:.4f} "
                    f"({int((~unfixed).sum())} of {len(active)} types settled)",
                    float(np.mean(~unfixed)),
                )
            )
        if not unfixed.any() or (levels is not None and level_count >= levels):
            break
    stats = {
        "levels": float(level_count),
        "pricing_rounds": float(rounds),
        "milps": float(milps),
        "columns": float(len(master.columns)),
        "gap": float(max(bound - rho, 0.0)),
        "stopped_early": float(stopped_early),
    }
    if np.isfinite(upper):
        stats["upper_bound"] = float(upper)
    return master.columns, weights, stats


def leximin_types(
    model: TypeModel,
    *,
    levels: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = DEFAULT_GAP,
) -> tuple[list[np.ndarray], np.ndarray, dict[str, float]]:
    """Type panels and weights of the LEXIMIN lottery (only the first `levels` levels if set).

    First the relaxation's LEXIMIN (`sortition.fractional`), a ceiling for every level; then a
    lottery over real panels that reaches it (`sortition.reach`), which is then the LEXIMIN,
    proven. Only if the relaxation's chances are out of reach of every lottery does the search
    go level by level. `stats["gap"]` bounds, in probability, how far any level may be below
    its optimum; `stats["upper_bound"]` is a proven ceiling on the smallest chance.

    With a budget (`time_limit` seconds or `max_rounds` rounds) it stops when the budget is
    spent and returns the lottery found so far: every panel in it still meets every quota,
    only the chances are not yet proven the fairest (`stats["stopped_early"]`). `max_rounds`
    gives the same answer every time on one installation; `time_limit` does not.
    """
    if not gap > 0:
        raise ValueError(f"the gap must be a positive probability, not {gap!r}")
    started = time.perf_counter()
    try:
        ceiling = fractional_leximin(model)
    except RuntimeError:
        raise short_infeasibility(model.instance) from None
    if progress is not None:
        for level, z in enumerate(sorted(set(np.round(ceiling.levels, 6))), start=1):
            progress(
                ProgressEvent(
                    "leximin",
                    f"relaxation: level {level} fixed at probability {z:.4f}, a ceiling no "
                    "lottery can pass",
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
    )
    base = {"relaxed_minimum": ceiling.minimum, "upper_bound": ceiling.minimum}
    if reached is not None:
        probabilities = _type_probabilities(model, reached.columns, reached.weights)
        shortfall = float(np.max(ceiling.probabilities - probabilities, initial=0.0))
        stats = {
            **base,
            "levels": float(len(ceiling.levels)),
            "pricing_rounds": float(reached.rounds),
            "milps": float(reached.milps),
            "columns": float(len(reached.columns)),
            "gap": max(shortfall, 0.0),
            "relaxation_reached": float(shortfall <= gap),
            "stopped_early": 0.0,
        }
        if shortfall <= gap:
            return reached.columns, reached.weights, stats
        out_of_reach = reached.ceiling < 1.0
        if not out_of_reach:  # the budget ran out before the lottery reached the ceiling
            stats["stopped_early"] = 1.0
            return reached.columns, reached.weights, stats
    remaining = None
    if time_limit is not None:
        remaining = max(time_limit - (time.perf_counter() - started), 0.0)
    rounds_left = None
    if max_rounds is not None:
        rounds_left = max(max_rounds - (reached.rounds if reached else 0), 0)
    columns, weights, stats = _level_by_level(
        model,
        levels=levels,
        progress=progress,
        cancel=cancel,
        time_limit=remaining,
        max_rounds=rounds_left,
        tolerance=gap,
        seeds=reached.columns if reached is not None else (),
    )
    stats["relaxed_minimum"] = ceiling.minimum
    stats["relaxation_reached"] = 0.0
    stats["upper_bound"] = min(stats.get("upper_bound", np.inf), ceiling.minimum)
    return columns, weights, stats


def _type_probabilities(
    model: TypeModel, columns: list[np.ndarray], weights: np.ndarray
) -> np.ndarray:
    """Each type's per-person chance under a lottery over type panels."""
    w = np.asarray(weights, dtype=float)
    seats = np.array(columns, dtype=float).T @ (w / w.sum())
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
    """The LEXIMIN lottery over panels of `instance`; `fixed` people sit on every panel.

    `time_limit` / `max_rounds`: stop early with the fairest lottery found so far; `gap`: how
    close to optimal each level must be proven (see `leximin_types`)."""
    start = time.perf_counter()
    model = group_types(instance, fixed)
    if progress is not None:
        progress(ProgressEvent(name, f"{instance.pool.size} people form {model.count} types", 0.0))
    columns, weights, stats = leximin_types(
        model,
        levels=levels,
        progress=progress,
        cancel=cancel,
        time_limit=time_limit,
        max_rounds=max_rounds,
        gap=gap,
    )
    stats["types"] = float(model.count)
    dist = realise(model, columns, weights, name, stats)
    dist.stats["seconds"] = time.perf_counter() - start
    return dist
