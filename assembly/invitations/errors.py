"""The one error type of invitation work, worded for the organiser, shared by the app and CLI."""

from __future__ import annotations


class InvitationError(Exception):
    """A step that cannot be done, with a short title and a message saying why and what to do."""

    title = "Cannot do that"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title
