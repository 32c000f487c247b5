"""The quotas screen lists as many quotas as the screen holds (it showed 14 of 33 above 14 empty
lines), and the counts stay on an 80-column screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from assembly.organiser.screens.quotas import QuotasScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


async def test_quota_table_uses_the_screen(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(QuotasScreen())
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#quota-table", DataTable)
        assert table.row_count == 33
        assert table.region.height - 1 >= 24  # header + at least 24 of the 33 rows
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        widths = [c.get_render_width(table) for c in table.columns.values()]
        labels = [str(c.label) for c in table.columns.values()]
        assert sum(widths[: labels.index("Pool share") + 1]) <= 78


async def test_targets_warn_before_changing_quotas_under_a_draw(demo_path: Path) -> None:
    """T replaced every quota under an existing draw without a word."""
    from assembly.organiser.quotas import current_quotas
    from assembly.ui.dialogs.message import ConfirmDialog

    assembly = open_assembly(demo_path)
    before = current_quotas(assembly.db())
    app = AssemblyApp(assembly, mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(QuotasScreen())
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "draw 1" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuotasScreen)
    assert current_quotas(open_assembly(demo_path).db()) == before


async def test_organiser_home_keeps_the_counts_at_80_columns(demo_path: Path) -> None:
    """The home's pool table showed 'Responden' at 80 columns after a 44-wide category."""
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#pool-counts", DataTable)
        widths = [c.get_render_width(table) for c in table.columns.values()]
        labels = [str(c.label) for c in table.columns.values()]
        assert sum(widths[: labels.index("Respondents") + 1]) <= 78
