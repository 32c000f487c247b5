"""Replacing panel members who drop out, so the panel again meets every quota.

The staying members are kept. Their counts are subtracted from every quota, and the
replacements are selected as a panel of their own (as many as dropped out) from the people who
may still be asked: not on the drawn panel (dropouts included), not excluded by the caller, and
not from a household already represented on it. Selecting this reduced instance by LEXIMIN is
the same as LEXIMIN over the remaining pool with the staying members fixed, and works with any
selection algorithm. One set of replacements is then drawn with the caller's random generator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from sortition.loosen import (
    Loosening,
    QuotaChange,
    find_loosening,
    find_panel,
    why_infeasible_words,
)
from sortition.model import (
    BadInput,
    CancelToken,
    Distribution,
    Infeasible,
    Instance,
    Pool,
    ProgressCallback,
    Quota,
)
from sortition.words import Words, words

SelectFunction = Callable[..., Distribution]


@dataclass(frozen=True)
class ReplacementResult:
    """The outcome of a replacement draw; all people are pool indices of the original instance.

    `distribution` is the lottery the replacements were drawn from (its panels are sets of
    replacements); `candidate_probabilities[i]` is person i's chance of being a replacement.
    """

    panel: tuple[int, ...]
    replacements: tuple[int, ...]
    staying: tuple[int, ...]
    dropouts: tuple[int, ...]
    candidates: tuple[int, ...]
    distribution: Distribution
    candidate_probabilities: np.ndarray


@dataclass(frozen=True)
class ReplacementProblem:
    """The reduced selection problem: who may be chosen and what the replacements must meet."""

    instance: Instance  # pool of candidates only, quotas reduced by the staying members
    candidates: tuple[int, ...]  # original index of each reduced-pool person
    staying: tuple[int, ...]
    dropouts: tuple[int, ...]
    staying_counts: tuple[int, ...]  # per quota, staying members counting towards it


def _listed(problems: Sequence[Words]) -> Words:
    """`problems` in one line: 'a; b; c' (each semicolon its own message, for a translator)."""
    listed = problems[0]
    for problem in problems[1:]:
        listed = words("%(items)s; %(item)s", items=listed, item=problem)
    return listed


def replacement_problem(
    instance: Instance,
    panel: Sequence[int],
    dropouts: Iterable[int],
    *,
    exclude: Iterable[int] = (),
    allow_dropout_households: bool = False,
) -> ReplacementProblem:
    """Reduce the instance to choosing replacements for `dropouts` from `panel`.

    Housemates of dropouts stay ineligible unless `allow_dropout_households`; `exclude` are
    further people who cannot be asked (say, those who already declined).
    """
    pool = instance.pool
    panel = tuple(int(p) for p in panel)
    gone = tuple(sorted({int(d) for d in dropouts}))
    if len(set(panel)) != len(panel):
        raise BadInput(words("the panel lists someone twice"))
    outside = [pool.ids[d] if 0 <= d < pool.size else str(d) for d in gone if d not in panel]
    if outside:
        raise BadInput(
            words("not on the panel, so cannot drop out: %(people)s", people=", ".join(outside))
        )
    broken = instance.violations(panel)
    if broken:
        raise BadInput(
            words(
                "the panel did not meet the rules before the dropouts: %(problems)s",
                problems=_listed(broken),
            )
        )
    staying = tuple(sorted(set(panel) - set(gone)))
    keys = pool.households or (None,) * pool.size
    taken_households = {keys[p] for p in (panel if not allow_dropout_households else staying)}
    taken_households.discard(None)
    blocked = set(panel) | {int(e) for e in exclude}
    candidates = tuple(
        i
        for i in range(pool.size)
        if i not in blocked and (keys[i] is None or keys[i] not in taken_households)
    )
    membership = instance.membership()
    counts = (
        tuple(int(c) for c in membership[:, list(staying)].sum(axis=1))
        if staying
        else ((0,) * len(instance.quotas))
    )
    quotas = tuple(
        dataclasses.replace(q, min=max(0, q.min - c), max=q.max - c)
        for q, c in zip(instance.quotas, counts, strict=True)
    )
    sub = Pool(
        ids=tuple(pool.ids[i] for i in candidates),
        features=pool.features,
        values=pool.values,
        codes=pool.codes[list(candidates)] if candidates else pool.codes[:0],
        households=tuple(keys[i] for i in candidates) if pool.households else (),
    )
    return ReplacementProblem(Instance(sub, quotas, len(gone)), candidates, staying, gone, counts)


def _original_relaxation(problem: ReplacementProblem, original: Instance) -> Loosening | None:
    """The smallest loosening of the reduced quotas, stated in the original quotas' terms."""
    try:
        reduced = find_loosening(problem.instance)
    except Infeasible:
        return None
    if reduced is None:
        return None
    quotas: list[Quota] = []
    changes: list[QuotaChange] = []
    for old, small, new, c in zip(
        original.quotas,
        problem.instance.quotas,
        reduced.quotas,
        problem.staying_counts,
        strict=True,
    ):
        low = old.min if new.min == small.min else new.min + c
        high = old.max if new.max == small.max else new.max + c
        quota = dataclasses.replace(old, min=low, max=high)
        quotas.append(quota)
        if quota != old:
            changes.append(QuotaChange(old.feature, old.value, old.min, old.max, low, high))
    panel = tuple(
        sorted(problem.staying + tuple(problem.candidates[i] for i in reduced.example_panel))
    )
    return Loosening(tuple(quotas), tuple(changes), panel)


