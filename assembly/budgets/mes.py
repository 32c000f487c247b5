"""The Method of Equal Shares (equalshares.net), counted exactly and fast.

Every voter gets an equal share of the budget (the endowment). Round by round, each project
still affordable by its supporters gets a price per unit of utility, rho: the least amount such
that supporters paying `min(their money left, rho x their utility)` together cover its cost.
The project with the lowest rho is funded and its supporters pay; a project whose supporters no
longer have its cost between them drops out. It ends when none is affordable.

Exact and fast at once. All money is `gmpy2.mpq` (exact rationals in C). Identical ballots are
merged into groups; groups with the same money left share a *level* (a level's amount never
changes: paying moves groups to another level). Each round, every project whose supporters paid
in the last round gets its money and price *bounded* in one vectorised pass over all such
projects: each level's amount is rounded down and up to a grid of 1/D (D a power of two chosen
so that no sum or product can overflow int64), and the money and price are computed on both
roundings in exact integer arithmetic. Because a price only falls when supporters have more
money, the two results bound the true price. A decision the bounds settle (affordable or not;
which project has the lowest rho) is taken on them; the rest, and the winner's price, are
computed exactly in rationals. Results are therefore the same on every machine.

The same bounds prove that one decision sequence holds over a whole range of endowments
(`certified_outcome`): Add1 uses that to jump over increments that cannot change the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor, lcm

import numpy as np
from gmpy2 import mpq

from assembly.budgets.outcome import Payment, ProjectFate
from assembly.budgets.profile import Profile
from assembly.budgets.ties import TieOrder, TieRecord, break_tie

UTILITIES = ("cost", "cardinality")
"""`cost`: a voter's utility from a project is its cost (times the ballot's weight); the usual
choice for approval ballots. `cardinality`: it is the weight alone (1 for an approval)."""


@dataclass(frozen=True)
class Prepared:
    """A profile laid out for repeated MES runs (Add1 runs MES many times on it): one flat list
    of (project, group, weight) entries, project by project, built once."""

    profile: Profile
    costs: tuple  # mpq per project
    starts: np.ndarray  # project p's entries are starts[p]:starts[p + 1]
    entry_group: np.ndarray
    entry_weight: np.ndarray  # index into `weights` (all 0 when every weight is 1)
    group_count: np.ndarray  # voters per group
    weights: tuple  # the distinct weights, exact (mpq), ascending
    weight_int: np.ndarray  # each distinct weight times the weights' common denominator
    sort_factor: np.ndarray  # lcm(weight_int) / weight_int: amount x factor sorts by amount/weight
    common: int  # lcm(weight_int)
    cosupport: np.ndarray  # cosupport[s, p]: some voter supports both s and p
    unit_weights: bool
    total_weight: int  # sum over entries of weight_int x voters
    max_cost: Fraction


def prepare(profile: Profile) -> Prepared:
    """The flat entry arrays and which projects share a voter."""
    n_projects = len(profile.project_ids)
    projects: list[int] = []
    groups_of: list[int] = []
    weight_values: list = []
    for g, group in enumerate(profile.groups):
        projects.extend(group.projects)
        groups_of.extend([g] * len(group.projects))
        weight_values.extend(group.weights)
    distinct = sorted(set(weight_values))
    unit = distinct in ([], [1])
    if unit:
        distinct = [1]
        keys = np.zeros(len(projects), dtype=np.int64)
    else:
        position = {w: i for i, w in enumerate(distinct)}
        keys = np.array([position[w] for w in weight_values], dtype=np.int64)
    project_arr = np.array(projects, dtype=np.int64)
    group_arr = np.array(groups_of, dtype=np.int64)
    order = np.argsort(project_arr, kind="stable")
    starts = np.zeros(n_projects + 1, dtype=np.int64)
    np.cumsum(np.bincount(project_arr, minlength=n_projects), out=starts[1:])
    group_count = np.array([group.count for group in profile.groups], dtype=np.int64)
    incidence = np.zeros((len(profile.groups), n_projects), dtype=bool)
    incidence[group_arr, project_arr] = True
    cosupport = np.zeros((n_projects, n_projects), dtype=bool)
    held = np.flatnonzero(starts[1:] > starts[:-1])
    if len(held):  # no BLAS: its threads only contend on a shared machine
        rows = incidence[group_arr[order]]
        cosupport[held] = np.logical_or.reduceat(rows, starts[held], axis=0)
    exact = [Fraction(w) for w in distinct]
    denominator = lcm(*(w.denominator for w in exact))
    scaled = [int(w * denominator) for w in exact]
    common = lcm(*scaled)
    fits = common < 2**40
    weight_int = np.array(scaled if fits else [1] * len(scaled), dtype=np.int64)
    entry_weight = keys[order]
    entry_group = group_arr[order]
    total = sum(
        s * int(n)
        for s, n in zip(
            scaled,
            np.bincount(entry_weight, weights=group_count[entry_group], minlength=len(scaled)),
            strict=True,
        )
    )
    return Prepared(
        profile=profile,
        costs=tuple(mpq(c.numerator, c.denominator) for c in profile.costs),
        starts=starts,
        entry_group=entry_group,
        entry_weight=entry_weight,
        group_count=group_count,
        weights=tuple(mpq(w.numerator, w.denominator) for w in exact),
        weight_int=weight_int,
        sort_factor=np.array(
            [common // s for s in scaled] if fits else [1] * len(scaled), dtype=np.int64
        ),
        common=common if fits else 0,
        cosupport=cosupport,
        unit_weights=unit,
        total_weight=total,
        max_cost=max(profile.costs, default=Fraction(0)),
    )


@dataclass(frozen=True)
class MesRound:
    """One funded project: its price per unit weight and what its supporters paid."""

    project: int
    price: object  # mpq: what a supporter of weight 1 pays if they can
    payments: tuple[Payment, ...]


@dataclass(frozen=True)
class MesRun:
    endowment: Fraction
    rounds: tuple[MesRound, ...]
    dropped: tuple[tuple[int, int, Fraction], ...]
    """(project, round it dropped out after, money its supporters had left then)."""
    ties: tuple[TieRecord, ...]
    spent: Fraction

    @property
    def selected(self) -> tuple[int, ...]:
        return tuple(r.project for r in self.rounds)


def _fraction(value) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


# --- bounds in integers ----------------------------------------------------------------------


def _scale(prepared: Prepared, top: Fraction) -> int | None:
    """The grid 1/D for amounts up to `top`: the largest power of two D for which every sum and
    product the bounds form stays below 2**62; None when there is none worth using."""
    if not prepared.common:
        return None
    money = floor(top) + 2
    cost = floor(prepared.max_cost) + 2
    widest = int(prepared.weight_int.max())
    largest = max(
        money * max(prepared.total_weight, widest), cost * widest, money * prepared.common
    )
    bits = 62 - largest.bit_length()
    return 1 << bits if bits >= 8 else None


def _down(value, scale: int) -> int:
    return int(value.numerator * scale // value.denominator)


def _up(value, scale: int) -> int:
    return -int(-value.numerator * scale // value.denominator)


def _tally(prepared: Prepared, projects: np.ndarray, level_of: np.ndarray, n_levels: int):
    """The supporters of `projects` tallied by (project, level, weight): four arrays (position
    in `projects`, level, weight index, voters), ordered by position."""
    starts = prepared.starts[projects]
    lengths = prepared.starts[projects + 1] - starts
    total = int(lengths.sum())
    seg = np.repeat(np.arange(len(projects), dtype=np.int64), lengths)
    first = np.cumsum(lengths) - lengths
    entries = starts[seg] + np.arange(total, dtype=np.int64) - first[seg]
    groups = prepared.entry_group[entries]
    nw = len(prepared.weights)
    key = (seg * n_levels + level_of[groups]) * nw + prepared.entry_weight[entries]
    voters = prepared.group_count[groups]
    size = len(projects) * n_levels * nw
    if size <= 4 * total + 65536:
        tally = np.bincount(key, weights=voters, minlength=size)  # exact: counts < 2**53
        found = np.flatnonzero(tally)
        counts = tally[found].astype(np.int64)
    else:
        found, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse, weights=voters).astype(np.int64)
    rest = found // nw
    return rest // n_levels, rest % n_levels, found % nw, counts


def _prices(prepared: Prepared, n_seg: int, seg, amount, wkey, counts, cost):
    """For each project of a tally, with the given integer amounts and integer cost: the money
    its supporters hold, and its exact price as num / den (den 0 where the money falls short).
    The price is in grid units per unit of scaled weight."""
    weight = prepared.weight_int[wkey]
    if prepared.unit_weights:  # one key: seg x (top + 1) + amount fits, as n_seg <= total_weight
        order = np.argsort(seg * (int(amount.max(initial=0)) + 1) + amount)
    else:
        order = np.lexsort((amount * prepared.sort_factor[wkey], seg))
    s, a, w, m = seg[order], amount[order], weight[order], counts[order]
    am, wm = a * m, w * m
    cam, cwm = np.cumsum(am), np.cumsum(wm)
    first = np.searchsorted(s, np.arange(n_seg))
    last = np.append(first[1:], len(s)) - 1
    base_a, base_w = cam[first] - am[first], cwm[first] - wm[first]
    money = cam[last] - base_a
    paid_before = cam - am - base_a[s]
    weight_from = (cwm[last] - base_w)[s] - (cwm - wm - base_w[s])
    ok = (cost[s] - paid_before) * w <= a * weight_from
    k = np.minimum.reduceat(np.where(ok, np.arange(len(s)), len(s)), first)
    affordable = k <= last
    k = np.minimum(k, last)
    return money, cost - paid_before[k], np.where(affordable, weight_from[k], 0)


_SLACK = 1e-12
"""Relative widening of float rho bounds: their float rounding is below 1e-15."""


def _rho_bounds(num_lo, den_lo, num_hi, den_hi, divisor):
    """Float bounds on rho from the exact price bounds (inf where there is no upper bound)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        low = num_lo.astype(np.float64) / den_lo / divisor * (1 - _SLACK)
        high = np.where(den_hi > 0, num_hi.astype(np.float64) / den_hi / divisor, np.inf)
    return np.where(den_lo > 0, low, -np.inf), high * (1 + _SLACK)


