"""Checking what a person asks the feedback log to record, before anything is written.

Each value is cleaned to the form the entries store (ISO dates, whole-number progress, trimmed
text), and a bad one is refused with a `FeedbackError` worded for the person who typed it.
The CSV import checks its cells through the same functions, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from assembly.core.i18n import N_, _
from assembly.feedback.entries import FeedbackError
from assembly.feedback.schema import ITEM_STATUSES

DEADLINE_NOT_A_DATE = N_("The response deadline %(value)s is not a date like 2026-12-31.")
NO_TITLE = N_("A title is required.")
NO_ACTOR = N_("Who is recording this (actor) is required.")


def check_date(value: str, refusal: str) -> str:
    """`value` as an ISO date, or `refusal` (an `N_()` message with `%(value)s`) as the error."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except (ValueError, AttributeError) as error:
        raise FeedbackError(_(refusal, value=repr(value))) from error


def check_text(value: str | None, refusal: str) -> str:
    """`value` trimmed, or `refusal` (an `N_()` message) as the error when it is empty."""
    text = (value or "").strip()
    if not text:
        raise FeedbackError(_(refusal))
    return text


def clean_changes(changes: Mapping[str, Any], reason: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name == "status":
            if value not in ITEM_STATUSES:
                allowed = ", ".join(ITEM_STATUSES)
                raise FeedbackError(
                    _(
                        "Unknown status %(status)s; use one of: %(allowed)s.",
                        status=repr(value),
                        allowed=allowed,
                    )
                )
            if value == "not_accepted" and not reason.strip():
                raise FeedbackError(
                    _("A 'not accepted' response needs a reason: say why it was not accepted.")
                )
            data[name] = value
        elif name == "progress":
            try:
                number = int(str(value).strip().removesuffix("%"))
            except ValueError as error:
                raise FeedbackError(
                    _("Progress %(value)s is not a whole number.", value=repr(value))
                ) from error
            if not 0 <= number <= 100:
                raise FeedbackError(
                    _("Progress %(value)s must be between 0 and 100.", value=repr(value))
                )
            data[name] = number
        elif name == "due":
            data[name] = check_date(str(value), DEADLINE_NOT_A_DATE)
        elif name == "title":
            data[name] = check_text(value, NO_TITLE)
        elif name in ("response", "responsible_body", "description", "external_ref"):
            data[name] = str(value).strip()
        elif name == "milestone":
            when, text = value
            data[name] = {
                "date": check_date(
                    str(when), N_("The milestone date %(value)s is not a date like 2026-12-31.")
                ),
                "text": check_text(text, N_("A milestone's text is required.")),
            }
        elif name == "evidence":
            url, label = value if isinstance(value, tuple) else (value, "")
            data[name] = {
                "url": check_text(url, N_("An evidence link is required.")),
                "label": (label or "").strip(),
            }
        else:
            raise FeedbackError(  # only code names the fields
                f"Unknown field {name!r} for a feedback log entry."  # not words
            )
    return data
