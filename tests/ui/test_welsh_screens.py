"""A Welsh assembly's screens are in Welsh (issue 22): the app takes the file's working
language, or the one `assembly open --lang` names for this sitting, and every screen's purpose,
keys, columns and dates follow it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from assembly.core.i18n import PSEUDO
from assembly.store.languages import set_languages

from .layout import layout_problems
from .screen_text import screen_text
from .screens import MODES, make_app, walk


def _welsh(path: Path) -> Path:
    db = Database(path)
    set_languages(db, working="cy")
    db.close()
    return path


async def test_a_welsh_assembly_opens_in_welsh(demo_path: Path) -> None:
    app = make_app(_welsh(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Trefnydd: cronfa'r ymatebwyr" in text  # the purpose line
        assert "Mewnforio" in text and "Cwotâu" in text  # the footer's keys
        assert "Cyfran y gronfa" in text  # a column
        assert "Pool share" not in text and "Import" not in text
        assert app.screen.sub_title == "Trefnydd"


async def test_the_palette_offers_the_screens_keys_in_welsh(demo_path: Path) -> None:
    from assembly.ui.app import ScreenKeysProvider

    app = make_app(_welsh(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        provider = ScreenKeysProvider(app.screen)
        descriptions = {description for description, _action, _key in provider._commands()}
        assert "Mewnforio" in descriptions and "Import" not in descriptions


async def test_an_officer_can_open_a_welsh_file_in_english(demo_path: Path) -> None:
    from assembly.core.clock import FixedClock
    from assembly.store import open_assembly
    from assembly.ui.app import AssemblyApp

    from .screens import CLOCK_AT

    clock = FixedClock(CLOCK_AT)
    path = _welsh(demo_path)
    app = AssemblyApp(
        open_assembly(path, clock=clock), mode="organiser", clock=clock, language="en"
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Pool share" in screen_text(app)


def test_open_refuses_a_language_it_has_no_words_for(demo_path: Path, monkeypatch) -> None:
    import assembly.cli as cli

    seen = {}
    monkeypatch.setattr(cli, "run_app", lambda assembly, **kw: seen.update(kw))
    for tag, code in (("xx-nope!", 2), ("so", 2)):
        result = CliRunner().invoke(cli.main, ["open", str(demo_path), "--lang", tag])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
    assert seen == {}
    result = CliRunner().invoke(cli.main, ["open", str(demo_path), "--lang", "cy"])
    assert result.exit_code == 0, result.output
    assert seen["language"] == "cy"


def test_times_on_screens_follow_the_working_language() -> None:
    from assembly.core.clock import show
    from assembly.core.i18n import use_working_language

    assert show("2026-11-26T09:30:00Z", "Europe/London") == "Thu 26 Nov 2026, 09:30"
    use_working_language("cy")
    assert show("2026-11-26T09:30:00Z", "Europe/London") == "Iau 26 Tach 2026, 09:30"
    assert show("2026-11-26T09:30:00Z", "Europe/London", date_only=True) == "Iau 26 Tach 2026"


def test_textuals_own_keys_are_in_the_catalogue() -> None:
    """A Textual upgrade that adds a key to a widget the screens use fails here until the key is
    marked in `assembly.ui.textual_words` (and so translated)."""
    import textual.widgets as widgets
    from textual.app import App
    from textual.screen import Screen

    from assembly.ui.textual_words import COMMANDS, KEYS, WIDGETS

    classes = [getattr(widgets, name) for name in WIDGETS] + [Screen, App]
    described = {
        binding.description
        for cls in classes
        for binding in cls.BINDINGS
        if hasattr(binding, "description") and binding.description
    }
    # and the keys an app adds as it is made (the footer's "palette", Ctrl+P)
    app = App()
    described |= {b.description for bs in app._bindings.key_to_bindings.values() for b in bs}
    assert described - {*KEYS, *COMMANDS, ""} == set()


@pytest.mark.parametrize("mode", MODES)  # one test a mode: the workers share the walks out
@pytest.mark.parametrize(
    ("language", "size"),
    [("cy", (80, 24)), (PSEUDO, (80, 24)), (PSEUDO, (120, 36))],
    ids=["cy-80x24", "pseudo-80x24", "pseudo-120x36"],
)
async def test_every_screen_fits_in_welsh_and_in_longer_words(
    live_example: Path, tmp_path: Path, language: str, size: tuple[int, int], mode: str
) -> None:
    """The screen walk in Welsh, and in the pseudo-locale (every message accented and 40%
    longer): no data-holding table or list without a row on screen, no footer key cut."""
    import shutil

    path = tmp_path / "walk.assembly.db"
    shutil.copy(live_example, path)
    db = Database(path)
    set_languages(db, working=language)
    db.close()
    found = {}
    async for name, app, _pilot in walk(path, size, (mode,)):
        problems = layout_problems(app.screen)
        if problems:
            found[name] = problems
    assert not found, "\n".join(f"{k}: {'; '.join(v)}" for k, v in found.items())
