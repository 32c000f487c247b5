"""The one reader of tabular input (CSV and Excel) for the library and the app.

Files arrive from survey tools, mail merges and other people's laptops, so every byte is
hostile until checked. One set of rules holds for every importer:

- Text is UTF-8 (a byte-order mark is allowed) unless the caller names another encoding; a
  file that is not UTF-8 is refused with a guess of what it might be, never decoded by guess.
- CSV may be separated by commas, semicolons or tabs (the header line decides).
- `.xlsx`/`.xlsm` workbooks and `.ods` spreadsheets are read in streaming mode with hard limits
  on size, cells and time; the data are taken from the first visible sheet that holds any.
- The header names every column once (case and spacing ignored); blank rows are skipped; a row
  with more filled cells than the header has columns is refused.
- Ids match whatever their case and spacing (`P3` and `p3` are one person).
- Counts are whole numbers written in ASCII digits, 0 to `MAX_COUNT`.

Every refusal is a `TableError` naming the file and, when known, the row (as a spreadsheet
numbers it, the header being row 1) and the column.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sortition.model import BadInput, normalise

MAX_COUNT = 1_000_000
EXCEL_SUFFIXES = (".xlsx", ".xlsm")  # and .ods, read by its own streaming reader
SEPARATORS = (",", ";", "\t")
_WHOLE = re.compile(r"[0-9]+(?:\.0*)?", re.ASCII)

Progress = Callable[[float, str], None]


class TableError(BadInput):
    """A file that cannot be read as a table, with the file, row and column it went wrong at."""


@dataclass(frozen=True)
class Limits:
    """Hard limits on one input file: past them the file is refused, not read slowly."""

    max_bytes: int = 256 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 16_384
    max_cell_chars: int = 131_072
    # An .xlsx is a zip of XML: its unpacked size and the time spent reading it are capped too.
    max_unpacked_bytes: int = 1024 * 1024 * 1024
    max_seconds: float = 120.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Table:
    """A file's header and its non-blank rows, each as (row number in the file, cells)."""

    file_name: str
    sha256: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str | None = None
    encoding: str = "utf-8"

    def column_index(self) -> dict[str, int]:
        """normalised heading -> column position (headings are unique by construction)."""
        return {normalise(h): i for i, h in enumerate(self.header)}


def clean(cell: object, *, line_breaks: bool = False) -> str:
    """A cell as text with surrounding and repeated whitespace collapsed (line breaks kept
    between non-blank lines when `line_breaks`, for free text such as a description)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if line_breaks:
        lines = (" ".join(line.split()) for line in str(cell).splitlines())
        return "\n".join(line for line in lines if line)
    return " ".join(str(cell).split())


def id_key(text: str) -> str:
    """The key two ids are compared by: `P3`, `p3` and ` p3 ` are one person."""
    return normalise(text)


def whole_number(cell: str, *, file: str, row: int, column: str, maximum: int = MAX_COUNT) -> int:
    """A count of people: ASCII digits (an Excel-style `12.0` too), from 0 to `maximum`.

    `inf`, `nan`, `1e309`, negative numbers, fractions and digits of other scripts are refused:
    they pass Python's `float`/`int` but mean nothing as a number of people.
    """
    text = cell.strip()
    if not text:
        raise TableError("is empty; write a whole number", file=file, row=row, column=column)
    shown = text if len(text) <= 30 else text[:30] + "…"
    if not _WHOLE.fullmatch(text):
        raise TableError(
            f"{shown!r} is not a whole number of people (write digits 0-9 only)",
            file=file,
            row=row,
            column=column,
        )
    digits = text.split(".")[0]
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise TableError(
            f"{shown!r} is too large (at most {maximum:,})", file=file, row=row, column=column
        )
    return int(digits)


# ---------------------------------------------------------------- reading


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
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise TableError(
                f"is {size / 1e6:,.0f} MB; files over {limits.max_bytes / 1e6:,.0f} MB are refused",
                file=name,
            )
        data = path.read_bytes()
    except OSError as err:
        raise TableError(f"cannot be read ({err.strerror or err})", file=name) from None
    if path.suffix.lower() in (*EXCEL_SUFFIXES, ".ods"):
        reader = _ods_rows if path.suffix.lower() == ".ods" else _workbook_rows
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
            f"{path.suffix} files are not read; save it as .xlsx or as 'CSV UTF-8'", file=name
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


def decode(
    data: bytes, name: str, encoding: str | None = None, *, option: str | None = "--encoding"
) -> str:
    """Text of `data`: strict UTF-8 (BOM allowed), or strictly `encoding` when one is named."""
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise TableError(f"unknown encoding {encoding!r}", file=name) from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            raise _undecodable(data, err, name, f"is not {encoding} text", option) from None
        return text.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _undecodable(data, err, name, "is not UTF-8 text", option) from None


def _undecodable(
    data: bytes, err: UnicodeDecodeError, name: str, what: str, option: str | None
) -> TableError:
    """The refusal of undecodable text, with a guess shown (never applied)."""
    line_start = data.rfind(b"\n", 0, err.start) + 1
    row = data.count(b"\n", 0, err.start) + 1
    byte = data[err.start]
    guess = ""
    for candidate in ("cp1252", "latin-1"):
        try:
            line_end = data.find(b"\n", err.start)
            sample = data[line_start : line_end if line_end >= 0 else len(data)]
            shown = sample.decode(candidate).strip()[:60]
        except UnicodeDecodeError:
            continue
        guess = f"; if it was saved as {candidate}, that row would read {shown!r}"
        if option:
            guess += f": import it with {option} {candidate}"
        break
    return TableError(
        f"{what} (byte 0x{byte:02X} at character {err.start - line_start + 1} of the row); "
        f"save it as 'CSV UTF-8' and try again{guess}",
        file=name,
        row=row,
    )


def sniff_separator(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of (comma on a tie)."""
    first = text[: text.find("\n")] if "\n" in text else text
    return max(SEPARATORS, key=first.count)


