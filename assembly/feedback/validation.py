"""Checking what a person asks the feedback log to record, before anything is written.

Each value is cleaned to the form the entries store (ISO dates, whole-number progress, trimmed
text), and a bad one is refused with a `FeedbackError` worded for the person who typed it.
The CSV import checks its cells through the same functions, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from assembly.feedback.entries import FeedbackError
from assembly.feedback.schema import ITEM_STATUSES


def check_date(value: str, what: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except (ValueError, AttributeError) as error:
        raise FeedbackError(f"{what} {value!r} is not a date like 2026-12-31.") from error


def check_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise FeedbackError(f"{what} is required.")
    return text


def clean_changes(changes: Mapping[str, Any], reason: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name == "status":
            if value not in ITEM_STATUSES:
                allowed = ", ".join(ITEM_STATUSES)
                raise FeedbackError(f"Unknown status {value!r}; use one of: {allowed}.")
            if value == "not_accepted" and not reason.strip():
                raise FeedbackError(
                    "A 'not accepted' response needs a reason: say why it was not accepted."
                )
            data[name] = value
        elif name == "progress":
            try:
                number = int(str(value).strip().removesuffix("%"))
            except ValueError as error:
                raise FeedbackError(f"Progress {value!r} is not a whole number.") from error
            if not 0 <= number <= 100:
                raise FeedbackError(f"Progress {value!r} must be between 0 and 100.")
            data[name] = number
        elif name == "due":
            data[name] = check_date(str(value), "The response deadline")
        elif name == "title":
            data[name] = check_text(value, "A title")
        elif name in ("response", "responsible_body", "description", "external_ref"):
            data[name] = str(value).strip()
        elif name == "milestone":
            when, text = value
            data[name] = {
                "date": check_date(str(when), "The milestone date"),
                "text": check_text(text, "A milestone's text"),
            }
        elif name == "evidence":
            url, label = value if isinstance(value, tuple) else (value, "")
            data[name] = {
                "url": check_text(url, "An evidence link"),
                "label": (label or "").strip(),
            }
        else:
            raise FeedbackError(f"Unknown field {name!r} for a feedback log entry.")
    return data