def _divisors(prepared: Prepared, utility: str) -> np.ndarray:
    """What a price is divided by to give rho: the cost (utility `cost`), else 1."""
    costs = prepared.profile.costs
    return np.array([float(c) if utility == "cost" and c else 1.0 for c in costs], dtype=np.float64)


class _Bounds:
    """Money and rho bounds of the projects whose supporters' money changed."""

    def __init__(self, prepared: Prepared, scale: int, utility: str) -> None:
        self.prepared = prepared
        self.cost_lo = np.array([_down(c, scale) for c in prepared.costs], dtype=np.int64)
        self.cost_hi = np.array([_up(c, scale) for c in prepared.costs], dtype=np.int64)
        self.divisor = _divisors(prepared, utility)

    def compute(self, projects: np.ndarray, level_of, lows: np.ndarray, highs: np.ndarray):
        """(money from the low amounts, money from the high ones, rho low, rho high, and the
        price bounds as (num, den) pairs) for `projects`."""
        seg, level, wkey, counts = _tally(self.prepared, projects, level_of, len(lows))
        n = len(projects)
        money_lo, num_hi, den_hi = _prices(
            self.prepared, n, seg, lows[level], wkey, counts, self.cost_hi[projects]
        )
        money_hi, num_lo, den_lo = _prices(
            self.prepared, n, seg, highs[level], wkey, counts, self.cost_lo[projects]
        )
        rho_lo, rho_hi = _rho_bounds(num_lo, den_lo, num_hi, den_hi, self.divisor[projects])
        return money_lo, money_hi, rho_lo, rho_hi, (num_lo, den_lo), (num_hi, den_hi)


