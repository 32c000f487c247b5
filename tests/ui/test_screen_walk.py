"""Every screen at a laptop's 80x24: a table or list that holds data shows at least one row, and
every key the footer offers is fully on screen (the command palette key docks at the right)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database
from textual.widgets import Header

from .layout import layout_problems
from .readability import EXTRA, missing_facts
from .screen_text import screen_text
from .screens import MODES, SCREENS, walk
from .settle import settle


@pytest.mark.parametrize("mode", MODES)  # one test a mode: the workers share the walks out
@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_every_screen_fits_and_matches_its_snapshot(
    live_example: Path, tmp_path: Path, size: tuple[int, int], mode: str, snapshot
) -> None:
    """One walk per size through every screen: the layout check (no data-holding table or list
    without a row on screen, no footer key cut) and a snapshot (pytest-textual-snapshot's SVG;
    `pytest --snapshot-update` accepts a deliberate change after looking at it)."""
    import shutil

    from pytest_textual_snapshot import SVGImageExtension

    svg = snapshot.use_extension(SVGImageExtension)
    path = tmp_path / "walk.assembly.db"
    shutil.copy(live_example, path)
    found = {}
    mismatched = []
    texts: dict[str, str] = {}
    async for name, app, pilot in walk(path, size, (mode,)):
        for header in app.screen.query(Header):  # its clock reads the wall clock
            header.time_format = "10:00:00"  # a strftime format that is a fixed time
        await pilot.pause()
        problems = layout_problems(app.screen)
        if problems:
            found[name] = problems
        shot = app.export_screenshot()
        if svg(name=name) != shot:
            mismatched.append(name)
            (tmp_path / f"{name}.svg").write_text(shot)  # to compare by eye
        texts[name] = screen_text(app)
        for extra, (start, step) in EXTRA.items():
            if start == name:
                step(app)
                await app.workers.wait_for_complete()
                await settle(app, pilot)
                texts[extra] = screen_text(app)
    assert not found, "\n".join(f"{k}: {'; '.join(v)}" for k, v in found.items())
    assert not mismatched, f"screens differ from their snapshots: {', '.join(mismatched)}"
    db = Database(live_example)
    walked = {name for name, screen_mode, *_ in SCREENS if screen_mode == mode}
    walked |= {extra for extra, (start, _step) in EXTRA.items() if start in walked}
    missing = {k: v for k, v in missing_facts(texts, db).items() if k in walked}
    db.close()
    assert not missing, "\n".join(
        f"{name} lacks {gone}\n{texts.get(name, '')}" for name, gone in missing.items()
    )
