"""Bulk responses: the feedback log's own CSV, exported and imported in the same columns.

A council officer can export every item, fill in responses in a spreadsheet and import the
file back. Each row that changes something becomes one new log entry (blank cells change
nothing; milestones and evidence lines not yet on the item are added). The whole file is one
transaction: a bad cell stops the import with its row and column named, and nothing is written.
The file is read by the shared reader (`sortition.tabular`): separators, quoting, limits and
cells past the header follow the same rules as every other import; the text of each cell is
kept as written (only surrounding spaces go), so an export imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock
from assembly.core.i18n import _
from assembly.core.library_words import refusal
from assembly.core.safe_output import csv_text, undo_spreadsheet_cell
from assembly.feedback import writes
from assembly.feedback.entries import SOURCE_KINDS, STATUS_LABELS, FeedbackError
from assembly.feedback.queries import all_items, get_item
from assembly.feedback.schema import ITEM_STATUSES
from assembly.feedback.validation import clean_changes
from assembly.store.database import write_transaction
from sortition.tabular import Table, TableError, parse_csv

COLUMNS = [
    "item_id",
    "title",
    "description",
    "source_kind",
    "source_id",
    "responsible_body",
    "due",
    "status",
    "reason",
    "progress",
    "response",
    "milestones",
    "evidence",
    "external_ref",
]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def describe(self) -> str:
        return _(
            "%(created)s new items, %(updated)s updated, %(unchanged)s unchanged.",
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )


def parse_status(text: str) -> str:
    """A status given as its key ("partly_accepted") or its words ("Partly accepted"), in
    English or the working language."""
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    if key in ITEM_STATUSES:
        return key
    for status, label in STATUS_LABELS.items():
        if text.strip().casefold() == _(label).casefold():
            return status
    allowed = ", ".join(_(label) for label in STATUS_LABELS.values())
    raise FeedbackError(
        _("unknown status %(status)s; use one of: %(allowed)s", status=repr(text), allowed=allowed)
    )


def read_rows(text: str, source_name: str, *, keep_extra_cells: bool = False) -> Table:
    """The file's table by the shared reader, its refusals as `FeedbackError`s."""
    try:
        return parse_csv(text, source_name, exact_text=True, keep_extra_cells=keep_extra_cells)
    except TableError as error:
        raise FeedbackError(_("%(error)s.", error=refusal(error))) from None


def export_csv(db: Database) -> str:
    rows = (
        [
            item.id,
            item.title,
            item.description,
            item.source_kind,
            "" if item.source_id is None else item.source_id,
            item.responsible_body or "",
            item.due or "",
            item.status,
            item.status_reason,
            item.progress,
            item.response,
            "\n".join(f"{m.date} {m.text}" for m in item.milestones),
            "\n".join(f"{e.url} {e.label}".strip() for e in item.evidence),
            item.external_ref or "",
        ]
        for item in all_items(db)
    )
    return csv_text(COLUMNS, rows)  # the one export layer


def _lines(cell: str) -> list[tuple[str, str]]:
    """Cell lines as (first word, rest): "2027-03-01 First event" or "https://… Label"."""
    out = []
    for line in cell.splitlines():
        line = line.strip()
        if line:
            first, _space, rest = line.partition(" ")
            out.append((first, rest.strip()))
    return out


def apply_rows(
    db: Database,
    rows: list[tuple[int, dict[str, str]]],
    *,
    actor: str,
    clock: Clock,
    where: Callable[[int, str], str],
    find: Callable[[dict[str, str]], int | None],
) -> ImportResult:
    """Record rows of {column: text} (already in this module's columns) in one transaction.

    `find` says which existing item a row is about (None for a new one); `where(row, column)`
    words the place of a problem.
    """
    created = updated = unchanged = 0
    with write_transaction(db):
        for number, row in rows:
            cell = {k: undo_spreadsheet_cell((v or "").strip()) for k, v in row.items()}
            try:
                item_id = find(cell)
            except FeedbackError as error:
                raise FeedbackError(f"{where(number, 'item_id')}: {error}") from error
            changes = _changes(cell, number, where)
            reason = cell.get("reason", "")
            if item_id is None:
                item_id = _new_item(db, cell, changes, actor, clock, number, where)
                created += 1
                after = ("status", "progress", "response", "milestones", "evidence")
                rest = {k: v for k, v in changes.items() if k in after}
                _record(db, item_id, rest, reason, actor, clock, number, where)
            elif _record(db, item_id, changes, reason, actor, clock, number, where):
                updated += 1
            else:
                unchanged += 1
    return ImportResult(created, updated, unchanged)


