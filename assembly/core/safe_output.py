"""The one export layer: CSV, Markdown and HTML that are safe to open in Excel and to publish.

Every export and report in the app writes through these helpers, because what residents typed
(names, addresses, ideas, titles, evidence links) ends up in a committee's spreadsheet or on a
council web page:

- CSV cells are neutralised by OWASP's rule: a cell starting with `= + - @`, a tab or a carriage
  return gets a leading apostrophe, and so does every part after a `,` `;` `|` tab or line
  break, since a spreadsheet set to another separator splits the cell there. Plain numbers
  such as `-3` or `-1.5` are left alone: they cannot run. A carriage return inside a cell
  becomes a line feed, so the cell is quoted: a bare CR is refused by Python's csv and read as
  the end of a row by programs that take CR for a line end.
- Markdown text has its HTML characters written as entities and its Markdown syntax
  backslash-escaped, so a title cannot become a heading, a link or a script.
- Links are made only for http(s) and mailto addresses; anything else is shown as escaped text.
- Files holding personal data are created readable by their owner only (0600).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPLIT = re.compile(r"([,;|\t\r\n]\s*)(?=[=+\-@\t\r])")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*%?")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_LINKABLE = ("http://", "https://", "mailto:")


# ---------------------------------------------------------------- CSV


def spreadsheet_cell(value: object) -> object:
    """`value` as a cell no spreadsheet will run as a formula (numbers pass unchanged)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if "\r" in value:  # a bare CR ends a row for some readers and is refused by others
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not value or _NUMBER.fullmatch(value):
        return value
    text = _SPLIT.sub(r"\1'", value)
    if text.lstrip(" ").startswith(FORMULA_START):  # some spreadsheets trim leading spaces
        text = "'" + text
    return text


_SPLIT_UNDO = re.compile(r"([,;|\t\r\n]\s*)'(?=[=+\-@\t\r])")


def undo_spreadsheet_cell(text: str) -> str:
    """`spreadsheet_cell` undone, for reading back a file this app exported."""
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_START):
        text = text[1:]
    return _SPLIT_UNDO.sub(r"\1", text)


def csv_text(
    header: Sequence[str] | None, rows: Iterable[Sequence[object]], *, delimiter: str = ","
) -> str:
    """CSV text with every cell neutralised (see `spreadsheet_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        writer.writerow([spreadsheet_cell(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_dict_text(fields: Sequence[str], rows: Iterable[dict]) -> str:
    """CSV text of dictionaries (missing keys blank), every cell neutralised."""
    return csv_text(fields, ([row.get(f, "") for f in fields] for row in rows))


# ---------------------------------------------------------------- files


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files made inside are readable by their owner only (for SQLite's own files too)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------- Markdown


def md_text(value: object) -> str:
    """Text shown as itself in Markdown: no HTML, links, emphasis, headings or table breaks."""
    text = " ".join(str(value if value is not None else "").split())
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in ("#", "-", "+", "=") or re.match(r"[0-9]+[.)]", text):
        text = "\\" + text
    return text


def md_cell(value: object) -> str:
    """`md_text` for a table cell (pipes are escaped by `md_text`, line breaks collapsed)."""
    return md_text(value)


def safe_url(url: str) -> str | None:
    """`url` percent-encoded for use in a link, or None when it is not http(s) or mailto."""
    text = url.strip()
    if not text.lower().startswith(_LINKABLE) or any(ord(c) < 32 for c in text):
        return None
    return quote(text, safe="/:?#[]@!$&'*+,;=%-._~")


def md_link(url: str, label: str = "") -> str:
    """A Markdown link for http(s)/mailto addresses; any other address as plain text."""
    target = safe_url(url)
    shown = md_text(label or url)
    if target is None:
        return f"{shown} ({md_text(url)})" if label else shown
    target = target.replace("(", "%28").replace(")", "%29").replace("'", "%27")
    return f"[{shown}]({target})"


# ---------------------------------------------------------------- HTML


def html_text(value: object) -> str:
    """Text shown as itself in HTML (quotes escaped too, so it is safe in attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def html_link(url: str, label: str = "") -> str:
    """An HTML link for http(s)/mailto addresses; any other address as escaped text."""
    target = safe_url(url)
    shown = html_text(label or url)
    if target is None:
        return f"{shown} ({html_text(url)})" if label else shown
    return f'<a href="{html_text(target)}">{shown}</a>'
