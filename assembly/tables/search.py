"""Small-group table plans: seat the people in a room at T tables for R rounds.

Pure algorithm (numpy only, randomness from an explicit Generator, no database), so it can be
tested against brute force and benchmarked on its own.

The objective, lower is better, is

    total = diversity + repeat_weight * repeats

- diversity: for every round, table and feature value, the squared gap between how many people
  with that value sit at the table and the table's proportional share of the room
  (table size x the value's share of the people present), times the feature's weight, summed.
  A table that mirrors the room scores close to 0; fractional shares leave a small floor.
- repeats: for every pair of people, C(m, 2) where m is how many rounds they share a table, i.e.
  1 for a pair who meet twice, 3 for a pair who meet three times. Pairs pinned to sit together
  are left out: they meet every round by design.

Pins are hard: people pinned together (an interpreter and those who need them, a carer and the
person they support) sit at one table in every round; people pinned apart never share a table.
Table sizes differ by at most one: table t seats n // T people, plus one for the first n % T.

Search: a greedy seating round by round (each unit goes where it adds least cost), then simulated
annealing over swap moves (two people, or a pinned group and as many unpinned people) with a
fixed iteration budget and a geometric cooling schedule, then a first-improvement swap pass. All
choices come from the Generator passed in, so the same inputs and seed give the same plan.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

Progress = Callable[[int, int], None]
"""progress(done, total): called now and then during the search."""


class PlanError(ValueError):
    """The request cannot be met (too few people, pins that cannot all hold); says why. The
    message is this module's own English (it imports nothing of the app); `kind` and `values`
    let the app word it in the working language (`assembly.tables.plans`): "tables" (tables),
    "rounds" (rounds), "too_few" (people, tables), "group_too_big" (people, most at a table),
    "both_pins" (person, person), "no_seating" (); "" for a request the app never makes."""

    def __init__(self, message: str, kind: str = "", values: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.values = values


@dataclass(frozen=True)
class Pins:
    """Hard rules. `together`: groups of person indices to seat at one table in every round.
    `apart`: pairs of person indices who never share a table."""

    together: tuple[tuple[int, ...], ...] = ()
    apart: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Score:
    diversity: float
    """Weighted sum of squared gaps between table counts and proportional shares."""
    diversity_l1: float
    """Unweighted sum of absolute gaps (people): easier to read than the squared figure."""
    repeats: int
    """Sum over pairs (not pinned together) of C(m, 2), m = rounds they share a table."""
    repeat_pairs: int
    """Pairs (not pinned together) who share a table in more than one round."""
    total: float
    """diversity + repeat_weight * repeats: what the search minimises."""


@dataclass(frozen=True)
class TablePlan:
    seating: np.ndarray
    """(rounds, people) table index of each person in each round (read-only)."""
    tables: int
    score: Score
    iterations: int
    """Annealing steps actually run."""
    cancelled: bool = False
    """True if `should_stop` ended the search early (the plan is still valid, just less polished)."""

    @property
    def rounds(self) -> int:
        return int(self.seating.shape[0])

    def table_members(self, round_index: int) -> list[list[int]]:
        """People (indices) at each table in one round, each list sorted."""
        return seat_lists(self.seating[round_index], self.tables)


@dataclass(frozen=True)
class _Problem:
    n: int
    tables: int
    rounds: int
    sizes: np.ndarray  # (T,) seats per table
    onehot: np.ndarray  # (n, C) 0/1 for each feature value
    weights: np.ndarray  # (C,) feature weight of each column
    target: np.ndarray  # (T, C) proportional share of each value at each table
    repeat_weight: float
    unit_of: tuple[int, ...]  # unit index of each person
    units: tuple[np.ndarray, ...]  # people in each unit (pinned group or single person)
    apart: tuple[frozenset[int], ...]  # per person: who they must not sit with
    together_mask: np.ndarray = field(repr=False)  # (n, n) bool: pinned to sit together
    cols: tuple[tuple[int, ...], ...] = ()  # per person: their value column for each feature
    feature_w: tuple[float, ...] = ()  # weight of each feature
    col_w: tuple[float, ...] = ()  # weight of each value column
    unit_lists: tuple[list[int], ...] = ()  # the units as plain lists


def table_sizes(people: int, tables: int) -> np.ndarray:
    """Balanced sizes: n // T each, one more at the first n % T tables."""
    base, extra = divmod(people, tables)
    return np.array([base + (1 if t < extra else 0) for t in range(tables)], dtype=np.int64)


