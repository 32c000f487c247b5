"""The published result of a PB round in residents' languages (issue 22): every fixed word
through the catalogue, `lang` and `dir` on the page, money and numbers the language's way, the
explanations worded again in the page's language from the facts the count stored, residents'
and officers' words as written, and `budget publish --lang` refusing plainly. The CSV and the
.pb file stay exactly as they were."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from assembly.budgets import ballots, explain, publish, results, rounds
from assembly.budgets.outcome import ProjectFate
from assembly.cli import main
from assembly.core import i18n
from assembly.core.clock import local
from assembly.core.money import Money
from assembly.store import write_transaction
from tests.core.test_i18n import unmarked_text

TEMPLATE = Path(i18n.PACKAGE, "budgets", "templates", "result.html")
# Words the test's people wrote: shown as written in every language.
WRITTEN = ("Greenfield 2027", "Benches", "Library hours", "Bike racks", "Pier")


@pytest.fixture
def counted(db, clock) -> int:
    """A round counted by Equal Shares completed by Add1 (a note from the core), with a project
    kept off the ballot by its review and an override each way."""
    rid = rounds.create_round(
        db,
        title="Greenfield 2027",
        budget_pence=100_000,
        rule="mes-add1",
        ballot_form="approval",
        clock=clock,
    )
    for title, cost in (("Benches", 30_000), ("Library hours", 60_000), ("Bike racks", 40_000)):
        p = rounds.add_project(db, rid, title=title, cost_pence=cost, actor="Ann", clock=clock)
        rounds.review_project(db, rid, p.ref, status="feasible", actor="Bo", clock=clock)
    pier = rounds.add_project(db, rid, title="Pier", cost_pence=1_000, actor="Ann", clock=clock)
    rounds.review_project(
        db, rid, pier.ref, status="not_feasible", reason="زمین", actor="Bo", clock=clock
    )
    rounds.open_voting(db, rid, clock=clock)
    for n, marks in enumerate([{"1": 1}, {"1": 1, "3": 1}, {"2": 1}, {"2": 1}, {"3": 1, "2": 1}]):
        ballots.cast_ballot(db, rid, voter=f"V{n}", marks=marks, clock=clock)
    rounds.close_voting(db, rid, clock=clock)
    results.count_round(db, rid, actor="Ann", clock=clock)
    results.override(db, rid, "1", "unfund", reason="Ŵ-1", actor="Ŵ", clock=clock)
    results.override(db, rid, "3", "fund", reason="Ŵ-3", actor="Ŵ", clock=clock)
    return rid


def _page(db, rid: int, language: str) -> str:
    return publish.publish(db, rid, "html", translator=i18n.translator(language))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._skip += tag == "style"

    def handle_endtag(self, tag) -> None:
        self._skip -= tag == "style"

    def handle_data(self, data) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _plain_english(page: str, *leave: str) -> list[str]:
    reader = _Text()
    reader.feed(page)
    found = []
    for text in reader.texts:
        for words in (*WRITTEN, *leave):
            text = text.replace(words, "")
        if re.search(r"[A-Za-z]{3}", text):
            found.append(text)
    return found


def test_the_template_has_no_unmarked_words() -> None:
    assert unmarked_text(TEMPLATE.read_text(encoding="utf-8")) == []
    source = TEMPLATE.read_text(encoding="utf-8")
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align: (left|right)", source)


def test_the_page_in_the_pseudo_locale_shows_no_plain_english(db, counted) -> None:
    page = _page(db, counted, i18n.PSEUDO)
    assert '<html lang="en-XA" dir="ltr">' in page
    result = results.published_result(db, counted)
    # the time of the count: Babel's English month in the pseudo-locale
    counted_at = i18n.translator(i18n.PSEUDO).datetime(local(result.counted_at, "Europe/London"))
    assert _plain_english(page, counted_at) == []
    assert "Àðð1 ŕàîšéð" in page  # the core's note, worded again


@pytest.mark.parametrize(
    ("language", "direction"),
    [("cy", "ltr"), ("pl", "ltr"), ("ur", "rtl"), ("bn", "ltr"), ("ar", "rtl"), ("ro", "ltr")],
)
def test_the_page_in_each_language(db, counted, language: str, direction: str) -> None:
    tr = i18n.translator(language)
    page = _page(db, counted, language)
    assert f'<html lang="{language}" dir="{direction}">' in page
    for message in ("Every project", "Decisions after the count", "Counting rule", "Why"):
        assert f">{escape(tr.gettext(message))}<" in page
    assert escape(tr.gettext("Method of Equal Shares, completed by Add1")) in page
    result = results.published_result(db, counted)
    for row in result.rows:
        assert escape(row.explanation_in(tr)) in page
    # the officers' words, as written, and isolated on a right-to-left page
    if direction == "rtl":
        assert "<bdi>Ŵ-1</bdi>" in page and "<bdi>Bike racks</bdi>" in page
    assert "Ŵ-3" in page and "زمین" in page
    # money and numbers the language's way
    assert f"<dd>{tr.money(Money(100_000, 'GBP'))}</dd>" in page
    assert f"<dd>{tr.number(5)}</dd>" in page


def test_welsh_words_numbers_and_explanations(db, counted) -> None:
    tr = i18n.translator("cy")
    page = _page(db, counted, "cy")
    assert '<html lang="cy" dir="ltr">' in page
    for english in ("Every project", "Decisions after the count", "Not funded", "Funded in"):
        assert english not in page
    result = results.published_result(db, counted)
    row = result.row("2")
    funded = row.explanation_in(tr)
    assert funded == explain.explain(explain.fate_from_json("2", row.facts), tr)
    assert funded != row.explanation and escape(funded) in page
    off = result.row("4").explanation_in(tr)
    assert off == tr.gettext(
        "Not on the ballot: %(status)s (%(reason)s).",
        status=tr.gettext("Not feasible").lower(),
        reason="زمین",
    )
    assert escape(off) in page


def test_numbers_in_the_page_language() -> None:
    """A Polish page writes the amounts of an explanation the Polish way; the stored text (the
    working language) keeps them as it always did."""
    fate = ProjectFate(
        "7",
        False,
        2,
        reason="no-money",
        votes=1200,
        money_left=Fraction(123456, 100),
        more_supporters=1500,
        lower_cost_by=Fraction(1, 3),
    )
    english = explain.explain(fate)
    assert "1200 supporters" in english and "1,234.56 left" in english
    polish = i18n.translator("pl")
    worded = explain.explain(fate, polish)
    assert worded == polish.gettext(
        "Not funded: it dropped out after round %(round)s, when its %(votes)s supporters "
        "had only %(left)s left between them; it would have needed a cost %(lower)s lower, "
        "or about %(more)s more supporters.",
        round=i18n.Number(2),
        votes=i18n.Number(1200),
        left="1\u00a0234,56",
        lower="0,33",
        more=i18n.Number(1500),
    )


def test_an_english_page_rewords_nothing_that_was_stored(db, counted) -> None:
    result = results.published_result(db, counted)
    for row in result.rows:
        assert row.explanation_in(i18n.ENGLISH) == row.explanation
    page = _page(db, counted, "en-GB")
    assert '<html lang="en-GB" dir="ltr">' in page
    assert "Benches: not funded by Ŵ, because: Ŵ-1" in page
    assert "Add1 raised each voter" in page and 'lang="en"' not in page


def test_an_old_count_without_the_facts_still_publishes(db, counted) -> None:
    """A count stored before the facts were kept shows its stored text; a note the page does not
    know is shown as stored, marked English on a Welsh page."""
    stored = json.loads(db.execute("select result from pb_counts").fetchone()[0])
    for facts in stored["explanations"].values():
        del facts["stage"]
    stored["notes"] = ["Counted on a calm day."]
    with write_transaction(db):
        db.execute(
            "insert into pb_counts (round_id, counted_at, actor, ballots, result) "
            "values (?, ?, ?, ?, ?)",
            [counted, "2026-11-27T10:00:00Z", "Ann", 5, json.dumps(stored)],
        )
    result = results.published_result(db, counted)
    page = _page(db, counted, "cy")
    for row in result.rows[:3]:
        assert row.explanation_in(i18n.translator("cy")) == row.explanation
    assert '<p lang="en" dir="ltr">Counted on a calm day.</p>' in page


def test_the_csv_and_the_pb_file_are_the_same_in_any_language(db, counted) -> None:
    csv = publish.publish(db, counted, "csv", translator=i18n.translator("cy"))
    assert csv == publish.publish(db, counted, "csv")
    assert csv.startswith("project,title,cost,review,counted outcome,override")
    assert "Feasible" in csv and "Funded in round" in csv
    pb = publish.publish(db, counted, "pb", translator=i18n.translator("ur"))
    assert pb == publish.publish(db, counted, "pb")


def _publish(path: Path, *args: str):
    return CliRunner().invoke(main, ["budget", "publish", str(path), *args])


def test_publish_lang_writes_the_welsh_page(assembly, counted, tmp_path: Path) -> None:
    path = assembly.path
    assembly.close()
    out = tmp_path / "result.html"
    done = _publish(path, "--format", "html", "--out", str(out), "--lang", "cy")
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="cy" dir="ltr">' in page
    assert f">{escape(i18n.translator('cy').gettext('Every project'))}<" in page
    default = tmp_path / "default.html"
    assert _publish(path, "--format", "html", "--out", str(default)).exit_code == 0
    assert '<html lang="en-GB" dir="ltr">' in default.read_text(encoding="utf-8")


def test_publish_follows_the_working_language(assembly, counted, tmp_path: Path) -> None:
    from assembly.store import languages

    languages.set_languages(assembly.db(), working="ur")
    path = assembly.path
    assembly.close()
    out = tmp_path / "result.html"
    try:
        done = _publish(path, "--format", "html", "--out", str(out))
    finally:
        i18n.use_working_language("en")
    assert done.exit_code == 0, done.output
    assert '<html lang="ur" dir="rtl">' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html", "--lang", "xx-!"], "is not a language tag"),
        (["--format", "html", "--lang", "fr"], "no catalogue"),
        (["--format", "csv", "--lang", "cy"], "stay in English"),
        (["--format", "pb", "--lang", "cy"], "stay in English"),
    ],
)
def test_publish_lang_refusals_write_nothing(
    assembly, counted, tmp_path: Path, args, message
) -> None:
    path = assembly.path
    assembly.close()
    out = tmp_path / "out.html"
    done = _publish(path, "--out", str(out), *args)
    assert done.exit_code == 2, done.output
    assert message in done.output and "Traceback" not in done.output
    assert not out.exists()
