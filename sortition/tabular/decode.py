"""Bytes to text: strict UTF-8 (a byte-order mark allowed) or strictly the encoding named.

A file that is not UTF-8 is refused with a guess of what it might be, never decoded by guess:
a pool decoded wrongly would put people under values that are not theirs.
"""

from __future__ import annotations

import codecs

from sortition.tabular.table import TableError
from sortition.words import Words, words


def decode(
    data: bytes, name: str, encoding: str | None = None, *, option: str | None = "--encoding"
) -> str:
    """Text of `data`: strict UTF-8 (BOM allowed), or strictly `encoding` when one is named."""
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise TableError(
                words("unknown encoding %(encoding)s", encoding=repr(encoding)), file=name
            ) from None
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            what = words("is not %(encoding)s text", encoding=encoding)
            raise _undecodable(data, err, name, what, option) from None
        return text.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _undecodable(data, err, name, words("is not UTF-8 text"), option) from None


def _undecodable(
    data: bytes, err: UnicodeDecodeError, name: str, what: Words, option: str | None
) -> TableError:
    """The refusal of undecodable text, with a guess shown (never applied)."""
    line_start = data.rfind(b"\n", 0, err.start) + 1
    row = data.count(b"\n", 0, err.start) + 1
    where = {
        "what": what,
        "byte": f"0x{data[err.start]:02X}",
        "character": err.start - line_start + 1,
    }
    for candidate in ("cp1252", "latin-1"):
        try:
            line_end = data.find(b"\n", err.start)
            sample = data[line_start : line_end if line_end >= 0 else len(data)]
            shown = sample.decode(candidate).strip()[:60]
        except UnicodeDecodeError:
            continue
        guess = {"encoding": candidate, "shown": repr(shown)}
        if option:
            message = words(
                "%(what)s (byte %(byte)s at character %(character)s of the row); save it as "
                "'CSV UTF-8' and try again; if it was saved as %(encoding)s, that row would read "
                "%(shown)s: import it with %(option)s %(encoding)s",
                **where,
                **guess,
                option=option,
            )
        else:
            message = words(
                "%(what)s (byte %(byte)s at character %(character)s of the row); save it as "
                "'CSV UTF-8' and try again; if it was saved as %(encoding)s, that row would read "
                "%(shown)s",
                **where,
                **guess,
            )
        return TableError(message, file=name, row=row)
    message = words(
        "%(what)s (byte %(byte)s at character %(character)s of the row); save it as "
        "'CSV UTF-8' and try again",
        **where,
    )
    return TableError(message, file=name, row=row)