def parse_csv(
    text: str,
    name: str,
    *,
    data: bytes | None = None,
    encoding: str = "utf-8",
    limits: Limits = DEFAULT_LIMITS,
    keep_extra_cells: bool = False,
    line_breaks: bool = False,
) -> Table:
    """A table from CSV text (see the module docstring for the rules)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    raw = _csv_rows(reader, name, limits)
    digest_source = data if data is not None else text.encode("utf-8")
    return table_from_rows(
        raw,
        name,
        data=digest_source,
        encoding=encoding,
        limits=limits,
        keep_extra_cells=keep_extra_cells,
        line_breaks=line_breaks,
    )


def _csv_rows(reader, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells): numbered as a spreadsheet shows them, one per record."""
    start = 0
    while True:
        start += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise TableError(
                    f"a cell is longer than {csv.field_size_limit():,} characters; "
                    "nothing in a pool or quota file needs that much",
                    file=name,
                    row=start,
                ) from None
            raise TableError(f"is not valid CSV ({err})", file=name, row=start) from None
        yield start, row


def table_from_rows(
    raw: Iterable[tuple[int, Sequence[object]]],
    name: str,
    *,
    data: bytes,
    sheet: str | None = None,
    encoding: str = "utf-8",
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    keep_extra_cells: bool = False,
    line_breaks: bool = False,
) -> Table:
    """Check the header and rows of raw (row number, cells) pairs and make a `Table`."""
    rows_iter = iter(raw)
    header: tuple[str, ...] = ()
    for _number, cells in rows_iter:
        header = tuple(clean(c) for c in cells)
        if any(header):
            break
    else:
        raise TableError("is empty", file=name)
    header = _check_header(header, name, limits)
    width = len(header)
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in rows_iter:
        cleaned = tuple(clean(c, line_breaks=line_breaks) for c in cells)
        if not any(cleaned):
            continue
        for position, cell in enumerate(cleaned):
            if len(cell) > limits.max_cell_chars:
                raise TableError(
                    f"a cell is longer than {limits.max_cell_chars:,} characters",
                    file=name,
                    row=number,
                    column=header[position] if position < width else None,
                )
        if len(cleaned) > width:
            extra = next((i for i in range(width, len(cleaned)) if cleaned[i]), None)
            if extra is None:
                cleaned = cleaned[:width]
            elif not keep_extra_cells:
                raise TableError(
                    f"has a value in column {extra + 1}, past the header's {width} columns "
                    f"({cleaned[extra][:40]!r}); every value needs a heading",
                    file=name,
                    row=number,
                )
        elif len(cleaned) < width:
            cleaned = cleaned + ("",) * (width - len(cleaned))
        rows.append((number, cleaned))
        if len(rows) > limits.max_rows:
            raise TableError(f"has more than {limits.max_rows:,} rows", file=name, row=number)
        if progress and len(rows) % 1000 == 0:
            progress(0.0, f"read {len(rows):,} rows")
    return Table(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        header=header,
        rows=tuple(rows),
        sheet=sheet,
        encoding=encoding,
    )


def _check_header(header: tuple[str, ...], name: str, limits: Limits) -> tuple[str, ...]:
    """Trailing blank headings dropped; blank, over-long or repeated headings refused (linear)."""
    end = len(header)
    while end and not header[end - 1]:
        end -= 1
    header = header[:end]
    if len(header) > limits.max_columns:
        raise TableError(
            f"the header has {len(header):,} columns; at most {limits.max_columns:,} are read",
            file=name,
            row=1,
        )
    seen: dict[str, int] = {}
    for i, heading in enumerate(header):
        if not heading:
            raise TableError(
                f"column {i + 1} has no heading; give every column a name", file=name, row=1
            )
        if len(heading) > 1000:
            raise TableError(f"the heading of column {i + 1} is too long", file=name, row=1)
        key = normalise(heading)
        if key in seen:
            raise TableError(
                f"the heading {heading!r} names two columns ({seen[key] + 1} and {i + 1})",
                file=name,
                row=1,
                column=heading,
            )
        seen[key] = i
    return header


