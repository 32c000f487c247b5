"""Hypothesis: no rule ever overspends; MES equals a plain Fraction reference (exactness) at any
endowment; Add1 with its jumps equals Add1 one increment at a time; and what
`certified_outcome` proves for a range of endowments holds inside it."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assembly.budgets.completion import add1, is_exhaustive
from assembly.budgets.mes import UTILITIES, certified_outcome, equal_shares, prepare
from assembly.budgets.pbfile import parse_pb
from assembly.budgets.profile import profile_of
from assembly.budgets.rules import RULES, RuleSpec, count
from assembly.budgets.ties import TieOrder
from tests.budgets.conftest import pb_text


@st.composite
def elections(draw):
    n_projects = draw(st.integers(1, 5))
    costs = [draw(st.integers(1, 60)) for _ in range(n_projects)]
    ids = [f"p{i}" for i in range(n_projects)]
    ballots = [
        ",".join(i for i in ids if draw(st.booleans())) for _ in range(draw(st.integers(1, 7)))
    ]
    budget = draw(st.integers(1, 120))
    return pb_text(str(budget), list(zip(ids, map(str, costs), strict=True)), ballots)


def reference_mes(text: str, endowment: Fraction | None = None) -> tuple[set[str], bool]:
    """MES by the book on Fractions, voter by voter (each starting with `endowment`, by default
    B/n); also says whether it met a tie."""
    election = parse_pb(text)
    share = election.budget / len(election.ballots) if endowment is None else endowment
    money = {b.voter_id: share for b in election.ballots}
    left = {p.project_id: p for p in election.projects}
    chosen: set[str] = set()
    tie = False
    while True:
        best = None
        offers = []
        for pid, project in left.items():
            fans = [b.voter_id for b in election.ballots if pid in b.projects]
            if not fans or sum(money[v] for v in fans) < project.cost:
                continue
            remaining, payers = project.cost, len(fans)
            for v in sorted(fans, key=lambda v: money[v]):
                share = remaining / payers
                if share <= money[v]:
                    break
                remaining -= money[v]
                payers -= 1
            rho = share / project.cost if project.cost else Fraction(0)
            offers.append((rho, pid, share, fans))
        if not offers:
            return chosen, tie
        offers.sort()
        best = offers[0]
        tie = tie or (len(offers) > 1 and offers[1][0] == best[0])
        _, pid, share, fans = best
        for v in fans:
            money[v] -= min(money[v], share)
        chosen.add(pid)
        del left[pid]


@settings(max_examples=60)
@given(elections())
def test_no_rule_overspends(text: str) -> None:
    election = parse_pb(text)
    for rule in RULES:
        pair = frozenset({"p0", "p1"}) if len(election.projects) > 1 else frozenset({"p0"})
        spec = RuleSpec(rule, exclusive=(pair,) if "exclusive" in rule else ())
        outcome = count(election, spec)
        assert outcome.spent <= election.budget
        assert len(set(outcome.selected)) == len(outcome.selected)
        assert outcome.spent == sum(election.project(p).cost for p in outcome.selected)


@settings(max_examples=100)
@given(elections())
def test_mes_equals_the_fraction_reference(text: str) -> None:
    expected, tie = reference_mes(text)
    assume(not tie)
    assert set(count(parse_pb(text), RuleSpec("mes")).selected) == expected


@st.composite
def any_elections(draw):
    """Small elections with approval or point ballots, to count under every option."""
    n_projects = draw(st.integers(1, 6))
    costs = [draw(st.integers(0, 80)) for _ in range(n_projects)]
    ids = [f"p{i}" for i in range(n_projects)]
    n_voters = draw(st.integers(1, 9))
    ballots = [[i for i in ids if draw(st.booleans())] for _ in range(n_voters)]
    budget = draw(st.integers(1, 150))
    projects = list(zip(ids, map(str, costs), strict=True))
    if draw(st.booleans()):
        return pb_text(str(budget), projects, [",".join(b) for b in ballots])
    points = [",".join(str(draw(st.integers(1, 4))) for _ in b) for b in ballots]
    return pb_text(
        str(budget),
        projects,
        [",".join(b) for b in ballots],
        vote_type="cumulative",
        points=points,
    )


def add1_step_by_step(prepared, *, utility, ties, increment, stop_when_exhaustive, whole_unit):
    """Add1 by its definition: one increment at a time, stopping at the first outcome that
    overspends, at a full outcome (or an exhaustive one, if asked), or past B x (n + 1) / n."""
    profile = prepared.profile
    voters = max(profile.voters, 1)
    start = profile.budget / voters
    if whole_unit:
        start = Fraction(int(start))
    run = equal_shares(prepared, start, utility=utility, ties=ties)
    steps = 0
    supported = {i for i, n in enumerate(profile.supporters) if n > 0}
    while True:
        chosen = set(run.selected)
        if stop_when_exhaustive and is_exhaustive(profile, chosen, profile.budget):
            break
        if supported <= chosen:
            break
        endowment = start + (steps + 1) * increment
        if endowment > profile.budget * (voters + 1) / voters:
            break
        following = equal_shares(prepared, endowment, utility=utility, ties=ties)
        if following.spent > profile.budget:
            break
        run, steps = following, steps + 1
    return run, steps


@settings(max_examples=80)
@given(
    any_elections(),
    st.sampled_from(UTILITIES),
    st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(5, 2)]),
    st.booleans(),
    st.booleans(),
)
def test_add1_equals_the_one_step_at_a_time_definition(
    text: str, utility: str, increment: Fraction, exhaustive: bool, whole: bool
) -> None:
    prepared = prepare(profile_of(parse_pb(text)))
    options = {"utility": utility, "ties": TieOrder(), "increment": increment}
    fast = add1(prepared, stop_when_exhaustive=exhaustive, whole_unit_start=whole, **options)
    slow = add1_step_by_step(prepared, stop_when_exhaustive=exhaustive, whole_unit=whole, **options)
    assert fast == slow


@settings(max_examples=100)
@given(
    any_elections(),
    st.sampled_from(UTILITIES),
    st.fractions(0, 40, max_denominator=7),
    st.fractions(0, 12, max_denominator=5),
)
def test_a_certified_range_has_one_outcome(text, utility, low, width) -> None:
    """Whatever `certified_outcome` proves for a range is what MES funds at its ends and at
    endowments in between."""
    prepared = prepare(profile_of(parse_pb(text)))
    high = low + width
    proven = certified_outcome(prepared, low, high, utility=utility)
    if proven is None:
        return
    for endowment in (low, high, low + width / 3, low + width * Fraction(5, 7)):
        assert equal_shares(prepared, endowment, utility=utility).selected == proven


@settings(max_examples=100)
@given(elections(), st.fractions(0, 60, max_denominator=9))
def test_mes_at_any_endowment_equals_the_fraction_reference(text: str, endowment) -> None:
    expected, tie = reference_mes(text, endowment)
    assume(not tie)
    prepared = prepare(profile_of(parse_pb(text)))
    run = equal_shares(prepared, endowment)
    assert {prepared.profile.project_ids[i] for i in run.selected} == expected
