"""Bytes to text: strict UTF-8 (a byte-order mark allowed) or strictly the encoding named.

A file that is not UTF-8 is refused with a guess of what it might be, never decoded by guess:
a pool decoded wrongly would put people under values that are not theirs.
"""

from __future__ import annotations

import codecs

from sortition.tabular.table import TableError


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
