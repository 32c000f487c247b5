"""HiGHS, the one solver: every model the library solves is made here.

The LEXIMIN's LPs and pricing MILP and the LP relaxation are highspy models kept in memory
(`quiet_model`: silent, one thread), warm-started as columns arrive, which scipy cannot do;
the two one-shot MILPs (lottery rounding, loosening quotas) go through `solve_milp`, which
says why it uses scipy's `milp`. The tolerances they share have one home. Solvers are
imported inside the functions: importing `sortition` stays fast and a UI starts first.

HiGHS prints a banner on the process's standard output when its first model is made. In a
terminal UI that banner lands on top of the screen, and in scripts it mixes with output meant
for pipes: `silence_solver_banner()` makes that first model with standard output briefly
pointed at the null device; call it once before any solving and before a UI takes the terminal.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import highspy
    from scipy.sparse import csr_matrix

FEASIBILITY_TOLERANCE = 1e-10
"""Primal and dual feasibility tolerance of the LEXIMIN's LPs: chances are compared to 1e-9."""

CEILING_SLACK = 1e-10
"""How far below its settled level a type's chance may fall in the LP relaxation's later levels.

The relaxation's levels are the proof's ceiling and the chances a lottery must then reach, so
the slack is as tight as the LP's own tolerance: at 1e-9, later levels gain up to 2e-6 on a
realistic pool of 2,000 by borrowing from earlier ones (measured), and the results change.
"""

LOTTERY_SLACK = 1e-9
"""How far below its fixed level a type's chance may drift in the column-generation master LP.

A different purpose from `CEILING_SLACK`: here the level was fixed with the panels known so
far, and the LP is re-solved from its last basis after every new column, so it is given the
room of ten feasibility tolerances to stay feasible; it bounds no proof (the gap to the
ceiling is measured and reported). It keeps the value the LEXIMIN results were computed with.
"""


def quiet_model(*, tolerance: float | None = None) -> highspy.Highs:
    """An empty HiGHS model: no output, one thread (the same answer on every machine's core
    count), and with `tolerance` that primal and dual feasibility tolerance."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    if tolerance is not None:
        h.setOptionValue("primal_feasibility_tolerance", tolerance)
        h.setOptionValue("dual_feasibility_tolerance", tolerance)
    return h


@dataclass(frozen=True)
class MilpResult:
    """`x` is the best solution found (None if none), `optimal` whether HiGHS proved it."""

    x: np.ndarray | None
    optimal: bool


def solve_milp(
    cost: np.ndarray,
    rows: csr_matrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integer: np.ndarray,
    *,
    time_limit: float,
) -> MilpResult:
    """Minimise `cost @ x` subject to `row_lower <= rows @ x <= row_upper`, the column bounds,
    and x integral where `integer` is true, for at most `time_limit` seconds.

    The one route that is not highspy: these one-shot MILPs go through scipy's `milp`, whose
    bundled HiGHS (1.12 with scipy 1.17) decides their ties, and the ties are published
    results: which quota a loosening proposes, which panels get a rounding's extra copies.
    highspy's HiGHS (1.16) breaks them differently (measured: on the peer pool with Female
    min 15, it proposes lowering Male's minimum by 3 instead of Female's), so moving them is a
    change of results, to be made on purpose, not in a clean-up.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    res = milp(
        np.asarray(cost, dtype=float),
        constraints=[LinearConstraint(rows, row_lower, row_upper)] if rows.shape[0] else [],
        integrality=np.asarray(integer, dtype=bool).astype(np.uint8),
        bounds=Bounds(col_lower, col_upper),
        options={"time_limit": time_limit, "disp": False},
    )
    if res.x is None:
        return MilpResult(None, False)
    return MilpResult(np.asarray(res.x, dtype=float), bool(res.status == 0))


_silenced = False
_lock = threading.Lock()


def silence_solver_banner() -> None:
    """Make HiGHS's first model with standard output pointed at the null device (once)."""
    global _silenced
    with _lock:
        if _silenced:
            return
        _silenced = True
        import highspy

        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
