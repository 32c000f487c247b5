"""Numbers typed into the Budgets screen's forms: read, or refused in plain words naming the
field (a BudgetError, which the screen shows in the error dialog)."""

from __future__ import annotations

from assembly.budgets.errors import BudgetError
from assembly.budgets.rounds import parse_pence
from assembly.core.i18n import _


def optional_count(text: str, what: str) -> int | None:
    """A whole number, or None for a blank field."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise BudgetError(
            _("%(field)s: %(typed)s is not a whole number.", field=what, typed=repr(text))
        )
    return int(text)


def optional_pence(text: str, what: str) -> int | None:
    """An amount of money in pence, or None for a blank field."""
    return parse_pence(text, what) if (text or "").strip() else None
