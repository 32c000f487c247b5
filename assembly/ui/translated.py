"""Keys in the working language: a screen's footer and the palette show each key's description
translated (`assembly.core.i18n`), while the code keeps the English one in its BINDINGS."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.dom import DOMNode

from assembly.core.i18n import _


def translate_bindings(node: DOMNode) -> None:
    """Swap each of `node`'s keys for one described in the working language. Textual copies a
    class's BINDINGS into each node (`_bindings`) as it is made, so the class keeps its English
    and every screen opened later follows the language the file works in."""
    keys = node._bindings.key_to_bindings
    for key, bindings in keys.items():
        keys[key] = [
            replace(binding, description=_(binding.description)) if binding.description else binding
            for binding in bindings
        ]


class InWorkingLanguage:
    """First base of a screen, dialog or widget whose keys the footer shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]
