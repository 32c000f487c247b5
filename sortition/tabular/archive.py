"""Spreadsheets that are zip archives (.xlsx, .ods): opened once, each member named once.

A zip may hold two members of one name; readers then take one of them (Python's `zipfile`
the later), and which one another program shows is anyone's guess. A pool whose rows depend on
the reader is refused rather than read.
"""

from __future__ import annotations

import io
import zipfile

from sortition.tabular.table import TableError
from sortition.words import Words, words

EXCEL = "Excel workbook"
ODS = "OpenDocument spreadsheet"


def unreadable(kind: str, reason: str) -> Words:
    """Why a spreadsheet of `kind` (`EXCEL` or `ODS`) cannot be read; `reason` is the reader's."""
    if kind == EXCEL:
        return words("is not a readable Excel workbook (%(reason)s)", reason=reason)
    return words("is not a readable OpenDocument spreadsheet (%(reason)s)", reason=reason)


def _twice(kind: str, part: str) -> Words:
    if kind == EXCEL:
        return words(
            "holds its part %(part)s twice, so what it contains depends on the program "
            "reading it; save it again as a new Excel workbook and import that",
            part=part,
        )
    return words(
        "holds its part %(part)s twice, so what it contains depends on the program "
        "reading it; save it again as a new OpenDocument spreadsheet and import that",
        part=part,
    )


def open_archive(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The zip in `data`, refused as not a readable `kind` (`EXCEL` or `ODS`) or for holding a
    member twice."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise TableError(unreadable(kind, str(err)), file=name) from None
    seen: set[str] = set()
    for member in members:
        if member in seen:
            raise TableError(_twice(kind, member), file=name)
        seen.add(member)
    return archive
