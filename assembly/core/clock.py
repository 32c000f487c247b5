"""Time: stored in UTC as ISO 8601, shown in the assembly's own time zone.

Services take a `Clock` so tests can freeze time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from assembly.core.i18n import working


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and the demo: stands still until moved with `advance`."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)


def to_iso(moment: datetime) -> str:
    """UTC ISO 8601 with seconds, e.g. 2026-11-26T09:30:00Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry a time zone")  # not words
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(text_or_moment: str | datetime, timezone: str) -> datetime:
    moment = from_iso(text_or_moment) if isinstance(text_or_moment, str) else text_or_moment
    return moment.astimezone(ZoneInfo(timezone))


def show(text_or_moment: str | datetime | None, timezone: str, *, date_only: bool = False) -> str:
    """A stored time as people in the assembly's area read it, e.g. 'Thu 26 Nov 2026, 09:30',
    in the working language ('Iau 26 Tach 2026, 09:30')."""
    if not text_or_moment:
        return "—"
    return working().short_datetime(local(text_or_moment, timezone), date_only=date_only)
