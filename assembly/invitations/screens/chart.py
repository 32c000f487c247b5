"""Response rates drawn as text: a bar of block characters per group, with its 95% interval
marked, so the plot reads without colour, on any terminal, and in a screenshot or a copy.

A bar is `width` cells for 0 to `scale`; the rate fills it in eighths of a cell (█ then ▏ to
▉), and the interval runs from ├ to ┤, as ─ where it lies beyond the bar.
"""

from __future__ import annotations

import math

from assembly.invitations.rates import GroupRate

EIGHTHS = " ▏▎▍▌▋▊▉"
# the legend, "█ the rate, ├─┤ its 95% interval", is in each chart's title (rates.py), so a
# translator words the title as one sentence


def chart_scale(groups: list[GroupRate]) -> float:
    """The axis end: the highest interval end rounded up to a whole 5% (at least 5%), so bars
    of different tables compare at a glance and the scale is a round figure to say."""
    top = max((g.high for g in groups), default=0.0)
    return max(0.05, math.ceil(top * 20 - 1e-9) / 20)


def rate_bar(group: GroupRate, scale: float, width: int) -> str:
    """The group's bar, exactly `width` characters."""
    if width < 1:
        return ""

    def at(value: float) -> float:
        return min(max(value / scale, 0.0), 1.0) * width

    cells = [" "] * width
    eighths = round(at(group.rate) * 8)
    full, part = divmod(eighths, 8)
    for i in range(min(full, width)):
        cells[i] = "█"
    if part and full < width:
        cells[full] = EIGHTHS[part]
    bar_end = full + (1 if part else 0)
    low = min(int(at(group.low)), width - 1)
    high = min(max(math.ceil(at(group.high)) - 1, low), width - 1)
    for i in range(max(bar_end, low + 1), high):
        cells[i] = "─"
    cells[low] = "├"
    cells[high] = "┤" if high > low or group.high > group.low else cells[high]
    return "".join(cells)
