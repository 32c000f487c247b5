"""Officers record responses through the feedback log screen; each save is a new entry in the
file, a refusal without a reason is explained and not saved, and new items can be added."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, Input, Select, Static, TextArea

from assembly.core.clock import FixedClock
from assembly.feedback import queries
from assembly.feedback.screens.editor import FeedbackLogScreen
from assembly.feedback.verify import verify_log
from assembly.store import AssemblyFile, open_assembly
from assembly.ui.app import AssemblyApp
from tests.waiting import notices

from .conftest import fill_log

NOW = FixedClock(datetime(2026, 10, 18, 12, 0, tzinfo=UTC))


async def type_into(pilot, selector: str, text: str) -> None:
    """Fill a field as a paste would (typing key by key is slow and tests nothing more)."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = text
    await pilot.pause()


async def test_record_a_response_and_a_refusal(empty_file: AssemblyFile, clock: FixedClock) -> None:
    ids = fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        table = app.screen.query_one("#log-items", DataTable)
        assert table.row_count == 5
        table.move_cursor(row=2)  # the repair café, not yet answered
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "RecordResponseDialog"
        await type_into(pilot, "#actor", "Jo Libraries")
        dialog.query_one("#status", Select).value = "not_accepted"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a reason" in str(dialog.query_one("#form-error", Static).render())
        assert queries.get_item(empty_file.db(), ids[2]).status == "received"
        await type_into(pilot, "#reason", "No space in the library")
        dialog.query_one("#response", TextArea).text = "We cannot host it; try the community hall."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "FeedbackLogScreen"
    item = queries.get_item(empty_file.db(), ids[2])
    assert item.status == "not_accepted" and item.status_reason == "No space in the library"
    assert item.response.startswith("We cannot host it")
    last = queries.timeline(empty_file.db(), ids[2])[-1]
    assert last.actor == "Jo Libraries" and set(last.data) == {"status", "response"}
    assert verify_log(empty_file.db()).ok


async def test_form_starts_in_a_field_and_shows_a_refusal_where_it_can_be_seen(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """Typing straight after R lands in "who is recording"; a 'not accepted' without a reason
    is refused with a message on screen (not below the fold) and as a notice."""
    fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW)
    toasts = notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        app.screen.query_one("#log-items", DataTable).move_cursor(row=2)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("J", "o")
        dialog = app.screen
        assert dialog.query_one("#actor", Input).value == "Jo"
        dialog.query_one("#status", Select).value = "not_accepted"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = dialog.query_one("#form-error", Static)
        assert "needs a reason" in str(error.render())
        scroll = error.parent
        top = scroll.scroll_offset.y
        assert top <= error.virtual_region.y < top + scroll.size.height
        assert any("needs a reason" in n for n in toasts)
        assert type(app.screen).__name__ == "RecordResponseDialog"
        assert queries.get_item(empty_file.db(), 3).status == "received"
        dialog.query_one("#status", Select).value = "done"  # progress field left at 0
        await pilot.press("ctrl+s")
        await pilot.pause()
    item = queries.get_item(empty_file.db(), 3)
    assert (item.status, item.progress) == ("done", 100)


async def test_add_a_new_item(empty_file: AssemblyFile) -> None:
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#actor", "Organiser")
        await type_into(pilot, "#title", "Water fountains")
        await type_into(pilot, "#body", "Parks")
        await type_into(pilot, "#due", "2026-12-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#log-items", DataTable).row_count == 1
    (item,) = queries.all_items(empty_file.db())
    assert (item.title, item.responsible_body, item.due) == (
        "Water fountains",
        "Parks",
        "2026-12-01",
    )


async def test_review_only_app_cannot_record(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path, read_only=True), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "FeedbackLogScreen"
    assert queries.entry_count(empty_file.db()) == 9


async def test_add_the_sessions_ideas(empty_file: AssemblyFile) -> None:
    from .conftest import add_ideas

    add_ideas(empty_file, ["Benches with shade", "A repair café"])
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#actor", "Organiser")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#log-items", DataTable).row_count == 2
    items = queries.all_items(empty_file.db())
    assert [(i.source_kind, i.title) for i in items] == [
        ("idea", "Benches with shade"),
        ("idea", "A repair café"),
    ]


async def test_escape_asks_before_dropping_what_was_typed(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """Issue 25 item 12: Escape in "Record a change" dropped a typed response without asking."""
    from assembly.ui.dialogs.message import ConfirmDialog

    fill_log(empty_file, clock)
    app = AssemblyApp(open_assembly(empty_file.path), clock=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(FeedbackLogScreen())
        await pilot.pause()
        app.screen.query_one("#log-items", DataTable).move_cursor(row=2)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        await pilot.press("J", "o")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing: the form and its text are still there
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#actor", Input).value == "Jo"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "FeedbackLogScreen"
        await pilot.press("r")  # nothing typed: Escape closes at once
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "FeedbackLogScreen"
