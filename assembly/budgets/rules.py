"""The one list of counting rules and the one entry point that counts an election by any of them.

A `RuleSpec` spells out every parameter, so a result file says exactly how it was counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

from assembly.budgets.completion import add1, prefer_greedy
from assembly.budgets.election import Election
from assembly.budgets.greedy import count_greedy
from assembly.budgets.mes import UTILITIES, equal_shares, mes_fates, prepare
from assembly.budgets.outcome import Outcome, ProjectFate
from assembly.budgets.pbfile import format_amount
from assembly.budgets.profile import Profile, profile_of
from assembly.budgets.ties import TieOrder

# The rules' names, as Pabulib and the result file write them (the screens word them).
GREEDY_RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "greedy-exclusive")  # not words
MES_RULES = ("mes", "mes-add1", "mes-utilitarian", "mes-add1-utilitarian")  # not words
RULES = GREEDY_RULES + MES_RULES
COMPLETIONS = {
    "mes": (),
    "mes-add1": ("add1",),  # not words
    "mes-utilitarian": ("utilitarian",),  # not words
    "mes-add1-utilitarian": ("add1", "utilitarian"),  # not words
}


class RuleError(ValueError):
    """A rule asked for that cannot be counted (unknown name, bad option). The message is the
    core's own English; the app words it from `kind` ("rule", "utility", "increment",
    "exclusive") and `names` (the unknown names) in the working language
    (`assembly.budgets.results.count_problem`)."""

    def __init__(self, message: str, kind: str, names: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.names = names


@dataclass(frozen=True)
class RuleSpec:
    """A rule and all its options. `threshold` defaults to the file's
    `min_project_score_threshold` for greedy-threshold; `exclusive` lists groups of project ids
    of which at most one may be funded (greedy-exclusive)."""

    name: str
    utility: str = "cost"
    increment: Fraction = Fraction(1)
    stop_when_exhaustive: bool = False
    whole_unit_start: bool = False
    compare_with_greedy: bool = False
    threshold: Fraction | None = None
    exclusive: tuple[frozenset[str], ...] = ()
    ties: TieOrder = field(default_factory=TieOrder)

    def describe(self) -> dict[str, object]:
        """Every parameter, as a result file records it."""
        out: dict[str, object] = {"name": self.name}
        if self.name in GREEDY_RULES:
            out["skip"] = self.name != "greedy-no-skip"
            out["score"] = "votes, points or Borda points from the ballots"  # not words
            out["threshold"] = None if self.threshold is None else format_amount(self.threshold)
            out["exclusive"] = [sorted(group) for group in self.exclusive]
        else:
            out["utility"] = self.utility
            out["completion"] = list(COMPLETIONS[self.name])
            if "add1" in COMPLETIONS[self.name]:
                out["increment"] = format_amount(self.increment)
                out["stop_when_exhaustive"] = self.stop_when_exhaustive
                out["whole_unit_start"] = self.whole_unit_start
            out["compare_with_greedy"] = self.compare_with_greedy
        out.update(self.ties.describe())
        return out


def default_rule(election: Election) -> RuleSpec:
    """The rule the file declares (`unknown` and custom rules are counted as plain greedy)."""
    declared = election.rule or "greedy"
    name = declared if declared in RULES else "greedy"
    return RuleSpec(name)


def resolve(spec: RuleSpec, election: Election) -> RuleSpec:
    """Fill what the file supplies: the threshold for greedy-threshold."""
    if spec.name not in RULES:
        raise RuleError(
            f"unknown rule '{spec.name}' (one of {', '.join(RULES)})",  # not words
            "rule",
            (spec.name,),
        )
    if spec.utility not in UTILITIES:
        raise RuleError(
            f"unknown utility '{spec.utility}' (one of {', '.join(UTILITIES)})",  # not words
            "utility",
            (spec.utility,),
        )
    if spec.increment <= 0:
        raise RuleError("the Add1 increment must be positive", "increment")  # not words
    if spec.threshold is None and spec.name in ("greedy-threshold", "greedy-no-skip"):
        spec = replace(spec, threshold=election.score_threshold)
    known = {p.project_id for p in election.projects}
    for group in spec.exclusive:
        unknown = sorted(group - known)
        if unknown:
            raise RuleError(
                f"exclusive group names unknown projects: {', '.join(unknown)}",  # not words
                "exclusive",
                tuple(unknown),
            )
    return spec


def count(election: Election, spec: RuleSpec | None = None) -> Outcome:
    """Count `election` by `spec` (default: the file's own rule). Raises `TieError` on a tie
    the rule refuses and `RuleError` on a rule that cannot be counted."""
    spec = resolve(spec or default_rule(election), election)
    profile = profile_of(election)
    if spec.name in GREEDY_RULES:
        return count_greedy(
            profile,
            skip=spec.name != "greedy-no-skip",
            threshold=spec.threshold,
            exclusive=spec.exclusive,
            ties=spec.ties,
            rule=spec.describe(),
        )
    return _count_mes(profile, spec)


def _count_mes(profile: Profile, spec: RuleSpec) -> Outcome:
    prepared = prepare(profile)
    steps = COMPLETIONS[spec.name]
    notes = []
    if "add1" in steps:
        run, increments = add1(
            prepared,
            utility=spec.utility,
            ties=spec.ties,
            increment=spec.increment,
            stop_when_exhaustive=spec.stop_when_exhaustive,
            whole_unit_start=spec.whole_unit_start,
        )
        notes.append(f"Add1 raised each voter's share {increments} times.")  # not words
    else:
        voters = max(profile.voters, 1)
        run = equal_shares(prepared, profile.budget / voters, utility=spec.utility, ties=spec.ties)
    fates = mes_fates(prepared, run)
    selected = list(run.selected)
    ties = list(run.ties)
    if "utilitarian" in steps:
        left = profile.budget - run.spent
        top = count_greedy(profile, ties=spec.ties, budget=left, already=tuple(selected))
        start = len(selected)
        index = {pid: i for i, pid in enumerate(profile.project_ids)}
        for number, pid in enumerate(top.selected, start=start + 1):
            i = index[pid]
            top_up = "top-up"  # not words
            fates[i] = ProjectFate(pid, True, number, votes=profile.supporters[i], stage=top_up)
            selected.append(i)
        ties.extend(top.ties)
    if spec.compare_with_greedy:
        greedy = count_greedy(profile, ties=spec.ties)
        index = {pid: i for i, pid in enumerate(profile.project_ids)}
        greedy_set = {index[pid] for pid in greedy.selected}
        if greedy_set != set(selected) and prefer_greedy(
            profile, set(selected), greedy_set, spec.utility
        ):
            notes.append("More voters preferred the greedy outcome, so it was chosen.")  # not words
            fates = {index[f.project_id]: replace(f, stage="greedy") for f in greedy.fates}
            selected = [index[pid] for pid in greedy.selected]
            ties.extend(greedy.ties)
        else:
            notes.append("The comparison with greedy kept the Equal Shares outcome.")  # not words
    spent = sum((profile.costs[i] for i in selected), Fraction(0))
    return Outcome(
        rule=spec.describe(),
        selected=tuple(profile.project_ids[i] for i in selected),
        budget=profile.budget,
        spent=spent,
        fates=tuple(fates[i] for i in sorted(fates)),
        endowment=run.endowment,
        ties=tuple(ties),
        notes=tuple(notes),
    )
