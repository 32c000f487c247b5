"""Issue 25 item 1: a count typed by hand cannot be more than the people who could vote
(those present while a session runs and attendance is taken, otherwise the panel)."""

from __future__ import annotations

import pytest

from assembly.agenda import recommendations as rec
from assembly.agenda import rounds
from assembly.agenda.electorate import electorate
from assembly.agenda.errors import AgendaError
from assembly.agenda.topics import propose_topic
from assembly.sessions.attendance import set_attendance
from assembly.sessions.sessions import start_session


def _marks(db) -> int:
    return db.execute("select count(*) from recommendation_marks").fetchone()[0]


def _open(db, clock) -> int:
    rec_id = rec.draft_recommendation(db, clock, "Free Sunday buses")
    return rec.open_vote(db, clock, rec_id, scale="support_oppose", threshold="50%", quorum=0)


def _run_session_with_present(db, clock, present: int) -> None:
    start_session(db, 1, clock)
    for member_id in range(1, 7):
        status = "present" if member_id <= present else "absent"
        set_attendance(db, 1, member_id, status, clock)


def test_hand_count_above_the_panel_is_refused_and_says_why(db, clock) -> None:
    vote_id = _open(db, clock)  # six on the panel, no session under way
    with pytest.raises(
        AgendaError, match=r"Vote \d+: 7 in all, but only 6 members are on the panel"
    ):
        rec.record_votes(db, clock, vote_id, {"support": 6, "oppose": 1})
    assert _marks(db) == 0
    rec.record_votes(db, clock, vote_id, {"support": 4, "oppose": 1})
    with pytest.raises(AgendaError, match=r"7 in all \(5 already counted \+ 2 now\)"):
        rec.record_votes(db, clock, vote_id, {"support": 2})
    rec.record_votes(db, clock, vote_id, {"oppose": 1})  # 6: everyone voted
    assert rec.vote_outcome(db, vote_id).cast == 6


def test_hand_count_above_those_present_is_refused(db, clock) -> None:
    _run_session_with_present(db, clock, present=4)
    room = electorate(db)
    assert (room.panel, room.present, room.limit) == (6, 4, 4)
    vote_id = _open(db, clock)
    with pytest.raises(AgendaError, match="only 4 members are present at Session 2: priorities"):
        rec.record_votes(db, clock, vote_id, {"support": 4, "oppose": 1})
    assert _marks(db) == 0
    rec.record_votes(db, clock, vote_id, {"support": 3, "oppose": 1})


def test_voided_counts_do_not_use_up_the_room(db, clock) -> None:
    vote_id = _open(db, clock)
    rec.record_votes(db, clock, vote_id, {"support": 5, "oppose": 1})
    rec.void_last_count(db, clock, vote_id, reason="entered twice")
    rec.record_votes(db, clock, vote_id, {"support": 5, "oppose": 1})


def test_paper_tally_with_more_dots_than_its_papers_hold_is_refused(db, clock) -> None:
    """Drop-in residents may fill in papers, so sheets are not capped by the panel; the dots
    are capped by the sheets."""
    topics = [propose_topic(db, clock, title) for title in ("Buses", "Trees")]
    round_id = rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3)
    with pytest.raises(AgendaError, match=r"Paper tally 1: 16 dots from 5 papers.*at most 15"):
        rounds.record_tally(db, clock, round_id, {topics[0]: 10, topics[1]: 6}, papers=5)
    assert db.execute("select count(*) from ballots").fetchone()[0] == 0
    rounds.record_tally(db, clock, round_id, {topics[0]: 9, topics[1]: 6}, papers=50)
