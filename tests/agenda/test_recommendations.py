"""Recommendations: drafted from ideas, voted under declared scale/threshold/quorum that freeze
at the first vote, full counts kept, and passed ones tracked in the feedback log."""

from __future__ import annotations

import sqlite3

import pytest

from assembly.agenda import recommendations as rec
from assembly.agenda.errors import AgendaError

pytestmark = pytest.mark.usefixtures("room_of_40")  # counts need a room to fit in


@pytest.mark.parametrize(
    ("scale", "counts", "threshold", "quorum", "outcome"),
    [
        ("support_oppose", {"support": 8, "oppose": 2}, 0.8, 10, "passed"),  # exactly 80%
        ("support_oppose", {"support": 7, "oppose": 2}, 0.8, 5, "not_passed"),  # 7/9 = 77.8%
        ("support_oppose", {"support": 7, "oppose": 3}, 0.8, 5, "not_passed"),
        ("support_oppose", {"support": 8, "oppose": 1}, 0.8, 10, "no_quorum"),
        ("support_oppose_abstain", {"support": 8, "oppose": 2, "abstain": 5}, 0.8, 15, "passed"),
        ("five_point", {"strongly support": 3, "support": 3, "neutral": 4}, 0.6, 0, "passed"),
        ("five_point", {"strongly support": 3, "support": 2, "neutral": 5}, 0.6, 0, "not_passed"),
    ],
)
def test_decide_by_hand(scale, counts, threshold, quorum, outcome) -> None:
    assert rec.decide(scale, threshold, quorum, counts).outcome == outcome


@pytest.mark.parametrize("scale", sorted(rec.SCALES))
def test_outcome_labels_never_repeat_a_word_in_brackets(scale) -> None:
    """QA saw "support (support)": labels are the choices themselves; which count as support is
    said once, on its own line, when it isn't just "support"."""
    spec = rec.SCALES[scale]
    lines = rec.outcome_lines(rec.decide(scale, 0.5, 0, {c: 1 for c in spec.choices}))
    assert not any("(support)" in line for line in lines)
    for choice, line in zip(spec.choices, lines, strict=False):
        assert line.startswith(choice) and "…" not in line
    said = [line for line in lines if line.startswith("Counted as support")]
    assert said == (
        [] if spec.support == ("support",) else [f"Counted as support: {' + '.join(spec.support)}."]
    )


def test_abstentions_count_for_quorum_not_threshold() -> None:
    o = rec.decide("support_oppose_abstain", 0.8, 15, {"support": 8, "oppose": 2, "abstain": 5})
    assert (o.cast, o.counted, o.support) == (15, 10, 8)
    assert "8 of 10 in support (80%" in o.summary and o.summary.startswith("✓ Passed")


@pytest.mark.parametrize(
    ("text", "value"), [("80%", 0.8), ("80", 0.8), ("0.8", 0.8), (2 / 3, 2 / 3)]
)
def test_parse_threshold(text, value) -> None:
    assert rec.parse_threshold(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["lots", "0", "150%", "-5"])
def test_bad_threshold(text) -> None:
    with pytest.raises(AgendaError, match="Threshold"):
        rec.parse_threshold(text)


def test_vote_passes_and_goes_to_the_feedback_log(db, clock) -> None:
    rec_id = rec.draft_recommendation(
        db,
        clock,
        "Free Sunday buses",
        "The council should fund free buses on Sundays.",
        idea_ids=[1],
    )
    assert rec.get_recommendation(db, rec_id).idea_ids == (1,)
    rec.edit_recommendation(
        db, clock, rec_id, title="Free Sunday buses", text="Fund free Sunday buses."
    )
    vote_id = rec.open_vote(
        db, clock, rec_id, scale="support_oppose_abstain", threshold="80%", quorum=5
    )
    with pytest.raises(AgendaError, match="wording was fixed"):
        rec.edit_recommendation(db, clock, rec_id, title="x", text="y")
    rec.change_vote(db, vote_id, quorum=4)  # allowed before anyone votes
    rec.record_votes(db, clock, vote_id, {"support": 1}, member_id=1)
    with pytest.raises(AgendaError, match="cannot change now"):
        rec.change_vote(db, vote_id, threshold="50%")
    with pytest.raises(sqlite3.IntegrityError, match="declared before voting"):
        db.execute("update recommendation_votes set threshold = 0.5 where id = ?", [vote_id])
    with pytest.raises(AgendaError, match="already voted"):
        rec.record_votes(db, clock, vote_id, {"oppose": 1}, member_id=1)
    with pytest.raises(AgendaError, match="cannot be negative"):
        rec.record_votes(db, clock, vote_id, {"support": 3, "oppose": -1})
    with pytest.raises(AgendaError, match="'maybe' is not on the scale"):
        rec.record_votes(db, clock, vote_id, {"maybe": 1})
    rec.record_votes(db, clock, vote_id, {"support": 7, "oppose": 2, "abstain": 1})
    assert db.execute("select count(*) from recommendation_marks").fetchone()[0] == 4
    outcome = rec.close_vote(db, clock, vote_id)
    assert outcome.outcome == "passed" and outcome.counts == {
        "support": 8,
        "oppose": 2,
        "abstain": 1,
    }
    stored = rec.get_recommendation(db, rec_id)
    assert stored.status == "passed"
    assert stored.feedback_item_id is not None
    item = db.execute(
        "select * from feedback_items where id = ?", [stored.feedback_item_id]
    ).fetchone()
    assert item is not None
    assert rec.send_to_feedback_log(db, clock, rec_id) == stored.feedback_item_id  # only once
    with pytest.raises(AgendaError, match="closed"):
        rec.record_votes(db, clock, vote_id, {"support": 1})


def test_failed_vote_is_not_sent(db, clock) -> None:
    rec_id = rec.draft_recommendation(db, clock, "Close the high street to cars")
    vote_id = rec.open_vote(db, clock, rec_id, scale="support_oppose", threshold=0.8, quorum=10)
    rec.record_votes(db, clock, vote_id, {"support": 5, "oppose": 4})
    outcome = rec.close_vote(db, clock, vote_id)
    assert outcome.outcome == "no_quorum"
    assert rec.get_recommendation(db, rec_id).status == "not_passed"
    assert rec.get_recommendation(db, rec_id).feedback_item_id is None
    lines = rec.outcome_lines(outcome)
    assert lines[0].startswith("support ") and lines[0].rstrip().endswith("5")
    assert lines[-1].startswith("✗ No quorum")


def test_draft_from_unknown_idea_is_refused(db, clock) -> None:
    with pytest.raises(AgendaError, match="no idea 77"):
        rec.draft_recommendation(db, clock, "X", idea_ids=[77])
    assert db.execute("select count(*) from recommendations").fetchone()[0] == 0


def test_last_count_voided_with_reason(db, clock) -> None:
    rec_id = rec.draft_recommendation(db, clock, "Trees")
    vote_id = rec.open_vote(db, clock, rec_id, scale="support_oppose", threshold="50%", quorum=0)
    rec.record_votes(db, clock, vote_id, {"support": 5, "oppose": 1}, note="table 1")
    rec.record_votes(db, clock, vote_id, {"support": 5, "oppose": 1}, note="table 1 again")
    assert rec.vote_outcome(db, vote_id).cast == 12
    assert rec.void_last_count(db, clock, vote_id, reason="entered twice") == {
        "support": 5,
        "oppose": 1,
    }
    assert rec.vote_outcome(db, vote_id).cast == 6
    assert db.execute("select count(*) from recommendation_marks").fetchone()[0] == 4
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        db.execute("delete from recommendation_marks")