def seat_lists(row: np.ndarray, tables: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(tables)]
    for person, table in enumerate(row.tolist()):
        out[table].append(person)
    return out


def encode(columns: Sequence[Sequence[object]]) -> np.ndarray:
    """Category codes (people x features) from per-feature value lists, in first-seen order."""
    if not columns:
        return np.zeros((0, 0), dtype=np.int64)
    n = len(columns[0])
    codes = np.zeros((n, len(columns)), dtype=np.int64)
    for f, values in enumerate(columns):
        seen: dict[object, int] = {}
        for i, value in enumerate(values):
            codes[i, f] = seen.setdefault(value, len(seen))
    return codes


def _onehot(codes: np.ndarray, feature_weights: Sequence[float] | None) -> tuple[np.ndarray, ...]:
    n, nf = codes.shape
    blocks, weights = [], []
    for f in range(nf):
        col = codes[:, f]
        if col.size and col.min() < 0:
            raise PlanError(f"feature {f}: category codes must be 0 or more")  # not words
        k = int(col.max()) + 1 if col.size else 0
        block = np.zeros((n, k))
        block[np.arange(n), col] = 1.0
        blocks.append(block)
        w = 1.0 if feature_weights is None else float(feature_weights[f])
        weights.append(np.full(k, w))
    if not blocks:
        return np.zeros((n, 0)), np.zeros(0)
    return np.hstack(blocks), np.concatenate(weights)


def _problem(
    codes: np.ndarray,
    tables: int,
    rounds: int,
    pins: Pins,
    repeat_weight: float,
    feature_weights: Sequence[float] | None,
) -> _Problem:
    codes = np.asarray(codes, dtype=np.int64)
    if codes.ndim != 2:
        raise PlanError(
            "codes must be a table: one row per person, one column per feature"  # not words
        )
    n = codes.shape[0]
    if tables < 1:
        raise PlanError(
            f"tables must be at least 1 (got {tables})",  # not words
            "tables",
            (tables,),
        )
    if rounds < 1:
        raise PlanError(
            f"rounds must be at least 1 (got {rounds})",  # not words
            "rounds",
            (rounds,),
        )
    if n < tables:
        raise PlanError(
            f"{n} people cannot fill {tables} tables: use at most {n} tables",  # not words
            "too_few",
            (n, tables),
        )
    if feature_weights is not None and len(feature_weights) != codes.shape[1]:
        raise PlanError("give one weight per feature")  # not words
    if repeat_weight < 0:
        raise PlanError("repeat_weight must be 0 or more")  # not words
    sizes = table_sizes(n, tables)
    onehot, weights = _onehot(codes, feature_weights)
    offsets = np.concatenate([[0], np.cumsum(codes.max(axis=0) + 1)[:-1]]) if n else []
    cols = tuple(tuple(int(c) for c in row) for row in (codes + offsets)) if n else ()
    feature_w = tuple(
        1.0 if feature_weights is None else float(w)
        for w in (feature_weights or [None] * codes.shape[1])
    )
    share = onehot.mean(axis=0) if n else np.zeros(onehot.shape[1])
    target = sizes[:, None] * share[None, :]

    # Units: union-find over together pins.
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in pins.together:
        for p in group:
            if not 0 <= p < n:
                raise PlanError(
                    f"a together pin names person {p}, who is not in the room"  # not words
                )
        for a, b in itertools.pairwise(group):
            parent[find(a)] = find(b)
    roots: dict[int, list[int]] = {}
    for p in range(n):
        roots.setdefault(find(p), []).append(p)
    units = tuple(np.array(sorted(v), dtype=np.int64) for v in roots.values())
    unit_of = np.zeros(n, dtype=np.int64)
    for u, members in enumerate(units):
        unit_of[members] = u
    biggest = max(len(u) for u in units)
    if biggest > sizes.max():
        raise PlanError(
            f"{biggest} people are pinned to sit together but tables seat at most "
            f"{int(sizes.max())}: use fewer tables or split the pin",  # not words
            "group_too_big",
            (biggest, int(sizes.max())),
        )
    apart: list[set[int]] = [set() for _ in range(n)]
    for a, b in pins.apart:
        if not (0 <= a < n and 0 <= b < n) or a == b:
            raise PlanError(
                f"an apart pin names people {a} and {b}: not two people in the room"  # not words
            )
        if unit_of[a] == unit_of[b]:
            raise PlanError(
                f"people {a} and {b} are pinned both together and apart; remove one of the "  # not words
                "pins",
                "both_pins",
                (a, b),
            )
        apart[a].add(b)
        apart[b].add(a)
    together_mask = np.zeros((n, n), dtype=bool)
    for members in units:
        if len(members) > 1:
            together_mask[np.ix_(members, members)] = True
    np.fill_diagonal(together_mask, False)
    return _Problem(
        n=n,
        tables=tables,
        rounds=rounds,
        sizes=sizes,
        onehot=onehot,
        weights=weights,
        target=target,
        repeat_weight=float(repeat_weight),
        unit_of=tuple(unit_of.tolist()),
        units=units,
        apart=tuple(frozenset(s) for s in apart),
        together_mask=together_mask,
        cols=cols,
        feature_w=feature_w,
        col_w=tuple(float(w) for w in weights),
        unit_lists=tuple(u.tolist() for u in units),
    )


