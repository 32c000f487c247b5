"""A transparent lottery: the selection distribution rounded to M equally likely numbered panels.

A distribution with irrational-looking weights cannot be drawn in public. Following Flanigan,
Kehne and Procaccia ("Fair sortition made transparent", NeurIPS 2021) we replace it by a list
of M panels, each chosen with probability exactly 1/M, taken only from the distribution's own
panels (so every one of them meets the quotas). Panel j appears floor(M * w_j) or
ceil(M * w_j) times; which ones get the extra copy is decided by a small integer programme that
minimises the largest change in anyone's probability of selection.

A lottery over type panels (`sortition.compact`, what `public_draw` uses whenever the members
of a type share one chance) is rounded over its type panels instead, with copies then moved
freely between them while that lowers the largest change (`round_types_to_lottery`). Given the
pool's types and rules, single seats then move on single copies (`sortition.reseat`), which
makes numbered panels beyond the lottery's own: each still meets every quota and household
rule, and the chances they give are within about a seat in 1,000 of the lottery's.

The public draw then picks the panel numbered `choose_panel_index(seed_text, M)`: the SHA-256
digest of the seed text (UTF-8 bytes, exactly as typed), read as a big-endian integer, modulo M.
Panels are numbered from 0 to M - 1. docs/audit.md shows how to recompute this with `sha256sum`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sortition.compact import TypeLottery
from sortition.model import BadInput, Distribution, chances, merged_panels
from sortition.reseat import reseat
from sortition.types import TypeModel
from sortition.words import Words, words

if TYPE_CHECKING:
    from scipy.sparse import csc_matrix

DEFAULT_LOTTERY_SIZE = 1000
# The MILP proves optimality in well under a second up to about this many panels with a
# fractional share; beyond, it rarely beats the swap search within minutes, and a time-limited
# solve would make the rounding depend on the machine's speed. The heuristic is deterministic.
MILP_MAX_PANELS = 80
# `_recount` holds the (types x type panels) matrix dense: 160 MB at this size.
RECOUNT_MAX_ENTRIES = 20_000_000
RECOUNT_POWERS = (2, 4, 8)


@dataclass(frozen=True)
class Lottery:
    """M numbered panels (0..M-1), each drawn with probability 1/M.

    `probabilities[i]` is person i's chance of selection under the lottery (copies / M);
    `target_probabilities` are the distribution's; `largest_change` is the largest absolute
    difference between the two for any person. `optimal` says whether the rounding was proved
    to minimise that change (it is always a valid lottery either way). A lottery rounded over
    type panels keeps them: `types` holds the type panels used (weights copies / M) and
    `type_copies` how many numbers each holds, in order, so
    `types.numbered_panels(type_copies)` gives `panels` again, bit for bit.
    """

    panels: tuple[tuple[int, ...], ...]
    probabilities: np.ndarray
    target_probabilities: np.ndarray
    largest_change: float
    algorithm: str = ""
    optimal: bool = True
    types: TypeLottery | None = None
    type_copies: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        return len(self.panels)

    def copies(self) -> dict[tuple[int, ...], int]:
        """How many of the M numbers each distinct panel holds."""
        out: dict[tuple[int, ...], int] = {}
        for panel in self.panels:
            out[panel] = out.get(panel, 0) + 1
        return out


def _too_small(size: object) -> Words:
    return words("lottery size must be at least 1, not %(size)s", size=size)


def seed_digest(seed_text: str) -> str:
    """Hex SHA-256 of the seed text's UTF-8 bytes: what `printf '%s' TEXT | sha256sum` prints."""
    return hashlib.sha256(seed_text.encode("utf-8")).hexdigest()


def choose_panel_index(seed_text: str, size: int) -> int:
    """The number (0..size-1) of the panel a public seed selects.

    SHA-256 of the seed text's UTF-8 bytes (no trailing newline, no trimming), read as a
    big-endian unsigned integer, modulo `size`. The bias of the modulo is below size / 2**256.
    """
    if size < 1:
        raise BadInput(_too_small(size))
    if not seed_text:
        raise BadInput(words("the public seed is empty"))
    return int(seed_digest(seed_text), 16) % size


def panel_probabilities(panels: tuple[tuple[int, ...], ...], n: int) -> np.ndarray:
    """Each person's chance under a uniform pick of the listed panels (`chances`, equal weights).

    Counts first, then one division, so the result is the same to the last bit as copies / M.
    """
    return chances(panels, np.ones(len(panels)), n) / max(len(panels), 1)


