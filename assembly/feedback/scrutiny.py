"""What scrutiny asks of the feedback log: how each responsible body is answering, what is late,
what was never answered, and each item's story.

Everything reads the `feedback_items` summary (kept with each entry) through indexes, so the
dashboard stays quick for a log of 100,000 entries. "Overdue" is judged against a date the
caller gives (from the injected clock), never the computer's own clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from assembly.core.i18n import N_, _
from assembly.feedback.entries import STATUS_LABELS, Item, item_from_row
from assembly.feedback.schema import ITEM_STATUSES

NO_BODY = N_("(no body assigned)")
ALL_BODIES = N_("All bodies")  # the totals row
COMMITTED = ("accepted", "partly_accepted", "in_progress", "done")


@dataclass(frozen=True)
class BodySummary:
    """One responsible body's record (or all bodies together, for the totals row)."""

    body: str
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    unanswered: int = 0
    median_days_to_response: float | None = None

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)


@dataclass(frozen=True)
class Dashboard:
    bodies: tuple[BodySummary, ...]
    totals: BodySummary
    today: date


def dashboard(db: Database, today: date) -> Dashboard:
    """Counts by status, overdue and unanswered items and median days to first response, per body."""
    by_body: dict[str, dict[str, int]] = {}
    for body, status, n in db.execute(
        "select responsible_body, status, count(*) from feedback_items "
        "group by responsible_body, status"
    ):
        by_body.setdefault(body or NO_BODY, {})[status] = n
    overdue = _per_body(
        db,
        "select responsible_body, count(*) from feedback_items where first_response_at is null "
        "and status != 'withdrawn' and due < ? group by responsible_body",
        [today.isoformat()],
    )
    unanswered = _per_body(
        db,
        "select responsible_body, count(*) from feedback_items where first_response_at is null "
        "and status != 'withdrawn' group by responsible_body",
        [],
    )
    medians = {
        (body or NO_BODY): _median(db, n, "responsible_body is ? and", [body])  # not words
        for body, n in db.execute(
            "select responsible_body, count(response_days) from feedback_items "
            "group by responsible_body"
        )
    }
    bodies = []
    for body in sorted(by_body, key=lambda b: (b == NO_BODY, b.lower())):
        counts = by_body[body]
        bodies.append(
            BodySummary(
                body=body,
                total=sum(counts.values()),
                by_status=counts,
                overdue=overdue.get(body, 0),
                unanswered=unanswered.get(body, 0),
                median_days_to_response=medians.get(body),
            )
        )
    answered = db.execute("select count(response_days) from feedback_items").fetchone()[0]
    totals = BodySummary(
        body=ALL_BODIES,
        total=sum(b.total for b in bodies),
        by_status={s: sum(b.count(s) for b in bodies) for s in ITEM_STATUSES},
        overdue=sum(b.overdue for b in bodies),
        unanswered=sum(b.unanswered for b in bodies),
        median_days_to_response=_median(db, answered, "", []),
    )
    return Dashboard(tuple(bodies), totals, today)


def _median(db: Database, n: int, where: str, params: list) -> float | None:
    """The median of `n` response times, read from the middle of an index, not by fetching all."""
    if n == 0:
        return None
    middle = [
        r[0]
        for r in db.execute(
            f"select response_days from feedback_items where {where} response_days is not null "
            "order by response_days limit ? offset ?",
            [*params, 2 if n % 2 == 0 else 1, (n - 1) // 2],
        )
    ]
    return sum(middle) / len(middle)


def _per_body(db: Database, sql: str, params: list) -> dict[str, int]:
    return {(body or NO_BODY): n for body, n in db.execute(sql, params)}


@dataclass(frozen=True)
class ItemFilter:
    """What the item list shows: free text, one status, one body, only overdue/unanswered."""

    text: str = ""
    status: str | None = None
    body: str | None = None
    overdue_only: bool = False
    unanswered_only: bool = False


def find_items(
    db: Database, which: ItemFilter, today: date, *, limit: int = 500
) -> tuple[list[Item], int]:
    """Items matching the filter (newest change first), at most `limit`, and how many match."""
    where, params = [], []
    if which.text.strip():
        like = f"%{which.text.strip()}%"
        where.append(
            "(title like ? or description like ? or response like ? or cast(id as text) = ?)"  # not words
        )
        params += [like, like, like, which.text.strip()]
    if which.status:
        where.append("status = ?")
        params.append(which.status)
    if which.body:
        if which.body == NO_BODY:
            where.append("responsible_body is null")  # not words
        else:
            where.append("responsible_body = ?")
            params.append(which.body)
    if which.overdue_only or which.unanswered_only:
        where.append("first_response_at is null and status != 'withdrawn'")  # not words
    if which.overdue_only:
        where.append("due < ?")
        params.append(today.isoformat())
    clause = f" where {' and '.join(where)}" if where else ""
    total = db.execute(f"select count(*) from feedback_items{clause}", params).fetchone()[0]
    rows = db.query(f"select * from feedback_items{clause} order by id limit ?", [*params, limit])
    return [item_from_row(r) for r in rows], total


def body_names(db: Database) -> list[str]:
    names = [
        r[0]
        for r in db.execute(
            "select distinct responsible_body from feedback_items order by responsible_body"
        )
    ]
    return [n for n in names if n] + ([NO_BODY] if None in names else [])


def commitments(db: Database, *, limit: int = 40) -> list[tuple[int, str, int, str]]:
    """Accepted and ongoing items with their progress: (id, title, progress %, status)."""
    marks = ", ".join("?" for _status in COMMITTED)
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.execute(
            f"select id, title, progress, status from feedback_items where status in ({marks}) "
            "order by id limit ?",
            [*COMMITTED, limit],
        )
    ]


def status_word(item: Item, today: date) -> str:
    """The status in words, marked when late, so colour is never the only sign; in the working
    language (the screens show it)."""
    word = _(STATUS_LABELS[item.status])
    if item.is_overdue(today):
        return _("⚠ overdue · %(status)s", status=word)
    if item.status == "done":
        return f"✓ {word}"
    if item.status == "not_accepted":
        return f"✗ {word}"
    return word
