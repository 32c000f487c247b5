"""A checkbox whose state reads without colour: ✓ when ticked, blank when not.

Textual's Checkbox draws the same '▐X▌' either way and tells the states apart by colour alone.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        """Textual's button, with ✓ or a blank inside instead of an X in both states."""
        button_style = self.get_visual_style("toggle--button")  # not words
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            ("✓" if self.value else " ", button_style),
            (self.BUTTON_RIGHT, side_style),
        )