# ---------------------------------------------------------------- Excel


def _workbook_rows(
    data: bytes, name: str, limits: Limits, progress: Progress | None
) -> tuple[list[tuple[int, list[object]]], str]:
    """The rows of the first sheet holding data, read in streaming mode under `limits`."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise TableError(f"is not a readable Excel workbook ({err})", file=name) from None
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(
            f"unpacks to {unpacked / 1e6:,.0f} MB; workbooks over "
            f"{limits.max_unpacked_bytes / 1e6:,.0f} MB unpacked are refused",
            file=name,
        )
    deadline = time.monotonic() + limits.max_seconds
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # a damaged workbook fails in many ways inside openpyxl
        raise TableError(f"is not a readable Excel workbook ({_short(err)})", file=name) from None
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
        raise TableError(f"is not a readable Excel workbook ({_short(err)})", file=name) from None
    finally:
        book.close()
    raise TableError(f"is empty (sheets: {', '.join(names) or 'none'})", file=name)


def _sheet_rows(
    sheet, name: str, limits: Limits, deadline: float, progress: Progress | None
) -> list[tuple[int, list[object]]]:
    # A workbook may claim any size (A1:XFD1048576): read the cells that exist, not its claim.
    sheet.reset_dimensions()
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not cells or all(c is None or c == "" for c in cells):
            if number % 65536 == 0 and time.monotonic() > deadline:
                raise _too_slow(name, limits, number)
            continue
        last = len(cells)
        while last and (cells[last - 1] is None or cells[last - 1] == ""):
            last -= 1
        if last > limits.max_columns:
            raise TableError(
                f"has a value in column {last:,}; at most {limits.max_columns:,} columns are read",
                file=name,
                row=number,
            )
        rows.append((number, list(cells[:last])))
        if len(rows) > limits.max_rows + 1:
            raise TableError(f"has more than {limits.max_rows:,} rows", file=name, row=number)
        if len(rows) % 1000 == 0:
            if time.monotonic() > deadline:
                raise _too_slow(name, limits, number)
            if progress:
                progress(0.0, f"read {len(rows):,} rows of sheet {sheet.title}")
    return rows


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _ods_rows(
    data: bytes, name: str, limits: Limits, progress: Progress | None
) -> tuple[list[tuple[int, list[object]]], str]:
    """The rows of the first sheet of an OpenDocument spreadsheet holding data, streamed.

    ODS compresses runs of equal rows and cells into one element with a repeat count (a sheet
    often ends in a row "repeated" a million times): empty runs are skipped without being
    made, and a filled run counts in full against the row and column limits.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise TableError(f"is not a readable OpenDocument spreadsheet ({err})", file=name) from None
    if info.file_size > limits.max_unpacked_bytes:
        raise TableError(
            f"unpacks to {info.file_size / 1e6:,.0f} MB; spreadsheets over "
            f"{limits.max_unpacked_bytes / 1e6:,.0f} MB unpacked are refused",
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
                    repeat = _repeat(element, "columns")
                    value = _ods_value(element)
                    if value == "":
                        empty_run += repeat
                    else:
                        if len(cells) + empty_run + repeat > limits.max_columns:
                            raise TableError(
                                f"has a value in column {len(cells) + empty_run + repeat:,}; at "
                                f"most {limits.max_columns:,} columns are read",
                                file=name,
                                row=number + 1,
                            )
                        cells.extend([""] * empty_run + [value] * repeat)
                        empty_run = 0
                    element.clear()
                elif tag == f"{_ODS_TABLE}table-row":
                    repeat = _repeat(element, "rows")
                    if cells:
                        if len(rows) + repeat > limits.max_rows + 1:
                            raise TableError(
                                f"has more than {limits.max_rows:,} rows", file=name, row=number
                            )
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
                            raise _too_slow(name, limits, number)
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
        raise TableError(
            f"is not a readable OpenDocument spreadsheet ({_short(err)})", file=name
        ) from None
    raise TableError(f"is empty (sheets: {', '.join(sheets) or 'none'})", file=name)


def _repeat(element, what: str) -> int:
    """An element's repeat count (1 when absent or not a positive number)."""
    text = element.get(f"{_ODS_TABLE}number-{what}-repeated", "1")
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else 1


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


def _too_slow(name: str, limits: Limits, row: int) -> TableError:
    return TableError(
        f"took more than {limits.max_seconds:g} s to read; save it as 'CSV UTF-8' or split it",
        file=name,
        row=row,
    )


def _short(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 120 else text[:120] + "…"
