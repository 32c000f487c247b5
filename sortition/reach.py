"""A lottery over real panels that gives every type its chance in the relaxation's LEXIMIN.

`sortition.fractional` gives, cheaply, a ceiling for every LEXIMIN level: the LEXIMIN of the
relaxation, as expected seats per type. Any lottery over real panels whose expected seats are
those is the LEXIMIN, proven, because no lottery can do better at any level. This module looks
for one: a master LP over known panels maximises lambda such that every type gets at least
lambda times its target seats; lambda = 1 (within the gap) is the proof. Panels come in bulk
from a sampler steered by the master's duals (`sortition.sampler`), improved by swaps, and from
the pricing MILP when sampling stops finding better panels. The MILP also gives a ceiling on
lambda: when that ceiling is below 1, no lottery reaches the target and the caller falls back to
the level-by-level search.

Panels that reach the target lie on the face of the polytope that holds it: a quota the target
fills to its maximum (or minimum) is full (or at its minimum) on every panel of such a lottery,
a type with no expected seats is on none, and a type always seated is on all. Sampling and
pricing work on that face only.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sortition.columns import PanelPricer
from sortition.fractional import FractionalLeximin
from sortition.model import Cancelled, CancelToken, ProgressCallback, ProgressEvent
from sortition.sampler import PanelSampler
from sortition.types import TypeModel
from sortition.words import words

FACE = 1e-7
"""A quota total or a type's seats within this of a bound is taken to sit on that bound."""


HERD = 2
"""Panels per active type to sample by herding before the duals steer the search."""


def herd_unsolved(rows: int) -> bool:
    """Whether `reach` skips the master LP while herding alone is still adding panels (fewer
    than `HERD` per active type), from `DUAL_ROWS` active types.

    Those rounds' duals are never used (the pricing waits for the herd) and their lambda ends
    the search only if fewer panels than about one per type already reach the target, which
    on such pools they do not: on n=5,000 (2,185 active types) the first master, primal over
    2,186 panels, took 4.1-4.3 s of 20 and did not end the search (the second did, either
    way; n=10,000 the same). The sampler does not
    depend on the master, so the panels, the later masters and the lottery are the same, and
    `watch` still sees the panels after every round. Smaller pools (the app's example, the
    n=2,000 first-level bench) still solve every round, so their lotteries do not move."""
    return rows >= DUAL_ROWS


CHAINS = 2
"""Walks herding at once on large pools (from `DUAL_ROWS` active types), one per core.

A fixed number, never the machine's core count: each walk takes its seed in turn, so the panels
(and the lottery) are the same on one core or many, only slower on one. Smaller pools keep one
walk, so their lotteries do not move."""


@dataclass(frozen=True)
class Reached:
    """The outcome of `reach`.

    `columns`/`weights`: the lottery over type panels found (always valid panels).
    `ratio`: the smallest share of its target seats any type gets (1 means reached).
    `ceiling`: proven upper bound on `ratio` for any lottery (1 unless a MILP showed less).
    """

    columns: list[np.ndarray]
    weights: np.ndarray
    ratio: float
    ceiling: float
    rounds: int
    milps: int
    seconds: float


def face_model(model: TypeModel, seats: np.ndarray) -> TypeModel:
    """`model` restricted to the panels a lottery with expected `seats` can use."""
    lower = model.lower.copy()
    upper = model.upper.copy()
    upper[seats <= model.lower + FACE] = lower[seats <= model.lower + FACE]
    full = seats >= model.upper - FACE
    lower[full] = upper[full]
    totals = model.matrix @ seats
    quotas = []
    for q, quota in enumerate(model.instance.quotas):
        low, high = quota.min, quota.max
        if totals[q] >= high - FACE:
            low = high
        elif totals[q] <= low + FACE:
            high = low
        quotas.append(dataclasses.replace(quota, min=low, max=high))
    instance = dataclasses.replace(model.instance, quotas=tuple(quotas))
    return dataclasses.replace(model, instance=instance, lower=lower, upper=upper)