def round_to_lottery(
    distribution: Distribution,
    size: int = DEFAULT_LOTTERY_SIZE,
    *,
    time_limit: float = 5.0,
    types: TypeLottery | None = None,
    model: TypeModel | None = None,
) -> Lottery:
    """Round `distribution` to a uniform lottery over `size` panels taken from it.

    With `types`, the type lottery behind `distribution` (`sortition.compact.from_panels`;
    a compact distribution's own by default), the rounding is over type panels instead (`round_types_to_lottery`): far fewer to choose
    between, and people of a type share their seats evenly, so chances change much less.

    Each panel keeps floor(size * weight) copies; the remaining copies go to panels with a
    fractional part, chosen to minimise max_i |new p_i - p_i|, where p_i are the
    distribution's stated probabilities: a greedy start and a swap search give a good choice
    quickly; when at most MILP_MAX_PANELS panels have a fractional share, a MILP (HiGHS) then
    finds the best choice and proves it. If it cannot within `time_limit` seconds, or the MILP
    is not tried, `optimal` is False; `largest_change` is always the real change returned.
    """
    if size < 1:
        raise BadInput(_too_small(size))
    if types is None:
        types = distribution.types
    if types is not None:
        return round_types_to_lottery(
            types,
            np.asarray(distribution.probabilities, dtype=float),
            size,
            time_limit=time_limit,
            algorithm=distribution.algorithm,
            model=model,
        )
    weights = np.asarray(distribution.weights, dtype=float)
    if len(weights) != len(distribution.panels) or len(weights) == 0:
        raise BadInput(words("the distribution has no panels, or not one weight per panel"))
    if np.any(weights < -1e-9) or weights.sum() <= 0:
        raise BadInput(words("the distribution's weights must be non-negative and not all zero"))
    weights = np.clip(weights, 0.0, None)
    weights = weights / weights.sum()

    # Canonical order: distinct panels sorted, so the same distribution gives the same numbering.
    distinct, w = merged_panels(distribution.panels, weights)

    target = np.asarray(distribution.probabilities, dtype=float)
    n = len(target)
    if max((max(p) for p in distinct if p), default=-1) >= n:
        raise BadInput(words("a panel names a person beyond the distribution's probabilities"))
    from scipy.sparse import csc_matrix

    rows = _concatenated(distinct)
    cols = np.repeat(np.arange(len(distinct)), [len(panel) for panel in distinct])
    members = csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(distinct)), dtype=float)

    scaled = w * size
    base = np.floor(scaled + 1e-9).astype(int)
    base = np.minimum(base, size)
    remainder = size - int(base.sum())
    if remainder < 0:  # only possible through rounding noise: take copies from the largest
        for j in np.argsort(-(base - scaled), kind="stable")[:-remainder]:
            base[j] -= 1
        remainder = 0
    extra, optimal = _choose_extra_copies(
        members, base, scaled, target, size, remainder, time_limit
    )
    counts = base + extra

    panels: list[tuple[int, ...]] = []
    for panel, c in zip(distinct, counts, strict=True):
        panels.extend([panel] * int(c))
    result = tuple(panels)
    probs = panel_probabilities(result, n)
    change = float(np.max(np.abs(probs - target))) if n else 0.0
    return Lottery(
        panels=result,
        probabilities=probs,
        target_probabilities=target,
        largest_change=change,
        algorithm=distribution.algorithm,
        optimal=optimal,
    )


