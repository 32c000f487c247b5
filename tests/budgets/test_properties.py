"""Hypothesis: no rule ever overspends, and MES equals a plain Fraction reference (exactness)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assembly.budgets.pbfile import parse_pb
from assembly.budgets.rules import RULES, RuleSpec, count
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


def reference_mes(text: str) -> tuple[set[str], bool]:
    """MES by the book on Fractions, voter by voter; also says whether it met a tie."""
    election = parse_pb(text)
    money = {b.voter_id: election.budget / len(election.ballots) for b in election.ballots}
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
