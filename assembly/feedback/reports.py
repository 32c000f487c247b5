"""The "you said, we did" report: every item, what residents said and what the council did.

Three forms from one set of facts: Markdown (for newsletters and websites), a self-contained HTML
page that prints cleanly (no scripts, fonts or links to fetch; `templates/report.html`) and CSV
(for spreadsheets).
People's names (who recorded each change) are left out unless `include_names` is asked for.

Markdown and HTML come in any language with a catalogue (`--lang cy`), and bilingual for Welsh
councils: the report in Welsh, then in English, or the two side by side (`layout`). Every fixed
word is a whole message with placeholders, translated where it is shown; what residents and
officers wrote (titles, ideas, responses, body names) is shown as written, isolated in its own
direction (`<bdi>`) so a Latin title inside Arabic text (or the reverse) reads right. CSV stays
English: its columns are field names that spreadsheets and the import read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlite_utils import Database

from assembly.core.clock import local
from assembly.core.html import macros, own_words, render
from assembly.core.i18n import N_, NP_, Day, Number, Text, Translator, translator
from assembly.core.safe_output import csv_text, md_link, md_text
from assembly.feedback.entries import STATUS_LABELS, Entry, Item
from assembly.feedback.hashchain import ChainCheck
from assembly.feedback.queries import WrittenIn, all_items, iter_entries, written_in
from assembly.feedback.scrutiny import ALL_BODIES, NO_BODY, Dashboard, dashboard
from assembly.feedback.verify import verify_log

# the report's language when none is asked for, and a bilingual one's second
ENGLISH = "en-GB"  # not words
LAYOUTS = ("first", "side")  # bilingual: one language after the other, or side by side


class Said(str):
    """Words someone wrote (a title, an idea, a response, a body's name): shown as written,
    never translated, isolated in their own direction on the page, and marked with the
    `language` a resident wrote them in when that is known and not the page's."""

    language: str

    def __new__(cls, value: str, language: str = "") -> Said:
        said = super().__new__(cls, value)
        said.language = language
        return said


@dataclass(frozen=True)
class ReportItem:
    item: Item
    history: tuple[Entry, ...]
    overdue: bool
    language: str = ""  # what the resident wrote its title in ('' when not known or not theirs)
    description_language: str = ""  # and its description ('' for the app's own wording)

    @property
    def said_language(self) -> str:
        """The language of what "You said" shows as written: the description when there is
        one (an idea's whole text), else the title. The app's own words are the page's
        (`said`)."""
        return self.description_language if self.item.description else self.language

    def said(self, tr: Translator) -> Said:
        """What "You said" shows in `tr`'s language: the description, else the title, as
        written; a description in the app's own words (`app_words`) worded in the page's
        language, so it carries no mark of its own."""
        worded = app_words(self.item.description, tr) if self.item.description else None
        if worded is not None:
            return Said(worded)
        return Said(self.item.description or self.item.title, self.said_language)


def app_words(description: str, tr: Translator) -> str | None:
    """A log item's description the app wrote (a passed recommendation's vote, a funded PB
    project), stored in English, in `tr`'s language; None for words someone wrote. Each
    wording is known in one place: the module that writes it."""
    from assembly.agenda.recommendations import description_in
    from assembly.budgets.results import delivery_in

    for in_words in (description_in, delivery_in):
        worded = in_words(description, tr)
        if worded is not None:
            return worded
    return None


@dataclass(frozen=True)
class Report:
    assembly_name: str
    timezone: str
    today: date
    items: tuple[ReportItem, ...]
    summary: Dashboard
    include_names: bool
    chain: ChainCheck

    def integrity(self) -> Text:
        """One line on whether the log behind this report is intact, with its fingerprint."""
        c = self.chain
        if c.ok:
            return NP_(
                "✓ Log intact: its %(num)s entry checks out (SHA-256 chain). "
                "Log fingerprint: entry %(entries)s, SHA-256 %(head)s.",
                "✓ Log intact: all %(num)s entries check out (SHA-256 chain). "
                "Log fingerprint: entry %(entries)s, SHA-256 %(head)s.",
                c.entries,
                {"num": Number(c.entries), "entries": Number(c.entries), "head": c.head},
            )
        return Text(
            N_(
                "✗ Log broken at entry %(seq)s: %(problem)s "
                "This report may not reflect the true record."
            ),
            {"seq": c.first_bad_seq, "problem": c.problem},
        )


def build_report(db: Database, today: date, *, include_names: bool = False) -> Report:
    info = {r[0]: r[1] for r in db.execute("select key, value from assembly_info")}
    histories: dict[int, list[Entry]] = {}
    for entry in iter_entries(db):
        histories.setdefault(entry.item_id, []).append(entry)
    languages = written_in(db)
    unknown = WrittenIn("", "")
    items = tuple(
        ReportItem(
            item,
            tuple(histories.get(item.id, ())),
            item.is_overdue(today),
            languages.get(item.id, unknown).title,
            languages.get(item.id, unknown).description,
        )
        for item in all_items(db)
    )
    return Report(
        assembly_name=info.get("name", "Citizens' assembly"),
        timezone=info.get("timezone", "Europe/London"),
        today=today,
        items=items,
        summary=dashboard(db, today),
        include_names=include_names,
        # deep: the report prints each item's summary, so a doctored summary must show too
        chain=verify_log(db, deep=True),
    )


def report_translator(language: str | None = None, assembly_path: str | Path | None = None):
    """The report's words in `language` (English when None), with the organiser's own
    catalogue beside the assembly file first (`<file>.locale/`). Raises LanguageError for a
    catalogue that cannot be used."""
    from assembly.core.i18n import override_dir

    folder = override_dir(assembly_path) if assembly_path is not None else None
    return translator(language or ENGLISH, folder)


def shipped() -> list[str]:
    """The languages a report can be in without the organiser's own catalogue."""
    from assembly.core.i18n import shipped_languages

    return shipped_languages()


def _day(value: str | None) -> Day | Said:
    """An ISO day as the reader's language writes it; anything else as typed."""
    try:
        return Day(date.fromisoformat(value or ""))
    except ValueError:
        return Said(value or "—")


def _status_text(entry: ReportItem) -> Text:
    word = Text(STATUS_LABELS[entry.item.status])
    if entry.overdue:
        return Text(
            N_("%(status)s — ⚠ response overdue (was due %(due)s)"),
            {"status": word, "due": _day(entry.item.due)},
        )
    return word


def _history_line(report: Report, entry: Entry, tr: Translator) -> Text:
    params = {
        "date": Day(local(entry.recorded_at, report.timezone).date()),
        "change": entry.describe(tr),
        "reason": Said(entry.reason),
        "actor": Said(entry.actor),
    }
    if entry.reason and report.include_names:
        message = N_("%(date)s: %(change)s (why: %(reason)s) — recorded by %(actor)s")
    elif entry.reason:
        message = N_("%(date)s: %(change)s (why: %(reason)s)")
    elif report.include_names:
        message = N_("%(date)s: %(change)s — recorded by %(actor)s")
    else:
        message = N_("%(date)s: %(change)s")
    return Text(message, params)


def _milestone(date_text: str, text: str) -> Text:
    return Text(N_("%(date)s: %(text)s"), {"date": _day(date_text), "text": Said(text)})


def heading(item: Item, language: str = "") -> Text:
    """An item's heading: its number in the log (as Scrutiny lists it), then where it came
    from under the assembly's own number, e.g. "#3 · Recommendation 4: Plant 500 trees"; the
    title marked with the `language` its resident wrote it in."""
    params = {"id": item.id, "number": item.source_id, "title": Said(item.title, language)}
    if item.source_kind == "idea" and item.source_id is not None:
        return Text(N_("#%(id)s · Idea %(number)s: %(title)s"), params)
    if item.source_kind == "recommendation" and item.source_id is not None:
        return Text(N_("#%(id)s · Recommendation %(number)s: %(title)s"), params)
    if item.source_kind == "idea":
        return Text(N_("#%(id)s · Idea: %(title)s"), params)
    if item.source_kind == "recommendation":
        return Text(N_("#%(id)s · Recommendation: %(title)s"), params)
    return Text(N_("#%(id)s · Item: %(title)s"), params)


def body_name(body: str) -> Text | Said:
    """A responsible body as written, or the report's own words for none and for all."""
    return Text(body) if body in (NO_BODY, ALL_BODIES) else Said(body)


def _summary(report: Report) -> Text:
    t = report.summary.totals
    return NP_(
        "Report of %(date)s: %(num)s item, %(unanswered)s not yet answered, %(overdue)s overdue.",
        "Report of %(date)s: %(num)s items, %(unanswered)s not yet answered, %(overdue)s overdue.",
        t.total,
        {
            "date": Day(report.today),
            "num": Number(t.total),
            "unanswered": Number(t.unanswered),
            "overdue": Number(t.overdue),
        },
    )


def _title(report: Report) -> Text:
    return Text(N_("You said, we did — %(assembly)s"), {"assembly": Said(report.assembly_name)})


def _body(item: Item) -> str:
    return item.responsible_body or NO_BODY


# --- Markdown --------------------------------------------------------------------------------


_md = md_text


def to_markdown(report: Report, tr: Translator | None = None) -> str:
    tr = tr or report_translator()
    say = tr.gettext

    def show(message: Text | str) -> str:
        return _md(tr.text(message))

    s = report.summary.totals
    by_status = " · ".join(
        say("%(status)s: %(num)s", status=say(STATUS_LABELS[k]), num=tr.number(n))
        for k, n in s.by_status.items()
        if n
    )
    lines = [f"# {show(_title(report))}", "", show(_summary(report)), ""]
    if by_status:
        lines += [_md(by_status), ""]
    lines += [f"_{show(report.integrity())}_", ""]
    for body, entries in _by_body(report.items):
        lines += [f"## {show(body_name(body))}", ""]
        for entry in entries:
            item = entry.item
            response = (
                _md(item.response) if item.response else f"_{_md(tr.gettext('No response yet.'))}_"
            )
            lines += [
                f"### {show(heading(item, entry.language))}",
                "",
                f"**{_md(tr.gettext('You said:'))}** {_md(entry.said(tr))}",
                "",
                f"**{_md(tr.gettext('Status:'))}** {show(_status_text(entry))} · "
                f"**{_md(tr.gettext('Progress:'))}** {_md(tr.percent(item.progress))}",
                "",
                f"**{_md(tr.gettext('We did:'))}** {response}",
                "",
            ]
            if item.status_reason:
                lines += [f"**{_md(tr.gettext('Why:'))}** {_md(item.status_reason)}", ""]
            if item.milestones:
                lines += [f"**{_md(tr.gettext('Milestones:'))}**", ""]
                lines += [f"- {show(_milestone(m.date, m.text))}" for m in item.milestones]
                lines.append("")
            if item.evidence:
                lines += [f"**{_md(tr.gettext('Evidence:'))}**", ""]
                lines += [f"- {md_link(e.url, e.label)}" for e in item.evidence]
                lines.append("")
            lines += [f"**{_md(tr.gettext('History:'))}**", ""]
            lines += [f"- {show(_history_line(report, h, tr))}" for h in entry.history]
            lines.append("")
    return "\n".join(lines)


def _by_body(items: Iterable[ReportItem]) -> list[tuple[str, list[ReportItem]]]:
    groups: dict[str, list[ReportItem]] = {}
    for entry in items:
        groups.setdefault(_body(entry.item), []).append(entry)
    return sorted(groups.items(), key=lambda g: (g[0] == NO_BODY, g[0].lower()))


# --- HTML ------------------------------------------------------------------------------------


def _html_shower(tr: Translator) -> Callable[[Any], Markup]:
    """`show(value)` for the page: a message in `tr`'s language as trusted markup with its
    values escaped, someone's own words isolated in a `<bdi>` (with the `lang` they were
    written in when it is not the page's)."""

    def show(value: Any) -> Markup:
        if isinstance(value, Said):
            isolated = Markup("<bdi%s>%s</bdi>")  # not words
            return isolated % (own_words(value.language, tr.language), value)
        if isinstance(value, Text):
            if value.plural is not None and value.n is not None:
                text = tr.catalogue.ngettext(value.msgid, value.plural, value.n)
            else:
                text = tr.catalogue.gettext(value.msgid)
            return Markup(text) % {k: show(v) for k, v in value.params.items()}
        return escape(tr.value(value))

    return show


def to_html(
    report: Report,
    tr: Translator | None = None,
    *,
    also: Translator | None = None,
    layout: str = "first",
) -> str:
    """The report as one printable page (`templates/report.html`) in `tr`'s language; with
    `also`, bilingual: `tr`'s language first and then `also`'s, or side by side."""
    tr = tr or report_translator()
    languages = [tr] if also is None else [tr, also]
    columns = []
    for number, language in enumerate(languages):
        part = macros(
            "assembly.feedback",
            "report_parts.html",
            translator=language,
            report=report,
            report_title=_title(report),
            summary=_summary(report),
            show=_html_shower(language),
            said=Said,
            heading=heading,
            status_text=_status_text,
            history_line=_history_line,
            milestone=_milestone,
            body_name=body_name,
            suffix="" if number == 0 else f"-{language.language}",
        )
        columns.append((part, language))
    totals = report.summary.totals
    return render(
        "assembly.feedback",
        "report.html",
        translator=tr,
        title=" / ".join(language.text(_title(report)) for language in languages),
        columns=columns,
        side=also is not None and layout == "side",
        report=report,
        totals=totals,
        rows=(*report.summary.bodies, totals),
        groups=_by_body(report.items),
    )


def bilingual_markdown(report: Report, tr: Translator, also: Translator) -> str:
    """The report in `tr`'s language, then in `also`'s, under one rule (Markdown has no
    columns)."""
    return f"{to_markdown(report, tr)}\n---\n\n{to_markdown(report, also)}"


# --- CSV -------------------------------------------------------------------------------------

REPORT_COLUMNS = [
    "item_id",
    "source",
    "source_id",
    "you_said",
    "description",
    "written_in",  # the language tag residents wrote its title (you_said) in, when known
    "responsible_body",
    "status",
    "overdue",
    "reason",
    "progress",
    "we_did",
    "milestones",
    "evidence",
    "received",
    "first_response",
    "last_update",
]


def to_csv(report: Report) -> str:
    """The report as CSV, written by the one export layer (`safe_output.csv_text`)."""
    columns = REPORT_COLUMNS + (["recorded_by"] if report.include_names else [])
    rows = []
    for entry in report.items:
        item = entry.item
        row = [
            item.id,
            item.source_kind,
            item.source_id if item.source_id is not None else "",
            item.title,
            item.description,
            entry.language,
            item.responsible_body or "",
            STATUS_LABELS[item.status],
            "yes" if entry.overdue else "no",
            item.status_reason,
            item.progress,
            item.response,
            "\n".join(f"{m.date} {m.text}" for m in item.milestones),
            "\n".join(f"{ev.url} {ev.label}".strip() for ev in item.evidence),
            item.created_at,
            item.first_response_at or "",
            item.updated_at,
        ]
        if report.include_names:
            row.append("; ".join(dict.fromkeys(h.actor for h in entry.history)))
        rows.append(row)
    return csv_text(columns, rows)


FORMATS = {"md": to_markdown, "html": to_html, "csv": to_csv}
