"""The published result of a PB round as a `.pb` file, a CSV and an HTML page.

All three go through the one export layer (`assembly.core.safe_output`: formula-neutralised
CSV, atomic writes). The HTML page is a Jinja2 template with autoescape on; there is no shared
`assembly/core/html.py` yet, so this module holds the one Jinja2 environment the budgets area
uses (the feedback area's web pages have their own, through aiohttp_jinja2).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlite_utils import Database

from assembly.budgets.results import PublishedResult, election_of, published_result
from assembly.budgets.rounds import STATUS_LABELS, show_money
from assembly.core.safe_output import csv_text

FORMATS = ("pb", "csv", "html")
TEMPLATES = Path(__file__).with_name("templates")
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


@cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def result_html(result: PublishedResult) -> str:
    currency = result.round.currency
    return (
        _environment()
        .get_template("result.html")
        .render(
            result=result,
            money=lambda pence: show_money(pence, currency),
            status_labels=STATUS_LABELS,
            outcome=_outcome,
        )
    )


def result_pb(db: Database, result: PublishedResult) -> str:
    """The round's election with the final outcome as the `selected` column."""
    from assembly.budgets.pbfile import format_pb

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
