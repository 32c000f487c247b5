"""The Method of Equal Shares (equalshares.net), counted exactly and fast.

Every voter gets an equal share of the budget (the endowment). Round by round, each project
still affordable by its supporters gets a price per unit of utility, rho: the least amount such
that supporters paying `min(their money left, rho x their utility)` together cover its cost.
The project with the lowest rho is funded and its supporters pay; a project whose supporters no
longer have its cost between them drops out. It ends when none is affordable.

Exact and fast at once: all money is `gmpy2.mpq` (exact rationals in C). Identical ballots are
merged; voters with the same money left share a *level* (a level's amount never changes — paying
moves voters to another level), so a project's supporters are summarised by a handful of
(level, weight, count) items, counted with numpy, and the price is found by one sweep over them.
A project's price is recomputed only when one of its supporters paid in the last round.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil

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
    """A profile laid out for repeated MES runs (Add1 runs MES dozens of times on it)."""

    profile: Profile
    costs: tuple
    supporters: tuple  # per project: group indexes (numpy int arrays)
    counts: tuple  # per project: float64 voter counts of those groups (numpy)
    weight_keys: tuple  # per project: index into `weights` (numpy), or None when all are 1
    weights: tuple
    cosupport: np.ndarray  # cosupport[s, p]: some voter supports both s and p
    unit_weights: bool


def prepare(profile: Profile) -> Prepared:
    """Index arrays of each project's supporters, built once."""
    n_projects = len(profile.project_ids)
    members: list[list[int]] = [[] for _ in range(n_projects)]
    member_weights: list[list[Fraction]] = [[] for _ in range(n_projects)]
    incidence = np.zeros((len(profile.groups), n_projects), dtype=np.float32)
    for g, group in enumerate(profile.groups):
        for p, w in zip(group.projects, group.weights, strict=True):
            members[p].append(g)
            member_weights[p].append(w)
        incidence[g, list(group.projects)] = 1
    cosupport = (incidence.T @ incidence) > 0
    distinct = sorted({w for ws in member_weights for w in ws})
    unit = distinct in ([], [1])
    position = {w: i for i, w in enumerate(distinct)}
    group_counts = np.array([group.count for group in profile.groups], dtype=np.float64)
    supporters, counts, keys = [], [], []
    for p in range(n_projects):
        ix = np.array(members[p], dtype=np.int64)
        supporters.append(ix)
        counts.append(group_counts[ix] if len(ix) else np.zeros(0))
        keys.append(
            None if unit else np.array([position[w] for w in member_weights[p]], dtype=np.int64)
        )
    return Prepared(
        profile=profile,
        costs=tuple(mpq(c.numerator, c.denominator) for c in profile.costs),
        supporters=tuple(supporters),
        counts=tuple(counts),
        weight_keys=tuple(keys),
        weights=tuple(mpq(Fraction(w).numerator, Fraction(w).denominator) for w in distinct),
        cosupport=cosupport,
        unit_weights=unit,
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


def equal_shares(
    prepared: Prepared,
    endowment: Fraction,
    *,
    utility: str = "cost",
    ties: TieOrder | None = None,
) -> MesRun:
    """One run of MES with each voter starting with `endowment`."""
    if utility not in UTILITIES:
        raise ValueError(f"utility must be one of {UTILITIES}")
    ties = ties or TieOrder()
    profile = prepared.profile
    n_groups = len(profile.groups)
    zero = mpq(0)
    start = mpq(endowment.numerator, endowment.denominator)
    level_amount: list = [zero, start] if start > 0 else [zero]
    level_index: dict = {amount: i for i, amount in enumerate(level_amount)}
    level_of = np.full(n_groups, len(level_amount) - 1, dtype=np.int64)
    alive = {p for p in range(len(profile.project_ids)) if len(prepared.supporters[p])}
    dropped: list[tuple[int, int, Fraction]] = []
    for p in range(len(profile.project_ids)):
        if p not in alive:
            dropped.append((p, 0, Fraction(0)))
    price: dict[int, object] = {}
    dirty = set(alive)
    rounds: list[MesRound] = []
    records: list[TieRecord] = []
    nw = max(len(prepared.weights), 1)

    def items_of(p: int):
        """(amount, weight, voters, key) of p's supporters, grouped by level and weight."""
        levels = level_of[prepared.supporters[p]]
        keys = levels * nw + (0 if prepared.weight_keys[p] is None else prepared.weight_keys[p])
        unique, inverse = np.unique(keys, return_inverse=True)
        tally = np.bincount(inverse, weights=prepared.counts[p])
        one = mpq(1)
        return [
            (
                level_amount[k // nw],
                prepared.weights[k % nw] if prepared.weights else one,
                int(t),
                k,
            )
            for k, t in zip(unique.tolist(), tally.tolist(), strict=True)
        ]

    level_float: list[float] = [float(a) for a in level_amount]
    float_weights = np.array([float(w) for w in prepared.weights] or [1.0])
    estimate: dict[int, tuple[float, float, bool]] = {}  # p -> (rho, money, shaky)

    while alive:
        amounts = np.array(level_float)
        for p in sorted(dirty & alive):
            estimate[p] = _float_price(prepared, p, level_of, amounts, float_weights, utility)
        # Exact where floats cannot decide: affordability near the cost, and every project
        # whose float rho is within a margin far wider than float error of the best.
        for p in sorted(dirty & alive):
            _rho, money, shaky = estimate[p]
            cost_f = float(prepared.costs[p])
            if shaky or abs(money - cost_f) <= _MARGIN * max(cost_f, 1.0):
                exact_money = sum((a * v for a, _, v, _ in items_of(p)), zero)
                if exact_money < prepared.costs[p]:
                    alive.discard(p)
                    estimate.pop(p)
                    dropped.append((p, len(rounds), _fraction(exact_money)))
            elif money < cost_f:
                alive.discard(p)
                estimate.pop(p)
                exact_money = sum((a * v for a, _, v, _ in items_of(p)), zero)
                dropped.append((p, len(rounds), _fraction(exact_money)))
        if not alive:
            break
        best_float = min(estimate[p][0] for p in alive)
        close = [
            p
            for p in sorted(alive)
            if estimate[p][2] or estimate[p][0] <= best_float * (1 + _MARGIN) + _TINY
        ]
        rho = {}
        for p in close:
            cost = prepared.costs[p]
            price[p] = _sweep(items_of(p), cost)
            rho[p] = price[p] / cost if utility == "cost" and cost else price[p]
        best = min(rho.values())
        tied = [p for p in close if rho[p] == best]
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
        q = price[chosen]
        per_weight = q  # a supporter of weight w pays min(money left, q x w)
        payments = []
        items = items_of(chosen)
        moves: dict[int, int] = {}
        for amount, weight, voters, key in items:
            paid = min(amount, per_weight * weight)
            left = amount - paid
            if left not in level_index:
                level_index[left] = len(level_amount)
                level_amount.append(left)
                level_float.append(float(left))
            moves[key] = level_index[left]
            payments.append((paid, voters))
        members = prepared.supporters[chosen]
        if prepared.weight_keys[chosen] is None:
            mapping = np.arange(len(level_amount), dtype=np.int64)
            for key, target in moves.items():
                mapping[key] = target
            level_of[members] = mapping[level_of[members]]
        else:
            keys = level_of[members] * nw + prepared.weight_keys[chosen]
            level_of[members] = np.array([moves[k] for k in keys.tolist()], dtype=np.int64)
        rounds.append(MesRound(chosen, q, _merge_payments(payments)))
        alive.discard(chosen)
        estimate.pop(chosen)
        dirty = {p for p in alive if prepared.cosupport[chosen, p]}
    spent = sum((profile.costs[r.project] for r in rounds), Fraction(0))
    return MesRun(endowment, tuple(rounds), tuple(dropped), tuple(records), spent)


_MARGIN = 1e-9
"""Float results within this relative distance of a decision are recomputed exactly. Float
error here is below 1e-12 (sums of at most a few hundred thousand correctly rounded terms), so
the margin certifies every decision made on floats."""
_TINY = 1e-300


def _float_price(prepared: Prepared, p: int, level_of, amounts, float_weights, utility: str):
    """(rho, money, shaky) in floats: `shaky` when cancellation could make rho inaccurate."""
    cost = float(prepared.costs[p])
    members = prepared.supporters[p]
    own = amounts[level_of[members]]
    if prepared.weight_keys[p] is None:
        order = np.argsort(own, kind="stable")
        a, m = own[order], prepared.counts[p][order]
        w = np.ones_like(a)
    else:
        weights = float_weights[prepared.weight_keys[p]]
        order = np.argsort(own / weights, kind="stable")
        a, w, m = own[order], weights[order], prepared.counts[p][order]
    paid_before = np.concatenate(([0.0], np.cumsum(a * m)[:-1]))
    weight_from = np.cumsum((w * m)[::-1])[::-1]
    money = float(paid_before[-1] + a[-1] * m[-1]) if len(a) else 0.0
    if money < cost:
        return (np.inf, money, False)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (cost - paid_before) / weight_from
        ok = q * w <= a
    k = int(np.argmax(ok)) if ok.any() else len(a) - 1
    remaining = cost - paid_before[k]
    shaky = not ok.any() or remaining <= 1e-6 * cost
    price = float(q[k])
    rho = price / cost if utility == "cost" and cost else price
    return (rho, money, shaky)


def _sweep(items, cost):
    """The least q with sum(min(amount, q x weight) x voters) >= cost: supporters who cannot pay
    their q x weight pay all they have; the rest share what remains in proportion to weight."""
    remaining = cost
    total_weight = sum((weight * voters for _, weight, voters, _ in items), mpq(0))
    for amount, weight, voters, _ in sorted(items, key=lambda item: item[0] / item[1]):
        q = remaining / total_weight
        if q * weight <= amount:
            return q
        remaining -= amount * voters
        total_weight -= weight * voters
    raise AssertionError("an affordable project always has a price")


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
            "no-money" if profile.supporters[p] else "no-votes",
            votes=profile.supporters[p],
            money_left=money,
            more_supporters=more,
            lower_cost_by=short,
            stage=stage,
        )
    return fates
