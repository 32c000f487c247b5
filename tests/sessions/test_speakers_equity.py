"""The speaker queue, speaking time and the equity panel's shares and flags."""

from __future__ import annotations

import pytest

from assembly.organiser.overview import Feature
from assembly.sessions import attendance as att
from assembly.sessions import sessions as s
from assembly.sessions.equity import compute_equity
from assembly.sessions.speakers import (
    SpeakerQueue,
    current_turn,
    session_equity,
    speaking_seconds,
    turn_seconds,
)


def _running(panel) -> int:
    sid = s.create_session(
        panel.db, title="S", clock=panel.clock, items=[{"title": "Talk", "minutes": 30}]
    )
    s.start_session(panel.db, sid, panel.clock)
    return sid


def test_members_marked_absent_or_with_apologies_are_not_queued(panel) -> None:
    """QA: "Add to queue" took people marked absent; the refusal says why and how to change it."""
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.set_attendance(db, sid, panel.member(2), "absent", clock)
    att.set_attendance(db, sid, panel.member(3), "apologies", clock)
    queue = SpeakerQueue(db, sid, clock)
    with pytest.raises(s.SessionError, match=r"2 · Ben Hall is marked absent .*mark them present"):
        queue.add(panel.member(2))
    with pytest.raises(s.SessionError, match="marked as sending apologies"):
        queue.add(panel.member(3))
    assert queue.entries() == []
    att.set_attendance(db, sid, panel.member(2), "present", clock)
    queue.add(panel.member(2))
    queue.add(panel.member(4))  # no attendance record yet: taken, as before
    assert [e.member.number for e in queue.entries()] == [2, 4]