DUAL_ROWS = 2000
DUAL_PANELS = 1.5
"""From `DUAL_ROWS` active types and `DUAL_PANELS` times as many panels, the master LP is
solved as its dual (`TargetMaster._solve_dual`).

Measured on the master LPs of n=5,000 (2,185 active types, one thread): over 4,371 panels the
dual took 5.0 s against 18-24 s for the primal; over 2,186 panels the primal was faster (4.1
against 8-10 s). Smaller pools (the app's example, n=2,000's 1,063 types) keep the primal,
whose lotteries are stored and must not move."""


class TargetMaster:
    """The lottery LP: max lambda with every active type's expected seats >= lambda x target.

    Solved from scratch by the interior-point solver Clarabel each time (as its dual on large
    pools, `DUAL_ROWS`): on these LPs (a thousand dense rows, a few thousand panels) it takes
    about a second where HiGHS's simplex and interior point take 30 s or more (measured on the
    example's pool; bench/ has the figures). The duals tell which types the known panels
    short-change.
    """

    def __init__(self, active: np.ndarray, target: np.ndarray) -> None:
        self.active = active
        self.target = target[active]
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
        """(lambda, weights of the panels, duals per active type summing to 1)."""
        import clarabel
        import scipy.sparse as sp

        panels = len(self.columns)
        rows = len(self.active)
        held = seats_by_type(self.columns, self.active)
        if rows >= DUAL_ROWS and panels >= DUAL_PANELS * rows:
            return self._solve_dual(held)
        ratio = sp.diags(1.0 / self.target) @ held
        a = sp.vstack(
            [
                sp.hstack([sp.csc_matrix(np.ones((1, panels))), sp.csc_matrix((1, 1))]),
                sp.hstack([-ratio, sp.csc_matrix(np.ones((rows, 1)))]),
                sp.hstack([-sp.identity(panels), sp.csc_matrix((panels, 1))]),
            ]
        ).tocsc()
        b = np.zeros(1 + rows + panels)
        b[0] = 1.0
        c = np.zeros(panels + 1)
        c[-1] = -1.0
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-9
        solver = clarabel.DefaultSolver(
            sp.csc_matrix((panels + 1, panels + 1)),
            c,
            a,
            b,
            [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(rows + panels)],
            settings,
        )
        solution = solver.solve()
        x = np.asarray(solution.x)
        weights = np.maximum(x[:panels], 0.0)
        weights /= weights.sum()
        # lambda as the lottery really gives it, not as the solver reports it.
        seats = held @ weights
        duals = np.maximum(np.asarray(solution.z)[1 : 1 + rows], 0.0)
        duals /= max(duals.sum(), 1e-300)
        return float(np.min(seats / self.target)), weights, duals

    def _solve_dual(self, held) -> tuple[float, np.ndarray, np.ndarray]:
        """The master's dual, min mu s.t. sum(y) = 1, y >= 0, (held/target)^T y <= mu per
        panel, for `DUAL_ROWS` active types or more; the weights are its duals.

        Its quadratic term is an explicit all-zero band over y, wide enough that the sparse
        LDL's ordering takes every type for a dense node: it then leaves the types last and
        eliminates the panels first, so each step factors one dense types x types block.
        Without it the ordering eliminated the types first and factored a dense panels x
        panels block (4,371 panels on n=5,000: 1.4 s a step against 0.4 s). One thread, so the
        answer does not depend on the core count."""
        import clarabel
        import scipy.sparse as sp

        rows, panels = held.shape
        ratio = (sp.diags(1.0 / self.target) @ held).tocsc()
        a = sp.vstack(
            [
                sp.hstack([sp.csc_matrix(np.ones((1, rows))), sp.csc_matrix((1, 1))]),
                sp.hstack([ratio.T, -sp.csc_matrix(np.ones((panels, 1)))]),
                sp.hstack([-sp.identity(rows), sp.csc_matrix((rows, 1))]),
            ]
        ).tocsc()
        b = np.zeros(1 + panels + rows)
        b[0] = 1.0
        c = np.zeros(rows + 1)
        c[-1] = 1.0
        # Every y row gets more explicit zeros than the ordering's "dense" threshold (AMD's
        # 10 sqrt(n) of the KKT system's n): a band, not the whole triangle, to spare memory.
        band = min(rows, int(np.ceil(10 * np.sqrt(rows + 1 + 1 + panels + rows))) + 16)
        lengths = np.minimum(np.arange(rows) + 1, band)
        starts = np.concatenate([[0], np.cumsum(lengths), [int(lengths.sum())]])
        indices = np.concatenate(
            [np.arange(j + 1 - length, j + 1) for j, length in enumerate(lengths)]
        )
        zeros = sp.csc_matrix((np.zeros(len(indices)), indices, starts), shape=(rows + 1, rows + 1))
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.max_threads = 1
        settings.input_sparse_dropzeros = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-9
        solver = clarabel.DefaultSolver(
            zeros,
            c,
            a,
            b,
            [clarabel.ZeroConeT(1), clarabel.NonnegativeConeT(panels + rows)],
            settings,
        )
        solution = solver.solve()
        weights = np.maximum(np.asarray(solution.z)[1 : 1 + panels], 0.0)
        weights /= weights.sum()
        seats = held @ weights
        duals = np.maximum(np.asarray(solution.x)[:rows], 0.0)
        duals /= max(duals.sum(), 1e-300)
        return float(np.min(seats / self.target)), weights, duals


