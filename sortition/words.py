"""Words a person reads, kept as an English message id and its values, not only as a string.

The library stays pure: it imports nothing from an app and knows no catalogue. It says what it
has to say (why no panel meets the quotas, say) as `Words`, which print as their English, so
everything that prints them reads as before. An app that speaks another language looks the
`msgid` up in its own catalogue and fills the same named `params` (`%(name)s`, never positional,
so a translator may change the word order); a value that is itself `Words` is a message within
the message, translated the same way. Feature names and values are data, passed as params.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Words:
    """One message: its English id and the values of its named placeholders."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.msgid % self.params if self.params else self.msgid


def words(msgid: str, /, **params: object) -> Words:
    """A message to show in the reader's language; marked for extraction (keyword `words`)."""
    return Words(msgid, params)


def located(
    message: str | Words,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> Words:
    """`message` with where it was found, as one whole message (never pieces joined), so a
    translator words "file X, row N, column 'Y': ..." in their own order. A plain `str`
    message is taken as already worded; a column is quoted as Python's `repr` quotes it."""
    where = {
        name: value
        for name, value in (("file", file), ("row", row), ("column", column))
        if value is not None and value != ""
    }
    if "column" in where:
        where["column"] = repr(column)
    key = tuple(where)
    if not key:
        return message if isinstance(message, Words) else Words("%(message)s", {"message": message})
    return Words(_LOCATED[key], {**where, "message": message})


_LOCATED: dict[tuple[str, ...], str] = {
    ("file", "row", "column"): words(
        "file %(file)s, row %(row)s, column %(column)s: %(message)s"
    ).msgid,
    ("file", "row"): words("file %(file)s, row %(row)s: %(message)s").msgid,
    ("file", "column"): words("file %(file)s, column %(column)s: %(message)s").msgid,
    ("file",): words("file %(file)s: %(message)s").msgid,
    ("row", "column"): words("row %(row)s, column %(column)s: %(message)s").msgid,
    ("row",): words("row %(row)s: %(message)s").msgid,
    ("column",): words("column %(column)s: %(message)s").msgid,
}
