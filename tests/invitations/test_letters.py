"""The letters: one page per letter, the address in the envelope window, the reference, the
QR code, a reading-age check on the template, and a mail-merge CSV with formulas neutralised."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assembly.invitations.readability import check_text, syllables
from tests.invitations.conftest import SEED, run


@pytest.fixture
def drawn(framed: Path) -> Path:
    run("invitations", "draw", framed, "--letters", 12, "--seed", SEED)
    return framed


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_has_one_letter_per_page_with_address_and_reference(
    drawn: Path, tmp_path: Path
) -> None:
    out = tmp_path / "letters.pdf"
    printed = run("invitations", "letters", drawn, out, "--url", "https://kb.example/join").output
    assert "Wrote 12 letters" in printed and "reading age about" in printed
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+12$", info, re.M)
    import sqlite3

    with sqlite3.connect(drawn) as conn:
        first = conn.execute(
            "select l.reference, a.lines, a.postcode from invitation_letters l join "
            "invitation_addresses a on a.id = l.address_id order by position limit 1"
        ).fetchone()
    # the window: 20-110 mm across, 45-80 mm down (A4 is 210 x 297 mm = 595 x 842 pt)
    mm = 72 / 25.4
    window = subprocess.run(
        [
            "pdftotext",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            str(int(20 * mm)),
            "-y",
            str(int(45 * mm)),
            "-W",
            str(int(90 * mm)),
            "-H",
            str(int(35 * mm)),
            out,
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "The resident" in window and first[2] in window
    page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", out, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert first[0] in page and "https://kb.example/join" in page and "Dear resident" in page


def test_mail_merge_csv_neutralises_formulas(tmp_path: Path, assembly_path: Path) -> None:
    frame = tmp_path / "a.csv"
    frame.write_text('uprn,address,postcode\n1,=HYPERLINK("x"),E1 4AB\n2,2 High St,E1 4AB\n')
    run("invitations", "addresses", assembly_path, frame)
    run("invitations", "draw", assembly_path, "--letters", 2, "--seed", SEED)
    out = tmp_path / "merge.csv"
    run("invitations", "letters", assembly_path, out, "--csv")
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][:3] == ["reference", "wave", "addressee"]
    cells = [c for r in rows for c in r]
    assert not any(c.startswith("=") for c in cells)
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_a_template_with_an_unknown_placeholder_is_refused(drawn: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.md"
    template.write_text("Hello $name\n")
    out = run(
        "invitations", "letters", drawn, tmp_path / "x.pdf", "--template", template, code=2
    ).output
    assert "$name" in out and not (tmp_path / "x.pdf").exists()


def test_reading_age_flags_hard_text() -> None:
    plain = check_text("Your home was picked at random. You can sign up. It is free.")
    hard = check_text(
        "Notwithstanding the aforementioned considerations, deliberative democratic institutions "
        "necessitate comprehensive representativeness, administratively operationalised through "
        "stratified randomisation methodologies incorporating sociodemographic characteristics."
    )
    assert plain.plain and plain.reading_age < 9
    assert not hard.plain and hard.reading_age > 16


@pytest.mark.parametrize(
    ("word", "count"), [("the", 1), ("letter", 2), ("assembly", 3), ("randomly", 3)]
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_a_bold_run_across_a_line_break_stays_bold_on_both_lines() -> None:
    """The body is broken into lines once for every letter; each line is drawn on its own, so a
    ** run that wraps must be closed and reopened."""
    from assembly.invitations.letters import _balanced_bold

    lines = ["**How to sign up:** scan the **code, or", "go to** the site.", "plain"]
    assert _balanced_bold(lines) == [
        "**How to sign up:** scan the **code, or**",
        "**go to** the site.",
        "plain",
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("cy", ("Annwyl breswylydd", "Y preswylydd", "Cyfeirnod:")),
        ("pl", ("Szanowni Państwo", "Mieszkaniec", "Numer:")),
        ("ro", ("Dragă locatar", "Locatarul", "Referință:")),
    ],
)
def test_letters_in_latin_script_languages(
    drawn: Path, tmp_path: Path, language: str, words: tuple[str, ...]
) -> None:
    """--lang: the language's template and its words around it (the catalogue's)."""
    out = tmp_path / "letters.pdf"
    printed = run("invitations", "letters", drawn, out, "--lang", language).output
    assert "Wrote 12 letters" in printed and "reading age" not in printed
    page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", out, "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in words:
        assert word in page, page
    assert "Dear resident" not in page and "The resident" not in page


def test_a_language_without_a_letter_is_refused(drawn: Path, tmp_path: Path) -> None:
    out = tmp_path / "letters.pdf"
    result = run("invitations", "letters", drawn, out, "--lang", "fr", code=2)
    assert "no letter in fr" in result.output and not out.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", ("عزيزي المقيم", "المرجع", "يرجى ذكر")),
        ("bn", ("প্রিয় বাসিন্দা", "রেফারেন্স:")),
        ("ur", ("محترم رہائشی", "حوالہ")),
    ],
)
def test_arabic_bengali_and_urdu_letters_print_their_script(
    drawn: Path, tmp_path: Path, language: str, words: tuple[str, ...]
) -> None:
    """The Noto font covers the script and HarfBuzz shapes it: pdftotext reads the words back
    (joined Arabic letters come back as the letters typed), and the Latin address still prints."""
    from assembly.invitations.letters import SCRIPT_FONTS

    if not SCRIPT_FONTS[language].is_file():
        pytest.skip("Debian's fonts-noto-core is not installed")
    pytest.importorskip("uharfbuzz", reason="uharfbuzz (text shaping) is not installed")
    out = tmp_path / f"letters-{language}.pdf"
    run("invitations", "letters", drawn, out, "--lang", language, "--url", "https://kb.example/j")
    page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", out, "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext marks embedded runs with bidi controls and spaces a Bengali vowel sign from its
    # consonant: compare the letters themselves
    bare = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", page)
    for word in words:
        assert word.replace(" ", "") in bare, page
    assert "https://kb.example/j" in bare and "Dearresident" not in bare
