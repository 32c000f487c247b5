"""The example's participatory budget: the Hollowfield Neighbourhood Fund, a whole round as a
real one runs (proposals, reviews, voter codes and paper ballots typed twice, the count, an
override with its reason, delivery into the feedback log), the same on every build."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from assembly.budgets import ballots, results, rounds
from assembly.core.clock import FixedClock
from assembly.demo import DEMO_SEED, DEMO_START, part_budgets
from assembly.feedback.queries import all_items
from assembly.feedback.verify import verify_log
from assembly.store import create_assembly, open_assembly


def test_the_example_holds_a_whole_pb_round(demo_path: Path) -> None:
    db = open_assembly(demo_path, read_only=True).db()
    (fund,) = rounds.list_rounds(db)
    assert (fund.budget_pence, fund.rule, fund.ballot_form, fund.status) == (
        4_000_000,
        "mes-add1",
        "approval",
        "closed",
    )
    projects = rounds.list_projects(db, fund.id)
    assert 12 <= len(projects) <= 16
    assert sum(p.proposer is None for p in projects) >= 3  # anonymous proposals
    (refused,) = [p for p in projects if p.status == "not_feasible"]
    assert "Network Rail" in refused.reason
    (revised,) = [p for p in projects if p.revised_cost_pence]
    assert revised.revised_cost_pence > revised.cost_pence and revised.reason
    history = rounds.project_changes(db, fund.id, revised.ref)
    assert [c.action for c in history] == ["proposed", "reviewed"]
    assert history[1].detail["revised_cost_pence"] == revised.revised_cost_pence

    counting = ballots.current_ballots(db, fund.id)
    assert 250 <= len(counting) <= 400
    paper = [b for b in counting if b.source == "paper"]
    assert len(paper) == part_budgets.PAPER_BALLOTS
    # every paper typed in by two volunteers; one read differently, settled by a third entry
    entries = db.execute(
        "select paper, count(*) from pb_paper_entries where round_id = ? group by paper "
        "having count(*) > 2",
        [fund.id],
    ).fetchall()
    assert entries == [(f"{part_budgets.MISREAD_PAPER:03d}", 3)]
    assert ballots.paper_mismatches(db, fund.id) == []
    assert ballots.papers_waiting(db, fund.id) == []

    result = results.published_result(db, fund.id)
    assert result.ballots == len(counting)
    assert result.computed_spent_pence <= fund.budget_pence
    (overridden,) = result.overridden
    assert overridden.override.action == "fund" and not overridden.computed
    assert "ward councillors" in overridden.override.reason
    funded = [row for row in result.rows if row.final]
    assert len(funded) >= 4

    # the funded projects are in the feedback log, for the responsible body to report on
    delivered = results.delivered_items(db, fund.id)
    assert sorted(delivered) == sorted(row.ref for row in funded)
    items = {item.id: item for item in all_items(db)}
    assert {items[i].title for i in delivered.values()} == {row.title for row in funded}
    assert {items[i].responsible_body for i in delivered.values()} == {part_budgets.DELIVERED_BY}
    assert verify_log(db).ok


def _round_alone(path: Path) -> dict:
    clock = FixedClock(DEMO_START)
    assembly = create_assembly(path, name="PB only", clock=clock)
    part_budgets.build(assembly, np.random.default_rng([DEMO_SEED, part_budgets.ORDER]), clock)
    db = assembly.db()
    stored = db.execute("select result from pb_counts").fetchone()[0]
    marks = db.execute("select voter, marks from pb_ballots order by id").fetchall()
    assembly.close()
    return {"result": json.loads(stored), "ballots": marks}


def test_the_round_is_the_same_on_every_build(tmp_path: Path) -> None:
    first = _round_alone(tmp_path / "one.assembly.db")
    assert first == _round_alone(tmp_path / "two.assembly.db")
    assert len(first["result"]["selected"]) >= 4
