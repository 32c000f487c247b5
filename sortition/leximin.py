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

from sortition.model import (
    Cancelled,
    CancelToken,
    Distribution,
    Infeasible,
    Instance,
    ProgressCallback,
    ProgressEvent,
)
from sortition.types import TypeModel, group_types, realise

TOLERANCE = 1e-7
"""Largest gap, in selection probability, between a level and its proven optimum."""

FIX_DUAL = 1e-6
"""Types whose dual weight exceeds this are tight at the current level (and fixed there)."""

SLACK = 1e-9
"""How far below its fixed level a type's probability may drift in later levels."""

EXTRA_COLUMNS = 4

PRUNE_AT = 3
"""The master keeps at most this many panels per type (dropping unused ones beyond it)."""

SMOOTHING = 0.7
"""Weight of the best duals so far in the duals used to search for new panels."""

STARTS = 16
"""Known panels to climb from in each pricing round (each may give a new column)."""
"""Near-optimal panels added per pricing round besides the best one."""


def _silent_highs():
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


class PanelPricer:
    """The pricing MILP: the panel (count per type) with the largest weighted count."""

    def __init__(self, model: TypeModel) -> None:
        import highspy

        self.model = model
        self.h = h = _silent_highs()
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-11)
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        inf = highspy.kHighsInf
        count = model.count
        lo, hi = model.quota_bounds
        rows: list[tuple[float, float, np.ndarray, np.ndarray]] = []
        for q in range(model.matrix.shape[0]):
            idx = np.flatnonzero(model.matrix[q])
            rows.append((lo[q], hi[q], idx, np.ones(len(idx))))
        k = float(model.instance.panel_size)
        rows.append((k, k, np.arange(count), np.ones(count)))
        for house in model.households:
            idx = np.array(house)
            rows.append((-inf, 1.0, idx, np.ones(len(idx))))
        h.addVars(count, model.lower.astype(float), model.upper.astype(float))
        h.changeColsIntegrality(
            count,
            np.arange(count, dtype=np.int32),
            np.full(count, highspy.HighsVarType.kInteger),
        )
        for low, high, idx, vals in rows:
            h.addRow(low, high, len(idx), idx.astype(np.int32), vals)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._index = np.arange(count, dtype=np.int32)
        self._totals_lo, self._totals_hi = lo, hi
        # _quota_of[t, f]: the quota row of type t's value for feature f (-1: no quota).
        quota_row = {(q.feature, q.value): i for i, q in enumerate(model.instance.quotas)}
        pool = model.instance.pool
        first = np.array([people[0] for people in model.members], dtype=np.int64)
        self._quota_of = np.full((count, len(pool.features)), -1, dtype=np.int64)
        for f, feature in enumerate(pool.features):
            names = pool.values[feature]
            lookup = np.array([quota_row.get((feature, v), -1) for v in names] + [-1])
            self._quota_of[:, f] = lookup[pool.codes[first, f]]
        self._house_of = np.full(count, -1)
        for g, house in enumerate(model.households):
            self._house_of[list(house)] = g

    def best(self, costs: np.ndarray) -> tuple[np.ndarray | None, float, float]:
        """(counts, value, proven upper bound) maximising `costs @ counts`; counts None if none."""
        import highspy

        scale = float(np.max(np.abs(costs))) or 1.0
        h = self.h
        h.changeColsCost(len(costs), self._index, costs / scale)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, -np.inf, -np.inf
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the panel search stopped early: {h.modelStatusToString(status)}")
        counts = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
        if not self.model.is_panel(counts):
            raise RuntimeError("the solver returned a panel that breaks the quotas")
        info = h.getInfo()
        value = float(costs @ counts)
        bound = max(float(info.mip_dual_bound) * scale, value)
        return counts, value, bound

    def neighbours(self, counts: np.ndarray, costs: np.ndarray, limit: int) -> list[np.ndarray]:
        """Up to `limit` valid panels one swap away from `counts`, the most valuable first.

        Cheap extra columns: good neighbours of a good panel are often the next columns the
        master needs, and searching them costs far less than a MILP solve. A swap of one seat
        from type a to type b changes, per feature, at most one quota up and one down, so
        validity is checked feature by feature; only the takers with the highest costs are
        tried first.
        """
        model = self.model
        totals = model.matrix @ counts
        can_up = np.append(totals < self._totals_hi, True)
        can_down = np.append(totals > self._totals_lo, True)
        givers = np.flatnonzero(counts > model.lower)
        takers = np.flatnonzero(counts < model.upper)
        if len(givers) == 0 or len(takers) == 0:
            return []
        takers = takers[np.argsort(-costs[takers], kind="stable")]
        seated = np.unique(self._house_of[counts > 0])
        seated = seated[seated >= 0]
        out: list[np.ndarray] = []
        block = max(64, 4 * limit)
        for lo in range(0, len(takers), block):
            part = takers[lo : lo + block]
            ok = givers[:, None] != part[None, :]
            for f in range(self._quota_of.shape[1]):
                qa = self._quota_of[givers, f]
                qb = self._quota_of[part, f]
                ok &= (qa[:, None] == qb[None, :]) | (can_down[qa][:, None] & can_up[qb][None, :])
            if len(seated):
                house_b = self._house_of[part]
                house_a = self._house_of[givers]
                blocked = np.isin(house_b, seated)
                same = (house_a[:, None] == house_b[None, :]) & (house_a[:, None] >= 0)
                ok &= ~blocked[None, :] | same
            gain = np.where(ok, costs[part][None, :] - costs[givers][:, None], -np.inf)
            flat = gain.ravel()
            found = int(np.isfinite(flat).sum())
            if found == 0:
                continue
            take = min(limit, found)
            best = np.argpartition(-flat, take - 1)[:take]
            best = best[np.argsort(-flat[best])]
            for index in best:
                a, b = divmod(int(index), len(part))
                panel = counts.copy()
                panel[givers[a]] -= 1
                panel[part[b]] += 1
                out.append(panel)
            # Later blocks hold only cheaper takers: stop once this block filled the request.
            if len(out) >= limit:
                break
        out.sort(key=lambda panel: -float(costs @ panel))
        return out[:limit]

    def ascend(self, counts: np.ndarray, costs: np.ndarray, steps: int = 30) -> np.ndarray:
        """Best-swap hill climbing from a valid panel: a quick good panel before the MILP."""
        value = float(costs @ counts)
        for _ in range(steps):
            step = self.neighbours(counts, costs, 1)
            if not step or float(costs @ step[0]) <= value + 1e-15:
                break
            counts, value = step[0], float(costs @ step[0])
        return counts


