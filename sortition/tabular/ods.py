"""OpenDocument spreadsheets (.ods) to raw rows, streamed from content.xml by defusedxml."""

from __future__ import annotations

import time
import zipfile

from sortition.tabular.archive import ODS, open_archive, unreadable
from sortition.tabular.table import (
    Limits,
    Progress,
    TableError,
    no_data,
    short_reason,
    too_many_columns,
    too_many_rows,
    too_slow,
)
from sortition.words import words

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def ods_rows(
    data: bytes, name: str, limits: Limits, progress: Progress | None
) -> tuple[list[tuple[int, list[object]]], str]:
    """The rows of the first sheet of an OpenDocument spreadsheet holding data, streamed.

    ODS compresses runs of equal rows and cells into one element with a repeat count (a sheet
    often ends in a row "repeated" a million times): empty runs are skipped without being
    made, and a filled run counts in full against the row and column limits.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    archive = open_archive(data, name, ODS)
    try:
        info = archive.getinfo("content.xml")
    except KeyError as err:
        raise TableError(unreadable(ODS, str(err)), file=name) from None
    if info.file_size > limits.max_unpacked_bytes:
        raise TableError(
            words(
                "unpacks to %(size)s MB; spreadsheets over %(limit)s MB unpacked are refused",
                size=f"{info.file_size / 1e6:,.0f}",
                limit=f"{limits.max_unpacked_bytes / 1e6:,.0f}",
            ),
            file=name,
        )
    deadline = time.monotonic() + limits.max_seconds
    sheets: list[str] = []
    rows: list[tuple[int, list[object]]] = []
    number = 0
    cells: list[object] = []
    empty_run = 0  # empty cells not yet added: only a later value makes them real
    sheet_element = None
    try:
        with archive.open(info) as content:
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == f"{_ODS_TABLE}table":
                        sheets.append(element.get(f"{_ODS_TABLE}name", f"Sheet{len(sheets) + 1}"))
                        rows, number, sheet_element = [], 0, element
                    elif tag == f"{_ODS_TABLE}table-row":
                        cells, empty_run = [], 0
                    continue
                if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
                    repeat = _repeat(element, "columns", name, number + 1)
                    value = _ods_value(element)
                    if value == "":
                        empty_run += repeat
                    else:
                        if len(cells) + empty_run + repeat > limits.max_columns:
                            raise TableError(
                                too_many_columns(len(cells) + empty_run + repeat, limits),
                                file=name,
                                row=number + 1,
                            )
                        cells.extend([""] * empty_run + [value] * repeat)
                        empty_run = 0
                    element.clear()
                elif tag == f"{_ODS_TABLE}table-row":
                    repeat = _repeat(element, "rows", name, number + 1)
                    if cells:
                        if len(rows) + repeat > limits.max_rows + 1:
                            raise TableError(too_many_rows(limits), file=name, row=number)
                        for _ in range(repeat):
                            number += 1
                            rows.append((number, list(cells)))
                    else:
                        number += repeat
                    element.clear()
                    if sheet_element is not None and len(sheet_element) > 1000:
                        sheet_element.clear()  # finished rows: keep memory flat
                    if len(rows) % 1000 == 0 and rows:
                        if time.monotonic() > deadline:
                            raise too_slow(name, limits, number)
                        if progress:
                            progress(0.0, f"read {len(rows):,} rows of sheet {sheets[-1]}")
                elif tag == f"{_ODS_TABLE}table":
                    if rows:
                        return rows, sheets[-1]
                    element.clear()
    except TableError:
        raise
    except (
        DefusedXmlException,
        SyntaxError,
        zipfile.BadZipFile,
        OSError,
        ValueError,
        RecursionError,
    ) as err:
        raise TableError(unreadable(ODS, short_reason(err)), file=name) from None
    raise TableError(no_data(sheets), file=name)


def _repeat(element, what: str, name: str, row: int) -> int:
    """An element's repeat count: 1 when absent, else a positive whole number in digits 0-9.

    Anything else (`abc`, `-3`, `0`) is refused: read as 1 it would silently drop or keep rows
    that the spreadsheet program shows otherwise."""
    attribute = f"number-{what}-repeated"
    text = element.get(f"{_ODS_TABLE}{attribute}")
    if text is None:
        return 1
    if not (text.isascii() and text.isdigit() and int(text) > 0):
        raise TableError(
            words(
                "table:%(attribute)s is %(value)s, not a positive whole number; save it again "
                "from the spreadsheet program",
                attribute=attribute,
                value=repr(text[:30]),
            ),
            file=name,
            row=row,
        )
    return int(text)


def _ods_value(cell) -> object:
    """A cell's value: the typed value for numbers, dates and booleans, else its text."""
    kind = cell.get(f"{_ODS_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        text = cell.get(f"{_ODS_OFFICE}value", "")
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "date":
        return cell.get(f"{_ODS_OFFICE}date-value", "")
    if kind == "boolean":
        return cell.get(f"{_ODS_OFFICE}boolean-value", "").upper()
    return "\n".join(_ods_text(p) for p in cell.iter(f"{_ODS_TEXT}p"))


def _ods_text(element) -> str:
    """The text of a paragraph and its spans, in order; `<text:s text:c="3"/>` is 3 spaces."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_ODS_TEXT}s":
            count = child.get(f"{_ODS_TEXT}c", "1")
            parts.append(" " * (min(int(count), 1000) if count.isdigit() else 1))
        elif child.tag == f"{_ODS_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
