"""The footer every screen shares: the screen's keys, as many as fit, then Ctrl+P.

A translation can run longer than the English the footers were laid out for (Welsh, and the
pseudo-locale's 40% longer words). Keys that would run under the palette key or off the edge
are hidden instead of cut: every screen's purpose line names all its keys, and the palette
(Ctrl+P) lists them all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer


class KeysFooter(Footer):
    def compose(self) -> ComposeResult:
        self.call_after_refresh(self._fit)  # once the keys are laid out, each time they change
        for widget in super().compose():
            if self.compact and not widget.has_class("-command-palette"):
                # set before mounting, as the key's data-bound `compact` will: Textual adds it
                # from a watcher after the key's styles are applied, which styled every key
                # twice each time the footer recomposed (11 s of the suite's CPU, py-spy)
                widget.add_class("-compact", update=False)
            yield widget

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Hide the keys, from the first that does not fit to the last, so none is cut. Widths
        come from each key's own text, so they are right before the keys are laid out."""
        if not self.size.width:
            return
        keys = list(self.query("FooterKey"))
        palette = sum(_width(key) for key in keys if key.has_class("-command-palette"))
        room = self.size.width - palette
        used = 0
        fits = True
        for key in keys:
            if key.has_class("-command-palette"):
                continue
            used += _width(key)
            fits = fits and used - key.styles.margin.right <= room  # the last needs no gap
            if key.display != fits:
                key.display = fits


def _width(key: Widget) -> int:
    """Columns a footer key takes: its text, padding, border and margins."""
    margin = key.styles.margin
    return key.render().cell_len + key.styles.gutter.width + margin.left + margin.right
