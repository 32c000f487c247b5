"""The PB rounds' one error type, raised by rounds, ballots, results and publishing."""

from __future__ import annotations

from assembly.core.i18n import N_


class BudgetError(ValueError):
    """Something the PB services refuse, said in plain words (with the file, row and column
    when it comes from a file)."""

    title = N_("Cannot do that")
