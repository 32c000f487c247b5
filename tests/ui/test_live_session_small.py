"""The live session on a laptop terminal (80x24): every waiting speaker, the ideas, the next item
and the most used keys are all on screen; u takes back the last step."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import DataTable, Static

from assembly.sessions import sessions as s
from assembly.sessions.speakers import current_turn

from .screens import LIVE_SESSION, make_app, start_live_session
from .settle import settle
from .test_screen_walk import layout_problems


def shown_rows(table: DataTable, screen) -> int:
    return table.content_region.intersection(screen.region).height - table.header_height


async def test_live_session_at_80x24_shows_queue_ideas_next_and_keys(
    demo_path: Path, tmp_path: Path
) -> None:
    from assembly.core.clock import FixedClock

    from .screens import CLOCK_AT

    start_live_session(demo_path, FixedClock(CLOCK_AT))
    app = make_app(demo_path, "facilitator")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)  # the footer draws its keys after the screen
        screen = app.screen
        assert type(screen).__name__ == "SessionRunScreen"  # resumed: it is running
        queue = screen.query_one("#queue", DataTable)
        ideas = screen.query_one("#ideas", DataTable)
        assert queue.row_count == 3
        assert shown_rows(queue, screen) >= 3
        assert shown_rows(ideas, screen) >= 3
        upcoming = screen.query_one("#item-next", Static)
        assert upcoming.display and "Next:" in str(upcoming.render())
        assert upcoming.region.height == 1
        assert not layout_problems(screen)
        footer = {k.key for k in screen.query("FooterKey")}
        assert {"n", "s", "a", "i", "p", "u", "f"} <= footer

        # n by mistake, then u: the first item and its speaker carry on
        db = app.assembly.db()
        before = s.current_item(db, LIVE_SESSION).id
        speaker = current_turn(db, LIVE_SESSION).member_id
        await pilot.press("n")
        await pilot.pause()
        assert s.current_item(db, LIVE_SESSION).id != before
        await pilot.press("u")
        await pilot.pause()
        assert s.current_item(db, LIVE_SESSION).id == before
        assert current_turn(db, LIVE_SESSION).member_id == speaker
        # speaker done by mistake, then u
        await pilot.press("s")
        await pilot.pause()
        assert current_turn(db, LIVE_SESSION) is None
        await pilot.press("u")
        await pilot.pause()
        assert current_turn(db, LIVE_SESSION).member_id == speaker
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)


def test_why_here_fits_beside_the_spoken_column() -> None:
    """'Why here' repeated the Spoken column ('spoken 2 min · in 3 under-heard groups') and was
    cut to 'in 3 un' at 120 columns; it now says only what the other columns do not."""
    from assembly.sessions.screens.run import why_here
    from assembly.sessions.speakers import QueueEntry

    def entry(spoken: float, under: int) -> QueueEntry:
        return QueueEntry(1, None, "", spoken, under, "")

    assert why_here(entry(0, 0)) == "not spoken yet"
    assert why_here(entry(120, 3)) == "3 under-heard groups"
    assert why_here(entry(0, 1)) == "not spoken · 1 under-heard group"
    assert why_here(entry(60, 0)) == "—"
    assert max(len(why_here(entry(s, u))) for s in (0, 5) for u in range(6)) <= 34
