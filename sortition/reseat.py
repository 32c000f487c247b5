"""The last step of rounding to numbered panels: one seat moved on one copy at a time.

Copies moved between the lottery's own type panels (`lottery._recount`) leave the least
chosen respondents a seat or two short of their fair chance: no panel of the support has the
right mix. Moving one seat on one copy of a panel, from a type with more seats than its chance
gives it to a type with fewer, makes a new panel that still meets every quota and household
rule (the swap is checked feature by feature) and changes only those two types' seats, so the
fair chances can be matched to within a seat: Flanigan, Kehne and Procaccia ("Fair Sortition
Made Transparent", NeurIPS 2021) show that numbered panels need not come from the lottery's
support to keep its chances, only meet the rules. Integers and comparisons only, in a fixed
order, so the same stored lottery gives the same numbered panels on every machine.
"""

from __future__ import annotations

import numpy as np

from sortition.swaps import SwapRules
from sortition.types import TypeModel

TIE_BREAK = 2.0**-20
SETTLED = 1.0  # a type this close to its want, in panels, is not tried


def reseat(
    model: TypeModel,
    columns: np.ndarray,
    copies: np.ndarray,
    want: np.ndarray,
    tries: int | None = None,
    settled: float = SETTLED,
) -> tuple[np.ndarray, np.ndarray]:
    """(columns, copies) after single-seat moves that lower the gaps between people's numbered
    panels and `want` (per type: the panels out of all that each member should be on).

    A member of a type with s seats over all panels is on floor or ceil of s / (its size) of
    them; its gap is how far the worse of the two is from `want`. The gaps fall
    lexicographically, the largest first: each try takes the type with the largest gap that a
    seat more or less would lower, and moves one seat to or from it, on one copy of a panel,
    with a partner type whose own gap after the move stays below it (the closest to its own
    `want` first). A type with no such move waits until another move has changed the panels.
    Types with a gap below `settled` are not tried (they can still be partners): within a
    panel of their want, a lottery of 1,000 panels can do little better, and trying them is
    most of the work. It stops when a pass finds no move, or after `tries` (a count, never a
    clock, so the same lottery gives the same panels everywhere).
    """
    rules = SwapRules.of(model)
    sizes = np.maximum(model.sizes.astype(np.int64), 1)
    keep = np.flatnonzero(np.asarray(copies) > 0)
    panels = _Panels(np.asarray(columns, dtype=np.int64)[keep], np.asarray(copies)[keep], rules)
    seats = panels.cols[: panels.used].T @ panels.counts[: panels.used]
    want = np.asarray(want, dtype=float)
    tries = 4 * len(sizes) + 400 if tries is None else tries

    def gap(s: np.ndarray) -> np.ndarray:
        return np.maximum(want - s // sizes, -(-s // sizes) - want)

    def badness(s: np.ndarray) -> np.ndarray:
        """The gap, then (a tie-break small enough never to outweigh a gap) how far the type's
        average is from `want`: a seat that moves a type towards its want without changing
        its gap yet is progress, on a type of three or more people."""
        return gap(s) + np.abs(s / sizes - want) * TIE_BREAK

    waiting = np.zeros(len(sizes), dtype=bool)
    moved = False
    for _ in range(tries):
        now = badness(seats)
        up, down = badness(seats + 1), badness(seats - 1)
        trying = ~waiting & (np.minimum(up, down) < now) & (gap(seats) >= settled)
        open_ = np.where(trying, now, -np.inf)
        t = int(np.argmax(open_))
        if open_[t] == -np.inf:
            if not moved:
                break
            waiting[:], moved = False, False
            continue
        step = 1 if up[t] <= down[t] else -1
        partner = badness(seats - step)
        partner[t] = np.inf
        move = _best_move(panels, rules, t, step, partner, now[t])
        if move is None:
            waiting[t] = True
            continue
        panels.move(*move)
        seats[move[1]] -= 1
        seats[move[2]] += 1
        moved = True
    used = np.flatnonzero(panels.counts[: panels.used] > 0)
    return panels.cols[used], panels.counts[used]


def _best_move(
    panels: _Panels,
    rules: SwapRules,
    t: int,
    step: int,
    partner: np.ndarray,
    limit: float,
    block: int = 128,
) -> tuple[int, int, int] | None:
    """(panel, giver, taker): a seat moved between type t and the first partner, by `partner`
    badness (below `limit`) then index, that can take or give it on some panel in use, to t
    when `step` is 1, on the first such panel; None when there is none. Partners are tried a
    block at a time, so a move found early costs little."""
    cols = panels.cols[: panels.used]
    totals = panels.totals[: panels.used]
    held = panels.counts[: panels.used] > 0
    if step == 1:
        panel_rows = np.flatnonzero(held & (cols[:, t] < rules.upper[t]))
    else:
        panel_rows = np.flatnonzero(held & (cols[:, t] > rules.lower[t]))
    if len(panel_rows) == 0:
        return None
    order = np.argsort(partner, kind="stable")
    order = order[: int(np.searchsorted(partner[order], limit, side="left"))]
    for start in range(0, len(order), block):
        part = order[start : start + block]
        sub = cols[np.ix_(panel_rows, part)]
        at, which = np.nonzero(sub > rules.lower[part] if step == 1 else sub < rules.upper[part])
        if len(at) == 0:
            continue
        rows, others = panel_rows[at], part[which]
        mine = np.full(len(rows), t)
        givers, takers = (others, mine) if step == 1 else (mine, others)
        found = np.flatnonzero(rules.allowed(cols, totals, rows, givers, takers))
        if len(found):
            best = found[np.argmin(which[found] * len(cols) + rows[found])]
            return int(rows[best]), int(givers[best]), int(takers[best])
    return None


class _Panels:
    """The type panels in use, their copies and quota totals; a moved seat makes a new panel
    (or adds a copy to an identical one), and panels left with no copy are dropped when the
    room runs out, so at most twice the panels in use are held."""

    def __init__(self, cols: np.ndarray, counts: np.ndarray, rules: SwapRules) -> None:
        counted = self.counted = rules.counted
        self.used = len(cols)
        room = self.used + max(self.used, 16)
        self.cols = np.zeros((room, cols.shape[1]), dtype=np.int64)
        self.cols[: self.used] = cols
        self.counts = np.zeros(room, dtype=np.int64)
        self.counts[: self.used] = counts
        self.totals = np.zeros((room, counted.shape[1]), dtype=np.int64)
        self.totals[: self.used] = cols @ counted
        self.index = {self.cols[j].tobytes(): j for j in range(self.used)}

    def move(self, j: int, giver: int, taker: int) -> None:
        made = self.cols[j].copy()
        made[giver] -= 1
        made[taker] += 1
        key = made.tobytes()
        target = self.index.get(key)
        if target is None:
            if self.used == len(self.cols):
                j = self._compact(j)
            target = self.used
            self.cols[target] = made
            self.totals[target] = self.totals[j] - self.counted[giver] + self.counted[taker]
            self.index[key] = target
            self.used += 1
        self.counts[j] -= 1
        self.counts[target] += 1

    def _compact(self, j: int) -> int:
        """Drop the panels with no copy left; returns panel j's new index."""
        keep = np.flatnonzero(self.counts[: self.used] > 0)
        n = len(keep)
        new_j = int(np.searchsorted(keep, j))
        self.cols[:n] = self.cols[keep]
        self.counts[:n] = self.counts[keep]
        self.totals[:n] = self.totals[keep]
        self.counts[n:] = 0
        self.used = n
        self.index = {self.cols[i].tobytes(): i for i in range(n)}
        return new_j
