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

    def summary(self) -> str:
        """Expected broken quotas with and without the reserves, in plain words."""
        without, with_ = self.plan.without, self.plan.with_reserves
        return (
            f"Reserves: if members drop out at the rates {self.source}, about "
            f"{without.broken:.1f} quotas would be broken with no reserves, and about "
            f"{with_.broken:.1f} with these {len(self.refs)} reserves called in order."
        )


def history_rates(db: Database) -> tuple[dict[tuple[str, str], float], int]:
    """Drop-out rate per (feature, value) learnt from every member so far, and how many."""
    members = all_members(db)
    if not members:
        raise OrganiserError(
            "there are no members yet to learn drop-out rates from; give a rates file.",
            title="No member history",
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
        raise BadInput(f"missing column {missing[0]!r}", file=table.file_name, row=1)
    rates: dict[tuple[str, str], float] = {}
    for row, cells in table.rows:
        feature, value, text = (cells[columns[name]] for name in ("feature", "value", "rate"))
        try:
            rate = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise BadInput(
                f"{text!r} is not a rate", file=table.file_name, row=row, column="rate"
            ) from None
        if not 0.0 <= rate < 1.0:
            raise BadInput(
                f"rate {text} is not between 0 and 1", file=table.file_name, row=row, column="rate"
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
        raise OrganiserError("ask for at least one reserve.", title="Reserves")
    instance = build_instance(db)
    index = {normalise(ref): i for i, ref in enumerate(instance.pool.ids)}
    members = panel_members(db)
    if not members:
        raise OrganiserError("there is no panel yet: draw one first.", title="No panel")
    refs_of = {
        m.number: ref
        for m in all_members(db)
        for ref in [m.ref]
        if m.status not in LEFT and normalise(ref) in index
    }
    panel = [index[normalise(refs_of[m.number])] for m in members if m.number in refs_of]
    if rates is None:
        rates, count_members = history_rates(db)
        source = f"learnt from this assembly's {count_members} members"
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
            "no drop-out rate matches a feature value of the pool.", title="Drop-out rates"
        )
    person = person_rates(instance, rates, default=float(np.mean(list(rates.values()))))
    plan = choose_reserves(instance, panel, count, person, np.random.default_rng(seed))
    names = {
        ref: name or "(removed)"
        for ref, name in db.execute("select ref, name from respondents where purged_at is null")
    }
    refs = tuple(instance.pool.ids[i] for i in plan.reserves)
    return Reserves(plan, refs, tuple(names.get(ref, "") for ref in refs), source)