def round_types_to_lottery(
    types: TypeLottery,
    target: np.ndarray,
    size: int = DEFAULT_LOTTERY_SIZE,
    *,
    time_limit: float = 5.0,
    algorithm: str = "",
    model: TypeModel | None = None,
) -> Lottery:
    """Round a type lottery to `size` numbered panels of people, each drawn with chance 1/size.

    Type panel j first keeps floor(size * w_j) or ceil(size * w_j) copies; which get the extra
    copy is chosen as in `round_to_lottery`, now minimising the largest change in any type's
    per-person chance (copies times seats over the type's size). Then copies move between
    type panels (`_recount`) while that lowers the change further: with thousands of type panels
    of weight below 1/size, floor-or-ceil alone leaves the least-chosen types short. The numbered panels are then
    made by `TypeLottery.numbered_panels`, so within a type the seats are shared to one panel.
    `target` are the people's chances the lottery should keep (the distribution's). `model`,
    the pool's types and rules (`sortition.types.group_types`, the same types as the lottery's),
    lets single seats move too (`sortition.reseat`): the least chosen then lose no more than
    about one panel in `size` of their chance.
    """
    if size < 1:
        raise BadInput(_too_small(size))
    lottery = types.canonical()
    target = np.asarray(target, dtype=float)
    n = len(target)
    if lottery.pool_size != n or len(lottery.weights) == 0:
        raise BadInput(words("the type lottery does not cover the distribution's people"))
    from scipy.sparse import csc_matrix

    sizes = lottery.sizes.astype(float)
    per_person = lottery.columns.T.astype(float) / sizes[:, None]
    members = csc_matrix(per_person)
    type_target = np.array([target[people].mean() for people in lottery.members])
    scaled = lottery.weights * size
    base = np.minimum(np.floor(scaled + 1e-9).astype(int), size)
    remainder = size - int(base.sum())
    if remainder < 0:
        for j in np.argsort(-(base - scaled), kind="stable")[:-remainder]:
            base[j] -= 1
        remainder = 0
    extra, optimal = _choose_extra_copies(
        members, base, scaled, type_target, size, remainder, time_limit
    )
    counts = base + extra
    want = size * type_target
    before = float(np.max(np.abs(want - members @ counts)))
    if members.shape[0] * members.shape[1] <= RECOUNT_MAX_ENTRIES:
        counts = _recount(members, want, counts)
    if float(np.max(np.abs(want - members @ counts))) < before - 1e-9:
        optimal = False  # better than the best floor-or-ceil choice, proved or not
    columns = lottery.columns
    if model is not None and _same_types(model, lottery):
        columns, counts = reseat(model, columns, counts, want)
        optimal = False  # beyond the lottery's own panels: no floor-or-ceil proof applies
    used = np.flatnonzero(counts > 0)
    numbered = TypeLottery(lottery.members, columns[used], counts[used] / size, lottery.people)
    copies = tuple(int(c) for c in counts[used])
    panels = numbered.numbered_panels(copies)
    probs = panel_probabilities(panels, n)
    return Lottery(
        panels=panels,
        probabilities=probs,
        target_probabilities=target,
        largest_change=float(np.max(np.abs(probs - target))) if n else 0.0,
        algorithm=algorithm,
        optimal=optimal,
        types=numbered,
        type_copies=copies,
    )


def _same_types(model: TypeModel, lottery: TypeLottery) -> bool:
    """True when `model`'s types are the lottery's, person for person."""
    return (
        (lottery.people is None or lottery.people == model.instance.pool.size)
        and len(model.members) == len(lottery.members)
        and all(np.array_equal(a, b) for a, b in zip(model.members, lottery.members, strict=True))
    )


def _recount(
    members: csc_matrix, want: np.ndarray, counts: np.ndarray, rounds: int = 400, width: int = 40
) -> np.ndarray:
    """Move single copies from one type panel to another, any number of copies each.

    First lowering sum dev**p for p = 2, 4, 8 (smooth, so it leaves the plateaus where many
    types share the largest change), then (largest |dev|, how many share it, sum dev**2) as
    in `_swap_search`. Only exact operations whose result cannot depend on the CPU: squares by
    multiplication, sparse products and numpy's fixed-order sums; a fixed number of rounds.
    """
    counts = np.asarray(counts, dtype=np.int64).copy()
    dense = members.toarray()
    by_panel = members.T.tocsr()
    dev = want - members @ counts

    def powered(d: np.ndarray, power: int) -> np.ndarray:
        out = d * d
        while power > 2:
            out = out * out
            power //= 2
        return out

    for power in RECOUNT_POWERS:
        current = float(np.sum(powered(dev, power)))
        for _ in range(rounds):
            odd = powered(dev, power) / np.where(dev == 0, 1.0, dev)  # sign(dev) |dev|**(p-1)
            grad = by_panel @ odd
            ins = np.argsort(-grad, kind="stable")[:width]
            held = np.flatnonzero(counts > 0)
            outs = held[np.argsort(grad[held], kind="stable")[:width]]
            move, best = None, current
            for j in outs:
                trial = (dev + dense[:, j])[:, None] - dense[:, ins]
                totals = np.sum(powered(trial, power), axis=0)
                c = int(np.argmin(totals))
                if totals[c] < best - 1e-9 * max(best, 1.0) and int(ins[c]) != int(j):
                    move, best = (int(j), int(ins[c])), float(totals[c])
            if move is None:
                break
            counts[move[0]] -= 1
            counts[move[1]] += 1
            dev = dev + dense[:, move[0]] - dense[:, move[1]]
            current = best

    def score(d: np.ndarray) -> tuple[float, int, float]:
        a = np.abs(d)
        top = float(a.max())
        return round(top, 9), int(np.sum(a >= top - 1e-9)), float(np.sum(d * d))

    current = score(dev)
    for _ in range(rounds):
        i = int(np.argmax(np.abs(dev)))
        has = dense[i] > 0
        if dev[i] > 0:
            ins, outs = np.flatnonzero(has), np.flatnonzero((counts > 0) & ~has)
        else:
            ins, outs = np.flatnonzero(~has), np.flatnonzero((counts > 0) & has)
        if len(ins) == 0 or len(outs) == 0:
            break
        need = by_panel @ dev
        ins = ins[np.argsort(-need[ins], kind="stable")[:width]]
        outs = outs[np.argsort(need[outs], kind="stable")[:width]]
        move, best_score = None, current
        for j in outs:
            trial = (dev + dense[:, j])[:, None] - dense[:, ins]
            tops = np.abs(trial).max(axis=0)
            for c in np.argsort(tops, kind="stable")[:5]:
                s = score(trial[:, c])
                if s < best_score:
                    move, best_score = (int(j), int(ins[c])), s
        if move is None:
            break
        counts[move[0]] -= 1
        counts[move[1]] += 1
        dev = dev + dense[:, move[0]] - dense[:, move[1]]
        current = best_score
    return counts