def short_infeasibility(instance: Instance) -> Infeasible:
    """A one-line reason no panel meets the quotas (the first simple cause found)."""
    try:
        from sortition.relax import explain_infeasible  # type: ignore[attr-defined]
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


class _Master:
    """The master LP: max z over lotteries of the known panels, per-type probability rows."""

    def __init__(self, model: TypeModel, active: np.ndarray) -> None:
        import highspy

        self.h = h = _silent_highs()
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        # New columns leave the basis primal feasible: primal simplex restarts from it.
        h.setOptionValue("simplex_strategy", 4)
        self.inf = highspy.kHighsInf
        self.active = active
        self.sizes = model.sizes[active].astype(float)
        h.addVar(-self.inf, self.inf)
        h.changeColCost(0, 1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
        for _ in active:
            h.addRow(0.0, self.inf, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        self.columns: list[np.ndarray] = []
        self._probs = np.zeros((len(active), 64))
        self.keys: set[bytes] = set()
        self.fixed = np.full(len(active), np.nan)

    def add(self, counts: np.ndarray) -> bool:
        key = counts.tobytes()
        if key in self.keys:
            return False
        self.keys.add(key)
        self.columns.append(counts)
        p = counts[self.active] / self.sizes
        rows = np.flatnonzero(p) + 1
        idx = np.concatenate([[0], rows]).astype(np.int32)
        vals = np.concatenate([[1.0], p[rows - 1]])
        self.h.addCol(0.0, 0.0, self.inf, len(idx), idx, vals)
        j = len(self.columns) - 1
        if j >= self._probs.shape[1]:
            self._probs = np.concatenate([self._probs, np.zeros_like(self._probs)], axis=1)
        self._probs[:, j] = p
        return True

    @property
    def probs(self) -> np.ndarray:
        """Per-type probability of each known panel (active types x panels)."""
        return self._probs[:, : len(self.columns)]

    def prune(self, values: np.ndarray, keep: int) -> None:
        """Drop the least useful nonbasic panels once there are more than `keep`.

        A large master costs time in every solve; panels far from pricing in are rarely needed
        again (and would be found again if they were). Only nonbasic ones are dropped, so the
        last basis stays valid for the warm start.
        """
        import highspy

        count = len(self.columns)
        keep = int(keep)
        if count <= keep:
            return
        status = self.h.getBasis().col_status
        basic = np.array(
            [status[j + 1] == highspy.HighsBasisStatus.kBasic for j in range(count)], dtype=bool
        )
        order = np.argsort(values, kind="stable")  # most negative reduced cost first
        drop = [int(j) for j in order if not basic[j]][: count - keep // 2]
        if not drop:
            return
        drop_set = set(drop)
        self.h.deleteCols(len(drop), np.array(sorted(j + 1 for j in drop), dtype=np.int32))
        kept = [j for j in range(count) if j not in drop_set]
        for j in drop:
            self.keys.discard(self.columns[j].tobytes())
        self.columns = [self.columns[j] for j in kept]
        probs = self._probs[:, kept]
        self._probs = np.zeros((probs.shape[0], max(64, 2 * len(kept))))
        self._probs[:, : len(kept)] = probs

    def fix(self, rows: np.ndarray, level: float) -> None:
        for r in rows:
            self.fixed[r] = level
            self.h.changeCoeff(int(r) + 1, 0, 0.0)
            self.h.changeRowBounds(int(r) + 1, level - SLACK, self.inf)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """(z, weights, duals per active row >= 0)."""
        import highspy

        h = self.h
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the lottery LP failed: {h.modelStatusToString(status)}")
        sol = h.getSolution()
        col = np.asarray(sol.col_value)
        duals = np.maximum(-np.asarray(sol.row_dual)[1:], 0.0)
        return float(col[0]), np.maximum(col[1:], 0.0), duals


def _add_columns(
    master: _Master, pricer: PanelPricer, counts: np.ndarray, costs: np.ndarray, rho: float
) -> int:
    """Add `counts` and its best neighbours that improve on `rho`; returns how many were new."""
    added = int(master.add(counts))
    for extra in pricer.neighbours(counts, costs, EXTRA_COLUMNS):
        if float(costs @ extra) <= rho + TOLERANCE:
            break
        added += master.add(extra)
    return added


def _report(
    progress: ProgressCallback | None,
    rounds: int,
    level: int,
    z: float,
    master: _Master,
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


def _add_columns(
    master: _Master, pricer: PanelPricer, counts: np.ndarray, costs: np.ndarray, rho: float
) -> int:
    """Add `counts` and its best neighbours that improve on `rho`; returns how many were new."""
    added = int(master.add(counts))
    for extra in pricer.neighbours(counts, costs, EXTRA_COLUMNS):
        if float(costs @ extra) <= rho + TOLERANCE:
            break
        added += master.add(extra)
    return added


def _report(
    progress: ProgressCallback | None,
    rounds: int,
    level: int,
    z: float,
    master: _Master,
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
    master: _Master, pricer: PanelPricer, model: TypeModel, active: np.ndarray, panel: np.ndarray
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


def leximin_types(
    model: TypeModel,
    *,
    levels: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[np.ndarray], np.ndarray, dict[str, float]]:
    """Type panels and weights of the LEXIMIN lottery (only the first `levels` levels if set)."""
    pricer = PanelPricer(model)
    sizes = model.sizes.astype(float)
    first, _, _ = pricer.best(1.0 / np.maximum(sizes, 1.0))
    if first is None:
        raise short_infeasibility(model.instance)
    # Types held at 0 or 1 by the rules need no row in the master.
    active = np.flatnonzero((model.upper > 0) & (model.lower < model.sizes))
    if len(active) == 0:
        return [first], np.ones(1), {"levels": 0.0, "pricing_rounds": 0.0}
    master = _Master(model, active)
    master.add(first)
    _cover(master, pricer, model, active, first)
    unfixed = np.ones(len(active), dtype=bool)
    rounds = milps = 0
    bound = rho = 0.0
    level_count = 0
    weights = np.ones(1)
    centre: np.ndarray | None = None
    centre_bound = np.inf
    floor = np.zeros(len(active))
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled("selection cancelled")
        z, weights, lam = master.solve()
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
            if float(costs @ top) > rho + TOLERANCE:
                found += _add_columns(master, pricer, top, costs, rho)
        rounds += 1
        if found:
            _report(progress, rounds, level_count, z, master, unfixed)
            continue
        counts, value, bound = pricer.best(search)
        milps += 1
        limit = bound - float(pi[~unfixed] @ floor[~unfixed])
        if limit < centre_bound:
            centre, centre_bound = pi, limit
        if counts is not None and float(costs @ counts) > rho + TOLERANCE:
            _add_columns(master, pricer, counts, costs, rho)
            _report(progress, rounds, level_count, z, master, unfixed)
            continue
        if pi is not lam:  # the smoothed search found nothing: price the true duals
            counts, value, bound = pricer.best(costs)
            milps += 1
            if counts is not None and value > rho + TOLERANCE:
                _add_columns(master, pricer, counts, costs, rho)
                continue
        # The level is optimal within TOLERANCE (bound - rho bounds the gap in z).
        level_count += 1
        y = np.where(unfixed, lam, 0.0)
        tight = np.flatnonzero(unfixed & (y > FIX_DUAL))
        if len(tight) == 0:
            tight = np.array([int(np.argmax(y))])
        master.fix(tight, z)
        unfixed[tight] = False
        floor[tight] = z - SLACK
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
    }
    return master.columns, weights, stats


def leximin(
    instance: Instance,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    levels: int | None = None,
    name: str = "leximin",
) -> Distribution:
    """The LEXIMIN lottery over panels of `instance`; `fixed` people sit on every panel."""
    start = time.perf_counter()
    model = group_types(instance, fixed)
    if progress is not None:
        progress(ProgressEvent(name, f"{instance.pool.size} people form {model.count} types", 0.0))
    columns, weights, stats = leximin_types(model, levels=levels, progress=progress, cancel=cancel)
    stats["types"] = float(model.count)
    dist = realise(model, columns, weights, name, stats)
    dist.stats["seconds"] = time.perf_counter() - start
    return dist
