"""The commitment, announced before the seed, is shown whole and can be copied; witnesses show
on the draw screen; the panel's quota table keeps Selected/Min/Max on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assembly.organiser.draws import draw_summary, latest_draw_id
from assembly.organiser.screens.draw import DrawScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_commitment_whole_copyable_and_witnesses_shown(demo_path: Path, size) -> None:
    assembly = open_assembly(demo_path)
    summary = draw_summary(assembly.db(), latest_draw_id(assembly.db()))
    app = AssemblyApp(assembly, mode="organiser")
    copied = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=size) as pilot:
        await app.push_screen(DrawScreen())
        await pilot.pause()
        line = app.screen.query_one("#commitment", Static)
        shown = "".join(str(line.render()).split())
        assert summary.commitment in shown
        assert line.region.bottom <= size[1] - 1 and line.region.height >= 1
        witnesses = str(app.screen.query_one("#witnesses", Static).render())
        assert all(w.name in witnesses for w in summary.witnesses) and summary.witnesses
        await pilot.press("c")
        await pilot.pause()
        assert copied == [summary.commitment]
        table = app.screen.query_one("#panel-quota-table", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels.index("Selected") < labels.index("Category")


async def test_quota_table_value_column_is_on_screen_at_120_columns(demo_path: Path) -> None:
    # Seen in tmux at 120x36: full feature labels ('Deprivation (IMD quintile of home area)')
    # made Category so wide that Value showed 'Wo', 'Ma' and the shares were off screen.
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(DrawScreen())
        await pilot.pause()
        table = app.screen.query_one("#panel-quota-table", DataTable)
        widths = {str(c.label): c.get_render_width(table) for c in table.columns.values()}
        used = sum(widths[label] for label in list(widths)[: list(widths).index("Value") + 1])
        assert used <= table.region.width, widths
        assert "Woman" in {str(table.get_row_at(r)[5]) for r in range(table.row_count)}
