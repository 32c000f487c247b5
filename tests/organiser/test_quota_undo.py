"""Ctrl+Z on the quotas screen puts back the quota set as it was (issue 25 item 13)."""

from __future__ import annotations

from pathlib import Path

from assembly.organiser.quota_undo import quota_state, restore_quota_state
from assembly.organiser.quotas import clear_quotas, current_quotas, set_panel_size
from assembly.organiser.screens.quotas import QuotasScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


def test_a_saved_state_puts_back_quotas_targets_and_size(demo_path: Path) -> None:
    db = open_assembly(demo_path).db()
    before = quota_state(db)
    quotas = current_quotas(db)
    clear_quotas(db)
    set_panel_size(db, 12)
    db.execute("update feature_values set target_share = 0.5")
    restore_quota_state(db, before)
    assert quota_state(db) == before and current_quotas(db) == quotas


async def test_ctrl_z_undoes_the_last_changes_one_by_one(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(QuotasScreen())
        await pilot.pause()
        screen = app.screen
        db = screen.db
        first = quota_state(db)
        await pilot.press("x")  # clears the first row's quota
        await pilot.pause()
        cleared = quota_state(db)
        assert len(cleared.quotas) == len(first.quotas) - 1
        await pilot.press("down", "x")
        await pilot.pause()
        assert len(quota_state(db).quotas) == len(first.quotas) - 2
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert quota_state(db) == cleared
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert quota_state(db) == first
        await pilot.press("ctrl+z")  # nothing left: says so, changes nothing
        await pilot.pause()
        assert quota_state(db) == first
