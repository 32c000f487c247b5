"""Pilot drives the agenda screen: topics typed in, a vote opened with its declared method,
ballots typed in (a bad one refused, nothing saved), the vote closed, an agenda built,
reordered and made final; and "Which matters more?" answers saved one by one."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import DataTable, Input, Select, Static

from assembly.agenda import rounds, topics
from assembly.agenda.screens.agenda import AgendaScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.dialogs.message import ConfirmDialog, ErrorDialog


def _count(path, table: str) -> int:
    db = open_assembly(path, read_only=True).db()
    return db.execute(f"select count(*) from {table}").fetchone()[0]


async def _fill(pilot, **values: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, FormDialog)
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_topic_status_is_visible_at_120_columns_with_long_titles(assembly, clock) -> None:
    """QA: Status was the last column and fell off a 120-column terminal; it now comes early."""
    db = assembly.db()
    first = topics.propose_topic(db, clock, "Safer crossings near every primary school " * 2)
    topics.propose_topic(db, clock, "More frequent buses to the hospital in the evenings " * 2)
    second = topics.propose_topic(db, clock, "Crossings near schools")
    topics.merge_topics(db, clock, first, [second])
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        table = app.screen.query_one("#topics", DataTable)
        right = 0
        for column in table.ordered_columns:
            right += column.get_render_width(table)
            if str(column.label) == "Status":
                break
        else:
            raise AssertionError("no Status column")
        assert right <= table.scrollable_content_region.width
        statuses = [str(table.get_row(str(t))[1]) for t in (first, second)]
        assert statuses == ["open", f"merged into {first}"]


async def test_topics_vote_and_agenda_through_the_screen(assembly, clock) -> None:
    for title in ("Cheaper buses", "Street trees"):
        topics.propose_topic(assembly.db(), clock, title)
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await _fill(pilot, title="Empty shops", member="2")
        assert _count(path, "topics") == 3
        assert topics.get_topic(open_assembly(path, read_only=True).db(), 3).member_number == 2
        assert app.screen.query_one("#topics", DataTable).row_count == 3

        await pilot.press("2")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await _fill(pilot, title="Session 2 priorities", method="schulze", tie_rule="earliest")
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select method, tie_rule from priority_rounds").fetchone() == (
            "schulze",
            "earliest",
        )
        other = open_assembly(path)  # a second ballot typed in elsewhere (e.g. the CLI)
        rounds.record_ballot(other.db(), clock, 1, [3, 2, 1])
        other.close()
        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, marks="3 1 2")
        assert _count(path, "ballots") == 2
        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, marks="1 99")
        assert isinstance(app.screen, ErrorDialog)
        assert "topic 99 is not in this vote" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        # the form is back with what was typed, to correct rather than retype
        assert isinstance(app.screen, FormDialog)
        assert app.screen.query_one("#field-marks", Input).value == "1 99"
        await pilot.press("escape")
        await pilot.pause()
        assert _count(path, "ballots") == 2
        await pilot.press("b")
        await pilot.pause()
        await _fill(pilot, marks="2 1 3")
        await pilot.press("x")
        await pilot.pause()
        assert "Street trees > Cheaper buses > Empty shops" in str(
            app.screen.query_one(".form-help", Static).render()
        )
        await _fill(pilot, reason="typed in twice")
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select count(*) from ballots where voided_at is null").fetchone()[0] == 2
        results = str(app.screen.query_one("#results", Static).render())
        assert "1. Empty shops" in results and "█" in results and "2 ballots" in results
        assert app.screen.query_one("#counts", DataTable).row_count == 3
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select status from priority_rounds").fetchone()[0] == "closed"

        await pilot.press("3")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await _fill(pilot, session="1", minutes="180")
        table = app.screen.query_one("#agenda", DataTable)
        assert table.row_count > 4
        first_topic = next(
            r for r in range(table.row_count) if str(table.get_row_at(r)[3]).startswith("Discuss")
        )
        table.move_cursor(row=first_topic)
        await pilot.press("d")  # moves the topic together with its witness slot
        await pilot.pause()
        await pilot.press("f")  # issue 25 item 11: it asks first, and "Not yet" changes nothing
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "can no longer be edited" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select status from agenda_proposals").fetchone()[0] != "final"
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        rows = list(db.query("select * from agenda_items where session_id = 1 order by position"))
        assert sum(r["minutes"] for r in rows) == 180
        titles = [r["title"] for r in rows]
        discuss = titles.index("Discuss: Empty shops")
        assert discuss > first_topic  # it moved down
        assert titles[discuss - 1] == "Witness and questions: Empty shops"  # with its lead-in
        assert rows[discuss]["residents_rank"] == 1
        kept = db.execute(
            "select proposed_position, position from agenda_proposal_items "
            "where title = 'Discuss: Empty shops'"
        ).fetchone()
        assert kept == (first_topic + 1, discuss + 1)


async def test_which_matters_more(assembly, clock) -> None:
    db = assembly.db()
    ids = [topics.propose_topic(db, clock, t) for t in ("Buses", "Trees", "Shops")]
    round_id = rounds.open_round(db, clock, method="pairwise", tie_rule="earliest")
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g")  # the Facilitator home's key for this screen
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert "Which matters more?" in str(app.screen.query_one(".question", Static).render())
        await pilot.press("1")
        await pilot.pause()
        assert _count(path, "ballots") == 1  # saved at once
        await pilot.press("2", "0", "escape")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        kinds = [r[0] for r in db.execute("select kind from ballots order by id")]
        assert kinds == ["choice", "choice", "skip"]
        result = rounds.round_result(db, round_id)
        assert sum(s.counts["wins"] for s in result.standings) == 2
        assert set(result.order) == set(ids)
        shown = str(app.screen.query_one("#results", Static).render())
        assert "chance of winning a pair" in shown and "AOI" not in shown
        await pilot.press("e")
        await pilot.pause()
        await _fill(pilot, path=str(path.parent / "report.md"))
        report = (path.parent / "report.md").read_text()
        assert "## Vote 1" in report and "Which matters more?" in report


async def test_every_key_of_each_tab_is_named_on_screen(assembly, clock) -> None:
    """The footer cut off half the keys even at 120 columns (Close vote, Make final, ...) and
    the purpose line named none, so a facilitator on a laptop could not find them."""
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        screen = app.screen
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            await pilot.pause()
            shown = str(screen.query_one(".purpose", Static).render())
            for binding in screen.BINDINGS:
                if screen.check_action(binding.action, ()) and binding.key != "escape":
                    key = "1/2/3" if binding.key in "123" else binding.key
                    assert f"{key} " in shown or f"{key}/" in shown, (tab, binding.key, shown)
            assert "Esc back" in shown


async def test_agenda_shows_the_rooms_clock_times(demo_path) -> None:
    """Items showed only "+0:15" from the start; a session with a start time now shows when
    each item begins on the room's clock (the assembly's time zone)."""
    app = AssemblyApp(open_assembly(demo_path), mode="facilitator")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one("#agenda", DataTable)
        starts = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
        minutes = [int(str(table.get_row_at(r)[2])) for r in range(table.row_count)]
        # the demo's session 3 starts Sat 31 Oct 2026, 10:00 London time (GMT by then)
        assert starts[0] == "10:00"
        h, m = divmod(10 * 60 + minutes[0], 60)
        assert starts[1] == f"{h:02d}:{m:02d}"


async def test_forms_take_typing_straight_away(assembly, clock) -> None:
    """The form's scrolling box held the focus, so a facilitator who pressed n and typed the
    topic saw nothing appear until they thought to press Tab."""
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Benches", "ctrl+s")
        await pilot.pause()
        titles = [t.title for t in topics.list_topics(open_assembly(path, read_only=True).db())]
        assert "Benches" in titles


async def test_which_votes_are_open_shows_on_a_laptop(demo_path) -> None:
    """At 80 columns the vote list showed only titles: open or closed was cut off the right."""
    other = open_assembly(demo_path)
    rounds.open_round(other.db(), other.clock, method="pairwise", tie_rule="earliest", title="P")
    other.close()
    app = AssemblyApp(open_assembly(demo_path), mode="facilitator")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(0)))
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#rounds", DataTable)
        state = list(table.columns.values())[1]
        assert str(state.label) == "State"
        assert "● open" in str(table.get_row_at(table.row_count - 1)[1])
        assert "(● open)" in str(app.screen.query_one("#declared", Static).render())


def test_ranked_ballot_form_speaks_like_the_ballot_paper() -> None:
    """The Borda/Schulze question says '1 for the one that matters most'; the typing form must
    say how to turn those marks into what it wants, not contradict them with 'e.g. 3 1 2'."""
    from assembly.agenda.rounds import DEFAULT_QUESTIONS
    from assembly.agenda.screens.agenda import RANKED_BALLOT_LABEL

    assert "1 for the one that matters most" in DEFAULT_QUESTIONS["borda"]
    assert "marked 1" in RANKED_BALLOT_LABEL


async def test_make_final_with_only_finished_sessions_says_so(demo_path) -> None:
    """Agenda f said 'There are no sessions in this file yet' when three had finished."""
    from assembly.core.clock import FixedClock
    from assembly.demo import DEMO_START
    from assembly.sessions import sessions as s

    clock = FixedClock(DEMO_START)
    assembly = open_assembly(demo_path, clock=clock)
    db = assembly.db()
    s.next_item(db, 3, clock)
    s.finish_session(db, 3, clock)
    with db.conn:  # an agenda built before any session was chosen for it
        db.execute("update agenda_proposals set session_id = null")
    app = AssemblyApp(assembly, mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(1)))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        text = str(app.screen.message)
        assert "no sessions in this file yet" not in text
        assert "All 3 sessions in this file have finished" in text


async def test_result_bars_keep_their_numbers_on_one_line_at_80_columns(demo_path) -> None:
    """At 80 columns each bar's number ('65%') wrapped onto a line of its own."""
    app = AssemblyApp(open_assembly(demo_path), mode="facilitator")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(1)))
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        results = app.screen.query_one("#results", Static)
        bars = [line for line in str(results.render()).splitlines() if "█" in line]
        assert bars and all(len(line) <= results.content_region.width for line in bars)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_tied_topics_show_a_joint_place_and_whole_titles(assembly, clock, size) -> None:
    """Issue 25 item 7: ranks read '4 (t' at 80x24 and 'N (tied 3)' at 120x36, and titles were
    cut to five characters. Two topics with equal dots now read '1= (2 tied)', titles whole."""
    from tests.ui.screen_text import screen_text

    db = assembly.db()
    titles = ["Cheaper and more frequent buses", "Empty shops brought back into use", "Trees"]
    ids = [topics.propose_topic(db, clock, title) for title in titles]
    round_id = rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3)
    rounds.record_tally(db, clock, round_id, {ids[0]: 5, ids[1]: 5, ids[2]: 2}, papers=4)
    rounds.close_round(db, clock, round_id)
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(AgendaScreen(rng=np.random.default_rng(1)))
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
    rows = [line for line in text.splitlines() if "1= (2 tied)" in line]
    assert len(rows) >= 2, text
    for title in titles[:2]:
        assert any(title in row for row in rows), text
    assert "(tied 1)" not in text
