"""The import preview's 'Respondents per value' keeps its counts on an 80-column screen (they
came after the feature and value and fell off the right-hand pane)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from assembly.core.clock import FixedClock
from assembly.organiser.screens.pool_import import PoolImportScreen
from assembly.store import create_assembly
from assembly.ui.app import AssemblyApp
from tests.organiser.conftest import START


async def test_counts_visible_at_80_columns(tmp_path: Path) -> None:
    clock = FixedClock(START)
    pool = tmp_path / "pool.csv"
    values = ["Most deprived fifth of areas nationally", "Least deprived fifth of areas"]
    pool.write_text(
        "id,Deprivation quintile of home area\n"
        + "".join(f"p{n},{values[n % 2]}\n" for n in range(40))
    )
    app = AssemblyApp(create_assembly(tmp_path / "a.db", name="A", clock=clock), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PoolImportScreen())
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(pool)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#counts-table", DataTable)
        assert table.row_count > 0
        widths = [c.get_render_width(table) for c in table.columns.values()]
        labels = [str(c.label) for c in table.columns.values()]
        count_end = sum(widths[: labels.index("Respondents") + 1])
        assert count_end <= table.content_region.width
