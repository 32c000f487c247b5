"""The example assembly's selection part: quotas, a drawn panel of 40 with its public seed and
witnesses, a withdrawal and its replacement, access support; shown by the Organiser screens."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.widgets import DataTable, Static

from assembly.demo.part_selection import PANEL_SIZE, PUBLIC_SEED, WITNESSES
from assembly.organiser.draws import draw_summary, panel_quota_table
from assembly.organiser.members import all_members, panel_members, panel_violations
from assembly.organiser.support import cost_totals
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


def test_demo_has_a_drawn_panel_with_a_replacement(demo_path: Path) -> None:
    assembly = open_assembly(demo_path, read_only=True)
    db = assembly.db()
    assert db.execute("select count(*) from quotas").fetchone()[0] > 0
    summary = draw_summary(db, 1)
    assert summary.seed == PUBLIC_SEED and summary.panel_size == PANEL_SIZE
    assert [w.name for w in summary.witnesses] == [name for name, _ in WITNESSES]
    assert all(row.met for row in panel_quota_table(db, 1))
    assert len(panel_members(db)) == PANEL_SIZE
    statuses = {m.status for m in all_members(db)}
    assert {"confirmed", "invited", "replaced"} <= statuses
    newcomer = next(m for m in all_members(db) if m.replaces_number)
    assert newcomer.status == "confirmed"
    assert panel_violations(db) == []
    totals = cost_totals(db)
    assert totals.honoraria_pence == 30_000 * PANEL_SIZE
    assert totals.expenses_pence and totals.members_with_needs["interpreter"] >= 1
    assembly.close()


async def test_demo_draw_and_members_screens(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "✓ Drawn" in text and PUBLIC_SEED in text
        quota_rows = app.screen.query_one("#panel-quota-table", DataTable)
        assert quota_rows.row_count > 0
        assert app.screen.query_one("#panel-member-table", DataTable).row_count == PANEL_SIZE
        await pilot.press("escape")
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one("#member-table", DataTable).row_count == PANEL_SIZE + 1
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "1 replaced" in text and "Costs: honoraria £12,000.00" in text


async def test_a_long_draw_can_be_cancelled_and_records_nothing(demo_path: Path) -> None:
    import sqlite3

    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("r")  # LEXIMIN over 1,500 people: minutes, unless cancelled
        await pilot.pause(0.3)
        assert app.screen.running
        running = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "stops at 10 min with the fairest found; Esc cancels" in running
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.running
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "cancelled" in text
    conn = sqlite3.connect(demo_path)
    assert conn.execute("select count(*) from draws").fetchone()[0] == 1
    conn.close()


def test_the_example_draw_computed_ahead_is_what_the_code_computes(demo_path: Path) -> None:
    # The example ships its LEXIMIN lottery so it opens in moments; it must be exactly what
    # the code gives today (refresh with `python -m assembly.demo.draw_cache`).
    from assembly.demo import draw_cache
    from assembly.demo.part_selection import ALGORITHM, GAP
    from assembly.organiser import quotas as quota_service

    assembly = open_assembly(demo_path)
    instance = quota_service.build_instance(assembly.db())
    assembly.close()
    stored = draw_cache.load(instance, ALGORITHM, GAP)
    assert stored is not None, "the stored lottery is for another pool or quotas"
    fresh = draw_cache.compute(instance, ALGORITHM, GAP)
    assert fresh.stats["stopped_early"] == 0.0 and fresh.stats["relaxation_reached"] == 1.0
    assert fresh.panels == stored.panels
    np.testing.assert_allclose(fresh.weights, stored.weights, rtol=0, atol=1e-12)
    assert fresh.stats == stored.stats
