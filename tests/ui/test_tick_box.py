"""A checkbox's state shows without colour: Textual's Checkbox draws '▐X▌' ticked or not."""

from __future__ import annotations

from textual.app import App, ComposeResult

from assembly.ui.widgets.tick_box import TickBox


class _Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Ticked", True, id="on")
        yield TickBox("Not ticked", False, id="off")


async def test_ticked_and_unticked_read_differently() -> None:
    app = _Boxes()
    async with app.run_test(size=(40, 6)) as pilot:
        on = app.query_one("#on", TickBox)
        off = app.query_one("#off", TickBox)
        assert "✓" in on.render().plain and "X" not in on.render().plain
        assert "✓" not in off.render().plain
        off.value = True
        await pilot.pause()
        assert "✓" in off.render().plain
