"""Excel workbooks (.xlsx, .xlsm) to raw rows, streamed by openpyxl under hard limits."""

from __future__ import annotations

import io
import time

from sortition.tabular.archive import EXCEL, open_archive, unreadable
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

EXCEL_SUFFIXES = (".xlsx", ".xlsm")  # and .ods, read by its own streaming reader


def workbook_rows(
    data: bytes, name: str, limits: Limits, progress: Progress | None
) -> tuple[list[tuple[int, list[object]]], str]:
    """The rows of the first sheet holding data, read in streaming mode under `limits`."""
    from openpyxl import load_workbook

    archive = open_archive(data, name, EXCEL)
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(
            words(
                "unpacks to %(size)s MB; workbooks over %(limit)s MB unpacked are refused",
                size=f"{unpacked / 1e6:,.0f}",
                limit=f"{limits.max_unpacked_bytes / 1e6:,.0f}",
            ),
            file=name,
        )
    deadline = time.monotonic() + limits.max_seconds
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # a damaged workbook fails in many ways inside openpyxl
        raise TableError(unreadable(EXCEL, short_reason(err)), file=name) from None
    try:
        names = []
        # Visible sheets first: a hidden sheet of lookups is not the data anyone means.
        ordered = sorted(book.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
        for sheet in ordered:
            names.append(sheet.title)
            rows = _sheet_rows(sheet, name, limits, deadline, progress)
            if rows:
                return rows, sheet.title
    except TableError:
        raise
    except Exception as err:
        raise TableError(unreadable(EXCEL, short_reason(err)), file=name) from None
    finally:
        book.close()
    raise TableError(no_data(names), file=name)


def _sheet_rows(
    sheet, name: str, limits: Limits, deadline: float, progress: Progress | None
) -> list[tuple[int, list[object]]]:
    # A workbook may claim any size (A1:XFD1048576): read the cells that exist, not its claim.
    sheet.reset_dimensions()
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not cells or all(c is None or c == "" for c in cells):
            if number % 65536 == 0 and time.monotonic() > deadline:
                raise too_slow(name, limits, number)
            continue
        last = len(cells)
        while last and (cells[last - 1] is None or cells[last - 1] == ""):
            last -= 1
        if last > limits.max_columns:
            raise TableError(too_many_columns(last, limits), file=name, row=number)
        rows.append((number, list(cells[:last])))
        if len(rows) > limits.max_rows + 1:
            raise TableError(too_many_rows(limits), file=name, row=number)
        if len(rows) % 1000 == 0:
            if time.monotonic() > deadline:
                raise too_slow(name, limits, number)
            if progress:
                progress(0.0, f"read {len(rows):,} rows of sheet {sheet.title}")
    return rows
