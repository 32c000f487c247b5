"""The two words Textual writes in English with no setting, "No matches found" and the header
icon's tooltip, are in the working language (issue 22)."""

from __future__ import annotations

import inspect
from pathlib import Path

from sqlite_utils import Database
from textual.command import CommandList, CommandPalette
from textual.widgets._header import HeaderIcon

from assembly.store.languages import set_languages
from tests.waiting import until

from .screens import make_app


def test_textuals_own_no_matches_is_the_one_the_palette_replaces() -> None:
    """`Palette` copies Textual's method with its line translated: an upgrade that changes the
    method must be looked at again."""
    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    assert 'Text("No matches found", style="not bold")' in source
    assert "self._NO_MATCHES_COUNTDOWN" in source and "id=self._NO_MATCHES" in source


async def test_a_search_that_finds_nothing_says_so_in_welsh(demo_path: Path) -> None:
    db = Database(demo_path)
    set_languages(db, working="cy")
    db.close()
    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(HeaderIcon).tooltip == "Agor y rhestr gorchmynion"
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "zzqqxx":
            await pilot.press(key)
        commands = app.screen.query_one(CommandList)

        await until(pilot, lambda: commands.option_count == 1, "the palette to find nothing")
        prompt = str(commands.get_option_at_index(0).prompt.renderable)
        assert prompt == "Dim canlyniadau", prompt
