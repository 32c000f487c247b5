"""Short forms of the words screens show, for narrow columns and panels."""

from __future__ import annotations


def short_label(label: str) -> str:
    """'Deprivation (IMD quintile of home area)' -> 'Deprivation': the part before any
    bracket, which is what a column of a laptop screen has room for."""
    return label.split(" (", 1)[0].strip() or label
