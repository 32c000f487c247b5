"""Textual's own words on the keys panel and the command palette in the working language
(issue 22): the keys of Textual's widgets (a table's Cursor up, Page Left, Top…), the app's
Ctrl+P and its tooltip, and the palette's search prompts."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from sqlite_utils import Database
from textual.command import CommandInput, CommandPalette
from textual.widgets import DataTable
from textual.widgets._key_panel import BindingsTable

from assembly.core import i18n
from assembly.store.languages import set_languages

from .screens import make_app

# What an audit of a Welsh assembly found in English on the keys panel and the palette.
ENGLISH = (
    "Cursor up",
    "Cursor down",
    "Cursor left",
    "Cursor right",
    "Home",
    "End",
    "Page up",
    "Page down",
    "Page Left",
    "Page Right",
    "Select",
    "Top",
    "Bottom",
    "Open the command palette",
    "palette",
    "Quit",
)


def _in_pseudo(path: Path) -> Path:
    db = Database(path)
    set_languages(db, working=i18n.PSEUDO)
    db.close()
    return path


def _panel_text(app) -> str:
    console = Console(width=300, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen.query_one(BindingsTable).render())
    return console.export_text(styles=False)


def _english_keys(app) -> list[str]:
    """The descriptions and tooltips of the screen's keys that are not in the pseudo-locale."""
    found = []
    for active in app.screen.active_bindings.values():
        for text in (active.binding.description, active.binding.tooltip, active.tooltip):
            if text and not text.startswith("["):
                found.append(text)
    return found


async def test_the_keys_panel_shows_no_english(demo_path: Path) -> None:
    from assembly.organiser.screens.pool import PoolBrowserScreen

    app = make_app(_in_pseudo(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(PoolBrowserScreen())
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        await pilot.pause()
        app.action_show_help_panel()
        await pilot.pause()
        assert _english_keys(app) == []
        text = _panel_text(app)
        assert i18n.pseudo("Cursor up") in text
        assert [word for word in ENGLISH if word in text] == []
        await pilot.press("tab")  # the filter box above it: an Input's keys
        await pilot.pause()
        assert _english_keys(app) == []


async def test_the_palettes_prompts_are_in_the_working_language(demo_path: Path) -> None:
    app = make_app(_in_pseudo(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        prompt = app.screen.query_one(CommandInput).placeholder
        assert prompt == i18n.pseudo("Search for commands…")
        await pilot.press("escape")
        await pilot.pause()
        app.search_themes()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        prompt = app.screen.query_one(CommandInput).placeholder
        assert prompt == i18n.pseudo("Search for themes…")


async def test_english_keys_read_as_textual_wrote_them(demo_path: Path) -> None:
    from assembly.organiser.screens.pool import PoolBrowserScreen

    app = make_app(demo_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(PoolBrowserScreen())
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        await pilot.pause()
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert {"Cursor up", "Page Left", "Top", "Select"} <= descriptions
        tooltips = {a.binding.tooltip for a in app.screen.active_bindings.values()}
        assert "Open the command palette" in tooltips
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == "Search for commands…"


def test_every_key_textual_gives_the_screens_widgets_is_marked() -> None:
    """With the keys they inherit (a table scrolls: Page Left, Scroll Up) and their tooltips:
    a Textual upgrade that adds one fails here until `assembly.ui.textual_words` has it."""
    import textual.widgets as widgets
    from textual.app import App
    from textual.containers import VerticalScroll

    from assembly.ui.textual_words import COMMANDS, KEYS, WIDGETS

    classes = [getattr(widgets, name) for name in WIDGETS] + [VerticalScroll]
    maps = [cls._merged_bindings for cls in classes] + [App()._bindings]
    written = {
        text
        for bindings in maps
        for listed in bindings.key_to_bindings.values()
        for binding in listed
        for text in (binding.description, binding.tooltip)
        if text
    }
    # App's own Ctrl+Q (and its tooltip) is the app's, in its BINDINGS
    written -= {"Quit the app and return to the command prompt."}
    assert written - {*KEYS, *COMMANDS} == set()
