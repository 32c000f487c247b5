"""The one reader of tabular input (CSV and Excel) for the library and the app.

Files arrive from survey tools, mail merges and other people's laptops, so every byte is
hostile until checked. One set of rules holds for every importer:

- Only regular files are read (not devices, pipes or folders), and none over the size limit.
- Text is UTF-8 (a byte-order mark is allowed) unless the caller names another encoding; a
  file that is not UTF-8 is refused with a guess of what it might be, never decoded by guess.
- CSV may be separated by commas, semicolons or tabs (the header line decides).
- `.xlsx`/`.xlsm` workbooks and `.ods` spreadsheets are read in streaming mode with hard limits
  on size, cells and time; the data are taken from the first visible sheet that holds any.
- The header names every column once (case and spacing ignored); blank rows are skipped; a row
  with more filled cells than the header has columns is refused.
- No control characters (NUL, escape codes; tab and line breaks are text) in headings or
  cells, and every cell in Unicode's composed form (NFC).
- Ids match whatever their case and spacing (`P3` and `p3` are one person), and so do ids that
  only look different to a program (full-width `Ｐ3`, `P3` with a zero-width space).
- A workbook holding a zip member twice, or an ODS repeat count that is not a positive whole
  number, is refused: which reading is meant cannot be known.
- Counts are whole numbers written in ASCII digits, 0 to `MAX_COUNT`.

Every refusal is a `TableError` naming the file and, when known, the row (as a spreadsheet
numbers it, the header being row 1) and the column.

The package holds one idea per module: `table` (the `Table`, its limits and the checks every
format shares), `source` (a file's bytes, checked before reading), `decode` (bytes to text),
`delimited` (CSV), `xlsx` and `ods` (spreadsheets).
Import from `sortition.tabular` itself: `read_table` is the one entry point for table files,
`read_file` for the bytes of any other input file (the feedback log's CSV is decoded by its
importer).
"""

from __future__ import annotations

from pathlib import Path

from sortition.tabular.decode import decode
from sortition.tabular.delimited import SEPARATORS, parse_csv, sniff_separator
from sortition.tabular.ods import ods_rows
from sortition.tabular.source import read_file
from sortition.tabular.table import (
    DEFAULT_LIMITS,
    MAX_COUNT,
    Limits,
    Progress,
    Table,
    TableError,
    clean,
    id_key,
    same_id,
    table_from_rows,
    text_cell,
    whole_number,
)
from sortition.tabular.xlsx import EXCEL_SUFFIXES, workbook_rows
from sortition.words import words

__all__ = [
    "DEFAULT_LIMITS",
    "EXCEL_SUFFIXES",
    "MAX_COUNT",
    "SEPARATORS",
    "Limits",
    "Progress",
    "Table",
    "TableError",
    "clean",
    "decode",
    "id_key",
    "parse_csv",
    "read_file",
    "read_table",
    "same_id",
    "sniff_separator",
    "table_from_rows",
    "text_cell",
    "whole_number",
]


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    display_name: str | None = None,
    keep_extra_cells: bool = False,
    line_breaks: bool = False,
    encoding_option: str | None = "--encoding",
) -> Table:
    """Read a CSV or Excel file under `limits`; `display_name` is used in messages.

    `encoding_option` is how the caller's users name an encoding (None where they cannot): a
    file that is not UTF-8 is refused with a guess of its encoding and that option to use it.

    `keep_extra_cells` leaves rows with cells past the header as they are, for a caller that
    lists every bad row itself instead of stopping at the first; `line_breaks` keeps line
    breaks inside cells (free text) instead of folding them into spaces."""
    path = Path(path)
    name = display_name or str(path)
    data = read_file(path, limits=limits, display_name=name)
    if path.suffix.lower() in (*EXCEL_SUFFIXES, ".ods"):
        reader = ods_rows if path.suffix.lower() == ".ods" else workbook_rows
        raw, sheet = reader(data, name, limits, progress)
        return table_from_rows(
            raw,
            name,
            data=data,
            sheet=sheet,
            limits=limits,
            progress=progress,
            keep_extra_cells=keep_extra_cells,
            line_breaks=line_breaks,
        )
    if path.suffix.lower() in (".xls", ".numbers"):
        raise TableError(
            words(
                "%(suffix)s files are not read; save it as .xlsx or as 'CSV UTF-8'",
                suffix=path.suffix,
            ),
            file=name,
        )
    text = decode(data, name, encoding, option=encoding_option)
    return parse_csv(
        text,
        name,
        data=data,
        encoding=encoding or "utf-8",
        limits=limits,
        keep_extra_cells=keep_extra_cells,
        line_breaks=line_breaks,
    )
