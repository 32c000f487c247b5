"""Counted nouns said properly: "1 ballot", "2 ballots" (issue 25 saw "1 ballots counted").

One place for it, so the catalogues of a later translation have one function to replace.
"""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """'1 ballot', '0 ballots', '1,500 ballots'; `many` for irregular plurals ('people')."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
