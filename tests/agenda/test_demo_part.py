"""The example assembly's agenda part: topics (some anonymous, two merged), three closed votes
of different methods, an agenda keeping the residents' ranking, recommendations with outcomes;
and the same every time (`agenda_rows`, compared by tests/app/test_cli_foundation.py between
the example built here and one built in another process)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assembly.agenda import recommendations as rec
from assembly.agenda import rounds, topics
from assembly.store import open_assembly

MY_TABLES = {
    "topics": "id, title, status, merged_into_id, anonymous, created_at",
    "ballot_marks": "ballot_id, topic_id, value",
    "ballots": "id, round_id, kind, voter, papers, recorded_at",
    "priority_rounds": "id, method, tie_rule, tie_seed, status, result",
    "agenda_proposal_items": "proposal_id, position, proposed_position, title, minutes, residents_rank",
    "recommendation_marks": "vote_id, choice, count",
    "recommendations": "id, status, feedback_item_id",
}


def agenda_rows(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"select {cols} from {t} order by 1, 2").fetchall()
            for t, cols in MY_TABLES.items()
        }
    finally:
        conn.close()


def test_demo_agenda_part(demo_path: Path) -> None:
    db = open_assembly(demo_path, read_only=True).db()
    every = topics.list_topics(db, include_closed=True)
    assert sum(t.status == "merged" for t in every) == 2
    assert any(t.proposed_by(for_report=True) == "Anonymous" for t in every)
    every_round = rounds.list_rounds(db)
    assert {r.method for r in every_round} >= {"dot", "schulze", "pairwise"}
    assert all(r.status == "closed" and r.ballots > 0 for r in every_round)
    pairwise = next(r for r in every_round if r.method == "pairwise")
    result = rounds.round_result(db, pairwise.id)
    assert all("estimated strength" in s.counts for s in result.standings)
    items = db.execute(
        "select count(*) from agenda_proposal_items where proposed_position != position"
    ).fetchone()[0]
    assert items > 0  # the facilitator's reorder is on record beside the builder's order
    statuses = [r.status for r in rec.list_recommendations(db)]
    assert "passed" in statuses and "not_passed" in statuses
    for r in rec.list_recommendations(db):
        vote = rec.current_vote(db, r.id)
        assert vote is not None and vote.threshold == 0.8
        assert (r.feedback_item_id is not None) == (r.status == "passed")
