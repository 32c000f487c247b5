"""The published result of a PB round as a `.pb` file, a CSV and an HTML page.

The CSV goes through the one export layer (`assembly.core.safe_output`: formulas neutralised);
the HTML page is `templates/result.html`, rendered by the app's one Jinja2 environment
(`assembly.core.html`: autoescape on).

The page is in a language of the residents' (`publish(..., translator=...)`; the command's
`--lang`, by default the assembly's working language): every fixed word through the
catalogue, money, numbers and the time of the count the language's way, and each project's
explanation worded again in that language from the facts the count stored. What people wrote
(project titles, the officers' reasons) is shown as written. The CSV and the `.pb` file are
read by machines: their columns and tokens stay English, whatever the page's language.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlite_utils import Database

from assembly.budgets.pbfile import format_pb
from assembly.budgets.results import PublishedResult, election_of, published_result
from assembly.budgets.rounds import RULE_WORDS, STATUS_LABELS
from assembly.core.clock import local
from assembly.core.html import own_words, render
from assembly.core.i18n import ENGLISH, N_, SOURCE_LANGUAGE, Translator, working
from assembly.core.money import Money
from assembly.core.safe_output import csv_text

FORMATS = ("pb", "csv", "html")
# The published CSV's columns and outcomes (a file others read by its columns): as written.
CSV_HEADER = (
    "project",
    "title",
    "cost",
    "review",
    "counted outcome",  # not words
    "override",
    "override reason",  # not words
    "final outcome",  # not words
    "explanation",
)
DEFAULT_TIMEZONE = "Europe/London"  # not words
# The notes the counting core writes (in English: it imports nothing of the app), known here
# so the page words them in its own language.
_ADD1_NOTE = re.compile(r"Add1 raised each voter's share (\d+) times\.")
# Hebrew, Arabic, Syriac, Thaana, N'Ko and the Arabic presentation forms.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_NOTES = {
    "More voters preferred the greedy outcome, so it was chosen.": N_(
        "More voters preferred the greedy outcome, so it was chosen."
    ),
    "The comparison with greedy kept the Equal Shares outcome.": N_(
        "The comparison with greedy kept the Equal Shares outcome."
    ),
}


def _outcome(funded: bool) -> str:
    return "funded" if funded else "not funded"  # not words


def result_csv(result: PublishedResult) -> str:
    rows = []
    for row in result.rows:
        rows.append(
            (
                row.ref,
                row.title,
                f"{row.cost_pence / 100:.2f}",
                STATUS_LABELS[row.status],
                _outcome(row.computed),
                row.override.action if row.override else "",
                row.override.reason if row.override else "",
                _outcome(row.final),
                row.explanation,
            )
        )
    return csv_text(CSV_HEADER, rows)


def _english(tr: Translator) -> bool:
    return tr.language.split("-")[0].lower() == SOURCE_LANGUAGE


def note_in(note: str, tr: Translator) -> tuple[str, str]:
    """A note of the count in `tr`'s language, with '' (it is in the page's language); a note
    this page does not know is shown as stored, with "en" when the page is not English."""
    add1 = _ADD1_NOTE.fullmatch(note)
    if add1:
        times = int(add1.group(1))
        return (
            tr.ngettext(
                "Add1 raised each voter's share %(num)s time.",
                "Add1 raised each voter's share %(num)s times.",
                times,
            ),
            "",
        )
    if note in _NOTES:
        return tr.gettext(_NOTES[note]), ""
    return note, "" if _english(tr) else SOURCE_LANGUAGE


def rule_in(rule: dict, tr: Translator) -> str:
    """The counting rule's name in `tr`'s language (a rule this page does not name: as stored)."""
    name = str(rule.get("name", ""))
    return tr.gettext(RULE_WORDS[name]) if name in RULE_WORDS else name


def _said(tr: Translator):
    """`said(words, language)`: someone's own words, shown as written (escaped). Isolated in
    their own direction (`<bdi>`) where directions can mix: on a right-to-left page, for words
    in a right-to-left script, and for words a resident wrote in another language than the
    page's, which are marked with it (so the English page reads as it always has)."""

    def said(words: str, language: str = "") -> Markup:
        marks = own_words(language, tr.language)
        if marks or tr.dir == "rtl" or _RIGHT_TO_LEFT.search(words):
            isolated = Markup("<bdi%s>%s</bdi>")  # not words
            return isolated % (marks, words)
        return escape(words)

    return said


def result_html(
    result: PublishedResult, tr: Translator = ENGLISH, *, timezone: str = DEFAULT_TIMEZONE
) -> str:
    """The result as one page in `tr`'s language; the time of the count in `timezone` (the
    assembly's)."""
    currency = result.round.currency
    return render(
        "assembly.budgets",
        "result.html",
        translator=tr,
        result=result,
        money=lambda pence: tr.money(Money(pence, currency)),
        counted_at=tr.datetime(local(result.counted_at, timezone)),
        rule=rule_in(result.rule, tr),
        notes=[note_in(note, tr) for note in result.notes],
        said=_said(tr),
    )


def result_pb(db: Database, result: PublishedResult) -> str:
    """The round's election with the final outcome as the `selected` column."""
    return format_pb(
        election_of(db, result.round.id), selected={r.ref for r in result.rows if r.final}
    )


def _timezone(db: Database) -> str:
    row = db.execute("select value from assembly_info where key = 'timezone'").fetchone()
    return (row[0] if row else "") or DEFAULT_TIMEZONE


def publish(db: Database, round_id: int, form: str, *, translator: Translator | None = None) -> str:
    """The published result in `form` (pb, csv or html), as text; the page in `translator`'s
    language, by default the working language (the CSV and `.pb` are the same in any)."""
    translator = translator or working()
    result = published_result(db, round_id)
    if form == "pb":
        return result_pb(db, result)
    if form == "csv":
        return result_csv(result)
    if form == "html":
        return result_html(result, translator, timezone=_timezone(db))
    raise ValueError(form)