def equal_shares(
    prepared: Prepared,
    endowment: Fraction,
    *,
    utility: str = "cost",
    ties: TieOrder | None = None,
) -> MesRun:
    """One run of MES with each voter starting with `endowment`."""
    if utility not in UTILITIES:
        raise ValueError(f"utility must be one of {UTILITIES}")  # not words
    ties = ties or TieOrder()
    profile = prepared.profile
    n_projects = len(profile.project_ids)
    costs = prepared.costs
    zero = mpq(0)
    start = mpq(endowment.numerator, endowment.denominator)
    scale = _scale(prepared, endowment)
    bounds = None if scale is None else _Bounds(prepared, scale, utility)
    level_amount: list = [zero, start] if start > 0 else [zero]
    lows = np.array([_down(a, scale) for a in level_amount] if scale else [], dtype=np.int64)
    highs = np.array([_up(a, scale) for a in level_amount] if scale else [], dtype=np.int64)
    level_of = np.full(len(profile.groups), len(level_amount) - 1, dtype=np.int64)
    supported = prepared.starts[1:] > prepared.starts[:-1]
    alive = {p for p in range(n_projects) if supported[p]}
    dropped: list[tuple[int, int, Fraction]] = [
        (p, 0, Fraction(0)) for p in range(n_projects) if not supported[p]
    ]
    rho_lo = np.full(n_projects, -np.inf)
    rho_hi = np.full(n_projects, np.inf)
    exact: dict[int, tuple] = {}  # p -> (price, rho), while p's supporters keep their money
    rounds: list[MesRound] = []
    records: list[TieRecord] = []
    nw = len(prepared.weights)
    unit = prepared.unit_weights

    def items_of(p: int):
        """(amount, weight, voters, key) of p's supporters, by level and weight."""
        _, level, wkey, counts = _tally(prepared, np.array([p]), level_of, len(level_amount))
        return [
            (level_amount[lv], prepared.weights[wk], c, lv * nw + wk)
            for lv, wk, c in zip(level.tolist(), wkey.tolist(), counts.tolist(), strict=True)
        ]

    def money_of(projects: list[int]) -> list:
        """What the supporters of each of `projects` hold, exactly."""
        seg, level, _, counts = _tally(
            prepared, np.array(projects, dtype=np.int64), level_of, len(level_amount)
        )
        held = [zero] * len(projects)
        for s, lv, c in zip(seg.tolist(), level.tolist(), counts.tolist(), strict=True):
            held[s] += level_amount[lv] * c
        return held

    def exact_price(p: int):
        if p not in exact:
            price = _sweep(items_of(p), costs[p], prepared.unit_weights)
            cost = costs[p]
            exact[p] = (price, price / cost if utility == "cost" and cost else price)
        return exact[p]

    todo = sorted(alive)
    while alive:
        if todo:
            projects = np.array(todo, dtype=np.int64)
            if bounds is not None:
                money_lo, _, low, high, _, _ = bounds.compute(projects, level_of, lows, highs)
            short = []  # the bounds do not show these affordable: their money, exactly
            for i, p in enumerate(todo):
                exact.pop(p, None)
                if bounds is not None and money_lo[i] >= bounds.cost_hi[p]:
                    rho_lo[p], rho_hi[p] = low[i], high[i]
                else:
                    short.append((i, p))
            if short:
                held = money_of([p for _, p in short])
                for (i, p), money in zip(short, held, strict=True):
                    if money >= costs[p]:
                        if bounds is not None:
                            rho_lo[p], rho_hi[p] = low[i], high[i]
                        continue
                    alive.discard(p)
                    dropped.append((p, len(rounds), _fraction(money)))
        if not alive:
            break
        candidates = sorted(alive)
        best_hi = min(rho_hi[p] for p in candidates)
        close = [p for p in candidates if rho_lo[p] <= best_hi]
        if len(close) == 1:
            chosen = close[0]
        else:
            best = min(exact_price(p)[1] for p in close)
            tied = [p for p in close if exact_price(p)[1] == best]
            chosen = tied[0]
            if len(tied) > 1:
                chosen, record = break_tie(
                    tied,
                    order=ties,
                    ids=profile.project_ids,
                    costs=profile.costs,
                    votes=profile.supporters,
                    round_number=len(rounds) + 1,
                )
                records.append(record)
        items = items_of(chosen)
        q = exact[chosen][0] if chosen in exact else _sweep(items, costs[chosen], unit)
        dues = [q * w for w in prepared.weights]  # a supporter of weight w pays min(money, q x w)
        payments = []
        moves = np.arange(len(level_amount) * nw, dtype=np.int64)
        fresh: list[int] = []  # the (level, weight) key each new level comes from
        for amount, _, voters, key in items:
            due = dues[key % nw]
            if amount <= due:  # pays all it has: to level 0
                moves[key] = 0
                payments.append((amount, voters))
            else:  # a new level (equal amounts in two levels do no harm)
                moves[key] = len(level_amount)
                level_amount.append(amount - due)
                fresh.append(key)
                payments.append((due, voters))
        if scale and fresh:  # bounds of the new levels from the old: a - due, rounded outward
            keys = np.array(fresh, dtype=np.int64)
            old, wkey = keys // nw, keys % nw
            due_up = np.array([_up(d, scale) for d in dues], dtype=np.int64)
            due_down = np.array([_down(d, scale) for d in dues], dtype=np.int64)
            lows = np.concatenate((lows, np.maximum(lows[old] - due_up[wkey], 0)))
            highs = np.concatenate((highs, highs[old] - due_down[wkey]))
        start_at, end_at = prepared.starts[chosen], prepared.starts[chosen + 1]
        members = prepared.entry_group[start_at:end_at]
        keys = level_of[members] * nw + prepared.entry_weight[start_at:end_at]
        level_of[members] = moves[keys]
        rounds.append(MesRound(chosen, q, _merge_payments(payments)))
        alive.discard(chosen)
        row = prepared.cosupport[chosen]
        todo = [p for p in sorted(alive) if row[p]]
    spent = sum((profile.costs[r.project] for r in rounds), Fraction(0))
    return MesRun(endowment, tuple(rounds), tuple(dropped), tuple(records), spent)


