"""Ballots in a PB round: checked against the declared form, one per voter (a resubmission
replaces the earlier one, which stays on the record), paper ballots typed twice, and .pb
imports through the core's reader."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assembly.budgets import ballots, rounds
from assembly.budgets.errors import BudgetError
from assembly.store import write_transaction
from tests.budgets.conftest import pb_text


@pytest.fixture
def voting(db, clock, round_id) -> int:
    rounds.open_voting(db, round_id, clock=clock)
    return round_id


def test_a_resubmission_replaces_the_ballot_and_both_stay_recorded(db, clock, voting) -> None:
    assert ballots.cast_ballot(db, voting, voter="K7Q2", marks={"1": 1}, clock=clock) is False
    assert ballots.cast_ballot(db, voting, voter="K7Q2", marks={"2": 1, "3": 1}, clock=clock)
    current = ballots.current_ballots(db, voting)
    assert [(b.voter, b.marks) for b in current] == [("K7Q2", {"2": 1, "3": 1})]
    assert db.execute("select count(*) from pb_ballots").fetchone()[0] == 2
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"), write_transaction(db):
        db.execute("delete from pb_ballots")


def test_a_member_votes_by_number(db, clock, voting) -> None:
    from tests.agenda.conftest import add_panel

    add_panel(db, 2)
    ballots.cast_ballot(db, voting, member_number=2, marks={"1": 1}, clock=clock)
    assert ballots.current_ballots(db, voting)[0].voter == "member 2"
    with pytest.raises(BudgetError, match="no member 9"):
        ballots.cast_ballot(db, voting, member_number=9, marks={"1": 1}, clock=clock)


@pytest.mark.parametrize(
    ("form", "marks", "message"),
    [
        ({"ballot_form": "approval", "max_projects": 1}, {"1": 1, "2": 1}, "at most 1"),
        ({"ballot_form": "approval", "min_projects": 2}, {"1": 1}, "at least 2"),
        ({"ballot_form": "approval"}, {"9": 1}, "no project 9"),
        ({"ballot_form": "knapsack"}, {"1": 1, "2": 1, "3": 1}, "more than the budget"),
        ({"ballot_form": "points", "points_per_voter": 10}, {"1": 6, "2": 5}, "11 points"),
        ({"ballot_form": "approval"}, {}, "no projects"),
    ],
)
def test_ballots_follow_the_declared_form(db, clock, round_id, form, marks, message) -> None:
    rounds.change_rules(db, round_id, **form)
    rounds.open_voting(db, round_id, clock=clock)
    with pytest.raises(BudgetError, match=message):
        ballots.cast_ballot(db, round_id, voter="A1", marks=marks, clock=clock)


@pytest.mark.parametrize(
    ("text", "form", "marks"),
    [("1, 3", "approval", {"1": 1, "3": 1}), ("1=4 2=6", "points", {"1": 4, "2": 6})],
)
def test_marks_are_read_from_text(text, form, marks) -> None:
    assert ballots.parse_marks(text, form) == marks


def test_marks_text_that_is_wrong_says_where(db) -> None:
    with pytest.raises(BudgetError, match=r"'2=x'.*whole number"):
        ballots.parse_marks("1=3,2=x", "points")


def test_a_paper_ballot_counts_only_when_two_people_agree(db, clock, voting) -> None:
    first = ballots.enter_paper(
        db, voting, paper="P-001", entered_by="Ann", marks={"1": 1}, clock=clock
    )
    assert first.state == "waiting" and not ballots.current_ballots(db, voting)
    with pytest.raises(BudgetError, match="someone else"):
        ballots.enter_paper(
            db, voting, paper="P-001", entered_by="Ann", marks={"1": 1}, clock=clock
        )
    second = ballots.enter_paper(
        db, voting, paper="P-001", entered_by="Bo", marks={"1": 1, "3": 1}, clock=clock
    )
    assert second.state == "mismatch"
    [mismatch] = ballots.paper_mismatches(db, voting)
    assert mismatch.paper == "P-001"
    assert [(e.entered_by, e.marks) for e in mismatch.entries] == [
        ("Ann", {"1": 1}),
        ("Bo", {"1": 1, "3": 1}),
    ]
    assert not ballots.current_ballots(db, voting)
    third = ballots.enter_paper(
        db, voting, paper="P-001", entered_by="Cy", marks={"1": 1}, clock=clock
    )
    assert third.state == "counted"
    assert [(b.voter, b.source, b.marks) for b in ballots.current_ballots(db, voting)] == [
        ("paper P-001", "paper", {"1": 1})
    ]
    assert ballots.paper_mismatches(db, voting) == []
    with pytest.raises(BudgetError, match="already counted"):
        ballots.enter_paper(db, voting, paper="P-001", entered_by="Di", marks={"2": 1}, clock=clock)


def test_a_pb_file_is_imported_into_a_round(db, clock, tmp_path: Path) -> None:
    rid = rounds.create_round(
        db,
        title="Imported",
        budget_pence=100_000,
        rule="greedy",
        ballot_form="approval",
        clock=clock,
    )
    path = tmp_path / "city.pb"
    path.write_text(pb_text("1000", [("a", "300"), ("b", "600,50")], ["a", "a,b", "b"]))
    done = ballots.import_pb(db, rid, path, actor="Ann", clock=clock)
    assert (done.projects, done.ballots) == (2, 3)
    projects = rounds.list_projects(db, rid)
    assert [(p.ref, p.cost, p.status) for p in projects] == [
        ("a", 30_000, "feasible"),
        ("b", 60_050, "feasible"),
    ]
    assert rounds.get_round(db, rid).status == "voting"
    assert [b.marks for b in ballots.current_ballots(db, rid)][1] == {"a": 1, "b": 1}


@pytest.mark.parametrize(
    ("budget", "projects", "votes", "message"),
    [
        ("999", [("a", "300")], ["a"], "budget is 999 but the round's is £1,000.00"),
        ("1000", [("a", "300.125")], ["a"], r"PROJECTS row 1 \(project a\), field 'cost'.*pence"),
        ("1000", [("a", "ten")], ["a"], "bad.pb, line 7, field 'cost'"),
    ],
)
def test_a_hostile_pb_file_is_refused_with_its_line(
    db, clock, tmp_path: Path, budget, projects, votes, message
) -> None:
    rid = rounds.create_round(
        db,
        title="Imported",
        budget_pence=100_000,
        rule="greedy",
        ballot_form="approval",
        clock=clock,
    )
    path = tmp_path / "bad.pb"
    path.write_text(pb_text(budget, projects, votes))
    with pytest.raises(BudgetError, match=message):
        ballots.import_pb(db, rid, path, actor="Ann", clock=clock)
    assert rounds.list_projects(db, rid) == []


def test_an_imported_vote_outside_the_form_names_its_row(db, clock, tmp_path: Path) -> None:
    rid = rounds.create_round(
        db,
        title="I",
        budget_pence=100_000,
        rule="greedy",
        ballot_form="approval",
        max_projects=1,
        clock=clock,
    )
    path = tmp_path / "v.pb"
    path.write_text(pb_text("1000", [("a", "300"), ("b", "600")], ["a", "a,b"]))
    with pytest.raises(
        BudgetError, match=r"v\.pb, VOTES row 2 \(voter v1\), field 'vote'.*at most 1"
    ):
        ballots.import_pb(db, rid, path, actor="Ann", clock=clock)
    assert rounds.get_round(db, rid).status == "setup"
