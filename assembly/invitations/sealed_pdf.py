"""An fpdf2 document that compresses each page as it ends, for PDFs of thousands of pages.

fpdf2 keeps every page's drawing commands uncompressed until it writes the file: about 3 kB a
letter, 32 MB for 10,000 letters, which with fpdf2's own imports put the letters command over
its 150 MB. Each page is compressed when its footer is drawn (fpdf2 calls `footer()` as a page
ends, the last one when the file is written), so a page holds about 1 kB, and the writer only
marks the streams as compressed instead of compressing them again.
"""

from __future__ import annotations

import zlib

from fpdf import FPDF
from fpdf.output import OutputProducer
from fpdf.syntax import Name


class SealedPagesPDF(FPDF):
    """FPDF whose pages are compressed as they end; write it with `write`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compress = False  # each page is compressed once, in footer()
        self.single_resources_object = True  # one /Resources for every page, not 10,000

    def footer(self) -> None:
        page = self.pages[self.page]
        page.contents = bytearray(zlib.compress(bytes(page.contents)))

    def write(self, path: str) -> None:
        self.output(path, output_producer_class=_SealedPagesProducer)


class _SealedPagesProducer(OutputProducer):
    """fpdf2's writer, with every page's stream marked as the Flate data it already is."""

    def _add_pages(self, _slice: slice = slice(0, None)):
        pages = super()._add_pages(_slice)
        for page in pages:
            page.contents.filter = Name("FlateDecode")  # not words
        return pages
