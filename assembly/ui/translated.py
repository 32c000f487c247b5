"""Keys in the working language: a screen's footer, the keys panel and the palette show each
key's description (and tooltip) translated (`assembly.core.i18n`), while the code keeps the
English one in its BINDINGS. Textual's own widgets (a table's Cursor up, an input's Select all)
are described in it too: their words are marked in `assembly.ui.textual_words`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from assembly.core.i18n import Translator, working

# Where a node keeps its keys as they were written, and the language they are described in.
_WRITTEN = "_keys_as_written"  # not words


def _described(binding: Binding, words: Translator) -> Binding:
    changes = {
        name: words.gettext(text)
        for name, text in (("description", binding.description), ("tooltip", binding.tooltip))
        if text
    }
    return replace(binding, **changes) if changes else binding


def translate_bindings(node: DOMNode) -> None:
    """Describe each of `node`'s keys in the working language. Textual copies a class's
    BINDINGS into each node (`_bindings`) as it is made, so the class keeps its English and
    every screen opened later follows the language the file works in. Calling it again is
    cheap and never translates twice: the keys as written are kept, so a node made before the
    file's language was known is described anew, and a key added since is taken as written."""
    keys = node._bindings.key_to_bindings
    words = working()
    language, written, shown = getattr(node, _WRITTEN, (None, {}, {}))
    if language is words and all(shown.get(key) is bindings for key, bindings in keys.items()):
        return
    written = {
        key: written[key] if shown.get(key) is bindings else bindings
        for key, bindings in keys.items()
    }
    shown = {key: [_described(b, words) for b in bindings] for key, bindings in written.items()}
    keys.update(shown)
    setattr(node, _WRITTEN, (words, written, shown))


class InWorkingLanguage:
    """First base of a screen, dialog or widget whose keys the footer shows. On a screen, the
    keys of the focused widget and of everything around it (Textual's tables, inputs, lists,
    the app) are described in the working language before the footer or keys panel reads
    them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]

    @property
    def active_bindings(self) -> Any:
        focused = self.focused  # type: ignore[attr-defined]
        for node in focused.ancestors_with_self if focused is not None else (self, self.app):  # type: ignore[attr-defined]
            translate_bindings(node)
        return super().active_bindings  # type: ignore[misc]
