"""The LEXIMIN of the relaxation: seats per type made continuous.

Every lottery over panels has, for each type, an expected number of seats; those expected
counts meet the quotas, the panel size and the household rule on average, so they lie in the
polytope where counts are allowed to be fractional. The LEXIMIN over that polytope is a sequence
of small LPs (one per level, a few hundred variables) and is a ceiling, level by level, for the
LEXIMIN over real lotteries. When some lottery over real panels reaches it, that lottery is the
LEXIMIN, proven without any search over panels (see `sortition.reach`). On realistic pools it
almost always does; where it does not, the level-by-level search uses it as its ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sortition.highs import CEILING_SLACK, FEASIBILITY_TOLERANCE, quiet_model
from sortition.types import TypeModel

DUAL_TIGHT = 1e-9
"""A type whose dual weight exceeds this cannot rise above its level (complementary slackness)."""


@dataclass(frozen=True)
class FractionalLeximin:
    """The relaxation's LEXIMIN: expected seats per type and the levels found.

    `seats[t]` is the expected number of seats of type t, `probabilities[t] = seats[t] / size`;
    `levels` are the successive minimum probabilities, lowest first.
    """

    seats: np.ndarray
    probabilities: np.ndarray
    levels: tuple[float, ...]

    @property
    def minimum(self) -> float:
        """The relaxation's maximin: no lottery can give everyone more than this."""
        return self.levels[0] if self.levels else float(np.min(self.probabilities, initial=1.0))


def fractional_leximin(model: TypeModel) -> FractionalLeximin:
    """The LEXIMIN of the relaxation over `model`'s types (raises RuntimeError if it has none).

    Each level maximises z with every unsettled type's probability at least z; types whose
    constraint has a positive dual are held at z in every optimum, so they settle there.
    """
    import highspy

    count = model.count
    sizes = model.sizes.astype(float)
    lo, hi = model.quota_bounds
    inf = highspy.kHighsInf
    h = quiet_model(tolerance=FEASIBILITY_TOLERANCE)
    # Columns: x_0..x_{T-1} (expected seats), then z.
    h.addVars(count, model.lower.astype(float), model.upper.astype(float))
    h.addVar(-inf, inf)
    z_col = count
    for q in range(model.matrix.shape[0]):
        idx = np.flatnonzero(model.matrix[q]).astype(np.int32)
        h.addRow(lo[q], hi[q], len(idx), idx, np.ones(len(idx)))
    k = float(model.instance.panel_size)
    h.addRow(k, k, count, np.arange(count, dtype=np.int32), np.ones(count))
    for house in model.households:
        idx = np.array(house, dtype=np.int32)
        h.addRow(-inf, 1.0, len(idx), idx, np.ones(len(idx)))
    active = np.flatnonzero(model.upper > model.lower)
    first_row = h.getNumRow()
    for t in active:
        h.addRow(0.0, inf, 2, np.array([int(t), z_col], dtype=np.int32), np.array([1.0, -sizes[t]]))
    h.changeColCost(z_col, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    unsettled = np.ones(len(active), dtype=bool)
    levels: list[float] = []
    x = np.zeros(count)
    while True:
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the relaxation has no solution: {h.modelStatusToString(status)}")
        sol = h.getSolution()
        x = np.asarray(sol.col_value)[:count].copy()
        z = float(np.asarray(sol.col_value)[z_col])
        duals = np.abs(np.asarray(sol.row_dual)[first_row : first_row + len(active)])
        tight = np.flatnonzero(unsettled & (duals > DUAL_TIGHT))
        if len(tight) == 0:
            tight = np.flatnonzero(unsettled)[[int(np.argmax(np.where(unsettled, duals, -1)))]]
        levels.append(z)
        for r in tight:
            t = int(active[r])
            h.changeCoeff(first_row + int(r), z_col, 0.0)
            h.changeRowBounds(first_row + int(r), sizes[t] * (z - CEILING_SLACK), inf)
        unsettled[tight] = False
        if not unsettled.any():
            break  # x already holds every type at or above its level
    x = np.clip(x, model.lower, model.upper)
    return FractionalLeximin(
        seats=x, probabilities=x / np.maximum(sizes, 1.0), levels=tuple(levels)
    )
