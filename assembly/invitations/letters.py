"""The letters: a print-ready PDF, one letter per page, or a mail-merge CSV for a print house.

Each page puts the address where a DL or C5 window envelope shows it (20 mm from the left,
45 mm from the top, 90 x 35 mm, as Royal Mail's guidance places it), then the assembly's text
from a Markdown template ($placeholders filled in; headings, paragraphs and **bold**), the
letter's short reference and a QR code of the registration address (the same code on every
letter, as councils print it, so the image is embedded once).

fpdf2 (pure Python, LGPL-3, maintained) writes the PDF: it embeds and subsets a TrueType font,
so any address in Unicode prints, and it needs no system library (reportlab's free edition
would also do, but embeds fonts the same way at about twice the install size). Each page is
compressed as it ends (`sealed_pdf`), so 10,000 letters stay within the command's 150 MB.
"""

from __future__ import annotations

import io
import json
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assembly.core.i18n import ENGLISH, N_, Translator, _
from assembly.invitations.errors import InvitationError
from assembly.invitations.purged import refuse_if_purged

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = TEMPLATES / "letter.md"
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
NOTO = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core
# Scripts DejaVu Sans does not cover well: Arabic and Urdu need joined letter forms, Bengali
# its conjuncts, so these languages print in a Noto font with HarfBuzz shaping (uharfbuzz,
# fpdf2's text shaping), Latin text (addresses, web addresses) falling back to DejaVu Sans.
SCRIPT_FONTS = {
    "ar": NOTO / "NotoNaskhArabic-Regular.ttf",  # not words
    "ur": NOTO / "NotoNaskhArabic-Regular.ttf",  # not words
    "bn": NOTO / "NotoSansBengali-Regular.ttf",  # not words
}
WINDOW = (20.0, 45.0, 90.0, 35.0)  # x, y, width, height in mm


@dataclass(frozen=True)
class Letter:
    reference: str
    lines: tuple[str, ...]
    postcode: str
    wave: int


@dataclass(frozen=True)
class LetterText:
    assembly: str
    registration_url: str
    phone: str
    deadline: str


def template_for(language: str | None) -> Path:
    """The shipped letter in `language` (`templates/letter.<lang>.md`; English when None), or
    InvitationError naming the languages there are."""
    if language is None or language.split("-")[0] == "en":
        return TEMPLATE
    for tag in (language, language.split("-")[0]):
        path = TEMPLATES / f"letter.{tag}.md"
        if path.is_file():
            return path
    shipped = sorted(p.name.split(".")[1] for p in TEMPLATES.glob("letter.*.md"))
    raise InvitationError(
        _(
            "there is no letter in %(language)s; shipped: %(shipped)s. Write one and give it "
            "with --template",
            language=language,
            shipped=", ".join(shipped),
        ),
        title=_("Cannot write the letters"),
    )


