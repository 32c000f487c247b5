"""QR codes for the room's address: text blocks for the terminal, SVG for the projector page.

segno makes both offline with no image library; error level M survives a smudged projector.
"""

from __future__ import annotations

import io

import segno
from markupsafe import Markup

from assembly.core.i18n import ENGLISH, Translator


def qr_text(url: str) -> str:
    """The code drawn with half blocks, two rows per line, to show in the terminal."""
    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue().rstrip("\n")


def qr_svg(url: str, tr: Translator = ENGLISH) -> Markup:
    """An inline SVG that scales with the page, named for screen readers in the page's language
    (markup to place in a page as it is: segno drew it, and the address in its label is
    escaped)."""
    svg = segno.make(url, error="m").svg_inline(scale=1, omitsize=True, border=2)
    label = tr.gettext("QR code for %(url)s", url=url)
    named = Markup('<svg role="img" aria-label="{}" ').format(label)  # not words
    return Markup(svg.replace("<svg ", named, 1))