def certified_outcome(
    prepared: Prepared, low: Fraction, high: Fraction, *, utility: str = "cost"
) -> tuple[int, ...] | None:
    """The projects MES funds, in order, with every endowment from `low` to `high` — if one
    decision sequence provably holds across the whole range; None where that cannot be shown.

    Each group's money is kept as an integer interval (grid 1/D) holding its true amount for
    every endowment in the range. A project's price only falls when its supporters have more
    money, so prices computed on the interval ends bound the true price; a decision is certified
    only if the bounds settle it: the project funded is affordable at every endowment and
    strictly cheaper than every other project that may be affordable at some (when a project
    drops out does not matter: it is never funded). Paying `max(money - price x weight, 0)`
    keeps the intervals valid for the next round. A tie anywhere in the range is never certified.
    """
    if utility not in UTILITIES:
        raise ValueError(f"utility must be one of {UTILITIES}")  # not words
    scale = _scale(prepared, high)
    if scale is None or low > high:
        return None
    bounds = _Bounds(prepared, scale, utility)
    n_projects = len(prepared.profile.project_ids)
    nw = len(prepared.weights)
    start = (_down(low, scale), _up(high, scale))
    lows = np.array([0, start[0]], dtype=np.int64)  # level 0 holds nothing at any endowment
    highs = np.array([0, start[1]], dtype=np.int64)
    level_of = np.full(len(prepared.profile.groups), 1, dtype=np.int64)
    supported = prepared.starts[1:] > prepared.starts[:-1]
    alive = {p for p in range(n_projects) if supported[p]}
    rho_lo = np.full(n_projects, -np.inf)
    rho_hi = np.full(n_projects, np.inf)
    price_lo = np.zeros(n_projects, dtype=np.int64)
    price_hi = np.zeros(n_projects, dtype=np.int64)
    sure: set[int] = set()  # affordable at every endowment of the range
    selected: list[int] = []
    todo = sorted(alive)
    while alive:
        if todo:
            projects = np.array(todo, dtype=np.int64)
            money_lo, money_hi, r_lo, r_hi, (n_lo, d_lo), (n_hi, d_hi) = bounds.compute(
                projects, level_of, lows, highs
            )
            for i, p in enumerate(todo):
                if money_hi[i] < bounds.cost_hi[p]:  # short of its cost at every endowment
                    alive.discard(p)
                    sure.discard(p)
                    continue
                rho_lo[p] = r_lo[i]
                price_lo[p] = n_lo[i] // d_lo[i]
                if money_lo[i] >= bounds.cost_hi[p]:  # affordable at every endowment
                    sure.add(p)
                    rho_hi[p] = r_hi[i]
                    price_hi[p] = -(-n_hi[i] // d_hi[i])
                else:  # affordable at some: it may compete, but cannot be certified the winner
                    sure.discard(p)
                    rho_hi[p] = np.inf
        if not alive:
            break
        if not sure:
            return None
        chosen = min(sorted(sure), key=lambda p: rho_hi[p])
        if any(rho_lo[p] <= rho_hi[chosen] for p in alive if p != chosen):
            return None
        _, level, wkey, _ = _tally(prepared, np.array([chosen]), level_of, len(lows))
        weight = prepared.weight_int[wkey]
        new_lo = np.maximum(lows[level] - price_hi[chosen] * weight, 0)
        new_hi = np.maximum(highs[level] - price_lo[chosen] * weight, 0)
        kept = new_hi > 0  # the rest hold nothing at any endowment: level 0
        moves = np.arange(len(lows) * nw, dtype=np.int64)
        moves[level * nw + wkey] = np.where(kept, len(lows) + np.cumsum(kept) - 1, 0)
        lows = np.concatenate((lows, new_lo[kept]))
        highs = np.concatenate((highs, new_hi[kept]))
        start_at, end_at = prepared.starts[chosen], prepared.starts[chosen + 1]
        members = prepared.entry_group[start_at:end_at]
        level_of[members] = moves[level_of[members] * nw + prepared.entry_weight[start_at:end_at]]
        selected.append(chosen)
        alive.discard(chosen)
        sure.discard(chosen)
        row = prepared.cosupport[chosen]
        todo = [p for p in sorted(alive) if row[p]]
    return tuple(selected)


def _sweep(items, cost, unit: bool = False):
    """The least q with sum(min(amount, q x weight) x voters) >= cost: supporters who cannot pay
    their q x weight pay all they have; the rest share what remains in proportion to weight."""
    remaining = cost
    total_weight = sum((weight * voters for _, weight, voters, _ in items), mpq(0))
    order = sorted(items, key=_first) if unit else sorted(items, key=lambda i: i[0] / i[1])
    for amount, weight, voters, _ in order:
        q = remaining / total_weight
        if q * weight <= amount:
            return q
        remaining -= amount * voters
        total_weight -= weight * voters
    raise AssertionError("an affordable project always has a price")  # not words


def _first(item):
    return item[0]


def _merge_payments(payments: list) -> tuple[Payment, ...]:
    merged: dict = {}
    for amount, voters in payments:
        merged[amount] = merged.get(amount, 0) + voters
    return tuple(
        Payment(_fraction(amount), voters)
        for amount, voters in sorted(merged.items(), reverse=True)
    )


def mes_fates(prepared: Prepared, run: MesRun, stage: str = "main") -> dict[int, ProjectFate]:
    """Each project's fate in one MES run, with what a project that dropped out would have
    needed: a cost no higher than its supporters' money left, or enough new supporters each
    bringing a full endowment."""
    profile = prepared.profile
    fates: dict[int, ProjectFate] = {}
    for number, r in enumerate(run.rounds, start=1):
        q = _fraction(r.price)
        fates[r.project] = ProjectFate(
            profile.project_ids[r.project],
            True,
            number,
            votes=profile.supporters[r.project],
            effective_votes=profile.costs[r.project] / q if q else None,
            payments=r.payments,
            stage=stage,
        )
    for p, after, money in run.dropped:
        short = profile.costs[p] - money
        more = ceil(short / run.endowment) if run.endowment > 0 else None
        fates[p] = ProjectFate(
            profile.project_ids[p],
            False,
            after,
            "no-money" if profile.supporters[p] else "no-votes",  # not words
            votes=profile.supporters[p],
            money_left=money,
            more_supporters=more,
            lower_cost_by=short,
            stage=stage,
        )
    return fates
