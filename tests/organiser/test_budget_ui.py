"""The draw screen's time limit: shown, changed by T, passed to the draw and stored with it; a
draw that stopped at its budget says so in plain words."""

from __future__ import annotations

from pathlib import Path

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.organiser.conftest import write_pool_csv
from tests.organiser.test_ui import count, settle, text_of


async def test_time_limit_key_changes_the_limit_used(tmp_path: Path, clock, monkeypatch) -> None:
    from assembly.organiser.pool_import import import_file
    from assembly.organiser.quotas import set_panel_size, set_quota
    from assembly.organiser.screens.draw import DrawScreen
    from assembly.store import create_assembly

    monkeypatch.setattr(DrawScreen, "rounding_seconds", 0.0)
    path = tmp_path / "small.assembly.db"
    assembly = create_assembly(path, name="Small", clock=clock)
    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "p.csv", 40), clock)
    set_panel_size(db, 6)
    set_quota(db, "gender", "Woman", 3, 3)
    set_quota(db, "gender", "Man", 3, 3)
    app = AssemblyApp(assembly, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "Next draw: LEXIMIN, time limit 10 min" in text_of(app)
        await pilot.press("t")
        await pilot.pause()
        assert "Next draw: LEXIMIN, time limit 30 min" in text_of(app)
        for _ in range(2):
            await pilot.press("t")
        await pilot.pause()
        assert "Next draw: LEXIMIN, no time limit" in text_of(app)
        await pilot.press("t")
        await pilot.pause()
        assert "time limit 2 min" in text_of(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert count(path, "select time_limit from draws") == 120.0
        # 40 people and one quota: LEXIMIN finishes well inside two minutes.
        assert count(path, "select stopped_early from draws") == 0
        assert "stopped" not in text_of(app)


async def test_demo_draw_is_proven_fairest_in_words(demo_path: Path) -> None:
    # The example's LEXIMIN used to stop after 25 rounds at 1.56% ("no lottery can give more
    # than 5.8%"); it now runs to the end and the screen says what was proven.
    assert count(demo_path, "select stopped_early from draws") == 0
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        text = text_of(app)
        assert "stopped" not in text
        assert "Proven the fairest: no lottery can give the least-chosen" in text
        assert "2.18%" in text and "proof gap less than 0.0001 percentage points" in text
