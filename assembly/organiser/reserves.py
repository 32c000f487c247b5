"""Reserves for the current panel: whom to call, in order, when members drop out.

Drop-out rates per feature value come from a file the organiser fills in (`feature,value,rate`)
or are learnt from this assembly's own members: the share of members with each value who
withdrew (or were replaced), pulled towards the overall share while few members hold a value
(`PRIOR_MEMBERS`). The list itself and the expected broken quotas are `sortition.reserves`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from assembly.core.i18n import _
from assembly.organiser.errors import OrganiserError
from assembly.organiser.members import all_members, panel_members
from assembly.organiser.quotas import build_instance
from sortition import BadInput, read_table
from sortition.model import normalise
from sortition.reserves import ReservePlan, choose_reserves, person_rates

PRIOR_MEMBERS = 2.0
"""How many members' worth of the overall drop-out share a value's own share is blended with."""

LEFT = ("withdrawn", "replaced")
"""Member statuses that count as a drop-out in the history."""


@dataclass(frozen=True)
class Reserves:
    """An ordered reserve list for the panel and what it does, ready to show."""

    plan: ReservePlan
    refs: tuple[str, ...]
    names: tuple[str, ...]
    source: str
    learnt_from: int | None = None  # members the rates were learnt from; None: rates entered

    def summary(self) -> str:
        """Expected broken quotas with and without the reserves, in plain words."""
        without = f"{self.plan.without.broken:.1f}"
        with_reserves = f"{self.plan.with_reserves.broken:.1f}"
        if self.learnt_from is not None:
            return _(
                "Reserves: if members drop out at the rates learnt from this assembly's "
                "%(members)s members, about %(without)s quotas would be broken with no "
                "reserves, and about %(with_reserves)s with these %(reserves)s reserves called "
                "in order.",
                members=self.learnt_from,
                without=without,
                with_reserves=with_reserves,
                reserves=len(self.refs),
            )
        return _(
            "Reserves: if members drop out at the rates entered, about %(without)s quotas would "
            "be broken with no reserves, and about %(with_reserves)s with these %(reserves)s "
            "reserves called in order.",
            without=without,
            with_reserves=with_reserves,
            reserves=len(self.refs),
        )


def history_rates(db: Database) -> tuple[dict[tuple[str, str], float], int]:
    """Drop-out rate per (feature, value) learnt from every member so far, and how many."""
    members = all_members(db)
    if not members:
        raise OrganiserError(
            _("there are no members yet to learn drop-out rates from; give a rates file."),
            title=_("No member history"),
        )
    left = np.array([m.status in LEFT for m in members], dtype=float)
    overall = float(left.mean())
    by_value: dict[tuple[str, str], list[float]] = {}
    for member, gone in zip(members, left, strict=True):
        for feature, value in member.features.items():
            by_value.setdefault((feature, value), []).append(gone)
    rates = {
        key: (sum(values) + PRIOR_MEMBERS * overall) / (len(values) + PRIOR_MEMBERS)
        for key, values in by_value.items()
    }
    return {key: min(rate, 0.99) for key, rate in rates.items()}, len(members)


def read_rates(path: str | Path) -> dict[tuple[str, str], float]:
    """Rates from a `feature,value,rate` file (rate as 0.15 or 15%); BadInput names the row."""
    table = read_table(path)
    columns = table.column_index()
    missing = [name for name in ("feature", "value", "rate") if name not in columns]
    if missing:
        raise BadInput(
            _("missing column %(column)s", column=repr(missing[0])), file=table.file_name, row=1
        )
    rates: dict[tuple[str, str], float] = {}
    for row, cells in table.rows:
        feature, value, text = (cells[columns[name]] for name in ("feature", "value", "rate"))
        try:
            rate = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise BadInput(
                _("%(text)s is not a rate", text=repr(text)),
                file=table.file_name,
                row=row,
                column="rate",
            ) from None
        if not 0.0 <= rate < 1.0:
            raise BadInput(
                _("rate %(text)s is not between 0 and 1", text=text),
                file=table.file_name,
                row=row,
                column="rate",
            )
        rates[(feature, value)] = rate
    return rates


def plan_reserves(
    db: Database,
    count: int,
    *,
    rates: dict[tuple[str, str], float] | None = None,
    seed: int = 0,
) -> Reserves:
    """An ordered list of `count` reserves for the current panel (rates learnt if not given)."""
    if count < 1:
        raise OrganiserError(_("ask for at least one reserve."), title=_("Reserves"))
    instance = build_instance(db)
    index = {normalise(ref): i for i, ref in enumerate(instance.pool.ids)}
    members = panel_members(db)
    if not members:
        raise OrganiserError(_("there is no panel yet: draw one first."), title=_("No panel"))
    refs_of = {
        m.number: ref
        for m in all_members(db)
        for ref in [m.ref]
        if m.status not in LEFT and normalise(ref) in index
    }
    panel = [index[normalise(refs_of[m.number])] for m in members if m.number in refs_of]
    learnt_from = None
    if rates is None:
        rates, learnt_from = history_rates(db)
        source = f"learnt from this assembly's {learnt_from} members"  # not words
    else:
        source = "entered"
    known = {(normalise(f), normalise(v)) for f, v in rates}
    wanted = {
        (normalise(f), normalise(v))
        for f in instance.pool.features
        for v in instance.pool.values[f]
    }
    if not known & wanted:
        raise OrganiserError(
            _("no drop-out rate matches a feature value of the pool."), title=_("Drop-out rates")
        )
    person = person_rates(instance, rates, default=float(np.mean(list(rates.values()))))
    plan = choose_reserves(instance, panel, count, person, np.random.default_rng(seed))
    names = {
        ref: name or "(removed)"
        for ref, name in db.execute("select ref, name from respondents where purged_at is null")
    }
    refs = tuple(instance.pool.ids[i] for i in plan.reserves)
    return Reserves(plan, refs, tuple(names.get(ref, "") for ref in refs), source, learnt_from)
