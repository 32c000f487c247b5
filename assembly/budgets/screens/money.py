"""Money as the Budgets screen shows it in tables and on the projector: whole pounds where there
are no pence ('£6,500'), so columns stay narrow enough for an 80-column terminal."""

from __future__ import annotations

from assembly.budgets.rounds import show_money


def whole_money(pence: int, currency: str = "GBP") -> str:
    text = show_money(pence, currency)
    return text.replace(".00", "", 1) if pence % 100 == 0 else text