def _new_item(
    db: Database,
    cell: Mapping[str, str],
    changes: Mapping,
    actor: str,
    clock: Clock,
    number: int,
    where: Callable[[int, str], str],
) -> int:
    if not cell.get("title"):
        raise FeedbackError(_("%(where)s: a new item needs a title.", where=where(number, "title")))
    kind = cell.get("source_kind") or "other"
    if kind not in SOURCE_KINDS:
        raise FeedbackError(
            _(
                "%(where)s: use one of %(kinds)s.",
                where=where(number, "source_kind"),
                kinds=", ".join(SOURCE_KINDS),
            )
        )
    source_id = None
    if cell.get("source_id"):
        text = cell["source_id"]
        if not (text.isascii() and text.isdigit() and len(text) <= 15):
            raise FeedbackError(
                _(
                    "%(where)s: %(text)s is not a whole number.",
                    where=where(number, "source_id"),
                    text=repr(text[:30]),
                )
            )
        source_id = int(text)
    return writes.track(
        db,
        title=cell["title"],
        description=cell.get("description", ""),
        source_kind=kind,
        source_id=source_id,
        actor=actor,
        clock=clock,
        responsible_body=cell.get("responsible_body") or None,
        due=changes.get("due"),
        external_ref=cell.get("external_ref") or None,
    )


def _column(make: Callable, number: int, column: str, where: Callable[[int, str], str]):
    try:
        return make()
    except (FeedbackError, ValueError) as error:
        raise FeedbackError(f"{where(number, column)}: {error}") from error


def _changes(cell: Mapping[str, str], number: int, where: Callable[[int, str], str]) -> dict:
    """The row's non-blank cells as `record` arguments, each checked so errors name the column."""
    changes: dict = {}
    reason = cell.get("reason", "")
    for column in ("title", "description", "responsible_body", "response", "external_ref"):
        if cell.get(column):
            changes[column] = cell[column]
    if cell.get("status"):
        changes["status"] = _column(lambda: parse_status(cell["status"]), number, "status", where)
    for column in ("progress", "due"):
        if cell.get(column):
            _column(
                lambda column=column: clean_changes({column: cell[column]}, reason),
                number,
                column,
                where,
            )
            changes[column] = cell[column]
    if changes.get("status") == "not_accepted" and not reason:
        raise FeedbackError(
            _(
                "%(where)s: 'not accepted' needs a reason saying why.",
                where=where(number, "reason"),
            )
        )
    changes["milestones"] = [
        _column(
            lambda m=m: tuple(clean_changes({"milestone": m}, "")["milestone"].values()),
            number,
            "milestones",
            where,
        )
        for m in _lines(cell.get("milestones", ""))
    ]
    changes["evidence"] = _lines(cell.get("evidence", ""))
    return changes


def _record(
    db: Database,
    item_id: int,
    changes: dict,
    reason: str,
    actor: str,
    clock: Clock,
    number: int,
    where: Callable[[int, str], str],
) -> bool:
    """Record the row's changes; milestones and evidence each get an entry if new. True if any."""
    simple = {k: v for k, v in changes.items() if k not in ("milestones", "evidence")}
    wrote = False
    try:
        wrote = (
            writes.record(
                db, item_id, actor=actor, clock=clock, reason=reason, allow_unchanged=True, **simple
            )
            is not None
        )
        for milestone in changes.get("milestones", []):
            wrote |= (
                writes.record(
                    db, item_id, actor=actor, clock=clock, milestone=milestone, allow_unchanged=True
                )
                is not None
            )
        for evidence in changes.get("evidence", []):
            wrote |= (
                writes.record(
                    db, item_id, actor=actor, clock=clock, evidence=evidence, allow_unchanged=True
                )
                is not None
            )
    except FeedbackError as error:
        raise FeedbackError(f"{where(number, '')}: {error}") from error
    return wrote


def import_csv(
    db: Database, text: str, *, actor: str, clock: Clock, source_name: str = ""
) -> ImportResult:
    """Import responses in this module's CSV columns (the export's own format)."""
    source_name = source_name or _("the CSV file")
    if not text.lstrip("\ufeff").strip():
        raise FeedbackError(
            _(
                "%(source)s is empty: export the log first for the columns.",
                source=source_name,
            )
        )
    table = read_rows(text, source_name)
    headers = list(table.header)
    unknown = [h for h in headers if h not in COLUMNS]
    if unknown or "item_id" not in headers:
        raise FeedbackError(
            _(
                "%(source)s: the header must use these columns: %(columns)s (unknown: %(unknown)s)",
                source=source_name,
                columns=", ".join(COLUMNS),
                unknown=", ".join(unknown),
            )
            if unknown
            else _(
                "%(source)s: the header must use these columns: %(columns)s (item_id is missing)",
                source=source_name,
                columns=", ".join(COLUMNS),
            )
        )
    rows = [(n, dict(zip(headers, cells, strict=True))) for n, cells in table.rows]

    def where(number: int, column: str) -> str:
        if column:
            return _(
                "%(source)s, row %(row)s, column %(column)s",
                source=source_name,
                row=number,
                column=column,
            )
        return _("%(source)s, row %(row)s", source=source_name, row=number)

    def find(cell: dict[str, str]) -> int | None:
        if not cell.get("item_id"):
            return None
        text = cell["item_id"]
        # int() also reads other scripts' digits and numbers too big for SQLite
        if not (text.isascii() and text.isdigit() and len(text) <= 15):
            raise FeedbackError(_("%(text)s is not an item number", text=repr(text[:30])))
        item_id = int(text)
        get_item(db, item_id)  # raises for an unknown item
        return item_id

    return apply_rows(db, rows, actor=actor, clock=clock, where=where, find=find)
