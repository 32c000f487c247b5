"""Goldilocks: no respondent's chance too low, and none too high.

Baharav and Flanigan, "Fair, Manipulation-Robust, and Transparent Sortition" (EC 2024,
arXiv:2406.15009), define for a lottery giving person i the chance p_i, with k/n the chance
everyone would have without quotas,

    Goldilocks_gamma(p) = max_i p_i / (k/n) + gamma * max_i (k/n) / p_i,

and recommend gamma = 1. LEXIMIN maximises only the smallest chances, so it may leave someone
selected almost surely, and a respondent who misreports their features can buy a large
chance; Goldilocks also pulls the largest chance down, so a misreport buys less.

The objective is convex, so the same column generation as LEXIMIN's finds it over type panels:
a master problem over the known panels (min U + gamma t with every movable type's chance
between r/t... written r L <= p_t <= r U with t L >= 1, a second-order cone; r = k/n), solved
by the interior-point solver Clarabel, whose duals price new panels in the HiGHS pricing MILP.
When no panel improves the Lagrangian by more than the gap, the lottery is optimal within it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np

from sortition.columns import PanelPricer
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
from sortition.types import TypeModel, compact_lottery, group_types
from sortition.words import words

DEFAULT_GAMMA = 1.0
"""The weight of the low side in the objective: the paper's Goldilocks_1."""

GOLDILOCKS_GAP = 1e-7
"""The search stops once no panel can lower the objective by more than this."""

STARTS = 8
"""Known panels to climb from in each round before the pricing MILP is asked."""


def objective(probabilities: np.ndarray, panel_size: int, gamma: float = DEFAULT_GAMMA) -> float:
    """Goldilocks_gamma of the chances `probabilities` (inf when somebody has no chance)."""
    r = panel_size / len(probabilities)
    p = np.asarray(probabilities, dtype=float)
    if np.any(p <= 0):
        return float("inf")
    return float(np.max(p) / r + gamma * r / np.min(p))


class _ConeMaster:
    """min U + gamma t over lotteries of known panels: r L <= p <= r U per row, t L >= 1."""

    def __init__(self, rows: np.ndarray, sizes: np.ndarray, ratio: float, gamma: float) -> None:
        self.rows, self.sizes, self.ratio, self.gamma = (
            rows,
            sizes[rows].astype(float),
            ratio,
            gamma,
        )
        self.columns: list[np.ndarray] = []
        self._keys: set[bytes] = set()

    def add(self, counts: np.ndarray) -> bool:
        key = counts.tobytes()
        if key in self._keys:
            return False
        self._keys.add(key)
        self.columns.append(counts)
        return True

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """(objective, panel weights, the dual value of one more unit of chance per row)."""
        import clarabel
        import scipy.sparse as sp

        j, m, r = len(self.columns), len(self.rows), self.ratio
        a = np.array(self.columns)[:, self.rows].T / self.sizes[:, None]  # chance per panel
        # Variables: w (j), U, L, t. Clarabel form: A x + s = b, s in the cones.
        ones = sp.csc_matrix(np.ones((1, j)))
        zero_col = sp.csc_matrix((m, 1))
        upper = sp.hstack(
            [sp.csc_matrix(a), sp.csc_matrix(np.full((m, 1), -r)), zero_col, zero_col]
        )
        lower = sp.hstack(
            [sp.csc_matrix(-a), zero_col, sp.csc_matrix(np.full((m, 1), r)), zero_col]
        )
        nonneg = sp.hstack([-sp.identity(j), sp.csc_matrix((j, 3))])
        cone = sp.csc_matrix(
            np.array([[0, -1, -1], [0, 0, 0], [0, 1, -1]], dtype=float)
        )  # (t + L, 2, t - L) in the second-order cone: t L >= 1
        a_all = sp.vstack(
            [
                sp.hstack([ones, sp.csc_matrix((1, 3))]),
                upper,
                lower,
                nonneg,
                sp.hstack([sp.csc_matrix((3, j + 1)), cone[:, 1:]]),
            ]
        ).tocsc()
        b = np.zeros(1 + 2 * m + j + 3)
        b[0] = 1.0
        b[1 + 2 * m + j + 1] = 2.0
        c = np.zeros(j + 3)
        c[j] = 1.0
        c[j + 2] = self.gamma
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-10
        solver = clarabel.DefaultSolver(
            sp.csc_matrix((j + 3, j + 3)),
            c,
            a_all,
            b,
            [
                clarabel.ZeroConeT(1),
                clarabel.NonnegativeConeT(2 * m + j),
                clarabel.SecondOrderConeT(3),
            ],
            settings,
        )
        solution = solver.solve()
        x = np.asarray(solution.x)
        weights = np.maximum(x[:j], 0.0)
        weights /= weights.sum()
        z = np.asarray(solution.z)
        # Lowering the objective: a unit more chance for row i is worth beta_i - alpha_i.
        value = z[1 + m : 1 + 2 * m] - z[1 : 1 + m]
        chances = a @ weights
        return float(np.max(chances) / r + self.gamma * r / np.min(chances)), weights, value


