"""An assembly's languages: the working language of its screens, and the residents' languages.

Both live in `assembly_info`: `language` is the working language (a tag such as en-GB or cy,
set by `assembly new --lang` and `assembly languages set`), which is also what the room's
pages start in; `residents_languages` lists, comma-separated, the languages a resident can pick
on the room's first page (the working language is always among them, first).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from assembly.core.i18n import LanguageError, check_language
from assembly.store.database import StoreError, write_transaction

DEFAULT_LANGUAGE = "en-GB"  # not words


def _info(db: Database, key: str) -> str:
    row = db.execute("select value from assembly_info where key = ?", [key]).fetchone()
    return (row[0] or "").strip() if row else ""


def working_language(db: Database) -> str:
    """The language of the screens and the room's first page (default en-GB)."""
    return _info(db, "language") or DEFAULT_LANGUAGE


def residents_languages(db: Database) -> list[str]:
    """The languages a resident can choose in the room, the working language first."""
    working = working_language(db)
    listed = [t.strip() for t in _info(db, "residents_languages").split(",") if t.strip()]
    return [working, *(t for t in listed if t != working)]


def checked_languages(tags: Sequence[str]) -> list[str]:
    """`tags` as language tags, each once, or StoreError naming the bad one."""
    out: list[str] = []
    for tag in tags:
        try:
            good = check_language(tag)
        except LanguageError as error:
            raise StoreError(str(error)) from None
        if good not in out:
            out.append(good)
    return out


def set_languages(
    db: Database, *, working: str | None = None, residents: Sequence[str] | None = None
) -> None:
    """Set the working language and/or the residents' languages (checked before any write)."""
    rows = []
    if working is not None:
        rows.append({"key": "language", "value": checked_languages([working])[0]})
    if residents is not None:
        rows.append({"key": "residents_languages", "value": ",".join(checked_languages(residents))})
    with write_transaction(db):
        for row in rows:
            db["assembly_info"].insert(row, replace=True)
