"""Session and item timers: computed from stored timestamps and the clock, pauses taken out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.core.clock import FixedClock, to_iso
from assembly.sessions import sessions as s
from assembly.store import open_assembly

from .conftest import START

T0 = "2026-11-26T09:30:00Z"


def at(minutes: float) -> str:
    return to_iso(START + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("start", "end", "pauses", "now", "expected"),
    [
        (0, 10, [], 99, 600),
        (0, None, [], 7, 420),
        (0, 10, [(2, 4)], 99, 480),
        (0, None, [(2, None)], 5, 120),  # paused since minute 2
        (5, 10, [(0, 6), (9, 20)], 99, 180),  # pauses overlapping both ends
        (0, 10, [(12, 15)], 99, 600),  # a pause after the turn does not count
        (3, 3, [], 99, 0),
    ],
)
def test_active_seconds(start, end, pauses, now, expected) -> None:
    result = s.active_seconds(
        at(start),
        None if end is None else at(end),
        [(at(a), None if b is None else at(b)) for a, b in pauses],
        START + timedelta(minutes=now),
    )
    assert result == expected


@given(
    st.lists(st.tuples(st.integers(0, 100), st.integers(0, 30)), max_size=5),
    st.integers(0, 100),
    st.integers(0, 100),
)
def test_active_seconds_never_exceeds_wall_time(raw_pauses, a, b) -> None:
    start, end = min(a, b), max(a, b)
    # pauses never overlap each other in the file: lay them end to end
    pauses, cursor = [], 0
    for gap, length in sorted(raw_pauses):
        begin = max(gap, cursor)
        pauses.append((at(begin), at(begin + length)))
        cursor = begin + length
    result = s.active_seconds(at(start), at(end), pauses, START + timedelta(minutes=200))
    assert 0 <= result <= (end - start) * 60


def _session(panel, minutes=(10, 20, 5)) -> int:
    return s.create_session(
        panel.db,
        title="Session 1",
        clock=panel.clock,
        starts_at=T0,
        planned_minutes=sum(minutes),
        items=[{"title": f"Item {n}", "minutes": m} for n, m in enumerate(minutes, 1)],
    )


def test_countdown_overrun_extend_and_next(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel)
    assert s.get_session(db, sid).status == "planned"
    first = s.next_item(db, sid, clock)  # a planned session starts with n
    assert first is not None and first.title == "Item 1"
    assert s.get_session(db, sid).status == "running"
    clock.advance(minutes=9, seconds=30)
    timer = s.item_timer(db, first, clock)
    assert timer.remaining_seconds == 30
    assert timer.warning == "⚠ Under a minute left"
    clock.advance(minutes=2)
    timer = s.item_timer(db, s.current_item(db, sid), clock)
    assert timer.overrun and timer.warning == "⚠ Over time by 1:30"
    extended = s.extend_item(db, sid, clock)
    assert extended.extended_minutes == 5 and extended.minutes == 10
    assert s.item_timer(db, extended, clock).remaining_seconds == 210
    second = s.next_item(db, sid, clock)
    assert second.title == "Item 2"
    done = s.agenda(db, sid)[0]
    assert done.state == "done" and done.ended_at == to_iso(clock.now())
    assert s.item_timer(db, done, clock).elapsed_seconds == 11.5 * 60


def test_pause_stops_the_countdown_and_resume_restarts_it(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel)
    s.start_session(db, sid, clock)
    clock.advance(minutes=3)
    s.pause_session(db, sid, clock)
    assert s.get_session(db, sid).status == "paused"
    with pytest.raises(s.SessionError, match="paused"):
        s.next_item(db, sid, clock)
    clock.advance(minutes=15)
    assert s.item_timer(db, s.current_item(db, sid), clock).remaining_seconds == 7 * 60
    assert s.toggle_pause(db, sid, clock) == "running"
    clock.advance(minutes=1)
    assert s.item_timer(db, s.current_item(db, sid), clock).remaining_seconds == 6 * 60


def test_timers_are_rebuilt_from_the_file_alone(panel, panel_path) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel)
    s.start_session(db, sid, clock)
    clock.advance(minutes=2)
    s.pause_session(db, sid, clock)
    clock.advance(minutes=4)
    s.resume_session(db, sid, clock)
    clock.advance(minutes=1)
    panel.assembly.close()
    later = FixedClock(clock.now())
    reopened = open_assembly(panel_path, clock=later)
    try:
        item = s.current_item(reopened.db(), sid)
        assert item.title == "Item 1"
        assert s.item_timer(reopened.db(), item, later).elapsed_seconds == 3 * 60
    finally:
        reopened.close()


def test_a_session_that_never_started_cannot_be_finished(panel) -> None:
    """QA: f offered to finish a planned session, stamping a start and end on a meeting that
    never happened."""
    db, clock = panel.db, panel.clock
    sid = _session(panel)
    with pytest.raises(s.SessionError, match="has not started, so there is nothing to finish"):
        s.finish_session(db, sid, clock)
    session = s.get_session(db, sid)
    assert session.status == "planned" and session.started_at is None and session.ended_at is None


def test_last_next_ends_the_agenda_and_finish_closes_everything(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel, minutes=(5, 5))
    s.next_item(db, sid, clock)
    s.next_item(db, sid, clock)
    clock.advance(minutes=5)
    assert s.next_item(db, sid, clock) is None
    assert all(i.state == "done" for i in s.agenda(db, sid))
    s.pause_session(db, sid, clock)
    s.finish_session(db, sid, clock)
    session = s.get_session(db, sid)
    assert session.status == "finished" and session.ended_at == to_iso(clock.now())
    assert s.open_pause(db, sid) is None
    with pytest.raises(s.SessionError, match="finished"):
        s.next_item(db, sid, clock)
    kinds = [kind for _, kind, _ in s.events(db, sid)]
    assert kinds[:3] == ["session_created", "agenda_replaced", "session_started"]
    assert kinds[-1] == "session_finished"


def test_replace_agenda_keeps_items_that_ran(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel)
    s.next_item(db, sid, clock)
    old = s.agenda(db, sid)
    ids = s.replace_agenda(
        db,
        sid,
        [
            {"title": "Item 3 renamed", "minutes": 8, "id": old[2].id},
            {"title": "Vote", "minutes": 15, "kind": "other", "topic_id": 7, "residents_rank": 1},
        ],
        clock,
    )
    items = s.agenda(db, sid)
    assert [i.title for i in items] == ["Item 1", "Item 3 renamed", "Vote"]
    assert [i.id for i in items] == ids
    assert ids[0] == old[0].id and ids[1] == old[2].id
    assert items[0].started_at is not None  # the item that ran kept its timing
    assert (items[2].topic_id, items[2].residents_rank, items[2].position) == (7, 1, 3)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"title": " ", "minutes": 5}], "Agenda item 1: the title is empty"),
        ([{"title": "A", "minutes": 5}, {"title": "B", "minutes": "x"}], "Agenda item 2 \\(B\\)"),
        ([{"title": "A", "minutes": 5, "kind": "lunch"}], "kind 'lunch'"),
        ([{"title": "A", "minutes": -1}], "minutes must be 0 to"),
        ([{"title": "A", "minutes": 5, "colour": "red"}], "unknown field"),
        ([{"title": "A", "minutes": 5, "id": 999}], "not part of this session"),
    ],
)
def test_replace_agenda_explains_bad_items(panel, items, message) -> None:
    sid = _session(panel)
    before = s.agenda(panel.db, sid)
    with pytest.raises(s.SessionError, match=message):
        s.replace_agenda(panel.db, sid, items, panel.clock)
    assert s.agenda(panel.db, sid) == before


def test_create_session_checks_its_input(panel) -> None:
    with pytest.raises(s.SessionError, match="title"):
        s.create_session(panel.db, title="  ", clock=panel.clock)
    with pytest.raises(s.SessionError, match="not a date"):
        s.create_session(panel.db, title="X", clock=panel.clock, starts_at="next Tuesday")
    assert s.list_sessions(panel.db) == []


def test_clock_text() -> None:
    assert s.clock_text(754) == "12:34"
    assert s.clock_text(3725) == "1:02:05"
    assert s.clock_text(-65) == "-1:05"


def test_agenda_typed_as_lines_round_trips() -> None:
    text = "10 Welcome\n\n45 Evidence on parking\n15 break: Tea and coffee\n30 witness: Q&A\n"
    specs = s.parse_agenda_lines(text)
    assert [(x.minutes, x.kind, x.title) for x in specs] == [
        (10, "topic", "Welcome"),
        (45, "topic", "Evidence on parking"),
        (15, "break", "Tea and coffee"),
        (30, "witness", "Q&A"),
    ]
    with pytest.raises(s.SessionError, match="Agenda line 2 \\('Tea'\\)"):
        s.parse_agenda_lines("10 Welcome\nTea")


def test_a_welsh_facilitator_types_the_kinds_in_welsh(panel) -> None:
    """'15 egwyl: Te' is a break on a Welsh assembly; the English kind still works, and the
    text to edit gives the kinds back in Welsh."""
    from assembly.core.i18n import use_working_language

    use_working_language("cy")
    specs = s.parse_agenda_lines("10 croeso: Croeso\n15 Egwyl: Te\n30 witness: Holi")
    assert [(x.kind, x.title) for x in specs] == [
        ("welcome", "Croeso"),
        ("break", "Te"),
        ("witness", "Holi"),
    ]
    sid = s.create_session(panel.db, title="S", clock=panel.clock, items=specs)
    text = s.agenda_lines(s.agenda(panel.db, sid))
    assert text == "10 croeso: Croeso\n15 egwyl: Te\n30 tyst: Holi"
    assert s.parse_agenda_lines(text) == specs


def test_agenda_lines_of_stored_items(panel) -> None:
    text = "10 Welcome\n15 break: Tea"
    sid = s.create_session(panel.db, title="S", clock=panel.clock, items=s.parse_agenda_lines(text))
    assert s.agenda_lines(s.agenda(panel.db, sid)) == text


def test_session_projection_against_the_plan(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _session(panel)  # 10 + 20 + 5 = 35 min from 09:30
    s.start_session(db, sid, clock)
    clock.advance(minutes=12)  # item 1 is 2 min over
    p = s.session_projection(db, sid, clock)
    assert p.elapsed_seconds == 12 * 60
    assert to_iso(p.planned_end) == "2026-11-26T10:05:00Z"
    assert to_iso(p.projected_end) == "2026-11-26T10:07:00Z" and p.over_seconds == 120
    s.pause_session(db, sid, clock)
    clock.advance(minutes=3)  # a pause pushes the end back by its length
    assert s.session_projection(db, sid, clock).over_seconds == 300
    s.finish_session(db, sid, clock)
    assert s.session_projection(db, sid, clock).projected_end is None


def test_projection_of_a_session_run_on_another_day_counts_from_its_real_start(panel) -> None:
    """A session planned for one Saturday but run on another (moved, or a rehearsal) showed
    "planned to end 12:30, at this pace 05:17 (⚠ 37008 min over)"."""
    db, clock = panel.db, panel.clock
    sid = s.create_session(
        db,
        title="Moved",
        clock=clock,
        starts_at="2026-10-31T10:00:00Z",
        planned_minutes=60,
        items=[{"title": "Talk", "minutes": 60}],
    )
    s.start_session(db, sid, clock)  # 26 Nov, 09:30, with its one item
    clock.advance(minutes=10)
    p = s.session_projection(db, sid, clock)
    assert to_iso(p.planned_end) == "2026-11-26T10:30:00Z"
    assert p.over_seconds == 0
    late = s.create_session(
        db, title="Late", clock=clock, starts_at="2026-11-26T09:30:00Z", planned_minutes=30
    )
    clock.advance(minutes=20)  # started 30 min after its planned start: that is lateness
    s.start_session(db, late, clock)
    assert to_iso(s.session_projection(db, late, clock).planned_end) == "2026-11-26T10:00:00Z"


def test_editing_agenda_lines_keeps_topic_links_and_residents_ranks(panel) -> None:
    """Fixing a typo in a finalised agenda through its lines of text (e on the home screen)
    re-made every pending item, dropping the topic each came from and the residents' rank."""
    db, clock = panel.db, panel.clock
    sid = s.create_session(
        db,
        title="S",
        clock=clock,
        items=[
            {"title": "Welcome", "minutes": 10, "kind": "welcome"},
            {"title": "Discuss: Buses", "minutes": 30, "topic_id": 4, "residents_rank": 1},
            {"title": "Discuss: Trees", "minutes": 20, "topic_id": 9, "residents_rank": 2},
        ],
    )
    before = {i.title: i.id for i in s.agenda(db, sid)}
    # a typo fixed in place keeps the item; a moved item is found by its title
    edited = s.parse_agenda_lines(
        "10 welcome: Welcome\n30 Discuss: Busses\n25 Discuss: Trees\n5 other: Close"
    )
    s.replace_agenda(db, sid, s.keep_identities(s.agenda(db, sid), edited), clock)
    items = {i.title: i for i in s.agenda(db, sid)}
    assert items["Discuss: Busses"].id == before["Discuss: Buses"]
    assert (items["Discuss: Busses"].topic_id, items["Discuss: Busses"].residents_rank) == (4, 1)
    assert (items["Discuss: Trees"].topic_id, items["Discuss: Trees"].minutes) == (9, 25)
    assert items["Close"].topic_id is None and items["Close"].residents_rank is None
    s.replace_agenda(
        db,
        sid,
        s.keep_identities(
            s.agenda(db, sid),
            s.parse_agenda_lines("10 welcome: Welcome\n25 Discuss: Trees\n30 Discuss: Busses"),
        ),
        clock,
    )
    moved = s.agenda(db, sid)
    assert [i.title for i in moved] == ["Welcome", "Discuss: Trees", "Discuss: Busses"]
    assert [i.residents_rank for i in moved] == [None, 2, 1]
    assert moved[1].id == before["Discuss: Trees"]
