"""Decidim accountability results: the CSV councils already use to publish progress online.

Decidim's results CSV is ';'-separated, with one column per language for text fields
(`title/en`, `description/en`). We map: title ↔ title, description ↔ the public response,
status ↔ status (by its words), progress ↔ progress, end_date ↔ a "planned completion"
milestone, proposal_urls ↔ evidence links. Rows are matched to items by their Decidim id (kept
as the item's external reference `decidim:<id>`), so importing the same file twice changes
nothing the second time. The file is read by the shared reader (`sortition.tabular`).
"""

from __future__ import annotations

from sqlite_utils import Database

from assembly.core.clock import Clock, local
from assembly.core.i18n import _
from assembly.core.safe_output import csv_text
from assembly.feedback.csv_exchange import ImportResult, apply_rows, parse_status, read_rows
from assembly.feedback.entries import STATUS_LABELS, FeedbackError
from assembly.feedback.queries import all_items

PREFIX = "decidim:"
# Stored in the log as an evidence label and a milestone's text, and matched on export.
PROPOSAL_LABEL = "Decidim proposal"  # not words
END_MILESTONE = "Planned completion (Decidim end date)"  # not words
# Status names Decidim installations commonly use, mapped to the log's statuses (tokens in the
# file, not words shown).
DECIDIM_STATUSES = {
    "not started": "accepted",  # not words
    "planned": "accepted",
    "pending": "under_consideration",
    "in progress": "in_progress",  # not words
    "ongoing": "in_progress",
    "started": "in_progress",
    "in execution": "in_progress",  # not words
    "execution": "in_progress",
    "completed": "done",
    "finished": "done",
    "executed": "done",
    "discarded": "not_accepted",
    "rejected": "not_accepted",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
}


def export_decidim(db: Database, *, locale: str = "en") -> str:
    header = [
        "id",
        f"title/{locale}",
        f"description/{locale}",
        "status",
        "progress",
        "start_date",
        "end_date",
        "proposal_urls",
    ]
    rows = []
    row = db.execute("select value from assembly_info where key = 'timezone'").fetchone()
    timezone = row[0] if row else "Europe/London"  # not words
    for item in all_items(db):
        ref = item.external_ref or ""
        ends = [m.date for m in item.milestones if m.text == END_MILESTONE]
        rows.append(
            [
                ref.removeprefix(PREFIX) if ref.startswith(PREFIX) else item.id,
                item.title,
                item.response,
                STATUS_LABELS[item.status],
                item.progress,
                local(item.created_at, timezone).date().isoformat(),  # the assembly's date
                ends[-1] if ends else "",
                " ".join(e.url for e in item.evidence if e.label == PROPOSAL_LABEL),
            ]
        )
    return csv_text(header, rows, delimiter=";")  # the one export layer


def _status(text: str) -> str:
    words = " ".join(text.strip().lower().replace("_", " ").split())
    if words in DECIDIM_STATUSES:
        return DECIDIM_STATUSES[words]
    try:
        return parse_status(text)
    except FeedbackError as error:
        known = ", ".join(sorted(DECIDIM_STATUSES))
        raise FeedbackError(
            _("%(error)s; Decidim names understood: %(known)s", error=error, known=known)
        ) from error


def _pick(headers: list[str], names: list[str], prefix: str, locale: str | None) -> str | None:
    lower = {h.lower(): h for h in headers}
    if locale and f"{prefix}/{locale}".lower() in lower:
        return lower[f"{prefix}/{locale}".lower()]
    for name in names:
        if name in lower:
            return lower[name]
    for h in headers:
        if h.lower().startswith(prefix + "/") and h.count("/") == 1:
            return h
    return None


