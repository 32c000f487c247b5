"""The letters' PDF compresses each page as it ends, so 10,000 letters fit the 150 MB target."""

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from assembly.invitations.sealed_pdf import SealedPagesPDF

LINE = "Your household has been chosen at random to take part in the assembly. " * 3


def _page(pdf: SealedPagesPDF, number: int) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in range(20):
        pdf.set_xy(20, 20 + line * 6)
        pdf.cell(170, 5, f"Page {number}, line {line}: {LINE[:80]}")


def test_a_page_is_compressed_when_the_next_one_begins() -> None:
    pdf = SealedPagesPDF(format="A4", unit="mm")
    _page(pdf, 1)
    _page(pdf, 2)
    held = bytes(pdf.pages[1].contents)
    drawn = zlib.decompress(held)
    assert b"Page 1, line 19" in drawn
    assert len(held) < len(drawn) / 3
    assert b"Page 2, line 0" in bytes(pdf.pages[2].contents)  # the open page is still drawn on


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_page_reads_back_the_last_one_too(tmp_path: Path) -> None:
    pdf = SealedPagesPDF(format="A4", unit="mm")
    for number in (1, 2, 3):
        _page(pdf, number)
    out = tmp_path / "sealed.pdf"
    pdf.write(str(out))
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info
    for number in (1, 2, 3):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), out, "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"Page {number}, line 19" in text.stdout
        assert "Syntax Error" not in text.stderr
    refs = re.findall(rb"/Resources (\d+) 0 R", out.read_bytes())
    assert len(refs) == 3 and len(set(refs)) == 1  # every page shares one resource dictionary
