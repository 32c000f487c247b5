"""UK postcodes as people type them: one key for matching, one form for printing.

`e14ab`, `E1  4AB` and `E1 4AB` are one postcode; the key drops spaces and case, and the
printed form puts the one space before the last three characters, as Royal Mail writes it.
"""

from __future__ import annotations

import re

_SHAPE = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}\Z")


def postcode_key(text: str) -> str:
    """Upper case with every space removed: the form postcodes are compared in."""
    return "".join(str(text).split()).upper()


def looks_like_postcode(key: str) -> bool:
    """Whether a key has the shape of a UK postcode (outward code, digit, two letters)."""
    return bool(_SHAPE.match(key))


def printed(key: str) -> str:
    """The key with its one space, e.g. E14AB -> E1 4AB."""
    return f"{key[:-3]} {key[-3:]}" if len(key) > 3 else key
