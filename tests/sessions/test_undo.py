"""Undo the live session's last step: the next item, a speaker stopped, an idea withdrawn."""

from __future__ import annotations

import pytest

from assembly.sessions import ideas as idea_store
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue, current_turn
from assembly.sessions.undo import undo_last_step

from .conftest import Panel


def running(panel: Panel) -> tuple[int, SpeakerQueue]:
    sid = s.create_session(
        panel.db,
        title="S",
        clock=panel.clock,
        items=[{"title": t, "minutes": 10} for t in ("One", "Two", "Three")],
    )
    s.next_item(panel.db, sid, panel.clock)
    return sid, SpeakerQueue(panel.db, sid, panel.clock)


def titles(panel: Panel, sid: int) -> list[tuple[str, str]]:
    return [(i.title, i.state) for i in s.agenda(panel.db, sid)]


def test_next_item_is_taken_back_with_its_speaker(panel: Panel) -> None:
    sid, queue = running(panel)
    queue.add(panel.member(1))
    queue.start()
    panel.clock.advance(seconds=40)
    before = titles(panel, sid)
    s.next_item(panel.db, sid, panel.clock)
    assert current_turn(panel.db, sid) is None
    panel.clock.advance(seconds=5)
    assert "previous item" in undo_last_step(panel.db, sid, panel.clock)
    assert titles(panel, sid) == before
    turn = current_turn(panel.db, sid)
    assert turn is not None and turn.member_id == panel.member(1)
    with pytest.raises(s.SessionError, match="already undone"):
        undo_last_step(panel.db, sid, panel.clock)


def test_speaker_done_is_taken_back(panel: Panel) -> None:
    sid, queue = running(panel)
    queue.add(panel.member(2))
    queue.start()
    panel.clock.advance(seconds=30)
    queue.stop()
    undo_last_step(panel.db, sid, panel.clock)
    turn = current_turn(panel.db, sid)
    assert turn is not None and turn.member_id == panel.member(2)


def test_withdrawn_idea_is_taken_back(panel: Panel) -> None:
    sid, _ = running(panel)
    idea = idea_store.add_idea(panel.db, session_id=sid, text="Benches", clock=panel.clock)
    idea_store.withdraw_idea(panel.db, idea, panel.clock)
    assert not idea_store.session_ideas(panel.db, sid)
    assert "idea" in undo_last_step(panel.db, sid, panel.clock)
    assert [i.text for i in idea_store.session_ideas(panel.db, sid)] == ["Benches"]


def test_first_next_item_goes_back_to_not_started(panel: Panel) -> None:
    sid, _ = running(panel)
    undo_last_step(panel.db, sid, panel.clock)
    assert s.get_session(panel.db, sid).status == "planned"
    assert all(state == "to come" for _, state in titles(panel, sid))


def test_other_steps_are_refused_in_words(panel: Panel) -> None:
    sid, queue = running(panel)
    queue.add(panel.member(3))
    with pytest.raises(s.SessionError, match="adding someone to the queue"):
        undo_last_step(panel.db, sid, panel.clock)


async def test_ideas_screen_takes_back_a_withdrawal(panel: Panel) -> None:
    """u on the ideas screen puts back the idea just withdrawn (and only that kind of step)."""
    from assembly.sessions.screens.ideas import IdeasScreen
    from assembly.ui.app import AssemblyApp

    sid, _ = running(panel)
    idea_store.add_idea(panel.db, session_id=sid, text="Benches", clock=panel.clock)
    app = AssemblyApp(panel.assembly, mode="facilitator", clock=panel.clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.push_screen(IdeasScreen(sid))
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not idea_store.session_ideas(panel.db, sid)
        await pilot.press("u")
        await pilot.pause()
        assert [i.text for i in idea_store.session_ideas(panel.db, sid)] == ["Benches"]
        await pilot.press("u")  # nothing more of that kind: the item is not taken back
        await pilot.pause()
        assert s.current_item(panel.db, sid) is not None