def _concatenated(panels: list[tuple[int, ...]]) -> np.ndarray:
    """Every panel's members one after another (the row indices of the membership matrix)."""
    if len({len(panel) for panel in panels}) == 1:
        return np.asarray(panels, dtype=np.int64).ravel()
    return np.fromiter((i for panel in panels for i in panel), dtype=np.int64)


def _choose_extra_copies(
    members: csc_matrix,
    base: np.ndarray,
    scaled: np.ndarray,
    target: np.ndarray,
    size: int,
    remainder: int,
    time_limit: float,
) -> tuple[np.ndarray, bool]:
    """0/1 extra copy per panel, `remainder` in all, minimising the largest probability change.

    Deviations are kept in units of copies: dev_i = M * p_i - (copies of panels with i).
    """
    extra = np.zeros(len(base), dtype=int)
    if remainder == 0:
        return extra, True
    frac = scaled - base
    candidates = np.flatnonzero(frac > 1e-9)
    if len(candidates) < remainder:  # weights summing to 1 make this impossible, but be safe
        candidates = np.arange(len(base))
    gap = size * target - members @ base
    sub = members[:, candidates].tocsc()
    touched = np.asarray(sub.sum(axis=1)).ravel() > 0
    fixed_dev = float(np.max(np.abs(gap[~touched]))) if np.any(~touched) else 0.0

    def worst(chosen: np.ndarray) -> float:
        return float(np.max(np.abs(gap - sub @ chosen))) if len(gap) else 0.0

    # Largest remainders first; then a greedy least-squares choice improved by swaps.
    order = np.argsort(-frac[candidates], kind="stable")
    largest = np.zeros(len(candidates))
    largest[order[:remainder]] = 1
    best = min((largest, _greedy(sub, gap, remainder)), key=worst)
    best = _swap_search(sub, gap, best)
    if len(candidates) == remainder or worst(best) <= fixed_dev + 1e-9:
        extra[candidates] = np.round(best).astype(int)
        return extra, True
    if len(candidates) > MILP_MAX_PANELS:
        extra[candidates] = np.round(best).astype(int)
        return extra, False
    solved, proved = _milp(sub[touched], gap[touched], remainder, fixed_dev, time_limit)
    if solved is not None and worst(solved) < worst(best) - 1e-9:
        best = solved
    extra[candidates] = np.round(best).astype(int)
    return extra, proved and solved is not None and worst(best) <= worst(solved) + 1e-9


def _greedy(sub: csc_matrix, gap: np.ndarray, remainder: int) -> np.ndarray:
    """Add panels one at a time, each covering the most remaining need (least squares).

    Entries are a panel's seats per person: 0/1 for panels of people, fractions for types."""
    dev = gap.copy()
    count = sub.shape[1]
    chosen = np.zeros(count)
    score = sub.T @ dev
    by_person = sub.tocsr()  # for each person, the panels that include them
    for _ in range(remainder):
        score[chosen > 0] = -np.inf
        j = int(np.argmax(score))
        chosen[j] = 1
        people = sub.indices[sub.indptr[j] : sub.indptr[j + 1]]
        seats = sub.data[sub.indptr[j] : sub.indptr[j + 1]]
        dev[people] -= seats
        if len(people) == 0:
            continue
        # How many of panel j's people each panel shares with it (sub.T @ the indicator of
        # j's people), summed over j's 40-odd rows instead of a product over all of `sub`:
        # whole numbers, so exactly the same score.
        spans = [slice(by_person.indptr[p], by_person.indptr[p + 1]) for p in people]
        panels = np.concatenate([by_person.indices[span] for span in spans])
        shared = np.concatenate(
            [by_person.data[span] * seat for span, seat in zip(spans, seats, strict=True)]
        )
        score = score - np.bincount(panels, weights=shared, minlength=count)
    return chosen


