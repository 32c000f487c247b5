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
from sortition.words import Words, words


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

    def in_words(self) -> Words:
        """What changes, as `Words` (a change moves its min, its max, or both)."""
        bounds = {
            "feature": self.feature,
            "value": self.value,
            "old_min": self.old_min,
            "new_min": self.new_min,
            "old_max": self.old_max,
            "new_max": self.new_max,
        }
        lowered, raised = self.new_min != self.old_min, self.new_max != self.old_max
        if lowered and raised:
            return words(
                "%(feature)s = %(value)s: lower the minimum from %(old_min)s to %(new_min)s and "
                "raise the maximum from %(old_max)s to %(new_max)s",
                **bounds,
            )
        if lowered:
            return words(
                "%(feature)s = %(value)s: lower the minimum from %(old_min)s to %(new_min)s",
                **bounds,
            )
        return words(
            "%(feature)s = %(value)s: raise the maximum from %(old_max)s to %(new_max)s", **bounds
        )

    def describe(self) -> str:
        return str(self.in_words())


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

    def in_words(self) -> list[Words]:
        """The loosening line by line, as `Words`."""
        return [
            words(
                "Smallest relaxation found: %(bounds)s bound(s) changed, by %(total)s in total:",
                bounds=self.bounds_changed,
                total=self.total_change,
            ),
            *(words("  - %(change)s", change=c.in_words()) for c in self.changes),
        ]

    def describe(self) -> str:
        return "\n".join(str(line) for line in self.in_words())


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
        raise _infeasible([_too_few_people(instance)])
    model = _model(instance)
    if _solve(instance, model) is not None:
        return None
    found = _solve(instance, model, loosen=True)
    if found is None:  # only when the solver gives up
        raise _infeasible([words("The solver could not find a relaxation of the quotas in time.")])
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


def _infeasible(lines: Sequence[Words], relaxation: object | None = None) -> Infeasible:
    """An `Infeasible` whose English explanation is `lines`, one to a line."""
    return Infeasible("\n".join(str(line) for line in lines), relaxation, lines=tuple(lines))


def _too_few_people(instance: Instance) -> Words:
    n, k = instance.pool.size, instance.panel_size
    if k > n:
        return words("The pool has %(n)s respondents, fewer than the panel size %(k)s.", n=n, k=k)
    return words(
        "Only %(capacity)s of the %(n)s respondents can sit together under the household rule "
        "(one person per household), fewer than the panel size %(k)s.",
        capacity=_household_capacity(instance),
        n=n,
        k=k,
    )


def _listed(items: Sequence[Words]) -> Words:
    """`items` in one list: 'a, b, c' (each comma its own message, for a translator)."""
    listed = items[0]
    for item in items[1:]:
        listed = words("%(items)s, %(item)s", items=listed, item=item)
    return listed


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


