"""An election as a Pabulib file states it: the budget, the projects and the ballots.

Amounts are exact (`fractions.Fraction`) from the moment they are read, so every count on every
machine starts from the same numbers; the counting rules never see a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
"""The ballot kinds Pabulib defines; `choose-1` is approval of exactly one project."""

POINT_VOTE_TYPES = ("cumulative", "scoring")


@dataclass(frozen=True)
class Project:
    """One project: its id as the file spells it, its exact cost, and the file's other columns
    (kept as text, in order, so writing the file back loses nothing)."""

    project_id: str
    cost: Fraction
    columns: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> str | None:
        for key, value in self.columns:
            if key == name:
                return value
        return None

    @property
    def selected(self) -> int | None:
        """The file's official outcome flag (1 funded, 0 not), if it has one."""
        value = self.column("selected")
        return None if value in (None, "") else int(value)


@dataclass(frozen=True)
class Ballot:
    """One voter's ballot: the projects in the file's order (a ranking for ordinal ballots) and,
    for cumulative and scoring ballots, the points given to each."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction, ...] | None = None
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BallotLimits:
    """What a valid ballot had to respect (Pabulib's `min_length` ... `max_sum_points`)."""

    min_length: int | None = None
    max_length: int | None = None
    min_sum_cost: Fraction | None = None
    max_sum_cost: Fraction | None = None
    min_points: Fraction | None = None
    max_points: Fraction | None = None
    min_sum_points: Fraction | None = None
    max_sum_points: Fraction | None = None


@dataclass(frozen=True)
class Election:
    """A whole `.pb` file, read: META in the file's order, then projects and ballots."""

    meta: tuple[tuple[str, str], ...]
    budget: Fraction
    vote_type: str
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    limits: BallotLimits = field(default_factory=BallotLimits)
    project_header: tuple[str, ...] = ("project_id", "cost")
    vote_header: tuple[str, ...] = ("voter_id", "vote")
    source: str = "<memory>"

    def meta_value(self, key: str) -> str | None:
        for name, value in self.meta:
            if name == key:
                return value
        return None

    @property
    def rule(self) -> str | None:
        """The rule the file declares (`greedy`, `greedy-no-skip`, ...), if any."""
        return self.meta_value("rule")

    @property
    def score_threshold(self) -> Fraction | None:
        """`min_project_score_threshold`: the least score a project needs to be eligible."""
        value = self.meta_value("min_project_score_threshold")
        return None if value in (None, "") else Fraction(value.replace(",", "."))

    def project(self, project_id: str) -> Project:
        for project in self.projects:
            if project.project_id == project_id:
                return project
        raise KeyError(project_id)
