"""A PB round in an assembly file: declared rules locked once voting opens, projects and their
feasibility reviews recorded in an append-only history."""

from __future__ import annotations

import sqlite3

import pytest

from assembly.budgets import rounds
from assembly.budgets.errors import BudgetError
from assembly.store import write_transaction


def test_a_round_declares_budget_rule_and_form(db, clock) -> None:
    rid = rounds.create_round(
        db,
        title="Greenfield 2027",
        budget_pence=rounds.parse_pence("50,000"),
        rule="mes-add1",
        ballot_form="approval",
        max_projects=3,
        clock=clock,
    )
    r = rounds.get_round(db, rid)
    assert (r.budget, r.rule, r.ballot_form, r.max_projects, r.status) == (
        "£50,000.00",
        "mes-add1",
        "approval",
        3,
        "setup",
    )
    assert "at most 3 projects" in r.describe_form()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "plurality"}, "Unknown rule 'plurality'"),
        ({"ballot_form": "points"}, "needs the number of points"),
        ({"min_projects": 4, "max_projects": 2}, "cannot both hold"),
        ({"currency": "pounds"}, "three-letter code"),
    ],
)
def test_a_round_refuses_bad_declarations(db, clock, kwargs, message) -> None:
    args = {"title": "R", "budget_pence": 100, "rule": "greedy", "ballot_form": "approval"}
    with pytest.raises(BudgetError, match=message):
        rounds.create_round(db, clock=clock, **{**args, **kwargs})


@pytest.mark.parametrize(("text", "pence"), [("1250", 125000), ("£1,250.5", 125050), ("0.07", 7)])
def test_money_is_read_as_pence(text, pence) -> None:
    assert rounds.parse_pence(text) == pence


def test_money_that_is_not_money_is_refused() -> None:
    with pytest.raises(BudgetError, match=r"'12\.345' is not an amount"):
        rounds.parse_pence("12.345", "Cost")


def test_rules_lock_once_voting_opens(db, clock, round_id) -> None:
    rounds.change_rules(db, round_id, rule="greedy")
    rounds.open_voting(db, round_id, clock=clock)
    with pytest.raises(BudgetError, match="locked now that voting has opened"):
        rounds.change_rules(db, round_id, budget_pence=1)
    # and a program that bypasses the services is refused by the file itself
    with pytest.raises(sqlite3.IntegrityError, match="locked"), write_transaction(db):
        db.execute("update pb_rounds set rule = 'mes' where id = ?", [round_id])
    with pytest.raises(BudgetError, match="cannot be added once voting"):
        rounds.add_project(db, round_id, title="Late", cost_pence=100, actor="Ann", clock=clock)


def test_voting_waits_for_every_review(db, clock) -> None:
    rid = rounds.create_round(
        db, title="R", budget_pence=1000, rule="greedy", ballot_form="approval", clock=clock
    )
    rounds.add_project(db, rid, title="Benches", cost_pence=500, actor="Ann", clock=clock)
    with pytest.raises(BudgetError, match="still proposed: 1"):
        rounds.open_voting(db, rid, clock=clock)


def test_reviews_are_recorded_and_the_history_only_grows(db, clock, round_id) -> None:
    p = rounds.add_project(
        db, round_id, title="Skate park", cost_pence=900_000, area="North", actor="Ann", clock=clock
    )
    assert p.proposer_shown == "Anonymous" and p.status == "proposed"
    with pytest.raises(BudgetError, match="Say why"):
        rounds.review_project(db, round_id, p.ref, status="not_feasible", actor="Bo", clock=clock)
    clock.advance(minutes=5)
    reviewed = rounds.review_project(
        db,
        round_id,
        p.ref,
        status="feasible",
        revised_cost_pence=1_000_000,
        reason="Ground works needed",
        actor="Bo",
        clock=clock,
    )
    assert (reviewed.status, reviewed.cost, reviewed.cost_pence) == ("feasible", 1_000_000, 900_000)
    history = rounds.project_changes(db, round_id, p.ref)
    assert [c.action for c in history] == ["proposed", "reviewed"]
    assert history[1].detail == {"status": "feasible", "revised_cost_pence": 1_000_000}
    assert history[1].reason == "Ground works needed" and history[1].actor == "Bo"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), write_transaction(db):
        db.execute("delete from pb_project_changes")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), write_transaction(db):
        db.execute("update pb_project_changes set reason = ''")
