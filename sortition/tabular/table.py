"""The table every reader yields, its limits, and the checks shared by every format.

A reader (CSV, .xlsx, .ods) only turns bytes into raw (row number, cells) pairs;
`table_from_rows` then applies the rules of `sortition.tabular` to all of them alike: cells
cleaned, header checked, blank rows skipped, cells past the header refused, limits enforced.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sortition.model import BadInput, normalise
from sortition.words import Words, words

MAX_COUNT = 1_000_000
_WHOLE = re.compile(r"[0-9]+(?:\.0*)?", re.ASCII)
# C0 controls but tab and line feed, DEL, and C1 controls: they are not text, and sent to a
# terminal they clear the screen, set its title or write to the clipboard (carriage returns are
# line breaks: they become line feeds before this check).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # the same, for ASCII text (CR too)
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}

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


def clean(cell: object, *, line_breaks: bool = False, exact_text: bool = False) -> str:
    """A cell as text with surrounding and repeated whitespace collapsed (line breaks kept
    between non-blank lines when `line_breaks`, for free text such as a description; only the
    surrounding whitespace removed when `exact_text`, for text read back as it was written,
    such as the feedback log's own export)."""
    if type(cell) is str and not (exact_text or line_breaks):  # the usual case, first
        return " ".join(cell.split())
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if exact_text:
        return str(cell).strip()
    if line_breaks:
        lines = (" ".join(line.split()) for line in str(cell).splitlines())
        return "\n".join(line for line in lines if line)
    return " ".join(str(cell).split())


def text_cell(cell: str, *, file: str, row: int, column: str | None) -> str:
    """A cell's text checked and normalised: line breaks as line feeds, no control characters,
    and in Unicode's composed form (NFC), so `é` typed two ways is one value."""
    if "\r" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    found = _CONTROL.search(cell)
    if found is not None:
        code = ord(found.group())
        label = f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
        raise TableError(
            words(
                "holds a control character, %(character)s, at character %(position)s: it is not "
                "text (sent to a terminal it can clear the screen or take over the clipboard); "
                "remove it and import again",
                character=label,
                position=found.start() + 1,
            ),
            file=file,
            row=row,
            column=column,
        )
    return cell if cell.isascii() else unicodedata.normalize("NFC", cell)


def id_key(text: str) -> str:
    """The key two ids are compared by: `P3`, `p3` and ` p3 ` are one person, and so are ids
    that only look different to a program: full-width `Ｐ3` (folded by NFKC) and `P3` with a
    zero-width space or another invisible formatting character (removed)."""
    if text.isascii():
        return normalise(text)
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return normalise(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", visible)))


def same_id(ref: str, earlier: str) -> Words | str:
    """What to add when `ref` repeats `earlier` only to the eye: both as written, escaped
    (`Words`, a message within the caller's message); nothing (`""`) when they differ visibly."""
    if normalise(ref) == normalise(earlier):
        return ""
    return words(
        ": it looks the same as %(earlier)s and differs only in full-width or invisible "
        "characters, which no one reading a list can tell apart",
        earlier=repr(earlier),
    )


def whole_number(cell: str, *, file: str, row: int, column: str, maximum: int = MAX_COUNT) -> int:
    """A count of people: ASCII digits (an Excel-style `12.0` too), from 0 to `maximum`.

    `inf`, `nan`, `1e309`, negative numbers, fractions and digits of other scripts are refused:
    they pass Python's `float`/`int` but mean nothing as a number of people.
    """
    text = cell.strip()
    if not text:
        raise TableError(words("is empty; write a whole number"), file=file, row=row, column=column)
    shown = text if len(text) <= 30 else text[:30] + "…"
    if not _WHOLE.fullmatch(text):
        raise TableError(
            words(
                "%(value)s is not a whole number of people (write digits 0-9 only)",
                value=repr(shown),
            ),
            file=file,
            row=row,
            column=column,
        )
    digits = text.split(".")[0]
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise TableError(
            words(
                "%(value)s is too large (at most %(maximum)s)",
                value=repr(shown),
                maximum=f"{maximum:,}",
            ),
            file=file,
            row=row,
            column=column,
        )
    return int(digits)


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
    exact_text: bool = False,
) -> Table:
    """Check the header and rows of raw (row number, cells) pairs and make a `Table`."""
    rows_iter = iter(raw)
    header: tuple[str, ...] = ()
    for number, cells in rows_iter:
        header = tuple(clean(_checked(c, name, number, str(c))) for c in cells)
        if any(header):
            break
    else:
        raise TableError(words("is empty"), file=name)
    header = _check_header(header, name, limits)
    width = len(header)
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in rows_iter:
        cleaned = tuple(
            clean(
                text_cell(c, file=name, row=number, column=header[i] if i < width else None)
                if type(c) is str and (not c.isascii() or _ASCII_CONTROL.search(c))
                else c,
                line_breaks=line_breaks,
                exact_text=exact_text,
            )
            for i, c in enumerate(cells)
        )
        if not any(cleaned):
            continue
        for position, cell in enumerate(cleaned):
            if len(cell) > limits.max_cell_chars:
                raise TableError(
                    words(
                        "a cell is longer than %(limit)s characters",
                        limit=f"{limits.max_cell_chars:,}",
                    ),
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
                    words(
                        "has a value in column %(column)s, past the header's %(width)s columns "
                        "(%(value)s); every value needs a heading",
                        column=extra + 1,
                        width=width,
                        value=repr(cleaned[extra][:40]),
                    ),
                    file=name,
                    row=number,
                )
        elif len(cleaned) < width:
            cleaned = cleaned + ("",) * (width - len(cleaned))
        rows.append((number, cleaned))
        if len(rows) > limits.max_rows:
            raise TableError(too_many_rows(limits), file=name, row=number)
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


def _checked(cell: object, name: str, row: int, column: str | None) -> object:
    return text_cell(cell, file=name, row=row, column=column) if isinstance(cell, str) else cell


def _check_header(header: tuple[str, ...], name: str, limits: Limits) -> tuple[str, ...]:
    """Trailing blank headings dropped; blank, over-long or repeated headings refused (linear)."""
    end = len(header)
    while end and not header[end - 1]:
        end -= 1
    header = header[:end]
    if len(header) > limits.max_columns:
        raise TableError(
            words(
                "the header has %(columns)s columns; at most %(limit)s are read",
                columns=f"{len(header):,}",
                limit=f"{limits.max_columns:,}",
            ),
            file=name,
            row=1,
        )
    seen: dict[str, int] = {}
    for i, heading in enumerate(header):
        if not heading:
            raise TableError(
                words("column %(number)s has no heading; give every column a name", number=i + 1),
                file=name,
                row=1,
            )
        if len(heading) > 1000:
            raise TableError(
                words("the heading of column %(number)s is too long", number=i + 1),
                file=name,
                row=1,
            )
        key = normalise(heading)
        if key in seen:
            raise TableError(
                words(
                    "the heading %(heading)s names two columns (%(first)s and %(second)s)",
                    heading=repr(heading),
                    first=seen[key] + 1,
                    second=i + 1,
                ),
                file=name,
                row=1,
                column=heading,
            )
        seen[key] = i
    return header


def too_slow(name: str, limits: Limits, row: int) -> TableError:
    return TableError(
        words(
            "took more than %(seconds)s s to read; save it as 'CSV UTF-8' or split it",
            seconds=f"{limits.max_seconds:g}",
        ),
        file=name,
        row=row,
    )


def too_many_rows(limits: Limits) -> Words:
    return words("has more than %(rows)s rows", rows=f"{limits.max_rows:,}")


def too_many_columns(column: int, limits: Limits) -> Words:
    """A value in `column`, past the columns a spreadsheet reader reads."""
    return words(
        "has a value in column %(column)s; at most %(columns)s columns are read",
        column=f"{column:,}",
        columns=f"{limits.max_columns:,}",
    )


def no_data(sheets: Sequence[str]) -> Words:
    """A workbook or spreadsheet none of whose `sheets` holds data."""
    if sheets:
        return words("is empty (sheets: %(sheets)s)", sheets=", ".join(sheets))
    return words("is empty (sheets: none)")


def short_reason(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 120 else text[:120] + "…"
