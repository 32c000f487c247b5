"""Counting a PB round with the core's rule, overrides on the record beside the computed
outcome, and the funded projects handed to the feedback log."""

from __future__ import annotations

import sqlite3

import pytest

from assembly.budgets import ballots, results, rounds
from assembly.budgets.errors import BudgetError
from assembly.feedback.queries import get_item
from assembly.feedback.verify import verify_log
from assembly.store import write_transaction


@pytest.fixture
def closed(db, clock, round_id) -> int:
    """The fixture's round (£1,000: benches £300, library £600, bike racks £400) closed with
    five ballots, so each voter's equal share is £200."""
    rounds.open_voting(db, round_id, clock=clock)
    for n, marks in enumerate([{"1": 1}, {"1": 1, "3": 1}, {"2": 1}, {"2": 1}, {"3": 1, "2": 1}]):
        ballots.cast_ballot(db, round_id, voter=f"V{n}", marks=marks, clock=clock)
    rounds.close_voting(db, round_id, clock=clock)
    return round_id


def test_counting_needs_voting_closed(db, clock, round_id) -> None:
    rounds.open_voting(db, round_id, clock=clock)
    with pytest.raises(BudgetError, match="Close voting"):
        results.count_round(db, round_id, actor="Ann", clock=clock)


def test_the_round_is_counted_by_its_rule_on_feasible_projects(db, clock, closed) -> None:
    count_id = results.count_round(db, closed, actor="Ann", clock=clock)
    result = results.published_result(db, closed)
    assert result.count_id == count_id and result.ballots == 5
    funded = [row.ref for row in result.rows if row.computed]
    # MES: the library's three supporters pay £200 each; the benches' two then pay £150 each;
    # the bike racks' supporters have £50 and £0 left
    assert funded == ["1", "2"]
    row = result.row("3")
    assert not row.computed and not row.final and row.explanation.startswith("Not funded")
    assert result.row("2").explanation.startswith("Funded in round 1")
    assert result.row("1").explanation.startswith("Funded in round 2")
    assert result.computed_spent_pence == result.final_spent_pence == 90_000
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), write_transaction(db):
        db.execute("update pb_counts set result = '{}'")


def test_a_not_feasible_project_is_not_counted(db, clock, round_id) -> None:
    p = rounds.add_project(db, round_id, title="Pier", cost_pence=10, actor="Ann", clock=clock)
    rounds.review_project(
        db,
        round_id,
        p.ref,
        status="not_feasible",
        reason="Not council land",
        actor="Bo",
        clock=clock,
    )
    rounds.open_voting(db, round_id, clock=clock)
    ballots.cast_ballot(db, round_id, voter="A", marks={"1": 1}, clock=clock)
    rounds.close_voting(db, round_id, clock=clock)
    results.count_round(db, round_id, actor="Ann", clock=clock)
    result = results.published_result(db, round_id)
    assert [r.ref for r in result.rows] == ["1", "2", "3", "4"]
    assert result.row("4").explanation == "Not on the ballot: not feasible (Not council land)."


def test_overrides_sit_beside_the_computed_outcome(db, clock, closed) -> None:
    results.count_round(db, closed, actor="Ann", clock=clock)
    with pytest.raises(BudgetError, match="reason"):
        results.override(db, closed, "1", "fund", reason=" ", actor="Ann", clock=clock)
    with pytest.raises(BudgetError, match="already funded"):
        results.override(db, closed, "2", "fund", reason="x", actor="Ann", clock=clock)
    with pytest.raises(BudgetError, match="not funded"):
        results.override(db, closed, "3", "unfund", reason="x", actor="Ann", clock=clock)
    results.override(db, closed, "1", "unfund", reason="Site sold", actor="Ann", clock=clock)
    results.override(db, closed, "3", "fund", reason="Match funding", actor="Cy", clock=clock)
    result = results.published_result(db, closed)
    assert [(r.ref, r.computed, r.final) for r in result.rows] == [
        ("1", True, False),
        ("2", True, True),
        ("3", False, True),
    ]
    assert result.row("1").override.reason == "Site sold"
    assert result.row("3").override.actor == "Cy"
    assert result.final_spent_pence == 100_000
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), write_transaction(db):
        db.execute("delete from pb_overrides")


def test_funded_projects_become_feedback_items(db, clock, closed) -> None:
    results.count_round(db, closed, actor="Ann", clock=clock)
    results.override(db, closed, "3", "fund", reason="Match funding", actor="Cy", clock=clock)
    items = results.deliver(
        db, closed, responsible_body="Parks team", due="2027-06-30", actor="Ann", clock=clock
    )
    assert len(items) == 3
    tracked = [get_item(db, i) for i in items]
    assert {t.responsible_body for t in tracked} == {"Parks team"}
    assert {t.due for t in tracked} == {"2027-06-30"}
    assert sorted(t.title for t in tracked) == ["Benches", "Bike racks", "Library hours"]
    assert verify_log(db).ok
    # delivering again adds nothing
    assert (
        results.deliver(
            db, closed, responsible_body="Parks team", due="2027-06-30", actor="Ann", clock=clock
        )
        == []
    )


def test_each_funded_project_can_have_its_own_body_and_due_date(db, clock, closed) -> None:
    results.count_round(db, closed, actor="Ann", clock=clock)  # funds 1 and 2, not 3
    first = results.deliver(
        db,
        closed,
        responsible_body="Libraries service",
        due="2027-03-31",
        projects=["2"],
        actor="Ann",
        clock=clock,
    )
    rest = results.deliver(
        db, closed, responsible_body="Parks team", due="2027-06-30", actor="Ann", clock=clock
    )
    bodies = {get_item(db, i).title: (get_item(db, i).responsible_body, get_item(db, i).due)
              for i in first + rest}  # fmt: skip
    assert bodies == {
        "Library hours": ("Libraries service", "2027-03-31"),
        "Benches": ("Parks team", "2027-06-30"),
    }
    for ref, why in (("3", "not funded"), ("9", "no project 9")):
        with pytest.raises(BudgetError, match=why):
            results.deliver(
                db, closed, responsible_body="X", due="2027-01-01", projects=[ref], actor="A",
                clock=clock,
            )  # fmt: skip
    with pytest.raises(BudgetError, match="already"):
        results.deliver(
            db,
            closed,
            responsible_body="X",
            due="2027-01-01",
            projects=["2"],
            actor="A",
            clock=clock,
        )


def test_ties_are_broken_by_the_declared_order_and_recorded(db, clock) -> None:
    rid = rounds.create_round(
        db,
        title="Tie",
        budget_pence=100,
        rule="greedy",
        ballot_form="approval",
        tie_seed="refuse",
        clock=clock,
    )
    for title in ("A", "B"):
        p = rounds.add_project(db, rid, title=title, cost_pence=100, actor="Ann", clock=clock)
        rounds.review_project(db, rid, p.ref, status="feasible", actor="Bo", clock=clock)
    rounds.open_voting(db, rid, clock=clock)
    ballots.cast_ballot(db, rid, voter="x", marks={"1": 1, "2": 1}, clock=clock)
    rounds.close_voting(db, rid, clock=clock)
    count_id = results.count_round(db, rid, actor="Ann", clock=clock)
    # the declared order breaks it: equal cost and votes, then the seeded lot
    assert results.published_result(db, rid).count_id == count_id
    assert results.published_result(db, rid).ties
