"""Spreadsheets that are zip archives (.xlsx, .ods): opened once, each member named once.

A zip may hold two members of one name; readers then take one of them (Python's `zipfile`
the later), and which one another program shows is anyone's guess. A pool whose rows depend on
the reader is refused rather than read.
"""

from __future__ import annotations

import io
import zipfile

from sortition.tabular.table import TableError


def open_archive(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """The zip in `data`, refused as not a readable `kind` or for holding a member twice."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise TableError(f"is not a readable {kind} ({err})", file=name) from None
    seen: set[str] = set()
    for member in members:
        if member in seen:
            raise TableError(
                f"holds its part {member} twice, so what it contains depends on the program "
                f"reading it; save it again as a new {kind} and import that",
                file=name,
            )
        seen.add(member)
    return archive