def test_queue_in_asking_order_and_turns_are_timed(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    queue = SpeakerQueue(db, sid, clock)
    for number in (4, 2, 9):
        queue.add(panel.member(number))
    with pytest.raises(s.SessionError, match="already in the queue"):
        queue.add(panel.member(2))
    assert [e.member.number for e in queue.entries()] == [4, 2, 9]
    turn = queue.toggle()  # starts the first in the queue
    assert turn.member_id == panel.member(4)
    assert turn.agenda_item_id == s.current_item(db, sid).id
    clock.advance(seconds=90)
    assert turn_seconds(db, current_turn(db, sid), clock) == 90
    queue.start(panel.member(9))  # jumping in ends the current turn
    clock.advance(seconds=30)
    s.pause_session(db, sid, clock)
    clock.advance(minutes=10)  # paused time is nobody's speaking time
    s.resume_session(db, sid, clock)
    clock.advance(seconds=15)
    assert queue.toggle() is None  # stops the speaker
    assert current_turn(db, sid) is None
    assert speaking_seconds(db, sid, clock) == {panel.member(4): 90, panel.member(9): 45}
    assert [e.member.number for e in queue.entries()] == [2]
    # speakers are marked present without anyone having to do it
    assert att.present_ids(db, sid) == {panel.member(4), panel.member(9)}


def test_speaker_cannot_start_when_session_is_not_running(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = s.create_session(db, title="S", clock=clock, items=[{"title": "T", "minutes": 5}])
    queue = SpeakerQueue(db, sid, clock)
    queue.add(panel.member(1))
    with pytest.raises(s.SessionError, match="has not started"):
        queue.start()
    s.start_session(db, sid, clock)
    s.pause_session(db, sid, clock)
    with pytest.raises(s.SessionError, match="paused"):
        queue.start()
    s.resume_session(db, sid, clock)
    queue.remove(panel.member(1))
    with pytest.raises(s.SessionError, match="Nobody is waiting"):
        queue.start()


def test_progressive_stack_moves_forward_who_has_spoken_least(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.mark_all_present(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    # The men (2, 4, 9) do all the talking first.
    for number, seconds in ((2, 200), (4, 200), (9, 200)):
        queue.start(panel.member(number))
        clock.advance(seconds=seconds)
    queue.stop()
    for number in (9, 2, 1, 5):
        queue.add(panel.member(number))
    fifo = [e.member.number for e in queue.entries("fifo")]
    progressive = queue.entries("progressive")
    assert fifo == [9, 2, 1, 5]
    assert [e.member.number for e in progressive] == [1, 5, 9, 2]
    first = progressive[0]
    assert first.under_heard_groups >= 1 and "not spoken yet" in first.reason
    assert "under-heard group" in first.reason
    # the reason never names a group next to a person
    assert all("Woman" not in e.reason and "Asian" not in e.reason for e in progressive)
    s.set_queue_order(db, sid, "progressive", clock)
    assert queue.toggle().member_id == panel.member(1)


def test_progressive_stack_favours_under_heard_groups_over_small_differences(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.mark_all_present(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    queue.start(panel.member(2))  # a young man speaks a lot
    clock.advance(minutes=10)
    queue.start(panel.member(5))  # an older woman speaks briefly
    clock.advance(seconds=30)
    queue.start(panel.member(8))  # a young man speaks a little
    clock.advance(seconds=20)
    queue.stop()
    queue.add(panel.member(8))
    queue.add(panel.member(5))
    order = [e.member.number for e in queue.entries("progressive")]
    assert order == [5, 8]  # 30 s but in under-heard groups beats 20 s in heard ones


def test_equity_shares_and_flags(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.mark_all_present(db, sid, clock)  # 6 women, 6 men
    queue = SpeakerQueue(db, sid, clock)
    queue.start(panel.member(2))
    clock.advance(seconds=300)
    queue.start(panel.member(1))
    clock.advance(seconds=60)
    report = session_equity(db, sid, clock)  # the open turn counts up to now
    assert report.present == 12 and report.total_seconds == 360
    gender = {g.value: g for g in report.categories[0].groups}
    assert gender["Man"].presence_share == 0.5
    assert gender["Man"].speaking_share == pytest.approx(300 / 360)
    assert gender["Woman"].speaking_share == pytest.approx(60 / 360)
    assert gender["Woman"].flagged and not gender["Man"].flagged
    assert gender["Woman"].verdict == "⚠ heard less than half their share"
    assert gender["Man"].verdict == "heard more than their share"
    ethnicity = report.categories[2]
    assert ethnicity.sensitive and ethnicity.label == "Ethnic group"
    # special-category totals wait for five finished turns, so no bar follows one speaker
    assert sum(g.seconds for g in ethnicity.groups) == 0 and not ethnicity.flagged
    for number in (3, 7, 9, 12):  # White members (and Aisha's turn ends)
        queue.start(panel.member(number))
        clock.advance(seconds=30)
    queue.stop()
    ethnicity = session_equity(db, sid, clock).categories[2]
    seconds = {g.value: g.seconds for g in ethnicity.groups}
    assert seconds == {"Asian": 60, "Black": 0, "White": 300 + 3 * 30}  # first 5 turns only
    assert {g.value for g in ethnicity.flagged} == {"Asian", "Black"}


def test_sensitive_totals_do_not_move_with_one_speaker(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.mark_all_present(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    for number in (2, 3, 7, 9, 12):
        queue.start(panel.member(number))
        clock.advance(seconds=60)
    queue.stop()
    before = session_equity(db, sid, clock).categories[2]
    queue.start(panel.member(4))  # Daniel (Black) speaks at length
    clock.advance(minutes=5)
    queue.stop()
    after = session_equity(db, sid, clock)
    assert after.categories[2] == before  # nothing about Daniel's ethnicity shows
    gender = {g.value: g.seconds for g in after.categories[0].groups}
    assert gender["Man"] == 3 * 60 + 300  # open categories move at once


def test_progressive_stack_ignores_special_categories(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.mark_all_present(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    for number in (1, 5, 6, 8, 2, 3):  # every Asian member speaks, so others are flagged
        queue.start(panel.member(number))
        clock.advance(seconds=60)
    queue.stop()
    ethnicity = session_equity(db, sid, clock).categories[2]
    assert "Black" in {g.value for g in ethnicity.flagged}
    queue.add(panel.member(11))  # Black, 60+, man
    (entry,) = queue.entries("progressive")
    assert entry.under_heard_groups == 0  # the Black group being under-heard does not count


def test_equity_is_quiet_before_anyone_speaks_and_counts_missing_values() -> None:
    feats = [Feature("gender", "Gender", ("Woman", "Man"), (None, None), False)]
    members = {1: {"gender": "Woman"}, 2: {}, 3: {"gender": "Man"}}
    quiet = compute_equity(feats, members, {1, 2, 3}, {})
    assert not quiet.flagged_groups()
    values = [(g.value, g.present) for g in quiet.categories[0].groups]
    assert values == [("Woman", 1), ("Man", 1), ("Not recorded", 1)]
    # someone who spoke counts as present even if nobody marked them
    loud = compute_equity(feats, members, {1}, {3: 120.0})
    groups = {g.value: g for g in loud.categories[0].groups}
    assert loud.present == 2 and groups["Woman"].flagged and groups["Man"].seconds == 120


def test_equity_for_one_item(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = s.create_session(
        db,
        title="S",
        clock=clock,
        items=[{"title": "A", "minutes": 5}, {"title": "B", "minutes": 5}],
    )
    s.start_session(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    queue.start(panel.member(1))
    clock.advance(seconds=100)
    second = s.next_item(db, sid, clock)
    queue.start(panel.member(2))
    clock.advance(seconds=40)
    assert session_equity(db, sid, clock).total_seconds == 140
    assert session_equity(db, sid, clock, agenda_item_id=second.id).total_seconds == 40


def test_equity_text_counts_one_member_in_the_singular(panel) -> None:
    from assembly.sessions.screens.equity_widget import equity_text

    sid = s.create_session(panel.db, title="S", clock=panel.clock)
    att.set_attendance(panel.db, sid, panel.member(1), "present", panel.clock)
    text = equity_text(session_equity(panel.db, sid, panel.clock)).plain
    assert "1 member present" in text
