"""Pilot drives a whole session through the real app, checking what the file holds after each key."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Digits, Static

from assembly.core.clock import FixedClock
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue, current_turn
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.ui.settle import settle
from tests.waiting import notices

from .conftest import START


async def type_text(pilot, text: str) -> None:
    """Type through the real key path, but queue every key at once and wait once afterwards:
    `pilot.press` waits for the app to go idle twice per key, which made typing most of the
    test's run time. Keys are handled in order, as a fast typist's would be."""
    names = {" ": "space", "\n": "enter"}
    for char in text:
        pilot.app.post_message(events.Key(names.get(char, char), char))
    await pilot.pause()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def db_of(app):
    return app.assembly.db()


async def test_pilot_runs_a_whole_session(panel_path: Path) -> None:
    clock = FixedClock(START)
    app = AssemblyApp(open_assembly(panel_path, clock=clock), mode="facilitator", clock=clock)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        assert "No sessions yet" in text_of(app, "#summary")

        # plan a session with its agenda typed as lines
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "S1")
        await pilot.click("#agenda")
        await type_text(pilot, "10 welcome: Hi\n20 Parking\n15 break: Tea")
        await pilot.press("ctrl+s")
        await pilot.pause()
        db = db_of(app)
        (session,) = s.list_sessions(db)
        sid = session.id
        assert session.title == "S1" and session.planned_minutes == 45
        assert [(i.title, i.kind) for i in s.agenda(db, sid)] == [
            ("Hi", "welcome"),
            ("Parking", "topic"),
            ("Tea", "break"),
        ]

        # open it to run; attendance: everyone present, then one sends apologies
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionRunScreen"
        assert "Press n to start" in text_of(app, "#item-warning")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert not db.execute("select 1 from attendance").fetchall()  # asks first
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("y")  # first row: member 1 sends apologies
        await pilot.pause()
        rows = dict(db.execute("select member_id, status from attendance").fetchall())
        assert len(rows) == 12 and sorted(rows.values()).count("apologies") == 1
        await pilot.press("escape")
        await pilot.pause()

        # n starts the session and its first item
        await pilot.press("n")
        await pilot.pause()
        assert s.get_session(db, sid).status == "running"
        assert s.current_item(db, sid).title == "Hi"
        assert app.screen.query_one("#item-digits", Digits).value == "10:00"

        # add two people to the queue, by number and by name
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "4\n")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "chl\n")
        await pilot.pause()
        waiting = db.execute(
            "select m.number from speaker_queue q join members m on m.id = q.member_id "
            "where left_at is null order by q.id"
        ).fetchall()
        assert waiting == [(4,), (3,)]

        # s starts the first in the queue; time passes; an idea linked to item and speaker
        await pilot.press("s")
        await pilot.pause()
        turn = current_turn(db, sid)
        assert turn is not None and turn.started_at == "2026-11-26T09:30:00Z"
        clock.advance(seconds=95)
        app.screen.refresh_all()
        await pilot.pause()
        assert app.screen.query_one("#speaker-digits", Digits).value == "1:35"
        assert "Daniel Okafor" in text_of(app, "#speaker-name")
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, "Car-free\n")
        await pilot.pause()
        (idea,) = db.execute("select text, agenda_item_id, member_id from ideas").fetchall()
        assert idea[0] == "Car-free"
        assert idea[1] == s.current_item(db, sid).id and idea[2] == turn.member_id

        # equity: only a man has spoken, for 95 s: too little to warn about, said in words
        equity = text_of(app, "#equity-text")
        assert "Too early to judge" in equity and "⚠" not in equity
        assert "Woman  heard less than their share" in equity
        assert "Ethnic group (special category: group totals, updated every 5 turns)" in equity

        # v narrows the panel to the current item and back
        await pilot.press("v")
        await pilot.pause()
        assert "Speaking time in this item (Hi): 1:35" in text_of(app, "#equity-text")
        await pilot.press("v")
        await pilot.pause()
        assert "Speaking time this session: 1:35" in text_of(app, "#equity-text")

        # the item runs over; x extends it by five minutes
        clock.advance(minutes=9)
        app.screen.refresh_all()
        await pilot.pause()
        assert "⚠ Over time by 0:35" in text_of(app, "#item-warning")
        await pilot.press("x")
        await pilot.pause()
        assert s.current_item(db, sid).extended_minutes == 5
        assert "On time" in text_of(app, "#item-warning")

        # p pauses: the clocks stand still; p again resumes
        await pilot.press("p")
        await pilot.pause()
        assert s.get_session(db, sid).status == "paused"
        before = app.screen.query_one("#item-digits", Digits).value
        clock.advance(minutes=7)
        app.screen.refresh_all()
        await pilot.pause()
        assert app.screen.query_one("#item-digits", Digits).value == before
        assert "Paused" in text_of(app, "#item-warning")
        await pilot.press("p")
        await pilot.pause()
        assert s.get_session(db, sid).status == "running"

        # s stops Daniel, s again starts Chloe; n ends her turn and moves on
        await pilot.press("s")
        await pilot.pause()
        assert current_turn(db, sid) is None
        await pilot.press("s")
        await pilot.pause()
        assert current_turn(db, sid).member_id != turn.member_id
        clock.advance(seconds=30)
        await pilot.press("n")
        await pilot.pause()
        assert s.current_item(db, sid).title == "Parking"
        assert current_turn(db, sid) is None

        # o switches the queue to the progressive stack
        await pilot.press("o")
        await pilot.pause()
        assert s.get_session(db, sid).queue_order == "progressive"
        assert "progressive stack" in text_of(app, "#queue-title")

        # f finishes after a yes
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert s.get_session(db, sid).status == "finished"
        assert "Session finished" in text_of(app, "#item-title")
        await pilot.press("escape")
        await pilot.pause()
        assert "finished" in str(app.screen.query_one("#sessions").get_row_at(0))


async def test_home_reopens_a_running_session(panel_path: Path) -> None:
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    sid = s.create_session(
        assembly.db(), title="Live", clock=clock, items=[{"title": "Talk", "minutes": 30}]
    )
    s.start_session(assembly.db(), sid, clock)
    clock.advance(minutes=12)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionRunScreen"
        assert app.screen.query_one("#item-digits", Digits).value == "18:00"
        # the mouse works too: an idea saved with the dialog's button
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, "Shade")
        await pilot.click("#save")
        await pilot.pause()
        texts = [r[0] for r in assembly.db().execute("select text from ideas")]
        assert texts == ["Shade"]


async def test_the_idea_form_says_the_language_it_was_said_in(panel_path: Path) -> None:
    """Issue 22: the facilitator may say which language a resident said the idea in (a tag or
    a name, checked); left blank, it is the assembly's working language. At 80x24 the form
    shows every field and its buttons."""
    from textual.widgets import Button, Input

    from assembly.sessions.screens.dialogs import IdeaDialog

    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    sid = s.create_session(
        assembly.db(), title="Live", clock=clock, items=[{"title": "Talk", "minutes": 30}]
    )
    s.start_session(assembly.db(), sid, clock)
    SpeakerQueue(assembly.db(), sid, clock).start(
        assembly.db().execute("select id from members where number = 4").fetchone()[0]
    )
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, IdeaDialog)
        visible = dialog.region
        for name in ("idea", "by-speaker", "language"):
            assert dialog.field_widget(name).region.intersection(visible).height >= 1, name
        for button in dialog.query(Button):
            assert visible.contains_region(button.region), button.label
        await type_text(pilot, "Shade")
        dialog.query_one("#language", Input).value = "klingon"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is dialog  # refused, still open, saying why
        assert "is not a language" in str(dialog.query_one("#form-error", Static).render())
        assert not assembly.db().execute("select 1 from ideas").fetchall()
        language = dialog.query_one("#language", Input)
        language.value = "Urdu"
        language.focus()
        await pilot.press("enter")  # Enter in the language saves too
        await pilot.pause()
        assert not isinstance(app.screen, IdeaDialog)
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, "Benches\n")  # Enter in the idea saves at once: the language blank
        await pilot.pause()
    rows = assembly.db().execute("select text, language from ideas order by id").fetchall()
    assert rows == [("Shade", "ur"), ("Benches", "en-GB")]


async def test_ideas_screen_edits_keep_history(panel_path: Path) -> None:
    from assembly.sessions import ideas

    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    sid = s.create_session(assembly.db(), title="Done", clock=clock)
    idea_id = ideas.add_idea(assembly.db(), session_id=sid, text="More benches", clock=clock)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "space")
        await type_text(pilot, "shade\n")
        await pilot.pause()
        assert [r.text for r in ideas.history(assembly.db(), idea_id)] == [
            "More benches",
            "More benches shade",
        ]
        # the idea and its versions come before the (often long) agenda item title, so
        # they stay on an 80-column screen
        columns = [str(c.label) for c in app.screen.query_one("#all-ideas").columns.values()]
        assert columns[:4] == ["No.", "Idea", "Raised by", "Versions"]
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryDialog"
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Version 1" in shown and "More benches\n" in shown
        assert "Version 2" in shown and "More benches shade" in shown


async def test_problems_are_told_in_plain_words(panel_path: Path) -> None:
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    sid = s.create_session(
        assembly.db(), title="Later", clock=clock, items=[{"title": "Talk", "minutes": 30}]
    )
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    toasts = notices(app)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")  # nobody can speak before the session starts
        await pilot.pause()
        assert any("has not started. Press n" in n for n in toasts)
        await pilot.press("x")
        await pilot.pause()
        assert any("nothing to extend" in n for n in toasts)
        assert s.get_session(assembly.db(), sid).status == "planned"
        # another program holding the file: the key fails whole, with a dialog, not a crash
        import sqlite3

        assembly.db().execute("pragma busy_timeout = 50")  # do not wait the usual 3 s
        other = sqlite3.connect(panel_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("n")
            await pilot.pause()
            assert type(app.screen).__name__ == "ErrorDialog"
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert s.get_session(assembly.db(), sid).status == "running"


async def test_home_keys_open_the_other_areas_screens(panel_path: Path) -> None:
    # Every area ships: each key opens its screen (a broken one is the test below).
    expected = {"g": "AgendaScreen", "r": "RecommendationsScreen", "t": "TablePlanScreen"}
    clock = FixedClock(START)
    app = AssemblyApp(open_assembly(panel_path, clock=clock), mode="facilitator", clock=clock)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        for key, screen_name in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == screen_name
            app.pop_screen()
            await pilot.pause()


async def test_live_session_fits_a_small_laptop_terminal(panel_path: Path) -> None:
    """At 80x24 the big digits pushed the speaker queue and ideas off the screen (0 rows high),
    and the footer had no room for half the keys: now the times show as words, the queue keeps
    its rows, and every key is in the footer or named on the purpose line."""
    from textual.widgets import DataTable

    from assembly.sessions.screens.run import SessionRunScreen

    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    db = assembly.db()
    sid = s.create_session(db, title="Small", clock=clock, items=[{"title": "Talk", "minutes": 30}])
    s.start_session(db, sid, clock)
    queue = SpeakerQueue(db, sid, clock)
    for number in (2, 3, 4):
        queue.add(db.execute("select id from members where number = ?", [number]).fetchone()[0])
    clock.advance(minutes=5)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)  # the footer draws its keys after the screen
        screen = app.screen
        assert isinstance(screen, SessionRunScreen)
        table = screen.query_one("#queue", DataTable)
        assert table.region.height >= 3 and table.region.bottom <= 23
        assert "25:00 left" in text_of(app, "#item-time")
        purpose = text_of(app, ".purpose")
        in_footer = {k.key for k in screen.query("FooterKey")}
        for binding in SessionRunScreen.BINDINGS:  # each key in the footer or on the purpose line
            key = "Esc" if binding.key == "escape" else binding.key
            assert binding.key in in_footer or f"{key} " in purpose, binding.key
        # a big screen at the front of the room gets the big digits back
        await pilot.resize_terminal(130, 45)
        await pilot.pause()
        assert screen.query_one("#item-digits", Digits).display
        assert not screen.query_one("#item-time", Static).display


async def test_attendance_finds_by_number_and_asks_before_marking_everyone(panel_path) -> None:
    """The purpose line said "type to find a member", but typing on the list did nothing
    (or worse: l marked the whole panel present with no way back but row by row)."""
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    db = assembly.db()
    sid = s.create_session(db, title="S", clock=clock)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert type(app.screen).__name__ == "AttendanceScreen"
        await pilot.press("1", "1")  # at a person's pace: the first digit moves the focus
        table = app.screen.query_one("#attendance")
        assert table.row_count == 1
        await pilot.press("enter", "enter")  # to the list, then mark the one found present
        await pilot.pause()
        member = db.execute("select id from members where number = 11").fetchone()[0]
        assert dict(db.execute("select member_id, status from attendance")) == {member: "present"}
        await pilot.press("l")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "11 panel members" in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        assert db.execute("select count(*) from attendance").fetchone()[0] == 1
        assert sid


async def test_the_status_column_shows_at_80_columns(panel_path: Path) -> None:
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    s.create_session(
        assembly.db(), title="A session with a long title to push columns", clock=clock
    )
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        status_column = list(table.columns.values())[1]
        assert str(status_column.label) == "Status"


async def test_add_to_queue_flags_and_refuses_members_marked_absent(panel_path: Path) -> None:
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    db = assembly.db()
    sid = s.create_session(db, title="S", clock=clock, items=[{"title": "Talk", "minutes": 30}])
    s.start_session(db, sid, clock)
    two = db.execute("select id from members where number = 2").fetchone()[0]
    from assembly.sessions.attendance import set_attendance

    set_attendance(db, sid, two, "absent", clock)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    toasts = notices(app)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        from textual.widgets import OptionList

        options = app.screen.query_one("#matches", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "2 · Ben Hall  ⚠ marked absent" in shown and "1 · Aisha Khan" in shown
        await type_text(pilot, "2\n")
        await pilot.pause()
        assert any("marked absent" in n and "press m" in n for n in toasts)
        assert not db.execute("select 1 from speaker_queue").fetchall()


async def test_f_on_a_session_that_never_started_says_so_and_asks_nothing(panel_path: Path) -> None:
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    sid = s.create_session(
        assembly.db(), title="Later", clock=clock, items=[{"title": "Talk", "minutes": 30}]
    )
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    toasts = notices(app)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionRunScreen"  # no "Finish the session?"
        assert any("'Later' has not started, so there is nothing to finish" in n for n in toasts)
        assert s.get_session(assembly.db(), sid).status == "planned"


async def test_a_finished_session_shows_hints_that_fit_it(panel_path: Path) -> None:
    """QA: a finished session still said "s starts the next in the queue"."""
    clock = FixedClock(START)
    assembly = open_assembly(panel_path, clock=clock)
    db = assembly.db()
    sid = s.create_session(db, title="Done", clock=clock, items=[{"title": "Talk", "minutes": 30}])
    s.start_session(db, sid, clock)
    s.finish_session(db, sid, clock)
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(130, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SessionRunScreen"
        shown = " ".join(
            text_of(app, sel)
            for sel in ("#speaker-hint", "#item-warning", "#item-next", "#queue-title")
        )
        assert "s starts the next" not in shown and "Enter starts" not in shown
        assert "Next:" not in shown
        assert "finished" in text_of(app, "#speaker-hint")
        assert "e lists its ideas" in text_of(app, "#item-warning")
        assert "closed" in text_of(app, "#queue-title")
