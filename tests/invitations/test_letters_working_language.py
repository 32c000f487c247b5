"""`assembly invitations letters` with no --lang prints in the file's working language, and the
default sign-up date is said in the letter's language (issue 22)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assembly.core import i18n
from assembly.store import languages, open_assembly
from tests.invitations.conftest import SEED, run

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed"
)


@pytest.fixture
def drawn(framed: Path) -> Path:
    run("invitations", "draw", framed, "--letters", 3, "--seed", SEED)
    return framed


def _working(path: Path, language: str) -> None:
    assembly = open_assembly(path)
    languages.set_languages(assembly.db(), working=language)
    assembly.close()


def _first_page(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_welsh_assemblys_letters_are_welsh(drawn: Path, tmp_path: Path) -> None:
    _working(drawn, "cy")
    out = tmp_path / "llythyrau.pdf"
    run("invitations", "letters", drawn, out)
    page = _first_page(out)
    assert "Annwyl breswylydd" in page and "Cyfeirnod:" in page, page
    assert "Dear resident" not in page and "The resident" not in page


def test_an_english_assemblys_letters_read_as_they_did(drawn: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters.pdf"
    printed = run("invitations", "letters", drawn, out).output
    assert "reading age about" in printed
    page = _first_page(out)
    assert "Dear resident" in page and "the date on our website" in page


def test_the_default_sign_up_date_is_in_the_letters_language(drawn: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters.pdf"
    run("invitations", "letters", drawn, out, "--lang", i18n.PSEUDO)
    page = " ".join(_first_page(out).split())
    assert "the date on our website" not in page
    assert i18n.pseudo("the date on our website").split("·")[0].strip() in page, page
    run("invitations", "letters", drawn, out, "--lang", i18n.PSEUDO, "--deadline", "1 May")
    assert "1 May" in _first_page(out)  # what the officer typed, as typed