def _swap_search(
    sub: csc_matrix, gap: np.ndarray, chosen: np.ndarray, rounds: int = 200
) -> np.ndarray:
    """Swap one chosen panel for an unchosen one while that lowers (max |dev|, ties, sum dev^2)."""
    if len(gap) == 0:
        return chosen
    chosen = chosen.copy()
    dense = sub.toarray() if sub.shape[0] * sub.shape[1] <= 20_000_000 else None

    def column(j: int) -> np.ndarray:
        if dense is not None:
            return dense[:, j]
        return sub[:, [j]].toarray().ravel()

    def score(dev: np.ndarray) -> tuple[float, int, float]:
        a = np.abs(dev)
        top = float(a.max())
        # An elementwise square and numpy's pairwise sum, not a BLAS dot product: OpenBLAS picks
        # its kernel by CPU, and a last-bit difference here changed which swap won.
        return round(top, 9), int(np.sum(a >= top - 1e-9)), float(np.sum(dev * dev))

    by_person = sub.tocsr()  # row i: the panels that include person i

    def panels_with(i: int) -> np.ndarray:
        span = slice(by_person.indptr[i], by_person.indptr[i + 1])
        has = np.zeros(sub.shape[1], dtype=bool)
        has[by_person.indices[span]] = by_person.data[span] > 0
        return has

    dev = gap - sub @ chosen
    current = score(dev)
    for _ in range(rounds):
        i = int(np.argmax(np.abs(dev)))
        has = panels_with(i)
        if dev[i] > 0:  # i needs more copies: bring in a panel with i, drop one without
            ins, outs = np.flatnonzero((chosen == 0) & has), np.flatnonzero((chosen == 1) & ~has)
        else:
            ins, outs = np.flatnonzero((chosen == 0) & ~has), np.flatnonzero((chosen == 1) & has)
        if len(ins) == 0 or len(outs) == 0:
            break
        need = sub.T @ dev
        ins = ins[np.argsort(-need[ins], kind="stable")[:25]]
        outs = outs[np.argsort(need[outs], kind="stable")[:25]]
        in_cols = dense[:, ins] if dense is not None else sub[:, ins].toarray()
        best_move, best_score = None, current
        for j in outs:
            trial = (dev + column(int(j)))[:, None] - in_cols
            a = np.abs(trial)
            tops = a.max(axis=0)
            for c in np.argsort(tops, kind="stable")[:5]:
                s = score(trial[:, c])
                if s < best_score:
                    best_move, best_score = (int(j), int(ins[c])), s
        if best_move is None:
            break
        out, into = best_move
        chosen[out], chosen[into] = 0, 1
        dev = dev + column(out) - column(into)
        current = best_score
    return chosen


def _milp(
    a: csc_matrix, g: np.ndarray, remainder: int, fixed_dev: float, time_limit: float
) -> tuple[np.ndarray | None, bool]:
    """Exact choice by MILP: minimise T with |g - a x| <= T, sum x = remainder, x binary."""
    if time_limit <= 0:
        return None, False
    from scipy.sparse import csr_matrix, hstack, vstack

    from sortition.highs import solve_milp

    count = a.shape[1]
    people = a.shape[0]
    ones = csr_matrix(np.ones((people, 1)))
    rows = vstack(
        [
            hstack([a, -ones]),
            hstack([-a, -ones]),
            csr_matrix(np.concatenate([np.ones(count), [0.0]])[None, :]),
        ]
    ).tocsr()
    integer = np.ones(count + 1, dtype=bool)
    integer[-1] = False
    cost = np.zeros(count + 1)
    cost[-1] = 1.0
    res = solve_milp(
        cost,
        rows,
        np.concatenate([np.full(2 * people, -np.inf), [remainder]]),
        np.concatenate([g, -g, [remainder]]),
        np.concatenate([np.zeros(count), [fixed_dev]]),
        np.concatenate([np.ones(count), [np.inf]]),
        integer,
        time_limit=time_limit,
    )
    if res.x is None:
        return None, False
    chosen = np.round(res.x[:-1])
    if int(chosen.sum()) != remainder:
        return None, False
    return chosen, res.optimal
