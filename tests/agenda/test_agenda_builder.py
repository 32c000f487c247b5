"""The agenda builder: timed agendas that add up, follow the residents' ranking, keep that
ranking beside the facilitator's final order, and reach the session's agenda items."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembly.agenda import builder as ab
from assembly.agenda import rounds, topics
from assembly.agenda.errors import AgendaError


def _ranked(n: int) -> list[ab.RankedTopic]:
    return [ab.RankedTopic(100 + i, f"Topic {i + 1}", i + 1) for i in range(n)]


def test_a_day_by_hand() -> None:
    # 240 min: welcome 15 + close 10 leaves 215; one break (15) keeps each stretch <= 90? No:
    # 200 of work over 2 stretches is 100 > 90, so two breaks: 185 of work, three stretches ~62.
    s = ab.AgendaSettings(session_minutes=240)
    proposal = ab.propose_agenda(_ranked(5), s)
    assert proposal.total_minutes == 240
    kinds = [i.kind for i in proposal.items]
    assert kinds[0] == "welcome" and proposal.items[-1].title.startswith("Close")
    assert kinds.count("break") == 2
    # witness (30) + 20 for topic 1, then evidence (15) + 20 for each next: 50 + 35 + 35 + 35 = 155
    # fits 4 topics in 185; topic 5 would need 35 more, so it is listed as left out
    discussed = [i.residents_rank for i in proposal.items if i.kind == "topic"]
    assert discussed == [1, 2, 3, 4]
    assert [t.rank for t in proposal.left_out] == [5]
    assert proposal.items[1].kind == "witness"
    # the 30 spare minutes go more to higher-ranked topics, in 5-minute steps
    minutes = [i.minutes for i in proposal.items if i.kind == "topic"]
    assert minutes == sorted(minutes, reverse=True) and sum(minutes) == 80 + 30
    starts = [i.starts_after for i in proposal.items]
    assert starts == sorted(starts) and starts[0] == 0


def test_too_short_a_session_says_so() -> None:
    with pytest.raises(AgendaError, match="too short for even one topic"):
        ab.propose_agenda(_ranked(2), ab.AgendaSettings(session_minutes=60))
    with pytest.raises(AgendaError, match="no time left after the welcome"):
        ab.propose_agenda(_ranked(2), ab.AgendaSettings(session_minutes=20))


@settings(max_examples=80, deadline=None)
@given(
    length=st.integers(90, 480),
    n=st.integers(1, 10),
    evidence=st.sampled_from([0, 10, 15]),
    witness=st.integers(0, 2),
    gap=st.integers(45, 120),
)
def test_any_agenda_adds_up_and_keeps_rank_order(length, n, evidence, witness, gap) -> None:
    s = ab.AgendaSettings(
        session_minutes=length,
        evidence_minutes=evidence,
        witness_topics=witness,
        work_between_breaks=gap,
    )
    try:
        proposal = ab.propose_agenda(_ranked(n), s)
    except AgendaError:
        return
    assert proposal.total_minutes == length
    ranks = [i.residents_rank for i in proposal.items if i.kind == "topic"]
    assert ranks == sorted(ranks)
    assert len(ranks) + len(proposal.left_out) == n
    assert all(i.minutes > 0 for i in proposal.items)


def test_stored_proposal_reordered_then_final_in_the_session(db, clock) -> None:
    ids = [topics.propose_topic(db, clock, t) for t in ("Buses", "Trees", "Shops")]
    round_id = rounds.open_round(db, clock, method="borda", tie_rule="earliest")
    for ranking in ([ids[2], ids[0], ids[1]], [ids[2], ids[1], ids[0]]):
        rounds.record_ballot(db, clock, round_id, ranking)
    rounds.close_round(db, clock, round_id)
    ranked = ab.ranked_topics(db, round_id)
    assert [t.title for t in ranked] == ["Shops", "Buses", "Trees"]
    s = ab.AgendaSettings(session_minutes=240)
    proposal_id = ab.save_proposal(
        db, clock, ab.propose_agenda(ranked, s), s, session_id=1, round_id=round_id
    )
    stored = ab.get_proposal(db, proposal_id)
    topic_rows = [i for i in stored.items if i.kind == "topic"]
    last = topic_rows[-1].position
    ab.move_item(db, proposal_id, last, 2)  # the facilitator puts Trees straight after the welcome
    moved = ab.get_proposal(db, proposal_id)
    assert moved.items[1].title == "Discuss: Trees"
    assert moved.items[1].residents_rank == 3 and moved.items[1].proposed_position == last
    ab.finalise_proposal(db, clock, proposal_id)
    rows = list(db.query("select * from agenda_items where session_id = 1 order by position"))
    assert [r["title"] for r in rows] == [i.title for i in moved.items]
    assert rows[1]["residents_rank"] == 3 and rows[1]["topic_id"] == ids[1]
    assert sum(r["minutes"] for r in rows) == 240
    with pytest.raises(AgendaError, match="final"):
        ab.move_item(db, proposal_id, 1, 2)


def test_finalise_needs_a_real_session(db, clock) -> None:
    s = ab.AgendaSettings(session_minutes=120)
    topic = ab.RankedTopic(topics.propose_topic(db, clock, "Buses"), "Buses", 1)
    proposal_id = ab.save_proposal(db, clock, ab.propose_agenda([topic], s), s)
    with pytest.raises(AgendaError, match="Choose the session"):
        ab.finalise_proposal(db, clock, proposal_id)
    with pytest.raises(AgendaError, match="no session 42"):
        ab.finalise_proposal(db, clock, proposal_id, session_id=42)
    assert ab.get_proposal(db, proposal_id).status == "proposed"


def test_move_block_keeps_a_topic_with_its_evidence(db, clock) -> None:
    ids = [topics.propose_topic(db, clock, t) for t in ("Buses", "Trees", "Shops")]
    ranked = [
        ab.RankedTopic(t, title, n)
        for n, (t, title) in enumerate(zip(ids, ("Buses", "Trees", "Shops"), strict=True), start=1)
    ]
    s = ab.AgendaSettings(session_minutes=200, break_minutes=0, witness_topics=0)
    proposal_id = ab.save_proposal(db, clock, ab.propose_agenda(ranked, s), s)
    before = [i.title for i in ab.get_proposal(db, proposal_id).items]
    assert before[:5] == [
        "Welcome and plan for the session",
        "Evidence: Buses",
        "Discuss: Buses",
        "Evidence: Trees",
        "Discuss: Trees",
    ]
    new_position = ab.move_block(db, proposal_id, 3, +1)  # Buses after Trees
    after = ab.get_proposal(db, proposal_id).items
    assert [i.title for i in after][1:5] == [
        "Evidence: Trees",
        "Discuss: Trees",
        "Evidence: Buses",
        "Discuss: Buses",
    ]
    assert new_position == 5 and after[4].proposed_position == 3 and after[4].residents_rank == 1
    assert ab.move_block(db, proposal_id, 1, -1) == 1  # the first item cannot go higher


def test_set_order_needs_every_item_once(db, clock) -> None:
    s = ab.AgendaSettings(session_minutes=120)
    topic = ab.RankedTopic(topics.propose_topic(db, clock, "Buses"), "Buses", 1)
    proposal_id = ab.save_proposal(db, clock, ab.propose_agenda([topic], s), s)
    count = len(ab.get_proposal(db, proposal_id).items)
    with pytest.raises(AgendaError, match=f"each of items 1 to {count} exactly once"):
        ab.set_order(db, proposal_id, [1, 1, *range(3, count + 1)])
    ab.set_order(db, proposal_id, list(range(count, 0, -1)))
    assert [i.proposed_position for i in ab.get_proposal(db, proposal_id).items] == list(
        range(count, 0, -1)
    )
