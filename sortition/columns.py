"""The two solvers column generation is built from: the lottery LP over known panels, and the
pricing MILP that finds the panel a lottery most lacks, with cheap swap searches beside it.

Both are HiGHS models kept in memory: the master gains columns and restarts from its last basis,
the pricing model only changes its objective. Everything is over types (see `sortition.types`),
a panel being a count per type.
"""

from __future__ import annotations

import numpy as np

from sortition.highs import FEASIBILITY_TOLERANCE, LOTTERY_SLACK, quiet_model
from sortition.swaps import SwapRules
from sortition.types import TypeModel


class PanelPricer:
    """The pricing MILP: the panel (count per type) with the largest weighted count."""

    def __init__(self, model: TypeModel) -> None:
        import highspy

        self.model = model
        self.h = h = quiet_model()
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
        self._swaps = SwapRules.of(model)

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
        master needs, and searching them costs far less than a MILP solve. Validity is checked
        by `SwapRules.allowed`; only the takers with the highest costs are tried first.
        """
        model = self.model
        givers = np.flatnonzero(counts > model.lower)
        takers = np.flatnonzero(counts < model.upper)
        if len(givers) == 0 or len(takers) == 0:
            return []
        takers = takers[np.argsort(-costs[takers], kind="stable")]
        one = counts[None, :].astype(np.int64)
        totals = self._swaps.totals(one)
        out: list[np.ndarray] = []
        block = max(64, 4 * limit)
        for lo in range(0, len(takers), block):
            part = takers[lo : lo + block]
            pairs = (np.repeat(givers, len(part)), np.tile(part, len(givers)))
            at = np.zeros(len(pairs[0]), dtype=np.int64)
            ok = self._swaps.allowed(one, totals, at, *pairs).reshape(len(givers), len(part))
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


class Master:
    """The master LP: max z over lotteries of the known panels, per-type probability rows."""

    def __init__(
        self, model: TypeModel, active: np.ndarray, scale: np.ndarray | None = None
    ) -> None:
        """Rows for the `active` types; a row holds a type's seats over `scale` (its size by
        default; the target seats when the lottery must reach given chances)."""
        import highspy

        self.h = h = quiet_model(tolerance=FEASIBILITY_TOLERANCE)
        # New columns leave the basis primal feasible: primal simplex restarts from it.
        h.setOptionValue("simplex_strategy", 4)
        self.inf = highspy.kHighsInf
        self.active = active
        self.sizes = (model.sizes if scale is None else scale)[active].astype(float)
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
            self.h.changeRowBounds(int(r) + 1, level - LOTTERY_SLACK, self.inf)

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
