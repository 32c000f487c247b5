"""Pilot drives the facilitator's room screen: p opens it from Facilitator mode, s starts the
server in a worker (URL and QR on screen), a phone's ballot shows up live with the member's
number (never a name), c closes the vote and with it the phone's form, Esc closes the room."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from textual.widgets import DataTable, Static

from assembly.agenda.room import submissions as room
from assembly.agenda.screens.room import RoomScreen
from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ConfirmDialog
from tests.agenda.room_helpers import Phone, make_room_file


async def _until(pilot, check, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there in time")


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_room_screen_runs_the_room(tmp_path) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    path = tmp_path / "room.assembly.db"
    codes = make_room_file(path, clock, members=4)
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        assert "The room is closed" in _text(app.screen, "#room-qr")
        app.pop_screen()
        await pilot.pause()
        screen = RoomScreen(port=0)
        await app.push_screen(screen)
        await pilot.press("s")
        await _until(pilot, lambda: screen.url is not None)
        url = screen.url
        assert url.startswith("http://127.0.0.1:")
        assert url in _text(screen, "#room-qr") and "▄" in _text(screen, "#room-qr")

        phone = Phone(url)
        await asyncio.to_thread(phone.sign_in, codes[2])
        await asyncio.to_thread(phone.get, "/vote")
        await asyncio.to_thread(phone.post, "/vote", {"round": "1", "dots-1": "2"})
        assert phone.status == 303
        feed = screen.query_one("#room-feed", DataTable)
        await _until(pilot, lambda: feed.row_count >= 2)
        rows = [[str(c) for c in feed.get_row_at(i)] for i in range(feed.row_count)]
        assert rows[0][1:] == ["2", "ballot", "✓ accepted"]
        status = _text(screen, "#room-status")
        assert "Not yet voted (3): 1, 3, 4" in status
        assert "Secret Name" not in status + str(rows)

        await asyncio.to_thread(phone.get, "/vote")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await asyncio.to_thread(phone.post, "/vote", {"round": "1", "dots-2": "1"})
        assert phone.status == 409
        await asyncio.to_thread(phone.get, "/vote")
        assert "No vote is open" in phone.text and "<form" not in phone.text.split("<h1>")[1]

        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, RoomScreen)
        stopped = Phone(url)
        try:
            await asyncio.to_thread(stopped.get, "/")
        except OSError:
            pass
        else:
            raise AssertionError("the room still answers after Esc")


async def test_feed_shows_what_residents_typed_literally(tmp_path) -> None:
    """A refused dots value like '[/b]' was read as Rich markup in the feed (an error, or
    styling a resident chose); the feed shows it as typed."""
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    path = tmp_path / "room.assembly.db"
    make_room_file(path, clock, members=2)
    assembly = open_assembly(path)
    room.audit(
        assembly.db(),
        clock,
        "ballot",
        "refused",
        reason="Dots must be whole numbers; '[/b][red]x' is not one.",
    )
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = RoomScreen(port=0)
        await app.push_screen(screen)
        await pilot.pause()
        feed = screen.query_one("#room-feed", DataTable)
        await pilot.pause()  # drawn: markup in a cell would fail here
        assert "'[/b][red]x'" in str(feed.get_row_at(0)[3])
