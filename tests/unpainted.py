"""Headless frames laid out but not painted: a test's app draws to no terminal, and painting
every frame into lines nobody reads was over a third of the UI tests' CPU (69.6 s against 42.2 s
on 48 screen tests in one process, `/usr/bin/time pytest -n 0`), which pushed the suite past
five minutes on two cores.

What a test reads is still painted whole when it reads it: `export_screenshot` (snapshots),
`tests/ui/screen_text.py` and `tests/ui/settle.py` render the full screen themselves. Each frame
still makes every visible widget's content (`Widget._render`: its `render()`, markup and all), so
a `render()` that raises, or text that is not valid markup, fails the test where it happens.
Only the painting into styled lines is left out (and with it a fault that would only show in a
table row's cells when nothing reads the screen)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget

_painted = Screen._compositor_refresh


def _unpainted(self: Screen) -> None:
    app = self.app
    if not (app.is_headless and not app.is_inline and self is app.screen):
        _painted(self)
        return
    for widget in self._compositor.visible_widgets:
        # a widget just removed stays in the map until the next layout; a table paints its own
        if widget.is_attached and type(widget).render_line is Widget.render_line:
            widget._render()
    self._compositor._dirty_regions.clear()
    self._dirty_widgets.clear()
    app._update_mouse_over(self)


def leave_headless_frames_unpainted() -> None:
    Screen._compositor_refresh = _unpainted