def letters_of(db: Database, wave: int | None) -> list[Letter]:
    """The drawn letters in print order (a wave's, or every wave's)."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so no letter can be printed"))
    where, params = ("where l.wave = ?", [wave]) if wave else ("", [])  # not words
    rows = db.execute(
        "select l.reference, a.lines, a.postcode, l.wave from invitation_letters l "
        f"join invitation_addresses a on a.id = l.address_id {where} order by l.wave, l.position",
        params,
    ).fetchall()
    if not rows:
        raise InvitationError(
            _("no letters have been drawn in wave %(wave)s", wave=wave)
            if wave
            else _("no letters have been drawn")
        )
    return [Letter(r, tuple(json.loads(lines)), pc, w) for r, lines, pc, w in rows]


def fill(template: str, text: LetterText) -> str:
    """The template with its $placeholders filled; an unknown one is refused by name."""
    try:
        return string.Template(template).substitute(
            assembly=text.assembly,
            registration_url=text.registration_url,
            phone=text.phone,
            deadline=text.deadline,
        )
    except KeyError as error:
        raise InvitationError(
            _(
                "the letter template uses $%(name)s, which is not one of $assembly, "
                "$registration_url, $phone, $deadline",
                name=error.args[0],
            ),
            title=_("Cannot use the template"),
        ) from None
    except ValueError as error:
        raise InvitationError(
            _("the letter template: %(error)s", error=error), title=_("Cannot use the template")
        ) from None


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """("heading" | "para", text) blocks: blank lines separate paragraphs."""
    blocks: list[tuple[str, str]] = []
    para: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("#"):
            if para:
                blocks.append(("para", " ".join(para)))
                para = []
            blocks.append(("heading", stripped.lstrip("#").strip()))
        elif not stripped:
            if para:
                blocks.append(("para", " ".join(para)))
                para = []
        else:
            para.append(stripped)
    return blocks


def _lay_out(
    pdf, family: str, blocks: list[tuple[str, str]]
) -> list[tuple[str, int, float, list[str], float]]:
    """The body's lines, broken once for every letter: (style, size, line height, lines, gap
    after) per block. Breaking the same text again on each page took most of the PDF's time
    (192 s for 10,000 letters). Lines are ragged right, as plain-English guidance asks, and a
    **bold** run that crosses a line break is closed and reopened so each line stands alone."""
    from fpdf.enums import MethodReturnValue

    out = []
    for kind, text in blocks:
        style, size, height, gap = ("B", 14, 7.0, 2.0) if kind == "heading" else ("", 11, 5.5, 2.5)
        pdf.set_font(family, style, size)
        lines = pdf.multi_cell(
            170,
            height,
            text,
            markdown=kind != "heading",
            dry_run=True,
            output=MethodReturnValue.LINES,
        )
        if kind == "heading":
            lines = [line.replace("**", "") for line in lines]
        else:
            lines = _balanced_bold(lines)
        out.append((style, size, height, lines, gap))
    return out


def _balanced_bold(lines: list[str]) -> list[str]:
    """Close an open ** at a line's end and reopen it at the next line's start."""
    balanced, open_bold = [], False
    for line in lines:
        text = ("**" if open_bold else "") + line
        if text.count("**") % 2:
            text += "**"
            open_bold = True
        else:
            open_bold = False
        balanced.append(text)
    return balanced


def _font(path: Path | None) -> Path | None:
    if path is not None:
        if not path.is_file():
            raise InvitationError(_("--font: %(path)s is not a font file", path=path))
        return path
    return next((p for p in FONTS if p.is_file()), None)


def write_pdf(
    out: Path,
    letters: Iterable[Letter],
    body: str,
    registration_url: str,
    *,
    font: Path | None = None,
    tr: Translator = ENGLISH,
) -> int:
    """Write the letters' PDF to `out` (owner-only); returns the pages written. The words
    printed around the template's text (addressee, reference, wave) are in `tr`'s language."""
    import segno

    from assembly.invitations.sealed_pdf import SealedPagesPDF

    pdf = SealedPagesPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    script_font = SCRIPT_FONTS.get(tr.language.split("-")[0]) if font is None else None
    font_path = _font(font)
    if script_font is not None:
        if not script_font.is_file():
            raise InvitationError(
                _(
                    "%(language)s letters need the font %(font)s (Debian's fonts-noto-core); "
                    "install it or give a font with --font",
                    language=tr.language,
                    font=script_font,
                ),
                title=_("Cannot write the letters"),
            )
        if font_path is not None:
            pdf.add_font("Latin", "", str(font_path))  # not words
            pdf.set_fallback_fonts(["Latin"], exact_match=False)  # not words
        font_path = script_font
        pdf.set_text_shaping(True)  # only these languages: the English path stays as fast
    if font_path is not None:
        pdf.add_font("Body", "", str(font_path))  # not words
        bold = font_path.with_name(font_path.stem + "-Bold" + font_path.suffix)  # not words
        pdf.add_font("Body", "B", str(bold if bold.is_file() else font_path))  # not words
        family = "Body"  # not words
    else:
        # latin-1 only: an address outside it is refused below
        family = "Helvetica"  # not words
    qr = io.BytesIO()
    segno.make(registration_url, error="m").save(qr, kind="png", scale=8, border=2)
    blocks = _blocks(body)
    laid_out = None
    pages = 0
    x, y, w, _h = WINDOW
    addressee = tr.gettext(N_("The resident"))
    side = "R" if tr.dir == "rtl" else "L"
    for letter in letters:
        pdf.add_page()
        if laid_out is None:  # fpdf2 measures text only on a page
            laid_out = _lay_out(pdf, family, blocks)
        pdf.set_font(family, "", 11)
        pdf.set_xy(x, y)
        try:
            address = "\n".join([*letter.lines, letter.postcode.upper()])
            pdf.multi_cell(w, 5, f"{addressee}\n{address}")
        except Exception as error:  # fpdf2 raises for text its font cannot show
            raise InvitationError(
                _(
                    "letter %(reference)s: the address cannot be printed in the font "
                    "(%(error)s); give a Unicode TrueType font with --font",
                    reference=letter.reference,
                    error=error,
                ),
                title=_("Cannot write the letters"),
            ) from None
        pdf.set_font(family, "", 9)
        pdf.set_xy(130, 20)
        reference = tr.gettext(N_("Reference: %(reference)s"), reference=letter.reference)
        wave_text = tr.gettext(N_("Wave %(wave)s"), wave=letter.wave)
        pdf.multi_cell(60, 4.5, f"{reference}\n{wave_text}", align="R")
        pdf.image(qr, x=160, y=45, w=30, h=30)
        pdf.set_xy(20, 95)
        for style, size, height, lines, gap in laid_out:
            pdf.set_font(family, style, size)
            for line in lines:
                pdf.cell(
                    170, height, line, markdown=True, new_x="LMARGIN", new_y="NEXT", align=side
                )
            pdf.ln(gap)
        pdf.set_font(family, "", 9)
        pdf.set_xy(20, 280)
        pdf.cell(
            170,
            5,
            tr.gettext(
                N_("Please quote %(reference)s when you sign up."), reference=letter.reference
            ),
            align="C",
        )
        pages += 1
    from assembly.core.safe_output import private_umask

    with private_umask():
        pdf.write(str(out))
    out.chmod(0o600)
    return pages


def mail_merge_csv(letters: Iterable[Letter], tr: Translator = ENGLISH) -> str:
    """The print house's file: reference, wave, addressee, up to six address lines, postcode.
    The addressee is printed on the letter, in `tr`'s language; the headings stay as they are."""
    from assembly.core.safe_output import csv_text

    addressee = tr.gettext(N_("The resident"))
    rows = []
    for letter in letters:
        lines = [*letter.lines[:6], *[""] * (6 - len(letter.lines[:6]))]
        rows.append([letter.reference, letter.wave, addressee, *lines, letter.postcode.upper()])
    header = ["reference", "wave", "addressee", *[f"address_{i}" for i in range(1, 7)], "postcode"]
    return csv_text(header, rows)
