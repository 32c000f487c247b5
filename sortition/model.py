"""The shared vocabulary of the selection library: pools, quotas, instances and results.

Everything here is plain data. Algorithms take an `Instance` and return a `Distribution`;
readers build instances from the peers' CSV formats. People are referred to by their index in
the pool (0..n-1) inside the library, and by their string id only at the edges.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Protocol

import numpy as np

from sortition.compact import TypeLottery
from sortition.words import Words, located, words


def normalise(text: str) -> str:
    """The key used to match feature names and values: case and surrounding spaces ignored."""
    return " ".join(str(text).split()).casefold()


class SortitionError(Exception):
    """Base class for errors the library explains to a person."""


class BadInput(SortitionError):
    """Input that cannot be used, with where it was found (file, row, column when known).

    `words` is the whole message as `sortition.words.Words`, for an app to show in its own
    language (`message` without where); `str()` is its English."""

    def __init__(
        self,
        message: str | Words,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column = file, row, column
        self.message = message
        self.words = located(message, file=file, row=row, column=column)
        super().__init__(str(self.words))


class Infeasible(SortitionError):
    """No panel meets the quotas; `explanation` says why in words a person can act on.

    `lines` are the same words line by line as `sortition.words.Words` (English message ids and
    their values, for an app to show in its own language); empty when only the English is known.
    An explanation given as `Words` is its one line.
    """

    def __init__(
        self,
        explanation: str | Words,
        relaxation: object | None = None,
        *,
        lines: Sequence[Words] = (),
    ) -> None:
        if isinstance(explanation, Words):  # one line, said as words
            explanation, lines = str(explanation), (explanation,)
        self.explanation = explanation
        self.relaxation = relaxation
        self.lines: tuple[Words, ...] = tuple(lines)
        super().__init__(explanation)


class Cancelled(SortitionError):
    """The caller asked a long run to stop."""


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a long run. `fraction` is None when the total is not known.

    `message` is `Words` (its `str()` the English) for an app to show in its own language."""

    stage: str
    message: str | Words
    fraction: float | None = None


class ProgressCallback(Protocol):
    def __call__(self, event: ProgressEvent) -> None: ...


