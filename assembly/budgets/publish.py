"""The published result of a PB round as a `.pb` file, a CSV and an HTML page.

The CSV goes through the one export layer (`assembly.core.safe_output`: formulas neutralised);
the HTML page is `templates/result.html`, rendered by the app's one Jinja2 environment
(`assembly.core.html`: autoescape on).
"""

from __future__ import annotations

from sqlite_utils import Database

from assembly.budgets.pbfile import format_pb
from assembly.budgets.results import PublishedResult, election_of, published_result
from assembly.budgets.rounds import STATUS_LABELS
from assembly.core.html import render
from assembly.core.money import show_money
from assembly.core.safe_output import csv_text

FORMATS = ("pb", "csv", "html")
CSV_HEADER = (
    "project",
    "title",
    "cost",
    "review",
    "counted outcome",
    "override",
    "override reason",
    "final outcome",
    "explanation",
)


def _outcome(funded: bool) -> str:
    return "funded" if funded else "not funded"


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


def result_html(result: PublishedResult) -> str:
    currency = result.round.currency
    return render(
        "assembly.budgets",
        "result.html",
        result=result,
        money=lambda pence: show_money(pence, currency),
        status_labels=STATUS_LABELS,
        outcome=_outcome,
    )


def result_pb(db: Database, result: PublishedResult) -> str:
    """The round's election with the final outcome as the `selected` column."""
    return format_pb(
        election_of(db, result.round.id), selected={r.ref for r in result.rows if r.final}
    )


def publish(db: Database, round_id: int, form: str) -> str:
    """The published result in `form` (pb, csv or html), as text."""
    result = published_result(db, round_id)
    if form == "pb":
        return result_pb(db, result)
    if form == "csv":
        return result_csv(result)
    if form == "html":
        return result_html(result)
    raise ValueError(form)