# --------------------------------------------------------------------------------------------
# Scoring from scratch (the reference the search is checked against)


def score_seating(
    codes: np.ndarray,
    seating: np.ndarray,
    tables: int,
    *,
    pins: Pins = Pins(),
    repeat_weight: float = 1.0,
    feature_weights: Sequence[float] | None = None,
) -> Score:
    """Score any seating (rounds x people table indices) by the objective in the module doc."""
    seating = np.asarray(seating, dtype=np.int64)
    prob = _problem(codes, tables, seating.shape[0], pins, repeat_weight, feature_weights)
    return _score(prob, seating)


def _score(prob: _Problem, seating: np.ndarray) -> Score:
    div = 0.0
    l1 = 0.0
    for r in range(seating.shape[0]):
        counts = np.zeros_like(prob.target)
        np.add.at(counts, seating[r], prob.onehot)
        gap = counts - prob.target
        div += float((prob.weights * gap * gap).sum())
        l1 += float(np.abs(gap).sum())
    meets = meeting_counts(seating)
    meets[prob.together_mask] = 0
    upper = np.triu(meets, 1)
    repeats = int((upper * (upper - 1) // 2).sum())
    repeat_pairs = int((upper > 1).sum())
    return Score(
        diversity=div,
        diversity_l1=l1,
        repeats=repeats,
        repeat_pairs=repeat_pairs,
        total=div + prob.repeat_weight * repeats,
    )


def meeting_counts(seating: np.ndarray) -> np.ndarray:
    """(people x people) number of rounds each pair shares a table; 0 on the diagonal."""
    seating = np.asarray(seating)
    n = seating.shape[1]
    meets = np.zeros((n, n), dtype=np.int64)
    for row in seating:
        meets += row[:, None] == row[None, :]
    np.fill_diagonal(meets, 0)
    return meets


def check_seating(seating: np.ndarray, tables: int, pins: Pins = Pins()) -> list[str]:
    """Every way a seating breaks the rules, in words (empty if it keeps them all)."""
    problems = []
    seating = np.asarray(seating)
    n = seating.shape[1]
    want = sorted(table_sizes(n, tables).tolist())
    for r, row in enumerate(seating):
        got = sorted(np.bincount(row, minlength=tables).tolist())
        if got != want or row.max() >= tables or row.min() < 0:
            problems.append(f"round {r + 1}: table sizes {got}, expected {want}")  # not words
        for group in pins.together:
            if len({int(row[p]) for p in group}) > 1:
                problems.append(f"round {r + 1}: pinned group {list(group)} is split")  # not words
        for a, b in pins.apart:
            if row[a] == row[b]:
                problems.append(
                    f"round {r + 1}: {a} and {b} share table {int(row[a]) + 1}"  # not words
                )
    return problems


# --------------------------------------------------------------------------------------------
# The search


class _State:
    """Seating plus running totals that make a swap's cost change cheap to compute.

    `near[r][p][t]` caches the sum over people q at table t in round r of meets[p][q], so the
    repeat cost of moving p to t is one lookup; `dev[r][t][c]` is table t's count of value
    column c minus its proportional share. Both are updated as moves are applied. Plain Python
    lists: for single-element reads and writes they are several times faster than numpy."""

    def __init__(self, prob: _Problem, seating: np.ndarray) -> None:
        self.prob = prob
        seating = np.asarray(seating, dtype=np.int64)
        r_count, t_count = prob.rounds, prob.tables
        self.seat: list[list[int]] = seating.tolist()
        self.members: list[list[list[int]]] = [
            [np.flatnonzero(seating[r] == t).tolist() for t in range(t_count)]
            for r in range(r_count)
        ]
        self.pos: list[list[int]] = [[0] * prob.n for _ in range(r_count)]
        for r in range(r_count):
            for t in range(t_count):
                for k, p in enumerate(self.members[r][t]):
                    self.pos[r][p] = k
        dev = np.zeros((r_count, t_count, prob.onehot.shape[1]))
        for r in range(r_count):
            np.add.at(dev[r], seating[r], prob.onehot)
        dev -= prob.target[None]
        self.dev: list[list[list[float]]] = dev.tolist()
        meets = meeting_counts(seating)
        meets[prob.together_mask] = 0
        near = np.zeros((r_count, prob.n, t_count), dtype=np.int64)
        for r in range(r_count):
            at = np.zeros((prob.n, t_count), dtype=np.int64)
            at[np.arange(prob.n), seating[r]] = 1
            near[r] = meets @ at
        self.meets: list[list[int]] = meets.tolist()
        self.near: list[list[list[int]]] = near.tolist()
        self.total = _score(prob, seating).total

    @property
    def seating(self) -> np.ndarray:
        return np.array(self.seat, dtype=np.int64)

    def fits(self, r: int, people: list[int], table: int, leaving: list[int]) -> bool:
        """Would `people` keep every apart pin at `table` in round r, once `leaving` have gone?"""
        seat = self.seat[r]
        apart = self.prob.apart
        for p in people:
            for q in apart[p]:
                if seat[q] == table and q not in leaving:
                    return False
        return True

    def delta(self, r: int, a: int, b: int, u: list[int], v: list[int]) -> float:
        """Cost change if people `u` (at table a) and `v` (at table b) swap tables in round r."""
        prob = self.prob
        da, db = self.dev[r][a], self.dev[r][b]
        cols, fw = prob.cols, prob.feature_w
        near = self.near[r]
        size_a, size_b = len(self.members[r][a]), len(self.members[r][b])
        if len(u) == 1:
            i, j = u[0], v[0]
            ci, cj = cols[i], cols[j]
            div = 0.0
            for f, w in enumerate(fw):
                x, y = ci[f], cj[f]
                if x != y:
                    div += w * (4.0 + 2.0 * ((da[y] - db[y]) - (da[x] - db[x])))
            if prob.repeat_weight == 0.0:
                return div
            ni, nj = near[i], near[j]
            rep = nj[a] - ni[a] + ni[b] - nj[b] - 2 * self.meets[i][j] + size_a + size_b - 2
            return div + prob.repeat_weight * rep
        # A pinned group and as many others: d = (value counts of v) - (value counts of u).
        d: dict[int, int] = {}
        for p in v:
            for c in cols[p]:
                d[c] = d.get(c, 0) + 1
        for p in u:
            for c in cols[p]:
                d[c] = d.get(c, 0) - 1
        w = prob.col_w
        div = sum(w[c] * (2.0 * k * k + 2.0 * k * (da[c] - db[c])) for c, k in d.items() if k)
        if prob.repeat_weight == 0.0:
            return div
        m = self.meets
        k = len(u)
        uu = sum(m[p][q] for p in u for q in u)
        uv = sum(m[p][q] for p in u for q in v)
        vv = sum(m[p][q] for p in v for q in v)
        mu_a = sum(near[p][a] for p in u) - uu  # u with the others staying at a
        mu_b = sum(near[p][b] for p in u) - uv  # u with the others staying at b
        mv_b = sum(near[p][b] for p in v) - vv
        mv_a = sum(near[p][a] for p in v) - uv
        rep = (mu_b - (mu_a - k * (size_a - k))) + (mv_a - (mv_b - k * (size_b - k)))
        return div + prob.repeat_weight * rep

    def apply(self, r: int, a: int, b: int, u: list[int], v: list[int], delta: float) -> None:
        prob = self.prob
        sa, sb = self.members[r][a], self.members[r][b]
        rest_a = [p for p in sa if p not in u]
        rest_b = [p for p in sb if p not in v]
        m, near, seat = self.meets, self.near, self.seat
        rounds = range(prob.rounds)
        for group, old, new in ((u, rest_a, rest_b), (v, rest_b, rest_a)):
            for p in group:
                mp = m[p]
                for q, step in [(q, -1) for q in old] + [(q, 1) for q in new]:
                    mp[q] += step
                    m[q][p] += step
                    for rr in rounds:
                        s = seat[rr]
                        near[rr][p][s[q]] += step
                        near[rr][q][s[p]] += step
        # The move itself in round r: everyone's sums over tables a and b change.
        nr = near[r]
        if len(u) == 1:  # meets is symmetric, so rows stand in for columns
            shifts = [y - x for x, y in zip(m[u[0]], m[v[0]], strict=True)]
        else:
            shifts = [0] * prob.n
            for group, sign in ((v, 1), (u, -1)):
                for p in group:
                    for k, x in enumerate(m[p]):
                        shifts[k] += sign * x
        for k, shift in enumerate(shifts):
            if shift:
                row = nr[k]
                row[a] += shift
                row[b] -= shift
        da, db = self.dev[r][a], self.dev[r][b]
        cols = prob.cols
        for p in u:
            for c in cols[p]:
                da[c] -= 1.0
                db[c] += 1.0
        for p in v:
            for c in cols[p]:
                db[c] -= 1.0
                da[c] += 1.0
        pos = self.pos[r]
        s = seat[r]
        for p, q in zip(u, v, strict=True):
            pp, pq = pos[p], pos[q]
            sa[pp], sb[pq] = q, p
            pos[p], pos[q] = pq, pp
            s[p], s[q] = b, a
        self.total += delta


def _greedy(prob: _Problem, rng: np.random.Generator) -> np.ndarray | None:
    """Seat round by round: units in random order (pinned groups first, largest first), each at
    the open table where it adds the least cost. None if the apart pins trap it."""
    n, t_count = prob.n, prob.tables
    seating = np.full((prob.rounds, n), -1, dtype=np.int64)
    meets = np.zeros((n, n), dtype=np.int64)
    order = rng.permutation(len(prob.units))
    order = sorted(order.tolist(), key=lambda u: -len(prob.units[u]))
    for r in range(prob.rounds):
        free = prob.sizes.copy()
        counts = np.zeros_like(prob.target)
        at_table: list[list[int]] = [[] for _ in range(t_count)]
        for u in order:
            people = prob.units[u]
            k = len(people)
            x = prob.onehot[people].sum(axis=0)
            best, best_cost = -1, math.inf
            for t in rng.permutation(t_count).tolist():
                if free[t] < k:
                    continue
                if any(seating[r, q] == t for p in people.tolist() for q in prob.apart[p]):
                    continue
                gap = counts[t] - prob.target[t]
                cost = float((prob.weights * (2 * gap * x + x * x)).sum())
                if at_table[t]:
                    cost += prob.repeat_weight * float(meets[np.ix_(people, at_table[t])].sum())
                if cost < best_cost:
                    best, best_cost = t, cost
            if best < 0:
                return None
            seating[r, people] = best
            free[best] -= k
            counts[best] += x
            at_table[best].extend(people.tolist())
        for t in range(t_count):
            members = np.array(at_table[t], dtype=np.int64)
            meets[np.ix_(members, members)] += 1
        np.fill_diagonal(meets, 0)
        meets[prob.together_mask] = 0
    return seating


def _initial(prob: _Problem, rng: np.random.Generator, tries: int = 50) -> np.ndarray:
    for _ in range(tries):
        seating = _greedy(prob, rng)
        if seating is not None:
            return seating
    raise PlanError(
        "could not seat everyone without breaking a keep-apart pin: there are more people "  # not words
        "pinned apart from each other than tables, or pinned groups leave no room; "
        "use more tables or remove a pin",
        "no_seating",
    )


def _propose(
    state: _State, draw: list[float], singles_only: bool
) -> tuple[int, int, int, list[int], list[int]] | None:
    """A random swap in a random round, from four uniform numbers in [0, 1)."""
    prob = state.prob
    r = int(draw[0] * prob.rounds)
    i = int(draw[1] * prob.n)
    a = state.seat[r][i]
    b = int(draw[2] * (prob.tables - 1))
    if b >= a:
        b += 1
    sb = state.members[r][b]
    j = sb[int(draw[3] * len(sb))]
    if singles_only:
        return r, a, b, [i], [j]
    u = prob.unit_lists[prob.unit_of[i]]
    v = prob.unit_lists[prob.unit_of[j]]
    if len(u) == len(v):
        return r, a, b, u, v
    # A pinned group swaps with as many unpinned people from the other table, taken in turn
    # from the drawn person onwards (so the choice still comes from the draw).
    if len(u) > len(v):
        pool = [p for p in sb if len(prob.unit_lists[prob.unit_of[p]]) == 1]
        if len(pool) < len(u):
            return None
        start = int(draw[3] * len(pool))
        return r, a, b, u, sorted((pool + pool)[start : start + len(u)])
    sa = state.members[r][a]
    pool = [p for p in sa if len(prob.unit_lists[prob.unit_of[p]]) == 1]
    if len(pool) < len(v):
        return None
    start = int(draw[1] * len(pool))
    return r, a, b, sorted((pool + pool)[start : start + len(v)]), v


def _allowed(state: _State, move: tuple[int, int, int, list[int], list[int]]) -> bool:
    r, a, b, u, v = move
    return state.fits(r, u, b, v) and state.fits(r, v, a, u)


START_SCALE = 1.0
"""Starting temperature as a multiple of the median uphill step from the greedy start. A cooler
start (0.1) did 1-4% better on rooms of 36-150 but missed the brute-force optimum on small
rooms, so the search starts hot and relies on the polish to finish large rooms."""
COOLING = 1e-3
"""The final temperature as a fraction of the starting one."""


def default_iterations(people: int, rounds: int) -> int:
    """The annealing budget: 150 steps per seat, at most 120,000 (a room of 150 for 4 rounds
    settles in about 1.5 s of CPU; doubling the budget gained under 1% in the benchmark)."""
    return int(min(120_000, max(5_000, 150 * people * rounds)))


def plan_tables(
    codes: np.ndarray,
    tables: int,
    rounds: int,
    rng: np.random.Generator,
    *,
    pins: Pins = Pins(),
    repeat_weight: float = 1.0,
    feature_weights: Sequence[float] | None = None,
    iterations: int | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TablePlan:
    """Seat people (rows of `codes`, one category code per feature) at `tables` tables for
    `rounds` rounds, minimising the objective in the module docstring under the pins."""
    prob = _problem(codes, tables, rounds, pins, repeat_weight, feature_weights)
    budget = default_iterations(prob.n, rounds) if iterations is None else int(iterations)
    seating = _initial(prob, rng)
    if tables == 1:
        return TablePlan(_frozen(seating), tables, _score(prob, seating), 0)
    state = _State(prob, seating)
    singles_only = all(len(u) == 1 for u in prob.units)
    has_apart = any(prob.apart)

    # Starting temperature: the typical size of an uphill step from the greedy start.
    ups = []
    for draw in rng.random((200, 4)).tolist():
        move = _propose(state, draw, singles_only)
        if move is None or ((has_apart or not singles_only) and not _allowed(state, move)):
            continue
        d = state.delta(*move)
        if d > 0:
            ups.append(d)
    t_start = START_SCALE * float(np.median(ups)) if ups else 1.0
    cool = COOLING ** (1.0 / max(budget, 1))
    temp = t_start

    best_total = state.total
    best_seat = [row[:] for row in state.seat]
    chunk = max(1, min(budget, 5_000))
    done = 0
    cancelled = False
    exp = math.exp
    while done < budget and not cancelled:
        if progress is not None:
            progress(done, budget)
        if should_stop is not None and should_stop():
            cancelled = True
            break
        steps = min(chunk, budget - done)
        for draw in rng.random((steps, 5)).tolist():
            temp *= cool
            move = _propose(state, draw, singles_only)
            if move is None:
                continue
            if (has_apart or not singles_only) and not _allowed(state, move):
                continue
            d = state.delta(*move)
            if d <= 0.0 or draw[4] < exp(-d / temp):
                state.apply(*move, d)
                if state.total < best_total - 1e-9:
                    best_total = state.total
                    best_seat = [row[:] for row in state.seat]
        done += steps
    state = _State(prob, np.array(best_seat, dtype=np.int64))
    if not cancelled:
        _polish(state, has_apart, should_stop)
    if progress is not None:
        progress(budget, budget)
    final = state.seating
    return TablePlan(_frozen(final), tables, _score(prob, final), done, cancelled)


def _polish(
    state: _State,
    has_apart: bool,
    should_stop: Callable[[], bool] | None,
    max_passes: int = 20,
) -> None:
    """First-improvement passes over every swap of two unpinned people until none helps (or
    `max_passes` passes): the annealing's end state may still sit one swap from a better one."""
    prob = state.prob
    single = [len(prob.unit_lists[prob.unit_of[p]]) == 1 for p in range(prob.n)]
    for _ in range(max_passes):
        improved = False
        for r in range(prob.rounds):
            seat = state.seat[r]
            for i in range(prob.n):
                if not single[i]:
                    continue
                if should_stop is not None and should_stop():
                    return
                for j in range(i + 1, prob.n):
                    a, b = seat[i], seat[j]
                    if a == b or not single[j]:
                        continue
                    move = (r, a, b, [i], [j])
                    if has_apart and not _allowed(state, move):
                        continue
                    d = state.delta(*move)
                    if d < -1e-9:
                        state.apply(*move, d)
                        improved = True
        if not improved:
            return


def _frozen(seating: np.ndarray) -> np.ndarray:
    out = np.array(seating, dtype=np.int64, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class RunningCostCheck:
    """What `check_running_costs` found: how many swaps were applied, the total the search kept
    running and the total a fresh scoring gives, and whether the cached sums agree too."""

    moves: int
    running_total: float
    rescored_total: float
    caches_agree: bool


def check_running_costs(
    codes: np.ndarray,
    seating: np.ndarray,
    tables: int,
    draws: Sequence[Sequence[float]],
    *,
    pins: Pins = Pins(),
    repeat_weight: float = 1.0,
    feature_weights: Sequence[float] | None = None,
) -> RunningCostCheck:
    """Apply the annealing's own swap moves (one per row of four numbers in [0, 1) in `draws`)
    to `seating`, keeping the running totals as the search does, then rescore from scratch.

    The search trusts its cheap running figures (each swap's cost change, the cached meeting and
    deviation sums) over thousands of moves; this replays them outside the search so a test can
    hold them to a full rescoring, pinned groups included."""
    seating = np.asarray(seating, dtype=np.int64)
    prob = _problem(codes, tables, seating.shape[0], pins, repeat_weight, feature_weights)
    state = _State(prob, seating)
    moves = 0
    for draw in draws:
        move = _propose(state, list(draw), False)
        if move is None:
            continue
        state.apply(*move, state.delta(*move))
        moves += 1
    fresh = _State(prob, state.seating)
    return RunningCostCheck(
        moves=moves,
        running_total=state.total,
        rescored_total=fresh.total,
        caches_agree=state.near == fresh.near
        and state.meets == fresh.meets
        and bool(np.allclose(state.dev, fresh.dev)),
    )


# --------------------------------------------------------------------------------------------
# GroupSelect's published measures, reimplemented from their documentation for comparison


def groupselect_diversity(codes: np.ndarray, seating: np.ndarray, tables: int) -> float:
    """GroupSelect's documented diversity score (lower is better): for each feature, the average
    over all tables of all rounds of the L1 distance between the table's value shares and the
    room's; summed over features."""
    codes = np.asarray(codes)
    seating = np.asarray(seating)
    n = codes.shape[0]
    total = 0.0
    for f in range(codes.shape[1]):
        col = codes[:, f]
        k = int(col.max()) + 1
        room = np.bincount(col, minlength=k) / n
        gaps = []
        for row in seating:
            for t in range(tables):
                at = col[row == t]
                if at.size:
                    gaps.append(float(np.abs(np.bincount(at, minlength=k) / at.size - room).sum()))
        total += float(np.mean(gaps))
    return total


def groupselect_meeting_scores(seating: np.ndarray) -> tuple[float, float]:
    """GroupSelect's documented meeting scores: (share of all pairs who met at least once,
    normalised score where 0 = every round seats the same tables and 1 = no pair meets twice)."""
    seating = np.asarray(seating)
    n = seating.shape[1]
    upper = np.triu(meeting_counts(seating), 1)
    distinct = int((upper > 0).sum())
    per_round = [int(sum(c * (c - 1) // 2 for c in np.bincount(row).tolist())) for row in seating]
    worst, best = max(per_round), sum(per_round)
    norm = (distinct - worst) / (best - worst) if best > worst else 1.0
    return distinct / (n * (n - 1) / 2), norm