def explain_replacement_infeasible(problem: ReplacementProblem, original: Instance) -> Infeasible:
    """Why no replacements meet the quotas, with the least relaxation of the original quotas."""
    reduced = problem.instance
    lines: list[Words] = [
        words(
            "No %(dropouts)s replacement(s) from the %(candidates)s eligible respondents bring "
            "the panel back within the quotas. The %(staying)s staying members already count "
            "towards the quotas, so the replacements must meet these remaining quotas:",
            dropouts=len(problem.dropouts),
            candidates=len(problem.candidates),
            staying=len(problem.staying),
        )
    ]
    for q in reduced.quotas:
        lines.append(
            words(
                "  - %(feature)s = %(value)s: %(min)s to %(max)s",
                feature=q.feature,
                value=q.value,
                min=q.min,
                max=q.max,
            )
        )
    if len(problem.candidates) < len(problem.dropouts):
        lines.append(
            words(
                "Only %(candidates)s respondents are eligible (not on the panel, not excluded, "
                "not from a household on the panel) for %(dropouts)s places.",
                candidates=len(problem.candidates),
                dropouts=len(problem.dropouts),
            )
        )
    else:
        lines.extend(why_infeasible_words(reduced))
    relaxation = _original_relaxation(problem, original)
    if relaxation is not None:
        lines.append(words("In terms of the original quotas:"))
        lines.extend(relaxation.in_words())
    else:
        lines.append(words("No change to the quotas can fix this: more respondents are needed."))
    return Infeasible("\n".join(str(line) for line in lines), relaxation, lines=lines)


def replace(
    instance: Instance,
    panel: Sequence[int],
    dropouts: Iterable[int],
    rng: np.random.Generator,
    *,
    algorithm: str = "leximin",
    exclude: Iterable[int] = (),
    allow_dropout_households: bool = False,
    select_fn: SelectFunction | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ReplacementResult:
    """Choose replacements for `dropouts` so the panel again meets every quota.

    Replacements are drawn with `rng` from the `algorithm` lottery (default LEXIMIN) over the
    eligible people. `select_fn(instance, algorithm=..., rng=..., progress=..., cancel=...)`
    defaults to `sortition.select.select`. Raises `Infeasible` (with `.relaxation` of the
    original quotas when one exists) when no replacements can meet the quotas.
    """
    problem = replacement_problem(
        instance,
        panel,
        dropouts,
        exclude=exclude,
        allow_dropout_households=allow_dropout_households,
    )
    n = instance.pool.size
    if not problem.dropouts:
        empty = Distribution(((),), np.ones(1), np.zeros(n), algorithm)
        return ReplacementResult(
            tuple(sorted(problem.staying)), (), problem.staying, (), (), empty, np.zeros(n)
        )
    reduced = problem.instance
    if len(problem.candidates) < reduced.panel_size or find_panel(reduced) is None:
        raise explain_replacement_infeasible(problem, instance)
    if select_fn is None:
        from sortition.select import select as select_fn
    # The draw gets its own generator, split off before the selection: how many numbers the
    # solver takes from `rng` depends on its path, which differs between machines.
    draw_rng = rng.spawn(1)[0]
    dist = select_fn(reduced, algorithm=algorithm, rng=rng, progress=progress, cancel=cancel)
    mapping = np.array(problem.candidates)
    chosen = tuple(sorted(int(mapping[i]) for i in dist.draw(draw_rng)))
    probabilities = np.zeros(n)
    probabilities[mapping] = np.asarray(dist.probabilities, dtype=float)
    if dist.types is not None:
        full = Distribution(
            (),
            np.zeros(0),
            probabilities,
            dist.algorithm,
            dist.stats,
            types=dist.types.mapped(mapping, n),
        )
    else:
        full = Distribution(
            tuple(tuple(sorted(int(mapping[i]) for i in p)) for p in dist.panels),
            np.asarray(dist.weights, dtype=float),
            probabilities,
            dist.algorithm,
            dist.stats,
        )
    new_panel = tuple(sorted(problem.staying + chosen))
    problems = instance.violations(new_panel)
    if problems:  # a guard on the selection algorithm, never expected
        raise RuntimeError(  # not words: an internal error
            "replacement panel breaks the rules: " + "; ".join(map(str, problems))
        )
    return ReplacementResult(
        new_panel,
        chosen,
        problem.staying,
        problem.dropouts,
        problem.candidates,
        full,
        probabilities,
    )


# A name that reads well where `replace` would shadow `dataclasses.replace`.
replace_dropouts = replace
