"""Ties, broken in a declared order everyone can check: lower cost first, then more votes, then
a lot drawn from a public seed (and recorded) — or the count refuses to decide.

The lot is a SHA-256 of the seed and the project id, so anyone with the seed redraws it, on any
machine, without our code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction

TIE_KEYS = ("cost", "votes", "lot")


class TieError(Exception):
    """The rule met a tie it was told not to break. The message is the core's own English; the
    app words it from `kind` ("refused": the order refuses ties, "unsettled": the tie order does
    not settle it, "deciding": a tie on `score` whose order decides what fits), `tied` and
    `score`, in the working language (`assembly.budgets.results.count_problem`)."""

    def __init__(
        self,
        message: str,
        tied: tuple[str, ...],
        *,
        kind: str = "refused",
        score: Fraction | None = None,
    ) -> None:
        super().__init__(message)
        self.tied = tied
        self.kind = kind
        self.score = score


@dataclass(frozen=True)
class TieOrder:
    """How ties are broken: `keys` in order (from `TIE_KEYS`), or `refuse` to stop instead."""

    keys: tuple[str, ...] = TIE_KEYS
    seed: str = "0"
    refuse: bool = False

    def describe(self) -> dict[str, object]:
        if self.refuse:
            return {"ties": "refuse"}
        return {"ties": list(self.keys), "seed": self.seed}


@dataclass(frozen=True)
class TieRecord:
    """A tie met during the count: which projects, which key decided, who came first."""

    round: int
    tied: tuple[str, ...]
    decided_by: str
    first: str
    lot: tuple[tuple[str, str], ...] = ()
    """The drawn numbers (hex digests), when the lot decided."""


def lot_number(seed: str, project_id: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{project_id}".encode()).hexdigest()


def break_tie(
    tied: list[int],
    *,
    order: TieOrder,
    ids: tuple[str, ...],
    costs: tuple[Fraction, ...],
    votes: tuple[int, ...],
    round_number: int,
) -> tuple[int, TieRecord]:
    """The first of `tied` (project indexes, all equal on the rule's own measure), and the record
    of how it was decided. Raises `TieError` when the order refuses."""
    names = tuple(ids[i] for i in tied)
    if order.refuse:
        raise TieError(
            f"a tie between projects {', '.join(names)} (the rule refuses ties)",  # not words
            names,
        )
    candidates = list(tied)
    for key in order.keys:
        if key == "cost":
            best = min(costs[i] for i in candidates)
            candidates = [i for i in candidates if costs[i] == best]
        elif key == "votes":
            best_votes = max(votes[i] for i in candidates)
            candidates = [i for i in candidates if votes[i] == best_votes]
        elif key == "lot":
            drawn = tuple((ids[i], lot_number(order.seed, ids[i])) for i in candidates)
            first = min(candidates, key=lambda i: lot_number(order.seed, ids[i]))
            return first, TieRecord(round_number, names, "lot", ids[first], drawn)
        else:
            raise ValueError(f"unknown tie key {key!r}")  # not words
        if len(candidates) == 1:
            return candidates[0], TieRecord(round_number, names, key, ids[candidates[0]])
    raise TieError(
        f"a tie between projects {', '.join(names)} that the tie order does not settle",  # not words
        names,
        kind="unsettled",
    )
