"""Which single-seat swaps keep a panel valid: one check shared by the pricing neighbours
(`sortition.columns`) and the public draw's last rounding step (`sortition.reseat`).

A seat moved from type a to type b changes, per feature, at most one quota total down (a's
value) and one up (b's), so a swap is checked feature by feature against the panel's totals,
never by rebuilding the panel. Integers and comparisons only: the answer cannot depend on the
CPU.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sortition.types import TypeModel


@dataclass(frozen=True)
class SwapRules:
    """The rules a swap must keep, per type: `rows[t, f]` is the quota row of type t's value for
    feature f, or the row after the quotas for a value with no quota, which never binds;
    `counted[t]` the tallies one seat of t adds to: its quota rows, then its household's own
    tally (`house[t]` is that tally's column, -1 for a type in no shared household)."""

    rows: np.ndarray
    house: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    counted: np.ndarray

    @classmethod
    def of(cls, model: TypeModel) -> SwapRules:
        lo, hi = model.quota_bounds
        quotas = len(lo)
        quota_of = model.quota_rows(missing=-1)
        house_of = model.household_of(missing=-1)
        counted = np.zeros((model.count, quotas + 1 + len(model.households)), dtype=np.int64)
        counted[:, :quotas] = model.matrix.T
        in_house = np.flatnonzero(house_of >= 0)
        counted[in_house, quotas + 1 + house_of[in_house]] = 1
        return cls(
            rows=np.where(quota_of >= 0, quota_of, quotas),
            house=np.where(house_of >= 0, quotas + 1 + house_of, -1),
            lower=model.lower.astype(np.int64),
            upper=model.upper.astype(np.int64),
            lo=np.append(lo, -np.inf),
            hi=np.append(hi, np.inf),
            counted=counted,
        )

    def totals(self, cols: np.ndarray) -> np.ndarray:
        """(panels x tallies): each panel's quota totals and household tallies."""
        return cols @ self.counted

    def allowed(
        self,
        cols: np.ndarray,
        totals: np.ndarray,
        panels: np.ndarray,
        givers: np.ndarray,
        takers: np.ndarray,
    ) -> np.ndarray:
        """True at i where one seat can move from type `givers[i]` to type `takers[i]` on panel
        `panels[i]` (a row of `cols`, with its `totals`) and every quota and household rule
        still holds."""
        panels = np.asarray(panels, dtype=np.int64)
        givers = np.asarray(givers, dtype=np.int64)
        takers = np.asarray(takers, dtype=np.int64)
        ok = (
            (cols[panels, givers] > self.lower[givers])
            & (cols[panels, takers] < self.upper[takers])
            & (givers != takers)
        )
        quotas = len(self.lo)
        can_down = totals[:, :quotas] - 1 >= self.lo
        can_up = totals[:, :quotas] + 1 <= self.hi
        for f in range(self.rows.shape[1]):
            qa, qb = self.rows[givers, f], self.rows[takers, f]
            differ = np.flatnonzero(qa != qb)
            if len(differ):
                at = panels[differ]
                ok[differ] &= can_down[at, qa[differ]] & can_up[at, qb[differ]]
        # A taker in a shared household needs its household empty, unless the giver is the one
        # seated there.
        hb = self.house[takers]
        check = np.flatnonzero((hb >= 0) & (hb != self.house[givers]))
        if len(check):
            ok[check] &= totals[panels[check], hb[check]] == 0
        return ok
