"""The "you said, we did" report: every item, what residents said and what the council did.

Three forms from one set of facts: Markdown (for newsletters and websites), a self-contained HTML
page that prints cleanly (no scripts, fonts or links to fetch; `templates/report.html`) and CSV
(for spreadsheets).
People's names (who recorded each change) are left out unless `include_names` is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assembly.core.clock import show
from assembly.core.html import render
from assembly.core.safe_output import csv_text, md_link, md_text
from assembly.feedback.entries import STATUS_LABELS, Entry, Item
from assembly.feedback.hashchain import ChainCheck
from assembly.feedback.queries import all_items, iter_entries
from assembly.feedback.scrutiny import NO_BODY, Dashboard, dashboard
from assembly.feedback.verify import verify_log

SOURCE_WORDS = {"idea": "Idea", "recommendation": "Recommendation", "other": "Item"}


@dataclass(frozen=True)
class ReportItem:
    item: Item
    history: tuple[Entry, ...]
    overdue: bool


@dataclass(frozen=True)
class Report:
    assembly_name: str
    timezone: str
    today: date
    items: tuple[ReportItem, ...]
    summary: Dashboard
    include_names: bool
    chain: ChainCheck

    def integrity(self) -> str:
        """One line on whether the log behind this report is intact, with its fingerprint."""
        if self.chain.ok:
            return f"{self.chain.describe()} Log fingerprint: {self.chain.fingerprint()}."
        return f"{self.chain.describe()} This report may not reflect the true record."


def build_report(db: Database, today: date, *, include_names: bool = False) -> Report:
    info = {r[0]: r[1] for r in db.execute("select key, value from assembly_info")}
    histories: dict[int, list[Entry]] = {}
    for entry in iter_entries(db):
        histories.setdefault(entry.item_id, []).append(entry)
    items = tuple(
        ReportItem(item, tuple(histories.get(item.id, ())), item.is_overdue(today))
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


def _status_text(entry: ReportItem) -> str:
    word = STATUS_LABELS[entry.item.status]
    if entry.overdue:
        return f"{word} — ⚠ response overdue (was due {entry.item.due})"
    return word


def _history_line(report: Report, entry: Entry) -> str:
    when = show(entry.recorded_at, report.timezone, date_only=True)
    text = entry.describe()
    if entry.reason:
        text += f" (why: {entry.reason})"
    if report.include_names:
        text += f" — recorded by {entry.actor}"
    return f"{when}: {text}"


def heading(item: Item) -> str:
    """An item's heading: its number in the log (as Scrutiny lists it), then where it came
    from under the assembly's own number, e.g. "#3 · Recommendation 4: Plant 500 trees"."""
    source = SOURCE_WORDS[item.source_kind]
    if item.source_kind != "other" and item.source_id is not None:
        source += f" {item.source_id}"
    return f"#{item.id} · {source}: {item.title}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _body(item: Item) -> str:
    return item.responsible_body or NO_BODY


# --- Markdown --------------------------------------------------------------------------------


_md = md_text


def to_markdown(report: Report) -> str:
    s = report.summary.totals
    lines = [
        f"# You said, we did — {_md(report.assembly_name)}",
        "",
        f"Report of {report.today.isoformat()}: {_count(s.total, 'item')}, "
        + ", ".join(f"{n} {STATUS_LABELS[k].lower()}" for k, n in s.by_status.items() if n)
        + f". {s.unanswered} not yet answered, {s.overdue} overdue.",
        "",
        f"_{_md(report.integrity())}_",
        "",
    ]
    for body, entries in _by_body(report.items):
        lines += [f"## {_md(body)}", ""]
        for entry in entries:
            item = entry.item
            lines += [
                f"### {_md(heading(item))}",
                "",
                f"**You said:** {_md(item.description or item.title)}",
                "",
                f"**Status:** {_md(_status_text(entry))} · **Progress:** {item.progress}%",
                "",
                f"**We did:** {_md(item.response) if item.response else '_No response yet._'}",
                "",
            ]
            if item.status_reason:
                lines += [f"**Why:** {_md(item.status_reason)}", ""]
            if item.milestones:
                lines += ["**Milestones:**", ""]
                lines += [f"- {m.date}: {_md(m.text)}" for m in item.milestones]
                lines.append("")
            if item.evidence:
                lines += ["**Evidence:**", ""]
                lines += [f"- {md_link(e.url, e.label)}" for e in item.evidence]
                lines.append("")
            lines += ["**History:**", ""]
            lines += [f"- {_md(_history_line(report, h))}" for h in entry.history]
            lines.append("")
    return "\n".join(lines)


def _by_body(items: Iterable[ReportItem]) -> list[tuple[str, list[ReportItem]]]:
    groups: dict[str, list[ReportItem]] = {}
    for entry in items:
        groups.setdefault(_body(entry.item), []).append(entry)
    return sorted(groups.items(), key=lambda g: (g[0] == NO_BODY, g[0].lower()))


# --- HTML ------------------------------------------------------------------------------------


def to_html(report: Report) -> str:
    """The report as one printable page (`templates/report.html`)."""
    totals = report.summary.totals
    return render(
        "assembly.feedback",
        "report.html",
        report=report,
        totals=totals,
        rows=(*report.summary.bodies, totals),
        groups=_by_body(report.items),
        count=_count,
        heading=heading,
        status_text=_status_text,
        history_line=_history_line,
    )


# --- CSV -------------------------------------------------------------------------------------

REPORT_COLUMNS = [
    "item_id",
    "source",
    "source_id",
    "you_said",
    "description",
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
