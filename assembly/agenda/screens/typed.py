"""Numbers typed into the agenda screen's forms: read, or refused in plain words naming the
field (an AgendaError, which the screen shows in the error dialog)."""

from __future__ import annotations

from assembly.agenda.errors import AgendaError
from assembly.core.i18n import _


def whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise AgendaError(
            _("%(field)s: %(text)s is not a whole number.", field=what, text=repr(text))
        ) from error


def optional_whole(text: str, what: str) -> int | None:
    return whole(text, what) if text.strip() else None


def numbers(text: str, what: str) -> list[int]:
    return [whole(p, what) for p in text.replace(",", " ").split()]


def dots(text: str, what: str) -> dict[int, int]:
    out = {}
    for token in text.replace(",", " ").split():
        key, sep, value = token.partition("=")
        if not sep:
            raise AgendaError(
                _(
                    "%(field)s: %(text)s should look like TOPIC=DOTS, e.g. 3=2.",
                    field=what,
                    text=repr(token),
                )
            )
        out[whole(key, what)] = whole(value, what)
    return out
