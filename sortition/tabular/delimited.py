"""CSV text (separated by commas, semicolons or tabs) to a `Table`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sortition.tabular.table import DEFAULT_LIMITS, Limits, Table, TableError, table_from_rows
from sortition.words import words

SEPARATORS = (",", ";", "\t")


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
    exact_text: bool = False,
) -> Table:
    """A table from CSV text (see `sortition.tabular` for the rules; `clean` for the options).

    Quoting is strict: a quotation mark opened and never closed would otherwise swallow every
    row after it into one cell, so it is refused with the row it opens on.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text), strict=True)
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
        exact_text=exact_text,
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
                    words(
                        "a cell is longer than the field limit of %(limit)s characters; "
                        "nothing in an imported table needs that much",
                        limit=f"{csv.field_size_limit():,}",
                    ),
                    file=name,
                    row=start,
                ) from None
            if "end of data" in str(err) or "EOF" in str(err):
                raise TableError(
                    words(
                        'a quotation mark (") is opened but never closed, so the file cannot be read'
                    ),
                    file=name,
                    row=start,
                ) from None
            raise TableError(
                words("is not valid CSV (%(reason)s)", reason=str(err)), file=name, row=start
            ) from None
        yield start, row
