"""The selection library's words in the working language.

`sortition` stays pure and says what it has to say as `sortition.words.Words`: an English
message id and its values, a value that is itself `Words` being a message within the message.
Its refusals (`BadInput`, a file that cannot be read: "file X, row N, column 'Y': ...") and its
explanations (`Infeasible.lines`) are looked up here, in one place, for every screen and command.
"""

from __future__ import annotations

from assembly.core.i18n import working
from sortition.model import BadInput
from sortition.words import Words, located


def said(line: Words) -> str:
    """One `Words` in the working language, a message within it translated too; a plain
    string value is shown as it is (it is data, or already worded by the app)."""
    params = {k: said(v) if isinstance(v, Words) else v for k, v in line.params.items()}
    return working().gettext(line.msgid, **params)


def shown(value: str | Words) -> str:
    """A library message (a progress step, a problem found) in the working language when it
    is `Words`; a plain string as it is."""
    return said(value) if isinstance(value, Words) else value


def refusal(error: BadInput, *, file: bool = True) -> str:
    """Why the library refused an input, with the file (unless `file` is false, for a caller
    that names it itself), row and column, in the working language."""
    if file:
        return said(error.words)
    return said(located(error.message, row=error.row, column=error.column))
