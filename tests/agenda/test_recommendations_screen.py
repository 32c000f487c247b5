"""Pilot drives the recommendations screen: draft from an idea, declare the vote's rules, type
in counts (a negative one refused), close, and find the passed recommendation in the log."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from assembly.agenda.screens.recommendations import RecommendationsScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.dialogs.message import ErrorDialog

pytestmark = pytest.mark.usefixtures("room_of_40")  # counts need a room to fit in


async def _fill(pilot, **values: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, FormDialog)
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        assert isinstance(widget, (Input, Select))
        widget.value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_draft_vote_close_and_log(assembly, clock) -> None:
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(RecommendationsScreen())
        await pilot.pause()
        assert app.screen.query_one("#ideas", DataTable).row_count == 2
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#field-ideas", Input).value == "1"  # the highlighted idea
        await _fill(pilot, title="Free Sunday buses", text="Fund free buses on Sundays.")
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select idea_id from recommendation_ideas").fetchall() == [(1,)]

        await pilot.press("v")
        await pilot.pause()
        await _fill(pilot, scale="support_oppose_abstain", threshold="80%", quorum="5")
        db = open_assembly(path, read_only=True).db()
        assert db.execute(
            "select scale, threshold, quorum from recommendation_votes"
        ).fetchone() == (
            "support_oppose_abstain",
            0.8,
            5,
        )
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, c0="4", c1="-1")
        assert isinstance(app.screen, ErrorDialog) and "cannot be negative" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)  # back, holding the count that was typed
        assert app.screen.query_one("#field-c1", Input).value == "-1"
        await pilot.press("escape")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        assert db.execute("select count(*) from recommendation_marks").fetchone()[0] == 0
        await pilot.press("a")
        await pilot.pause()
        await _fill(pilot, c0="9", c1="1", c2="2", note="show of hands")
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "(support)" not in detail and "9 of 10 in support" in detail
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        db = open_assembly(path, read_only=True).db()
        status, item = db.execute("select status, feedback_item_id from recommendations").fetchone()
        assert status == "passed" and item is not None
        assert "✓ passed" in str(app.screen.query_one("#recommendations", DataTable).get_row_at(0))
        assert f"feedback log as item {item}" in str(
            app.screen.query_one("#detail", Static).render()
        )


async def test_every_key_is_named_on_screen(demo_path) -> None:
    """The purpose line named no keys and the footer cut off 'Send to feedback log'."""
    app = AssemblyApp(open_assembly(demo_path), mode="facilitator")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(RecommendationsScreen())
        await pilot.pause()
        shown = str(app.screen.query_one(".purpose", Static).render())
        for binding in RecommendationsScreen.BINDINGS:
            key = "Esc" if binding.key == "escape" else binding.key
            assert f"{key} " in shown, binding.key


async def test_support_share_is_visible_at_120_columns_with_a_long_title(assembly, clock) -> None:
    """QA: the Support column came after a 40-character title and was cut at '33/35 (94%'."""
    from assembly.agenda import recommendations as rec

    db = assembly.db()
    rec_id = rec.draft_recommendation(db, clock, "Bus every 10 minutes to every high street " * 2)
    vote_id = rec.open_vote(db, clock, rec_id, scale="support_oppose", threshold=0.8, quorum=5)
    rec.record_votes(db, clock, vote_id, {"support": 33, "oppose": 2})
    rec.close_vote(db, clock, vote_id)
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(RecommendationsScreen())
        await pilot.pause()
        table = app.screen.query_one("#recommendations", DataTable)
        right = 0
        for column in table.ordered_columns:
            right += column.get_render_width(table)
            if str(column.label) == "Support":
                break
        assert right <= table.scrollable_content_region.width
        assert "33/35 (94%, needs 80%)" in [str(c) for c in table.get_row_at(0)]


async def test_titles_readable_at_80_columns(demo_path) -> None:
    """At 80 columns the list showed four characters of each recommendation ('Bus ', 'A me')."""
    from textual.widgets import DataTable

    from assembly.agenda.screens.recommendations import RecommendationsScreen
    from assembly.store import open_assembly
    from assembly.ui.app import AssemblyApp

    app = AssemblyApp(open_assembly(demo_path), mode="facilitator")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RecommendationsScreen())
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#recommendations", DataTable)
        widths = [c.get_render_width(table) for c in table.columns.values()]
        assert table.content_region.width - sum(widths[:3]) >= 30
        assert table.content_region.height >= 3
