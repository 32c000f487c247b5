"""Ideas keep every version; attendance and finding members by name or number."""

from __future__ import annotations

import pytest

from assembly.sessions import attendance as att
from assembly.sessions import ideas
from assembly.sessions import sessions as s


def _running(panel) -> int:
    sid = s.create_session(
        panel.db,
        title="S",
        clock=panel.clock,
        items=[{"title": "A", "minutes": 5}, {"title": "B", "minutes": 5}],
    )
    s.start_session(panel.db, sid, panel.clock)
    return sid


def test_idea_edits_keep_the_history(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    item = s.current_item(db, sid)
    idea_id = ideas.add_idea(
        db,
        session_id=sid,
        text="  Car-free Saturdays on the high street ",
        clock=clock,
        agenda_item_id=item.id,
        member_id=panel.member(3),
    )
    clock.advance(minutes=5)
    second = s.next_item(db, sid, clock)
    ideas.edit_idea(db, idea_id, clock, text="Car-free first Saturday of each month")
    clock.advance(minutes=1)
    edited = ideas.edit_idea(db, idea_id, clock, agenda_item_id=second.id, member_id=None)
    assert (edited.revision, edited.member_id, edited.agenda_item_id) == (3, None, second.id)
    assert ideas.edit_idea(db, idea_id, clock, text=edited.text) == edited  # no-op edit
    past = ideas.history(db, idea_id)
    assert [r.text for r in past] == [
        "Car-free Saturdays on the high street",
        "Car-free first Saturday of each month",
        "Car-free first Saturday of each month",
    ]
    assert past[0].member_id == panel.member(3) and past[0].agenda_item_id == item.id
    assert past[0].recorded_at < past[1].recorded_at < past[2].recorded_at
    ideas.withdraw_idea(db, idea_id, clock)
    assert ideas.session_ideas(db, sid) == []
    assert len(ideas.session_ideas(db, sid, include_withdrawn=True)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "needs some words"),
        ({"text": "x" * 5000}, "at most"),
        ({"text": "ok", "member_id": 999}, "no panel member"),
        ({"text": "ok", "agenda_item_id": 999}, "not part of this session"),
    ],
)
def test_bad_ideas_are_refused(panel, kwargs, message) -> None:
    sid = _running(panel)
    with pytest.raises(s.SessionError, match=message):
        ideas.add_idea(panel.db, session_id=sid, clock=panel.clock, **kwargs)
    assert ideas.session_ideas(panel.db, sid) == []


def test_ideas_for_one_item(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    first = s.current_item(db, sid)
    ideas.add_idea(db, session_id=sid, text="one", clock=clock, agenda_item_id=first.id)
    second = s.next_item(db, sid, clock)
    ideas.add_idea(db, session_id=sid, text="two", clock=clock, agenda_item_id=second.id)
    texts = [i.text for i in ideas.session_ideas(db, sid, agenda_item_id=second.id)]
    assert texts == ["two"]


def test_attendance_and_purged_names(panel) -> None:
    db, clock = panel.db, panel.clock
    sid = _running(panel)
    att.set_attendance(db, sid, panel.member(1), "apologies", clock)
    att.set_attendance(db, sid, panel.member(2), "absent", clock)
    att.set_attendance(db, sid, panel.member(2), "present", clock)
    assert att.mark_all_present(db, sid, clock) == 10
    record = att.attendance(db, sid)
    assert record[panel.member(1)] == "apologies" and len(record) == 12
    assert len(att.present_ids(db, sid)) == 11
    with pytest.raises(s.SessionError, match="must be one of"):
        att.set_attendance(db, sid, panel.member(1), "late", clock)
    purged = att.members_by_id(db, [panel.member(12)])[panel.member(12)]
    assert purged.name is None and purged.label == "Member 12"
    assert att.members_by_id(db, [panel.member(3)])[panel.member(3)].label == "3 · Chloe Evans"


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("12", [12]),
        ("1", [1, 10, 11, 12]),
        ("khan", [1]),
        ("a  m", [6, 7, 11]),  # every word must appear
        ("fat beg", [6]),
        ("nobody", []),
    ],
)
def test_search_by_number_or_name(panel, text, numbers) -> None:
    assert [m.number for m in att.search(panel.db, text)] == numbers


def test_withdrawn_members_leave_the_panel(panel) -> None:
    db = panel.db
    db.execute("update members set status = 'withdrawn' where number = 3")
    assert 3 not in [m.number for m in att.panel(db)]
    assert 3 in [m.number for m in att.members_by_id(db).values()]


def test_rows_written_by_other_areas_fit_the_contract(panel) -> None:
    """Other areas may insert sessions and ideas with only the contract's columns."""
    db, clock = panel.db, panel.clock
    db["sessions"].insert({"title": "From the agenda area", "status": "planned"})
    (sid,) = db.execute("select id from sessions").fetchone()
    db["ideas"].insert(
        {"session_id": sid, "text": "Plant trees", "created_at": "2026-11-20T10:00:00Z"}
    )
    (idea_id,) = db.execute("select id from ideas").fetchone()
    assert [r.text for r in ideas.history(db, idea_id)] == ["Plant trees"]
    ideas.edit_idea(db, idea_id, clock, text="Plant street trees")
    past = ideas.history(db, idea_id)
    assert [(r.revision, r.text) for r in past] == [(1, "Plant trees"), (2, "Plant street trees")]
    assert past[0].recorded_at == "2026-11-20T10:00:00Z"


def test_an_idea_keeps_the_language_it_was_written_in(panel) -> None:
    """Residents' own words stay as written: the language is recorded beside them, and an idea
    typed without one records none (the page's language is assumed)."""
    db, clock = panel.db, panel.clock
    polish = ideas.add_idea(db, session_id=None, text="Więcej ławek", clock=clock, language="pl")
    typed = ideas.add_idea(db, session_id=None, text="Benches", clock=clock)
    assert ideas.get_idea(db, polish).language == "pl"
    assert ideas.get_idea(db, typed).language == ""
