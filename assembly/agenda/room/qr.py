"""QR codes for the room's address: text blocks for the terminal, SVG for the projector page.

segno makes both offline with no image library; error level M survives a smudged projector.
"""

from __future__ import annotations

import html
import io

import segno


def qr_text(url: str) -> str:
    """The code drawn with half blocks, two rows per line, to show in the terminal."""
    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue().rstrip("\n")


def qr_svg(url: str) -> str:
    """An inline SVG that scales with the page, named for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=1, omitsize=True, border=2)
    label = html.escape(f"QR code for {url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