class CancelToken(Protocol):
    """Anything with `is_set()`, such as `threading.Event`."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Quota:
    """Bounds on how many panel members may have `value` for `feature` (display spellings)."""

    feature: str
    value: str
    min: int
    max: int


@dataclass(frozen=True)
class Pool:
    """The respondents: ids, and for each feature the index of each person's value.

    `codes[i, f]` is the index into `values[features[f]]` of person i's value for feature f.
    `households[i]` is a household key or None; two people with the same key may not sit on
    the same panel.
    """

    ids: tuple[str, ...]
    features: tuple[str, ...]
    values: dict[str, tuple[str, ...]]
    codes: np.ndarray
    households: tuple[str | None, ...] = ()

    @property
    def size(self) -> int:
        return len(self.ids)

    def value_of(self, person: int, feature: str) -> str:
        f = self.features.index(feature)
        return self.values[feature][int(self.codes[person, f])]


@dataclass(frozen=True)
class Instance:
    """A selection problem: a pool, quotas on every feature value, and the panel size k."""

    pool: Pool
    quotas: tuple[Quota, ...]
    panel_size: int

    def membership(self) -> np.ndarray:
        """A (len(quotas) x n) 0/1 matrix: row q marks the people who count towards quota q."""
        pool = self.pool
        out = np.zeros((len(self.quotas), pool.size), dtype=np.int8)
        for q, quota in enumerate(self.quotas):
            f = pool.features.index(quota.feature)
            v = pool.values[quota.feature].index(quota.value)
            out[q] = pool.codes[:, f] == v
        return out

    def violations(self, panel: Sequence[int]) -> list[Words]:
        """Plain-language reasons why `panel` (person indices) breaks the rules; empty if none.

        Each is `Words`: `str()` gives the English, an app shows it in its own language."""
        problems: list[Words] = []
        panel = list(panel)
        if len(set(panel)) != len(panel):
            problems.append(words("someone appears twice on the panel"))
        if len(panel) != self.panel_size:
            problems.append(
                words(
                    "panel has %(members)s members, not %(size)s",
                    members=len(panel),
                    size=self.panel_size,
                )
            )
        counts = self.membership()[:, panel].sum(axis=1) if panel else None
        for q, quota in enumerate(self.quotas):
            got = int(counts[q]) if counts is not None else 0
            if not quota.min <= got <= quota.max:
                problems.append(
                    words(
                        "%(feature)s = %(value)s: %(selected)s selected, quota is %(min)s to "
                        "%(max)s",
                        feature=quota.feature,
                        value=quota.value,
                        selected=got,
                        min=quota.min,
                        max=quota.max,
                    )
                )
        households = self.pool.households
        if households:
            seen: dict[str, int] = {}
            for person in panel:
                key = households[person]
                if key is None:
                    continue
                if key in seen:
                    problems.append(
                        words(
                            "%(first)s and %(second)s share a household",
                            first=self.pool.ids[seen[key]],
                            second=self.pool.ids[person],
                        )
                    )
                seen[key] = person
        return problems


@dataclass(frozen=True)
class SelectionStats:
    """How a lottery was found and what is proven about it (None: not measured by its algorithm).

    `gap` bounds, in probability, how far any level may be below its optimum; `upper_bound` is
    a proven ceiling on the smallest chance any lottery could give; `stopped_early` marks a
    search that hit its time or round budget (the panels meet every quota, the chances are
    not proven the fairest).
    """

    min_probability: float = 0.0
    gini: float = 0.0
    panels: int = 0
    seconds: float | None = None
    stopped_early: bool = False
    relaxation_reached: bool = False
    upper_bound: float | None = None
    relaxed_minimum: float | None = None
    gap: float | None = None
    levels: int | None = None
    pricing_rounds: int | None = None
    milps: int | None = None
    columns: int | None = None
    types: int | None = None
    type_panels: int | None = None
    draws: int | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, float | int | bool | None]) -> SelectionStats:
        """Typed stats from a mapping of numbers (such as the JSON of floats the example's
        stored lottery holds, booleans as 0.0/1.0); unknown keys are refused."""
        kinds = {f.name: f.type for f in fields(cls)}
        unknown = set(values) - set(kinds)
        if unknown:
            raise ValueError(f"unknown selection stats: {', '.join(sorted(unknown))}")
        typed: dict[str, float | int | bool | None] = {}
        for name, value in values.items():
            kind = kinds[name]
            if value is None:
                typed[name] = None
            elif kind == "bool":
                typed[name] = bool(value)
            elif kind.startswith("int"):
                typed[name] = int(value)
            else:
                typed[name] = float(value)
        return cls(**typed)

    def as_dict(self) -> dict[str, float | int | bool]:
        """The measured values by name, JSON-ready (those that are None left out)."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class Distribution:
    """A lottery over panels: panel j (sorted person indices) is chosen with weights[j].

    `probabilities[i]` is person i's chance of selection (sums to the panel size). A compact
    lottery (`types` set, what the type solvers return) lists no panels of people: it is a
    lottery over type panels (`sortition.compact.TypeLottery`), whose chances are exact without
    listing the panels of people, which can run to hundreds of thousands on a large pool.
    """

    panels: tuple[tuple[int, ...], ...]
    weights: np.ndarray
    probabilities: np.ndarray
    algorithm: str
    stats: SelectionStats = field(default_factory=SelectionStats)
    types: TypeLottery | None = None

    @classmethod
    def compact(
        cls, types: TypeLottery, algorithm: str, stats: SelectionStats | None = None
    ) -> Distribution:
        """The lottery `types` with no panels of people listed; chances computed exactly."""
        lottery = types.canonical()
        return cls(
            panels=(),
            weights=np.zeros(0),
            probabilities=lottery.probabilities(),
            algorithm=algorithm,
            stats=stats if stats is not None else SelectionStats(),
            types=lottery,
        )

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """A panel of people for each panel the lottery can choose: its listed panels, or for a
        compact lottery each type panel with its seats given in turn (every member of a type
        counts the same for every quota and household rule, so these are the ones to check)."""
        return self.types.examples() if self.types is not None else self.panels

    @property
    def support_weights(self) -> np.ndarray:
        """The weight of each panel of `support`."""
        return self.types.weights if self.types is not None else np.asarray(self.weights)

    def draw(self, rng: np.random.Generator) -> tuple[int, ...]:
        """One panel drawn with the distribution's weights, using only `rng`.

        Panels are drawn in a canonical order (identical ones merged, then sorted), so two runs
        that found the same lottery by different solver paths, listing its panels in another
        order, draw the same panel from the same generator. A compact lottery draws a type
        panel, then its seats among each type's members uniformly (`TypeLottery.draw`).
        """
        if self.types is not None:
            return self.types.draw(rng)
        distinct, weights = merged_panels(self.panels, self.weights)
        return distinct[int(rng.choice(len(distinct), p=weights / weights.sum()))]


def merged_panels(
    panels: Sequence[Sequence[int]], weights: Sequence[float] | np.ndarray
) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """A lottery's distinct panels in canonical order, identical ones merged (weights added).

    Each panel's members are sorted, then the panels: the order a lottery's panels come in
    (which depends on the solver's path) changes neither the numbering nor a draw.
    """
    if len({len(panel) for panel in panels}) == 1:  # a lottery's panels: one numpy sort
        ordered = np.sort(np.asarray(panels, dtype=np.int64), axis=1)
        keys = [tuple(row) for row in ordered.tolist()]
    else:
        keys = [tuple(sorted(int(i) for i in panel)) for panel in panels]
    merged: dict[tuple[int, ...], float] = {}
    for key, weight in zip(keys, weights, strict=True):
        merged[key] = merged.get(key, 0.0) + float(weight)
    distinct = sorted(merged)
    return distinct, np.array([merged[p] for p in distinct])


def chances(panels: Sequence[Sequence[int]], weights: np.ndarray, size: int) -> np.ndarray:
    """Each of `size` people's chance of selection under a lottery over `panels`."""
    probabilities = np.zeros(size)
    for panel, weight in zip(panels, weights, strict=True):
        probabilities[list(panel)] += weight
    return probabilities


Algorithm = Callable[..., Distribution]