def _simple_reasons(instance: Instance) -> list[Words]:
    """Reasons visible one quota or one feature at a time."""
    k = instance.panel_size
    pool = instance.pool
    available = _available(instance)
    reasons: list[Words] = []
    for quota, have in zip(instance.quotas, available, strict=True):
        where = {"feature": quota.feature, "value": quota.value}
        if quota.min > quota.max:
            reasons.append(
                words(
                    "%(feature)s = %(value)s: the minimum %(min)s is above the maximum %(max)s.",
                    **where,
                    min=quota.min,
                    max=quota.max,
                )
            )
        elif have < quota.min and any(pool.households):
            reasons.append(
                words(
                    "%(feature)s = %(value)s: at least %(min)s needed, but only %(have)s "
                    "respondent(s) have this value (counting one per household).",
                    **where,
                    min=quota.min,
                    have=int(have),
                )
            )
        elif have < quota.min:
            reasons.append(
                words(
                    "%(feature)s = %(value)s: at least %(min)s needed, but only %(have)s "
                    "respondent(s) have this value.",
                    **where,
                    min=quota.min,
                    have=int(have),
                )
            )
    by_feature: dict[str, list[int]] = {}
    for q, quota in enumerate(instance.quotas):
        by_feature.setdefault(quota.feature, []).append(q)
    for feature, qs in by_feature.items():
        total_min = sum(instance.quotas[q].min for q in qs)
        if total_min > k:
            reasons.append(
                words(
                    "%(feature)s: the minimums add up to %(total)s, more than the panel size "
                    "%(k)s.",
                    feature=feature,
                    total=total_min,
                    k=k,
                )
            )
        f = pool.features.index(feature)
        quoted = {pool.values[feature].index(instance.quotas[q].value) for q in qs}
        free = int(np.sum(~np.isin(pool.codes[:, f], list(quoted)))) if pool.size else 0
        room = sum(min(instance.quotas[q].max, int(available[q])) for q in qs) + free
        if room < k:
            caps = [min(instance.quotas[q].max, int(available[q])) for q in qs]
            detail = _listed(
                [
                    words("%(value)s at most %(cap)s", value=instance.quotas[q].value, cap=cap)
                    for q, cap in zip(qs, caps, strict=True)
                ]
            )
            placed = {"feature": feature, "room": room, "detail": detail, "k": k}
            if free:
                reasons.append(
                    words(
                        "%(feature)s: at most %(room)s panel members can be placed (%(detail)s, "
                        "%(free)s with values that have no quota), fewer than the panel size "
                        "%(k)s.",
                        **placed,
                        free=free,
                    )
                )
            else:
                reasons.append(
                    words(
                        "%(feature)s: at most %(room)s panel members can be placed "
                        "(%(detail)s), fewer than the panel size %(k)s.",
                        **placed,
                    )
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
        return _infeasible(
            [
                words(
                    "%(reason)s No change to the quotas can fix this.",
                    reason=_too_few_people(instance),
                )
            ]
        )
    loosening = find_loosening(instance)
    if loosening is None:
        return _infeasible(
            [
                words(
                    "No conflict found: a panel meeting every quota exists (the solver that "
                    "reported infeasibility may have hit a numerical limit)."
                )
            ]
        )
    if any(instance.pool.households):
        first = words("No panel of %(k)s meets all the quotas and the household rule.", k=k)
    else:
        first = words("No panel of %(k)s meets all the quotas.", k=k)
    lines = [first, *why_infeasible_words(instance), *loosening.in_words()]
    return _infeasible(lines, loosening)


def why_infeasible(instance: Instance) -> list[str]:
    """Lines naming the quotas that conflict and how many respondents have each value.

    Quotas that fail on their own or per feature are listed first; when none does, a minimal
    set of quotas that cannot hold together is named, with the respondents having both values.
    """
    return [str(line) for line in why_infeasible_words(instance)]


def why_infeasible_words(instance: Instance) -> list[Words]:
    """`why_infeasible` as `Words`, for an app to show in its own language."""
    reasons = _simple_reasons(instance)
    if reasons:
        return [words("Reasons:"), *(words("  - %(reason)s", reason=r) for r in reasons)]
    return _describe_conflict(instance, conflicting_quotas(instance))


def _describe_conflict(instance: Instance, conflict: tuple[int, ...]) -> list[Words]:
    if not conflict:
        return [words("The household rule together with the quotas leaves no possible panel.")]
    available = _available(instance)
    membership = instance.membership()
    lines = [words("These quotas cannot all be met together (drop any one and the rest can be):")]
    for q in conflict:
        quota = instance.quotas[q]
        lines.append(
            words(
                "  - %(feature)s = %(value)s: %(min)s to %(max)s; %(have)s respondent(s) have "
                "this value",
                feature=quota.feature,
                value=quota.value,
                min=quota.min,
                max=quota.max,
                have=int(available[q]),
            )
        )
    pairs = [
        (a, b)
        for i, a in enumerate(conflict)
        for b in conflict[i + 1 :]
        if instance.quotas[a].feature != instance.quotas[b].feature
    ]
    if pairs:
        lines.append(words("Respondents with both values:"))
        for a, b in pairs[:12]:
            both = int(np.sum(membership[a] & membership[b]))
            qa, qb = instance.quotas[a], instance.quotas[b]
            lines.append(
                words(
                    "  - %(feature)s = %(value)s and %(other_feature)s = %(other_value)s: %(both)s",
                    feature=qa.feature,
                    value=qa.value,
                    other_feature=qb.feature,
                    other_value=qb.value,
                    both=both,
                )
            )
    return lines
