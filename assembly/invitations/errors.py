"""The one error type of invitation work, worded for the organiser, shared by the app and CLI."""

from __future__ import annotations

from assembly.core.i18n import N_, _


class InvitationError(Exception):
    """A step that cannot be done, with a short title and a message saying why and what to do."""

    title = N_("Cannot do that")

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.title = title if title is not None else _(type(self).title)
