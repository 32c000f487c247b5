"""The "you said, we did" report in residents' languages: Welsh words, Welsh dates, the right
`lang` and `dir`, residents' words as written, bilingual layouts, and refusals that change
nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core import i18n
from assembly.store import AssemblyFile
from tests.core.test_i18n import unmarked_text

from .conftest import fill_log

PARTS = Path(i18n.PACKAGE, "feedback", "templates", "report_parts.html")


def _report(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["log", "report", str(path), "--today", "2026-10-18", *args])
    return result.exit_code, result.output


def test_report_template_has_no_unmarked_words() -> None:
    assert unmarked_text(PARTS.read_text(encoding="utf-8")) == []


def test_welsh_report_in_welsh_with_welsh_dates(empty_file: AssemblyFile, clock) -> None:
    fill_log(empty_file, clock)
    code, page = _report(empty_file.path, "--format", "html", "--lang", "cy")
    assert code == 0, page
    assert '<html lang="cy" dir="ltr">' in page
    assert "Dywedoch chi:" in page and "You said:" not in page
    assert "18 Hydref 2026" in page  # Babel's Welsh month, not 2026-10-18
    assert "Cofnod yn gyfan" in page
    # residents' words are shown as written, isolated in their own direction
    assert "<bdi>Residents asked for: car-free saturdays on the high street.</bdi>" in page


def test_arabic_report_runs_right_to_left(empty_file: AssemblyFile, clock) -> None:
    fill_log(empty_file, clock)
    code, page = _report(empty_file.path, "--format", "html", "--lang", "ar")
    assert code == 0, page
    assert '<html lang="ar" dir="rtl">' in page
    assert "ما قلتموه:" in page and "You said:" not in page
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align: (left|right)", page)


def test_bilingual_side_by_side_and_welsh_first(empty_file: AssemblyFile, clock) -> None:
    fill_log(empty_file, clock)
    code, side = _report(empty_file.path, "--format", "html", "--bilingual", "side")
    assert code == 0, side
    assert side.count('class="pair"') == 1 + 5 + 5  # intro, 5 bodies, 5 items
    assert side.index('<div lang="cy"') < side.index('<div lang="en-GB"')
    ids = re.findall(r'id="([^"]+)"', side)
    assert len(ids) == len(set(ids)) == 10
    code, first = _report(empty_file.path, "--format", "md", "--bilingual", "first")
    assert code == 0
    welsh, english = first.split("\n---\n")
    assert "Dywedoch chi" in welsh and "You said:" in english and "Dywedoch" not in english


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "xx-!"], "is not a language tag"),
        (["--lang", "fr"], "no catalogue"),
        (["--format", "csv", "--lang", "cy"], "stay in English"),
        (["--format", "md", "--bilingual", "side"], "needs --format html"),
        (["--lang", "en", "--bilingual", "first"], "adds English"),
    ],
)
def test_report_language_refusals(empty_file: AssemblyFile, clock, args, message) -> None:
    fill_log(empty_file, clock)
    out = empty_file.path.with_name("out.html")
    code, text = _report(empty_file.path, "-o", str(out), *args)
    assert code == 2 and message in text and "Traceback" not in text
    assert not out.exists()


def _ideas_report(empty_file: AssemblyFile, clock, ideas: list[tuple[str, str]], lang=None):
    """Ideas recorded by the sessions' service in their languages, taken into the log, and
    the published HTML report in `lang` (English when None)."""
    from datetime import date

    from assembly.feedback import reports, writes
    from assembly.sessions.ideas import add_idea

    db = empty_file.db()
    for text, language in ideas:
        add_idea(db, session_id=None, text=text, clock=clock, language=language)
    writes.track_ideas(db, actor="Assembly organiser", clock=clock)
    report = reports.build_report(db, date(2026, 10, 18))
    return reports.to_html(report, reports.report_translator(lang))


def _marks(page: str, words: str) -> list[str]:
    """The attributes of every element whose text is exactly `words`."""
    return re.findall(rf"<bdi([^>]*)>{re.escape(words)}</bdi>", page)


def test_an_idea_written_in_polish_is_marked_polish_in_the_report(
    empty_file: AssemblyFile, clock
) -> None:
    page = _ideas_report(empty_file, clock, [("Więcej ławek w parku", "pl")])
    marks = _marks(page, "Więcej ławek w parku")
    assert len(marks) == 2, page  # the heading's title and "You said:"
    assert all('lang="pl"' in m and 'dir="auto"' in m for m in marks), marks


def test_an_idea_written_in_urdu_runs_right_to_left(empty_file: AssemblyFile, clock) -> None:
    page = _ideas_report(empty_file, clock, [("پارک میں مزید بینچ", "ur")])
    marks = _marks(page, "پارک میں مزید بینچ")
    assert len(marks) == 2 and all('lang="ur" dir="rtl"' in m for m in marks), marks


def test_words_in_the_pages_own_language_carry_no_lang(empty_file: AssemblyFile, clock) -> None:
    ideas = [("More benches in the park", "en-GB"), ("Shade by the pond", "en"), ("Typed", "")]
    page = _ideas_report(empty_file, clock, ideas)
    for text, _ in ideas:
        assert _marks(page, text) == ["", ""], text


def test_an_english_idea_is_marked_english_in_a_welsh_report(
    empty_file: AssemblyFile, clock
) -> None:
    page = _ideas_report(empty_file, clock, [("More benches in the park", "en-GB")], "cy")
    assert _marks(page, "More benches in the park") == [' lang="en-GB" dir="auto"'] * 2


def test_what_officers_typed_stays_in_the_pages_language(empty_file: AssemblyFile, clock) -> None:
    """The response is the council's words: no lang of its own, even when the resident's idea
    has one; the CSV says what the resident wrote in."""
    import csv
    import io
    from datetime import date

    from assembly.feedback import reports, writes

    _ideas_report(empty_file, clock, [("Więcej ławek w parku", "pl")])
    db = empty_file.db()
    writes.record(db, 1, actor="Sam", clock=clock, response="We will add ten.")
    report = reports.build_report(db, date(2026, 10, 18))
    page = reports.to_html(report)
    assert _marks(page, "We will add ten.") == [""]
    assert _marks(page, "Więcej ławek w parku") == [' lang="pl" dir="auto"'] * 2
    (row,) = csv.DictReader(io.StringIO(reports.to_csv(report)))
    assert row["written_in"] == "pl" and row["you_said"] == "Więcej ławek w parku"


def test_an_idea_an_officer_retitled_keeps_its_language_only_where_still_its_words(
    empty_file: AssemblyFile, clock
) -> None:
    """The new title is the officer's words, in the page's language; "You said" is still the
    resident's Polish."""
    from datetime import date

    from assembly.feedback import reports, writes

    _ideas_report(empty_file, clock, [("Więcej ławek w parku", "pl")])
    db = empty_file.db()
    writes.record(db, 1, actor="Sam", clock=clock, title="Benches in Victoria Park")
    page = reports.to_html(reports.build_report(db, date(2026, 10, 18)))
    assert _marks(page, "Benches in Victoria Park") == [""]
    assert _marks(page, "Więcej ławek w parku") == [' lang="pl" dir="auto"']
    writes.record(db, 1, actor="Sam", clock=clock, description="More benches, said in Polish.")
    page = reports.to_html(reports.build_report(db, date(2026, 10, 18)))
    assert _marks(page, "More benches, said in Polish.") == [""]
