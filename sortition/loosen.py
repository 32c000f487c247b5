"""Why no panel meets the quotas, and the smallest loosening of the quotas that would fix it.

"Loosening" here is changing the organiser's quotas: lowering minimums and raising maximums.
It is not the LP relaxation of `sortition.fractional` (seats made continuous), which changes
no quota. Feasibility and the loosening are mixed-integer programmes solved by HiGHS
(`sortition.highs`). People who can be told apart only by their feature values, and who share
no household with anyone else in the pool, are merged into one integer variable per profile,
so the programmes stay small even for pools of thousands.

The loosening is lexicographically smallest: first the fewest changed bounds (each min or max
counts as one bound), then the smallest total amount by which bounds move. Mins only go down
and maxes only go up, and a max is never raised above the panel size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from sortition.model import Infeasible, Instance, Quota
from sortition.types import shared_households


@dataclass(frozen=True)
class QuotaChange:
    """One quota whose bounds a loosening moves."""

    feature: str
    value: str
    old_min: int
    old_max: int
    new_min: int
    new_max: int

    @property
    def bounds_changed(self) -> int:
        return int(self.new_min != self.old_min) + int(self.new_max != self.old_max)

    @property
    def amount(self) -> int:
        return abs(self.new_min - self.old_min) + abs(self.new_max - self.old_max)

    def describe(self) -> str:
        parts = []
        if self.new_min != self.old_min:
            parts.append(f"lower the minimum from {self.old_min} to {self.new_min}")
        if self.new_max != self.old_max:
            parts.append(f"raise the maximum from {self.old_max} to {self.new_max}")
        return f"{self.feature} = {self.value}: " + " and ".join(parts)


@dataclass(frozen=True)
class Loosening:
    """Quotas that some panel can meet, differing from the originals by `changes`.

    `example_panel` (person indices) is one panel meeting the loosened quotas, as evidence.
    """

    quotas: tuple[Quota, ...]
    changes: tuple[QuotaChange, ...]
    example_panel: tuple[int, ...] = ()

    @property
    def bounds_changed(self) -> int:
        return sum(c.bounds_changed for c in self.changes)

    @property
    def total_change(self) -> int:
        return sum(c.amount for c in self.changes)

    def describe(self) -> str:
        lines = [
            f"Smallest relaxation found: {self.bounds_changed} bound(s) changed, "
            f"by {self.total_change} in total:"
        ]
        lines.extend(f"  - {c.describe()}" for c in self.changes)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Model:
    """People merged into groups that the quotas and households cannot tell apart."""

    columns: np.ndarray  # (quotas x groups) 0/1: does the group count towards quota q
    capacity: np.ndarray  # people in each group
    members: tuple[tuple[int, ...], ...]  # person indices per group
    households: tuple[tuple[int, ...], ...]  # group indices sharing one household (>= 2)


def _model(instance: Instance) -> _Model:
    membership = instance.membership().astype(np.int8)
    houses = shared_households(instance.pool)
    shared = {person for people in houses for person in people}
    groups: dict[bytes, list[int]] = {}
    singles: list[int] = []
    for person in range(instance.pool.size):
        if person in shared:
            singles.append(person)
        else:
            groups.setdefault(membership[:, person].tobytes(), []).append(person)
    members = [tuple(people) for people in groups.values()] + [(p,) for p in singles]
    index_of_single = {p: len(groups) + i for i, p in enumerate(singles)}
    households = tuple(tuple(index_of_single[p] for p in people) for people in houses)
    columns = (
        membership[:, [m[0] for m in members]]
        if members
        else np.zeros((len(instance.quotas), 0), dtype=np.int8)
    )
    capacity = np.array([len(m) for m in members], dtype=float)
    return _Model(columns.astype(float), capacity, tuple(members), households)


def _solve(
    instance: Instance,
    model: _Model,
    *,
    active: Sequence[bool] | None = None,
    loosen: bool = False,
    time_limit: float = 60.0,
) -> tuple[tuple[int, ...], np.ndarray, np.ndarray] | None:
    """A panel meeting the (active) quotas, or with `loosen` the one needing the least loosening.

    Returns (panel, lowered-min amounts, raised-max amounts), or None when infeasible.
    """
    from scipy.sparse import csr_matrix, diags, hstack, identity, vstack

    from sortition.highs import solve_milp

    k = instance.panel_size
    nq = len(instance.quotas)
    g = len(model.members)
    mins = np.array([q.min for q in instance.quotas], dtype=float)
    maxs = np.array([q.max for q in instance.quotas], dtype=float)
    rows = np.ones(nq, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    a = csr_matrix(model.columns[rows]) if g else csr_matrix((int(rows.sum()), 0))
    m = a.shape[0]
    low_cap = np.minimum(mins[rows], k) if loosen else np.zeros(m)
    high_cap = np.maximum(k - maxs[rows], 0) if loosen else np.zeros(m)
    nv = g + 4 * m  # y, lowered-min d-, raised-max d+, indicator z-, indicator z+

    def block(*parts):
        return hstack(parts).tocsr()

    zero = csr_matrix((m, m))
    eye = identity(m, format="csr")
    none = np.full(m, -np.inf)
    blocks = [
        # count + d- >= min ; count - d+ <= max
        (block(a, eye, zero, zero, zero), mins[rows], np.full(m, np.inf)),
        (block(a, zero, -eye, zero, zero), none, maxs[rows]),
        # d- <= cap * z- ; d+ <= cap * z+
        (block(csr_matrix((m, g)), eye, zero, -diags(low_cap), zero), none, np.zeros(m)),
        (block(csr_matrix((m, g)), zero, eye, zero, -diags(high_cap)), none, np.zeros(m)),
        (
            csr_matrix(np.concatenate([np.ones(g), np.zeros(4 * m)])[None, :]),
            np.array([k], dtype=float),
            np.array([k], dtype=float),
        ),
    ]
    if model.households:
        rows_h, cols_h = [], []
        for h, group_ids in enumerate(model.households):
            rows_h.extend([h] * len(group_ids))
            cols_h.extend(group_ids)
        houses = len(model.households)
        hh = csr_matrix((np.ones(len(rows_h)), (rows_h, cols_h)), shape=(houses, nv))
        blocks.append((hh, np.full(houses, -np.inf), np.ones(houses)))
    big = float(low_cap.sum() + high_cap.sum() + 1)
    c = np.concatenate([np.zeros(g), np.ones(2 * m), np.full(2 * m, big)])
    upper = np.concatenate(
        [model.capacity, low_cap, high_cap, np.full(2 * m, 1.0 if loosen else 0.0)]
    )
    res = solve_milp(
        c,
        vstack([matrix for matrix, _, _ in blocks]).tocsr(),
        np.concatenate([low for _, low, _ in blocks]),
        np.concatenate([high for _, _, high in blocks]),
        np.zeros(nv),
        upper,
        np.ones(nv, dtype=bool),
        time_limit=time_limit,
    )
    if res.x is None:
        return None
    x = np.round(res.x).astype(int)
    panel: list[int] = []
    for group, count in zip(model.members, x[:g], strict=True):
        panel.extend(group[:count])
    lowered = np.zeros(nq, dtype=int)
    raised = np.zeros(nq, dtype=int)
    lowered[rows] = x[g : g + m]
    raised[rows] = x[g + m : g + 2 * m]
    return tuple(sorted(panel)), lowered, raised


def find_panel(instance: Instance) -> tuple[int, ...] | None:
    """One panel (sorted person indices) meeting every quota and the household rule, or None."""
    if instance.panel_size > instance.pool.size:
        return None
    found = _solve(instance, _model(instance))
    return found[0] if found else None


def _household_capacity(instance: Instance) -> int:
    """The largest panel the household rule allows: one per household plus everyone without."""
    houses = shared_households(instance.pool)
    return instance.pool.size - sum(len(people) - 1 for people in houses)


def find_loosening(instance: Instance) -> Loosening | None:
    """The smallest change to the quotas that lets some panel meet them; None if none is needed.

    Raises `Infeasible` when no change to the quotas can help: the pool (after the household
    rule) has fewer people than the panel needs.
    """
    if instance.panel_size > _household_capacity(instance):
        raise Infeasible(_too_few_people(instance))
    model = _model(instance)
    if _solve(instance, model) is not None:
        return None
    found = _solve(instance, model, loosen=True)
    if found is None:  # only when the solver gives up
        raise Infeasible("The solver could not find a relaxation of the quotas in time.")
    panel, lowered, raised = found
    quotas: list[Quota] = []
    changes: list[QuotaChange] = []
    for quota, down, up in zip(instance.quotas, lowered, raised, strict=True):
        new = replace(quota, min=quota.min - int(down), max=quota.max + int(up))
        quotas.append(new)
        if new != quota:
            changes.append(
                QuotaChange(quota.feature, quota.value, quota.min, quota.max, new.min, new.max)
            )
    return Loosening(tuple(quotas), tuple(changes), panel)


def _too_few_people(instance: Instance) -> str:
    n, k = instance.pool.size, instance.panel_size
    if k > n:
        return f"The pool has {n} respondents, fewer than the panel size {k}."
    capacity = _household_capacity(instance)
    return (
        f"Only {capacity} of the {n} respondents can sit together under the household rule "
        f"(one person per household), fewer than the panel size {k}."
    )


def _available(instance: Instance) -> np.ndarray:
    """Per quota: how many respondents have its value (households counted once)."""
    membership = instance.membership()
    keys = instance.pool.households or (None,) * instance.pool.size
    out = np.zeros(len(instance.quotas), dtype=int)
    for q in range(len(instance.quotas)):
        people = np.flatnonzero(membership[q])
        seen: set[str] = set()
        for p in people:
            key = keys[p]
            if key is None:
                out[q] += 1
            elif key not in seen:
                seen.add(key)
                out[q] += 1
    return out


def _simple_reasons(instance: Instance) -> list[str]:
    """Reasons visible one quota or one feature at a time."""
    k = instance.panel_size
    pool = instance.pool
    available = _available(instance)
    reasons: list[str] = []
    for quota, have in zip(instance.quotas, available, strict=True):
        if quota.min > quota.max:
            reasons.append(
                f"{quota.feature} = {quota.value}: the minimum {quota.min} is above the "
                f"maximum {quota.max}."
            )
        elif have < quota.min:
            whose = " (counting one per household)" if any(pool.households) else ""
            reasons.append(
                f"{quota.feature} = {quota.value}: at least {quota.min} needed, but only "
                f"{have} respondent(s) have this value{whose}."
            )
    by_feature: dict[str, list[int]] = {}
    for q, quota in enumerate(instance.quotas):
        by_feature.setdefault(quota.feature, []).append(q)
    for feature, qs in by_feature.items():
        total_min = sum(instance.quotas[q].min for q in qs)
        if total_min > k:
            reasons.append(
                f"{feature}: the minimums add up to {total_min}, more than the panel size {k}."
            )
        f = pool.features.index(feature)
        quoted = {pool.values[feature].index(instance.quotas[q].value) for q in qs}
        free = int(np.sum(~np.isin(pool.codes[:, f], list(quoted)))) if pool.size else 0
        room = sum(min(instance.quotas[q].max, int(available[q])) for q in qs) + free
        if room < k:
            caps = [min(instance.quotas[q].max, int(available[q])) for q in qs]
            detail = ", ".join(
                f"{instance.quotas[q].value} at most {cap}" for q, cap in zip(qs, caps, strict=True)
            )
            reasons.append(
                f"{feature}: at most {room} panel members can be placed ({detail}"
                + (f", {free} with values that have no quota" if free else "")
                + f"), fewer than the panel size {k}."
            )
    return reasons


def conflicting_quotas(instance: Instance, *, max_solves: int = 200) -> tuple[int, ...]:
    """Indices of a minimal set of quotas that cannot all be met together.

    A deletion filter: drop each quota in turn and keep it out if the rest are still
    infeasible. Every quota left is needed for the conflict. Empty if the quotas are feasible
    or the household rule alone is the problem.
    """
    model = _model(instance)
    active = [True] * len(instance.quotas)
    if _solve(instance, model, active=active) is not None:
        return ()
    for q in range(min(len(instance.quotas), max_solves)):
        active[q] = False
        if _solve(instance, model, active=active) is not None:
            active[q] = True
    return tuple(q for q, on in enumerate(active) if on)


def explain_infeasible(instance: Instance) -> Infeasible:
    """Why no panel meets the quotas, in words, with the smallest loosening of the quotas attached.

    Returns (does not raise) an `Infeasible` whose `.explanation` names the conflicting quotas
    and how many respondents have each value, and whose `.relaxation` is a `Loosening` (or None
    when only a bigger pool can help, or when the quotas turn out to be feasible after all).
    """
    k = instance.panel_size
    if k > _household_capacity(instance):
        return Infeasible(_too_few_people(instance) + " No change to the quotas can fix this.")
    loosening = find_loosening(instance)
    if loosening is None:
        return Infeasible(
            "No conflict found: a panel meeting every quota exists (the solver that reported "
            "infeasibility may have hit a numerical limit)."
        )
    lines = [
        "No panel of {} meets all the quotas{}.".format(
            k, " and the household rule" if any(instance.pool.households) else ""
        )
    ]
    lines.extend(why_infeasible(instance))
    lines.append(loosening.describe())
    return Infeasible("\n".join(lines), loosening)


def why_infeasible(instance: Instance) -> list[str]:
    """Lines naming the quotas that conflict and how many respondents have each value.

    Quotas that fail on their own or per feature are listed first; when none does, a minimal
    set of quotas that cannot hold together is named, with the respondents having both values.
    """
    reasons = _simple_reasons(instance)
    if reasons:
        return ["Reasons:", *(f"  - {r}" for r in reasons)]
    return _describe_conflict(instance, conflicting_quotas(instance))


def _describe_conflict(instance: Instance, conflict: tuple[int, ...]) -> list[str]:
    if not conflict:
        return ["The household rule together with the quotas leaves no possible panel."]
    available = _available(instance)
    membership = instance.membership()
    lines = ["These quotas cannot all be met together (drop any one and the rest can be):"]
    for q in conflict:
        quota = instance.quotas[q]
        lines.append(
            f"  - {quota.feature} = {quota.value}: {quota.min} to {quota.max}; "
            f"{int(available[q])} respondent(s) have this value"
        )
    pairs = [
        (a, b)
        for i, a in enumerate(conflict)
        for b in conflict[i + 1 :]
        if instance.quotas[a].feature != instance.quotas[b].feature
    ]
    if pairs:
        lines.append("Respondents with both values:")
        for a, b in pairs[:12]:
            both = int(np.sum(membership[a] & membership[b]))
            qa, qb = instance.quotas[a], instance.quotas[b]
            lines.append(f"  - {qa.feature} = {qa.value} and {qb.feature} = {qb.value}: {both}")
    return lines
