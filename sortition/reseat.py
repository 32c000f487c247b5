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

from sortition.types import TypeModel


def reseat(
    model: TypeModel,
    columns: np.ndarray,
    copies: np.ndarray,
    want: np.ndarray,
    rounds: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(columns, copies) after single-seat moves that lower the largest gap between a person's
    numbered panels and `want` (per type: the panels out of all that each member should be on).

    Each round takes the type whose worst-placed member is furthest from `want` and moves one
    seat to or from it, on one copy of a panel, with the partner type left as close to its own
    `want` as any partner could be; it stops when no move lowers that largest gap. A member of a
    type with s seats over all panels is on floor or ceil of s / (its size) of them.
    """
    sizes = np.maximum(model.sizes.astype(np.int64), 1)
    types = len(sizes)
    quota_of = model.quota_rows(missing=-1)
    house_of = model.household_of(missing=-1)
    lo, hi = model.quota_bounds
    lo_q = np.append(lo, -np.inf)  # the last row: a value with no quota, never binding
    hi_q = np.append(hi, np.inf)
    rows = np.where(quota_of >= 0, quota_of, len(lo))
    # A seat of type t adds 1 to each quota row it counts towards (the last row never binds).
    counted = np.zeros((types, len(lo) + 1), dtype=np.int64)
    counted[:, : len(lo)] = model.matrix.T
    keep = np.flatnonzero(np.asarray(copies) > 0)
    panels = _Panels(np.asarray(columns, dtype=np.int64)[keep], np.asarray(copies)[keep], counted)
    seats = panels.cols[: panels.used].T @ panels.counts[: panels.used]
    want = np.asarray(want, dtype=float)
    rounds = 2 * types + 200 if rounds is None else rounds

    def gap_after(s: np.ndarray) -> np.ndarray:
        return np.maximum(want - s // sizes, -(-s // sizes) - want)

    for _ in range(rounds):
        gaps = gap_after(seats)
        t = int(np.argmax(gaps))
        worst = float(gaps[t])
        short = want[t] - seats[t] // sizes[t] >= -(-seats[t] // sizes[t]) - want[t]
        step = 1 if short else -1
        # Partners by how close they would end up to their own want, the best first.
        partner_gap = gap_after(seats - step)
        partner_gap[t] = np.inf
        move = None
        for a in np.argsort(partner_gap, kind="stable"):
            if partner_gap[a] >= worst - 1e-12:
                break
            giver, taker = (int(a), t) if short else (t, int(a))
            j = _copy_for(panels, model, giver, taker, rows, house_of, lo_q, hi_q)
            if j is not None:
                move = (j, giver, taker)
                break
        if move is None:
            break
        panels.move(*move)
        seats[move[1]] -= 1
        seats[move[2]] += 1
    used = np.flatnonzero(panels.counts[: panels.used] > 0)
    return panels.cols[used], panels.counts[used]


class _Panels:
    """The type panels in use, their copies and quota totals; a moved seat makes a new panel
    (or adds a copy to an identical one), and panels left with no copy are dropped when the
    room runs out, so at most twice the panels in use are held."""

    def __init__(self, cols: np.ndarray, counts: np.ndarray, counted: np.ndarray) -> None:
        self.counted = counted
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


def _copy_for(
    panels: _Panels,
    model: TypeModel,
    giver: int,
    taker: int,
    rows: np.ndarray,
    house_of: np.ndarray,
    lo_q: np.ndarray,
    hi_q: np.ndarray,
) -> int | None:
    """The first panel with a copy in use where a seat of `giver` can go to `taker` and every
    quota and household rule still holds, or None."""
    cols, totals = panels.cols[: panels.used], panels.totals[: panels.used]
    held = np.flatnonzero(
        (panels.counts[: panels.used] > 0)
        & (cols[:, giver] > model.lower[giver])
        & (cols[:, taker] < model.upper[taker])
    )
    if len(held) == 0:
        return None
    ok = np.ones(len(held), dtype=bool)
    for f in range(rows.shape[1]):
        qa, qb = rows[giver, f], rows[taker, f]
        if qa != qb:
            ok &= (totals[held, qa] - 1 >= lo_q[qa]) & (totals[held, qb] + 1 <= hi_q[qb])
    house = house_of[taker]
    if house >= 0 and house != house_of[giver]:
        housemates = [h for h in model.households[house] if h != taker]
        ok &= cols[held][:, housemates].sum(axis=1) == 0
    found = np.flatnonzero(ok)
    return int(held[found[0]]) if len(found) else None