def goldilocks_types(
    model: TypeModel,
    *,
    gamma: float = DEFAULT_GAMMA,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = GOLDILOCKS_GAP,
) -> tuple[list[np.ndarray], np.ndarray, SelectionStats]:
    """Type panels and weights of the Goldilocks lottery; `stats.gap` bounds, in objective
    units, how far it may be above the optimum. Only types a lottery can move count: people the
    rules keep off every panel (a quota's maximum of 0) or put on every one (fixed) do not."""
    pricer = PanelPricer(model)
    sizes = model.sizes.astype(float)
    first, _, _ = pricer.best(1.0 / np.maximum(sizes, 1.0))
    if first is None:
        raise explain_infeasible(model.instance)
    movable = np.flatnonzero((model.upper > 0) & (model.lower < model.sizes))
    # Cover: panels that between them seat every type that can be seated at all.
    columns = [first]
    covered = first > 0
    while True:
        want = np.zeros(model.count)
        want[movable] = 1.0
        want[covered] = 0.0
        if not want.any():
            break
        panel, _, _ = pricer.best(want + 1e-3 / np.maximum(sizes, 1.0))
        if panel is None or not np.any((panel > 0) & (want > 0)):
            break  # the rest can sit on no panel: their chance is 0 under every lottery
        columns.append(panel)
        covered |= panel > 0
    rows = movable[covered[movable]]
    if len(rows) == 0:
        return [first], np.ones(1), SelectionStats(levels=0, pricing_rounds=0)
    ratio = model.instance.panel_size / model.instance.pool.size
    master = _ConeMaster(rows, model.sizes, ratio, gamma)
    for panel in columns:
        master.add(panel)
    started = time.perf_counter()
    rounds = milps = 0
    stopped_early = False
    bound = rho = 0.0
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled("selection cancelled")
        value, weights, duals = master.solve()
        rounds += 1
        if progress is not None:
            progress(
                ProgressEvent(
                    "goldilocks",
                    words(
                        "round %(round)s: objective %(objective)s, %(panels)s panels",
                        round=rounds,
                        objective=f"{value:.6f}",
                        panels=len(master.columns),
                    ),
                    None,
                )
            )
        if (max_rounds is not None and rounds >= max_rounds) or (
            time_limit is not None and time.perf_counter() - started > time_limit
        ):
            stopped_early = True
            break
        costs = np.zeros(model.count)
        costs[rows] = duals / master.sizes
        values = np.array([float(costs @ col) for col in master.columns])
        rho = float(np.max(values))
        found = 0
        for j in np.argsort(-values)[:STARTS]:
            top = pricer.ascend(master.columns[int(j)], costs)
            if float(costs @ top) > rho + gap:
                found += master.add(top)
        if found:
            continue
        counts, best, bound = pricer.best(costs)
        milps += 1
        if counts is not None and best > rho + gap:
            master.add(counts)
            for extra in pricer.neighbours(counts, costs, 4):
                if float(costs @ extra) > rho + gap:
                    master.add(extra)
            continue
        break
    stats = SelectionStats(
        levels=None,
        pricing_rounds=rounds,
        milps=milps,
        columns=len(master.columns),
        gap=float(max(bound - rho, 0.0)),
        stopped_early=stopped_early,
    )
    return list(master.columns), weights, stats


def goldilocks(
    instance: Instance,
    *,
    gamma: float = DEFAULT_GAMMA,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    fixed: Iterable[int] = (),
    time_limit: float | None = None,
    max_rounds: int | None = None,
    gap: float = GOLDILOCKS_GAP,
) -> Distribution:
    """The Goldilocks_gamma lottery over panels of `instance` (see the module docstring);
    `fixed` people sit on every panel. Every panel meets every quota and household rule."""
    start = time.perf_counter()
    model = group_types(instance, fixed)
    if progress is not None:
        progress(
            ProgressEvent(
                "goldilocks",
                words(
                    "%(people)s people form %(types)s types",
                    people=instance.pool.size,
                    types=model.count,
                ),
            )
        )
    columns, weights, stats = goldilocks_types(
        model,
        gamma=gamma,
        progress=progress,
        cancel=cancel,
        time_limit=time_limit,
        max_rounds=max_rounds,
        gap=gap,
    )
    return compact_lottery(model, columns, weights, "goldilocks", stats, start)
