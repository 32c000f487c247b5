"""Scrutiny mode driven through the real app: the chain check shows on opening, the dashboard
and item list come from the file, filters narrow the list, an item opens its timeline, and the
connection Scrutiny reads through cannot write."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from textual.widgets import DataTable, Input, Select, Static

from assembly.core.clock import FixedClock
from assembly.feedback import writes
from assembly.store import AssemblyFile, ReadOnlyFile, open_assembly, write_transaction
from assembly.ui.app import AssemblyApp

from .conftest import fill_log

NOW = FixedClock(datetime(2026, 10, 18, 12, 0, tzinfo=UTC))


async def settle(app: AssemblyApp, pilot) -> None:
    """Let the item list's worker finish and its rows arrive."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: AssemblyApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_scrutiny_opens_with_chain_check_and_dashboard(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path, read_only=True), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "scrutiny"
        assert "✓ Log intact: all 9 entries" in text_of(app, "#chain")
        bodies = app.screen.query_one("#bodies", DataTable)
        assert bodies.row_count == 6  # five bodies and the totals row
        assert "⚠ 1 overdue" in text_of(app, "#totals")
        bodies.focus()
        bodies.move_cursor(row=3)  # Markets
        await pilot.press("enter")
        await settle(app, pilot)
        items = app.screen.query_one("#items", DataTable)
        assert items.row_count == 1 and items.get_row_at(0)[5] == "Markets"
        bodies.move_cursor(row=5)  # all bodies
        bodies.action_select_cursor()
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert items.row_count == 5
        statuses = [items.get_row_at(r)[1] for r in range(items.row_count)]
        assert "⚠ overdue · Received" in statuses and "✗ Not accepted" in statuses
        await pilot.press("o")
        await settle(app, pilot)
        assert items.row_count == 1
        await pilot.press("o")
        app.screen.query_one("#status-filter", Select).value = "received"
        await settle(app, pilot)
        assert items.row_count == 3
        app.screen.query_one("#body-filter", Select).value = "Markets"
        await settle(app, pilot)
        assert [items.get_row_at(r)[4] for r in range(items.row_count)] == [
            "Market stall rents cut for young traders"
        ]
        app.screen.query_one("#status-filter", Select).value = Select.NULL
        app.screen.query_one("#body-filter", Select).value = Select.NULL
        await pilot.press("slash")
        for key in "solar":
            await pilot.press(key)
        await settle(app, pilot)
        assert items.row_count == 1
        assert isinstance(app.focused, Input)
        await pilot.press("enter")  # leave the search box for the list
        await pilot.press("enter")  # open the highlighted item
        await pilot.pause()
        assert type(app.screen).__name__ == "ItemTimelineScreen"
        timeline = app.screen.query_one("#timeline", DataTable)
        assert timeline.row_count == 2
        assert "roof" in text_of(app, "#item-text")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ScrutinyScreen"


async def test_scrutiny_shows_a_broken_chain(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    conn.execute("drop trigger feedback_entries_no_delete")
    conn.execute("delete from feedback_entries where seq = 5")
    conn.close()
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW, mode="scrutiny")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        chain = text_of(app, "#chain")
        assert chain.startswith("✗ Log broken at entry 5") and "missing" in chain


async def test_empty_log_says_so(empty_file: AssemblyFile) -> None:
    app = AssemblyApp(open_assembly(empty_file.path, read_only=True), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "empty" in text_of(app, "#chain")


async def test_what_scrutiny_asks_first_fits_an_80_column_terminal(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """Overdue and never-answered counts, and each item's status and deadline, are on screen
    at 80 columns without scrolling sideways; long titles are shortened, not pushed off."""
    fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path, read_only=True), clock=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bodies = app.screen.query_one("#bodies", DataTable)
        visible = bodies.size.width
        shown, edge = [], 0
        for column in bodies.ordered_columns:
            edge += column.get_render_width(bodies)
            if edge <= visible:
                shown.append(str(column.label))
        assert any("Overdue" in c for c in shown) and any("answered" in c for c in shown)
        assert "Rec'd = received" in text_of(app, "#legend")
        await pilot.press("i")
        await settle(app, pilot)
        items = app.screen.query_one("#items", DataTable)
        shown, edge = [], 0
        for column in items.ordered_columns:
            edge += column.get_render_width(items)
            if edge <= items.size.width:
                shown.append(str(column.label))
        assert {"#", "Status", "Response due"} <= set(shown)
        statuses = [items.get_row_at(r)[1] for r in range(items.row_count)]
        assert "⚠ overdue · Received" in statuses
        assert all(len(items.get_row_at(r)[4]) <= 44 for r in range(items.row_count))
        starts = {}
        edge = 0
        for column in items.ordered_columns:
            starts[str(column.label)] = edge
            edge += column.get_render_width(items)
        # a shortened title starts on screen, with room to read its first words
        assert starts["Idea / recommendation"] + 20 < items.size.width


async def test_every_scrutiny_screen_reads_only_through_the_review_connection(
    empty_file: AssemblyFile, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scrutiny opened on a writable file: the writable connection is made unusable, then every
    Scrutiny key is used (dashboard, items, filters, search, a timeline, verify, refresh). Had
    any of them touched the writable connection, it would fail loudly; the file is unchanged,
    and the review connection itself refuses to write."""
    fill_log(empty_file, clock)
    before = list(empty_file.db().conn.iterdump())
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW, mode="scrutiny")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)

        def writable_db():
            raise AssertionError("Scrutiny used the writable connection")

        monkeypatch.setattr(app.assembly, "db", writable_db)
        await pilot.press("d", "r", "i", "o", "o", "u", "u", "v")
        await settle(app, pilot)
        await pilot.press("slash", "s", "o", "l")
        await settle(app, pilot)
        await pilot.press("enter", "enter")  # leave the search box, open the item
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ItemTimelineScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        assert [type(s).__name__ for s in app.screen_stack][-1] == "ScrutinyScreen"
        assert text_of(app, "#chain").startswith("✓ Log intact")
        # and the connection Scrutiny reads through refuses writes of every kind
        review = app.review.db()
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            review.execute("insert into assembly_info values ('x', 'y')")
        with pytest.raises(ReadOnlyFile):
            writes.record(review, 3, actor="x", clock=NOW, status="accepted")
        with pytest.raises(ReadOnlyFile), write_transaction(review):
            pass
    assert list(empty_file.db().conn.iterdump()) == before