def seats_by_type(columns: list[np.ndarray], types: np.ndarray):
    """(types x panels) sparse: each of `types`' seats on each panel. Built column by column
    from the seats held, never as a dense panels x types array, which on 10,000 respondents
    held a gigabyte."""
    import scipy.sparse as sp

    where = np.full(len(columns[0]) if columns else 0, -1, dtype=np.int64)
    where[types] = np.arange(len(types))
    rows, data, starts = [], [], [0]
    for column in columns:
        seated = np.flatnonzero(column)
        seated = seated[where[seated] >= 0]
        rows.append(where[seated])
        data.append(column[seated].astype(float))
        starts.append(starts[-1] + len(seated))
    return sp.csc_matrix(
        (
            np.concatenate(data) if data else np.zeros(0),
            np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
            np.array(starts),
        ),
        shape=(len(types), len(columns)),
    )


def reach(
    model: TypeModel,
    target: FractionalLeximin,
    *,
    gap: float,
    rng: np.random.Generator,
    time_limit: float | None = None,
    max_rounds: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    floor: np.ndarray | None = None,
    watch: Callable[[list[np.ndarray]], bool] | None = None,
) -> Reached | None:
    """A lottery giving every type at least its target chance less `gap` (None: no panel lies
    on the target's face, so no lottery reaches it).

    With `floor` (seats per type, at most the target's) the lottery need only give every type
    its floor: the panels are still herded towards the target and sought on its face, which
    holds a lottery meeting any floor below it (MAXIMIN asks for the first level this way).
    `watch`, if given, sees the panels known after every round until it returns True (LEXIMIN
    uses it to prove its first level from the panels found on the way to the whole target).

    Stops early (with the best lottery so far) when the MILP proves the target out of reach,
    or the time or round budget is spent."""
    start = time.perf_counter()
    seats = target.seats
    goal = seats if floor is None else np.minimum(floor, seats)
    face = face_model(model, seats)
    movable = face.upper > face.lower
    active = np.flatnonzero(movable)
    pricer = PanelPricer(face)
    scale = np.where(seats > 0, seats, 1.0)
    first, _, _ = pricer.best(np.where(movable, 1.0 / scale, 0.0))
    if first is None:
        return None
    if len(active) == 0:
        return Reached([first], np.ones(1), 1.0, 1.0, 0, 1, time.perf_counter() - start)
    master = TargetMaster(active, goal)
    master.add(first)
    sampler = PanelSampler(face, rng)
    p = np.clip(seats / np.maximum(model.sizes, 1), 1e-6, 1 - 1e-6)
    weights_now = np.where(movable, p / (1 - p), 0.0)
    # The tolerance on lambda that keeps every type within `gap` of its target chance.
    tol = gap / max(float(np.max(goal[active] / model.sizes[active])), 1e-12)
    every = max(4, int(model.instance.panel_size) // 2)
    # Large pools herd in `CHAINS` walks at once, one per core (`herd_unsolved`).
    chains = CHAINS if herd_unsolved(len(active)) else 1
    states = [first] * chains
    herding = [weights_now] * chains
    herded = 0  # panels the walks have seen, repeats included
    ratio, ceiling = 0.0, 1.0
    rounds = milps = 0
    weights = np.ones(1)
    batch = max(len(active), 20)
    while True:
        if cancel is not None and cancel.is_set():
            raise Cancelled("selection cancelled")
        rounds += 1
        panels, states, herding = sampler.walks(
            states, herding, -(-batch // chains) * every, every, target=seats
        )
        for panel in panels:
            master.add(panel)
        herded += len(panels)
        if (
            herd_unsolved(len(active))
            and herded < HERD * len(active)
            and not (time_limit is not None and time.perf_counter() - start > time_limit)
            and not (max_rounds is not None and rounds >= max_rounds)
        ):
            # Herding on regardless: skip the master LP of this round (`herd_unsolved`).
            if watch is not None and watch(master.columns):
                watch = None
            if progress is not None:
                progress(
                    ProgressEvent(
                        "leximin",
                        words(
                            "reaching the fairest chances: herding, %(panels)s panels considered",
                            panels=len(master.columns),
                        ),
                        0.0,
                    )
                )
            continue
        ratio, weights, duals = master.solve()
        if watch is not None and watch(master.columns):
            watch = None
        if progress is not None:
            progress(
                ProgressEvent(
                    "leximin",
                    words(
                        "reaching the fairest chances: %(share)s of the way, %(panels)s panels "
                        "considered",
                        share=f"{min(ratio, 1.0):.4%}",
                        panels=len(master.columns),
                    ),
                    float(min(max(ratio, 0.0), 1.0)),
                )
            )
        if ratio >= 1 - tol:
            break
        elapsed = time.perf_counter() - start
        if (time_limit is not None and elapsed > time_limit) or (
            max_rounds is not None and rounds >= max_rounds
        ):
            break
        if len(master.columns) < HERD * len(active):
            continue  # herding alone still brings the lottery closer quickly
        costs = np.zeros(face.count)
        costs[active] = duals / master.target
        values = np.array([float(costs @ column) for column in master.columns])
        rho = float(values.max())
        counts, _, bound = pricer.best(costs)
        milps += 1
        ceiling = min(ceiling, bound)
        if ceiling < 1 - tol or counts is None:
            break  # proven: no lottery reaches the target
        found = master.add(counts)
        for extra in pricer.neighbours(counts, costs, 16):
            found += master.add(extra)
        for j in np.argsort(-values)[:16]:
            top = pricer.ascend(master.columns[int(j)], costs)
            if float(costs @ top) > rho + 1e-12:
                found += master.add(top)
                for extra in pricer.neighbours(top, costs, 4):
                    found += master.add(extra)
        # Herd on, leaning towards the types the lottery is short of.
        mean = float(np.mean(costs[active])) or 1.0
        weights_now = np.where(movable, p / (1 - p), 0.0) * np.exp(np.minimum(costs / mean, 30.0))
        herding = [weights_now] * chains
        batch = max(len(active) // 4, 20)
    return Reached(
        columns=list(master.columns),
        weights=weights,
        ratio=float(ratio),
        ceiling=float(ceiling),
        rounds=rounds,
        milps=milps,
        seconds=time.perf_counter() - start,
    )