def import_decidim(
    db: Database,
    text: str,
    *,
    actor: str,
    clock: Clock,
    locale: str | None = None,
    source_name: str = "",
) -> ImportResult:
    """Import a Decidim accountability results CSV as new items or updates to matched ones."""
    source_name = source_name or _("the Decidim file")
    if not text.lstrip("\ufeff").strip():
        raise FeedbackError(
            _(
                "%(source)s: this is not a Decidim results file (it needs an 'id' and a "
                "'title/<locale>' column; found: no header).",
                source=source_name,
            )
        )
    table = read_rows(text, source_name, keep_extra_cells=True)
    headers = list(table.header)
    columns = {
        "id": _pick(headers, ["id"], "id", None),
        "title": _pick(headers, ["title"], "title", locale),
        "response": _pick(headers, ["description"], "description", locale),
        "status": _pick(headers, ["status", "status/key"], "status/name", locale),  # not words
        "progress": _pick(headers, ["progress"], "progress", None),
        "end_date": _pick(headers, ["end_date"], "end_date", None),
        "proposals": _pick(headers, ["proposal_urls", "related_proposals"], "proposal_urls", None),
    }
    if columns["id"] is None or columns["title"] is None:
        raise FeedbackError(
            _(
                "%(source)s: this is not a Decidim results file (it needs an 'id' and a "
                "'title/<locale>' column; found: no header).",
                source=source_name,
            )
            if not headers
            else _(
                "%(source)s: this is not a Decidim results file (it needs an 'id' and a "
                "'title/<locale>' column; found: %(headers)s).",
                source=source_name,
                headers=", ".join(headers),
            )
        )
    rows = []
    for number, cells in table.rows:
        if len(cells) > len(headers):  # the reader keeps them only if one is filled
            raise FeedbackError(
                _(
                    "%(source)s, row %(row)s: it has more cells than the header has columns.",
                    source=source_name,
                    row=number,
                )
            )
        raw = dict(zip(headers, cells, strict=True))

        def get(name: str, raw: dict = raw) -> str:
            column = columns[name]
            return raw.get(column, "") if column else ""

        row = {
            "item_id": get("id"),
            "title": get("title"),
            "response": get("response"),
            "external_ref": PREFIX + get("id") if get("id") else "",
        }
        if get("status"):
            try:
                row["status"] = _status(get("status"))
            except FeedbackError as error:
                raise FeedbackError(
                    _(
                        "%(source)s, row %(row)s, column %(column)s: %(error)s",
                        source=source_name,
                        row=number,
                        column=columns["status"],
                        error=error,
                    )
                ) from error
            if row["status"] == "not_accepted":  # the reason is stored in the log as written
                row["reason"] = f"Marked '{get('status')}' in Decidim."  # not words
        if get("progress"):
            try:
                row["progress"] = str(round(float(get("progress"))))
            except (ValueError, OverflowError) as error:  # "x", "inf", "1e309"
                raise FeedbackError(
                    _(
                        "%(source)s, row %(row)s, column %(column)s: %(value)s is not a number.",
                        source=source_name,
                        row=number,
                        column=columns["progress"],
                        value=repr(get("progress")),
                    )
                ) from error
        if get("end_date"):
            row["milestones"] = f"{get('end_date')[:10]} {END_MILESTONE}"
        urls = get("proposals").replace(",", " ").split()
        if urls:
            row["evidence"] = "\n".join(f"{u} {PROPOSAL_LABEL}" for u in urls)
        rows.append((number, row))

    def where(number: int, column: str) -> str:
        decidim_column = {"item_id": columns["id"], "milestones": columns["end_date"]}.get(
            column, columns.get(column) or column
        )
        if decidim_column:
            return _(
                "%(source)s, row %(row)s, column %(column)s",
                source=source_name,
                row=number,
                column=decidim_column,
            )
        return _("%(source)s, row %(row)s", source=source_name, row=number)

    def find(cell: dict[str, str]) -> int | None:
        if not cell.get("item_id"):
            raise FeedbackError(_("every row needs its Decidim id"))
        found = db.execute(
            "select id from feedback_items where external_ref = ?", [cell["external_ref"]]
        ).fetchone()
        return found[0] if found else None

    return apply_rows(db, rows, actor=actor, clock=clock, where=where, find=find)
