"""HiGHS, the one solver, reached one way: through highspy.

Every optimisation in the library (the LEXIMIN's LPs and pricing MILP, the LP relaxation, the
lottery rounding, the loosening of quotas) builds its model here, so each is single-threaded
and silent the same way, and the tolerances they share have one home. highspy is imported
inside the functions: importing `sortition` stays fast and a UI can start before the solver.

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
    and x integral where `integer` is true, for at most `time_limit` seconds."""
    import highspy

    h = quiet_model()
    h.setOptionValue("time_limit", float(time_limit))
    count = len(cost)
    h.addVars(count, np.asarray(col_lower, dtype=float), np.asarray(col_upper, dtype=float))
    index = np.arange(count, dtype=np.int32)
    h.changeColsCost(count, index, np.asarray(cost, dtype=float))
    kinds = np.where(
        np.asarray(integer, dtype=bool),
        highspy.HighsVarType.kInteger,
        highspy.HighsVarType.kContinuous,
    )
    h.changeColsIntegrality(count, index, kinds)
    if rows.shape[0]:
        rows = rows.tocsr()
        h.addRows(
            rows.shape[0],
            np.asarray(row_lower, dtype=float),
            np.asarray(row_upper, dtype=float),
            rows.nnz,
            rows.indptr.astype(np.int32),
            rows.indices.astype(np.int32),
            rows.data.astype(float),
        )
    h.run()
    if h.getInfo().primal_solution_status != _FEASIBLE:
        return MilpResult(None, False)
    x = np.asarray(h.getSolution().col_value, dtype=float)
    return MilpResult(x, h.getModelStatus() == highspy.HighsModelStatus.kOptimal)


_FEASIBLE = 2
"""HiGHS's solution status "feasible" (kSolutionStatusFeasible)."""


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
