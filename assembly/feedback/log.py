"""The feedback log: every idea and recommendation as a tracked item with an append-only history.

A change to an item is never an edit: it is a new entry saying who, when, what changed and why,
hash-chained to the entry before it (see `hashchain`). Each item's current state is derived
from its entries by `apply_entry`, and cached in `feedback_items` in the same transaction as the
entry, so the dashboard stays fast and `verify_log` can prove the cache matches the entries.

Writers take the write lock first (`write_transaction`, BEGIN IMMEDIATE) and read the chain head
inside it, so two programs appending at once queue up and never fork the chain.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from assembly.core.clock import Clock, from_iso, to_iso
from assembly.feedback.hashchain import (
    GENESIS,
    ChainCheck,
    canonical_data,
    row_hash,
    verify_chain,
)
from assembly.feedback.schema import ITEM_STATUSES
from assembly.store.database import write_transaction

STATUS_LABELS = {
    "received": "Received",
    "under_consideration": "Under consideration",
    "accepted": "Accepted",
    "partly_accepted": "Partly accepted",
    "not_accepted": "Not accepted",
    "in_progress": "In progress",
    "done": "Done",
    "withdrawn": "Withdrawn",
}
SOURCE_KINDS = ("idea", "recommendation", "other")
# Fields an update entry may change; milestones and evidence are added, never replaced.
SET_FIELDS = (
    "status",
    "progress",
    "response",
    "responsible_body",
    "due",
    "title",
    "description",
    "external_ref",
)
ADD_FIELDS = {"milestone": "milestones", "evidence": "evidence"}  # field -> list in the state


class FeedbackError(ValueError):
    """A change the log refuses, worded for the person who asked for it."""


@dataclass(frozen=True)
class Milestone:
    date: str  # ISO date
    text: str


@dataclass(frozen=True)
class Evidence:
    url: str
    label: str = ""


@dataclass(frozen=True)
class Item:
    """An item's current state, as derived from its entries."""

    id: int
    title: str
    description: str
    source_kind: str
    source_id: int | None
    external_ref: str | None
    responsible_body: str | None
    due: str | None
    status: str
    status_reason: str
    progress: int
    response: str
    milestones: tuple[Milestone, ...]
    evidence: tuple[Evidence, ...]
    created_at: str
    updated_at: str
    first_response_at: str | None
    response_days: float | None
    entry_count: int
    last_seq: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def is_overdue(self, today: date) -> bool:
        """No response yet and the response deadline has passed."""
        return (
            self.first_response_at is None
            and self.status != "withdrawn"
            and self.due is not None
            and date.fromisoformat(self.due) < today
        )


@dataclass(frozen=True)
class Entry:
    """One stored log entry: who, when, what (kind and data) and why."""

    seq: int
    item_id: int
    recorded_at: str
    actor: str
    kind: str
    data: dict[str, Any]
    reason: str
    prev_hash: str
    hash: str

    def describe(self) -> str:
        """The change in words, for timelines and reports."""
        d = self.data
        if self.kind == "received":
            parts = [f"Received: {d.get('title', '')}"]
            if d.get("responsible_body"):
                parts.append(f"for {d['responsible_body']}")
            if d.get("due"):
                parts.append(f"response due {d['due']}")
            return "; ".join(parts)
        parts = []
        if "status" in d:
            parts.append(f"status → {STATUS_LABELS.get(d['status'], d['status'])}")
        if "progress" in d:
            parts.append(f"progress → {d['progress']}%")
        if "responsible_body" in d:
            parts.append(f"responsible body → {d['responsible_body']}")
        if "due" in d:
            parts.append(f"response due → {d['due']}")
        if "title" in d:
            parts.append(f"title → {d['title']}")
        if "description" in d:
            parts.append("description changed")
        if "external_ref" in d:
            parts.append(f"external reference → {d['external_ref']}")
        if "milestone" in d:
            parts.append(f"milestone {d['milestone']['date']}: {d['milestone']['text']}")
        if "evidence" in d:
            ev = d["evidence"]
            parts.append(f"evidence: {ev.get('label') or ev['url']} <{ev['url']}>")
        if "response" in d:
            parts.append(f"public response: {d['response']}")
        return "; ".join(parts) or "(no change)"


# --- deriving state from entries -------------------------------------------------------------


def new_state(item_id: int) -> dict[str, Any]:
    return {
        "id": item_id,
        "title": "",
        "description": "",
        "source_kind": "other",
        "source_id": None,
        "external_ref": None,
        "responsible_body": None,
        "due": None,
        "status": "received",
        "status_reason": "",
        "progress": 0,
        "response": "",
        "milestones": [],
        "evidence": [],
        "created_at": "",
        "updated_at": "",
        "first_response_at": None,
        "response_days": None,
        "entry_count": 0,
        "last_seq": 0,
    }


def apply_entry(
    state: dict[str, Any], kind: str, data: Mapping[str, Any], at: str, reason: str, seq: int
) -> dict[str, Any]:
    """Fold one entry into an item's state (changing `state` in place, and returning it).

    This is the single definition of what an entry means: the cache, a rebuild and the
    verification all use it.
    """
    if kind == "received":
        state.update(
            title=data["title"],
            description=data.get("description", ""),
            source_kind=data.get("source_kind", "other"),
            source_id=data.get("source_id"),
            external_ref=data.get("external_ref"),
            responsible_body=data.get("responsible_body"),
            due=data.get("due"),
            status="received",
            created_at=at,
        )
    else:
        for name in SET_FIELDS:
            if name in data:
                state[name] = data[name]
        if "status" in data:
            state["status_reason"] = reason or ""
        if "milestone" in data:
            state["milestones"] = [*state["milestones"], data["milestone"]]
        if "evidence" in data:
            state["evidence"] = [*state["evidence"], data["evidence"]]
        if state["first_response_at"] is None and (
            ("status" in data and data["status"] != "received") or "response" in data
        ):
            state["first_response_at"] = at
            days = (from_iso(at) - from_iso(state["created_at"])).total_seconds() / 86400
            state["response_days"] = round(days, 3)
    state["updated_at"] = at
    state["entry_count"] += 1
    state["last_seq"] = seq
    return state


def _state_to_row(state: Mapping[str, Any]) -> dict[str, Any]:
    row = dict(state)
    row["milestones"] = json.dumps(state["milestones"], ensure_ascii=False)
    row["evidence"] = json.dumps(state["evidence"], ensure_ascii=False)
    return row


def _row_to_state(row: Mapping[str, Any]) -> dict[str, Any]:
    state = dict(row)
    state["milestones"] = json.loads(row["milestones"])
    state["evidence"] = json.loads(row["evidence"])
    return state


def _item_from_row(row: Mapping[str, Any]) -> Item:
    milestones = tuple(Milestone(m["date"], m["text"]) for m in json.loads(row["milestones"]))
    evidence = tuple(Evidence(e["url"], e.get("label", "")) for e in json.loads(row["evidence"]))
    return Item(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        source_kind=row["source_kind"],
        source_id=row["source_id"],
        external_ref=row["external_ref"],
        responsible_body=row["responsible_body"],
        due=row["due"],
        status=row["status"],
        status_reason=row["status_reason"],
        progress=row["progress"],
        response=row["response"],
        milestones=milestones,
        evidence=evidence,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        first_response_at=row["first_response_at"],
        response_days=row["response_days"],
        entry_count=row["entry_count"],
        last_seq=row["last_seq"],
    )


# --- validation ------------------------------------------------------------------------------


def _check_date(value: str, what: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except (ValueError, AttributeError) as error:
        raise FeedbackError(f"{what} {value!r} is not a date like 2026-12-31.") from error


def _check_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise FeedbackError(f"{what} is required.")
    return text


def _clean_changes(changes: Mapping[str, Any], reason: str) -> dict[str, Any]:
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
            data[name] = _check_date(str(value), "The response deadline")
        elif name == "title":
            data[name] = _check_text(value, "A title")
        elif name in ("response", "responsible_body", "description", "external_ref"):
            data[name] = str(value).strip()
        elif name == "milestone":
            when, text = value
            data[name] = {
                "date": _check_date(str(when), "The milestone date"),
                "text": _check_text(text, "A milestone's text"),
            }
        elif name == "evidence":
            url, label = value if isinstance(value, tuple) else (value, "")
            data[name] = {
                "url": _check_text(url, "An evidence link"),
                "label": (label or "").strip(),
            }
        else:
            raise FeedbackError(f"Unknown field {name!r} for a feedback log entry.")
    return data


# --- writing ---------------------------------------------------------------------------------


def _append(
    db: Database,
    item_id: int,
    kind: str,
    data: dict[str, Any],
    *,
    actor: str,
    reason: str,
    recorded_at: str,
    state: dict[str, Any],
) -> Entry:
    """Add one entry after the current head and store the item's new state (inside a transaction)."""
    head = db.execute(
        "select seq, hash, recorded_at from feedback_entries order by seq desc limit 1"
    ).fetchone()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    if head and recorded_at < head[2]:
        raise FeedbackError(
            f"This computer's clock says {recorded_at}, earlier than the log's last entry "
            f"({head[2]}). Entries only go forward in time: check the clock and try again. "
            "Nothing was recorded."
        )
    stored = {
        "seq": seq,
        "item_id": item_id,
        "recorded_at": recorded_at,
        "actor": actor,
        "kind": kind,
        "data": canonical_data(data),
        "reason": reason,
    }
    digest = row_hash(prev_hash, seq, item_id, recorded_at, actor, kind, stored["data"], reason)
    db.execute(
        "insert into feedback_entries (seq, item_id, recorded_at, actor, kind, data, reason, "
        "prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [seq, item_id, recorded_at, actor, kind, stored["data"], reason, prev_hash, digest],
    )
    apply_entry(state, kind, data, recorded_at, reason, seq)
    row = _state_to_row(state)
    columns = [c for c in row if c != "id"]
    db.execute(
        f"update feedback_items set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
        [row[c] for c in columns] + [item_id],
    )
    return Entry(seq, item_id, recorded_at, actor, kind, data, reason, prev_hash, digest)


def track(
    db: Database,
    *,
    title: str,
    description: str,
    source_kind: str,
    source_id: int | None,
    actor: str,
    clock: Clock,
    responsible_body: str | None = None,
    due: str | None = None,
    external_ref: str | None = None,
) -> int:
    """Start tracking an idea or recommendation; returns its item id.

    Appends the hash-chained "received" entry. An idea or recommendation already tracked (same
    `source_kind` and `source_id`) is not tracked twice: its existing item id is returned.
    """
    if source_kind not in SOURCE_KINDS:
        raise FeedbackError(
            f"Unknown source kind {source_kind!r}; use one of: {', '.join(SOURCE_KINDS)}."
        )
    data: dict[str, Any] = {
        "title": _check_text(title, "A title"),
        "description": (description or "").strip(),
        "source_kind": source_kind,
        "source_id": None if source_id is None else int(source_id),
    }
    if responsible_body and responsible_body.strip():
        data["responsible_body"] = responsible_body.strip()
    if due:
        data["due"] = _check_date(due, "The response deadline")
    if external_ref:
        data["external_ref"] = external_ref.strip()
    actor = _check_text(actor, "Who is recording this (actor)")
    recorded_at = to_iso(clock.now())
    with write_transaction(db):
        if source_id is not None:
            existing = db.execute(
                "select id from feedback_items where source_kind = ? and source_id = ?",
                [source_kind, int(source_id)],
            ).fetchone()
            if existing:
                return existing[0]
        cursor = db.execute(
            "insert into feedback_items (title, source_kind, status, created_at, updated_at) "
            "values (?, ?, 'received', ?, ?)",
            [data["title"], source_kind, recorded_at, recorded_at],
        )
        item_id = cursor.lastrowid
        _append(
            db,
            item_id,
            "received",
            data,
            actor=actor,
            reason="",
            recorded_at=recorded_at,
            state=new_state(item_id),
        )
    return item_id


def idea_title(text: str, width: int = 90) -> str:
    """An idea's text as a one-line title: spaces collapsed, cut at a word near `width`."""
    line = " ".join(str(text or "").split())
    if len(line) <= width:
        return line
    cut = line[: width - 1].rsplit(" ", 1)[0]
    return (cut if len(cut) > width // 2 else line[: width - 1]) + "…"


def untracked_ideas(db: Database) -> list[tuple[int, str]]:
    """The sessions' ideas (not withdrawn) that the log does not track yet: (id, text)."""
    tracked = "select source_id from feedback_items where source_kind = 'idea'"
    try:
        return db.execute(
            f"select id, text from ideas where withdrawn_at is null and id not in ({tracked}) "
            "order by id"
        ).fetchall()
    except sqlite3.OperationalError:  # no ideas table yet, or one without withdrawals
        try:
            return db.execute(
                f"select id, text from ideas where id not in ({tracked}) order by id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []


def track_ideas(db: Database, *, actor: str, clock: Clock) -> list[int]:
    """Track every idea from the sessions that is not tracked yet, in one transaction.

    Recommendations arrive on their own (the agenda area tracks each one that passes); ideas
    are many and some are folded into recommendations, so organisers choose when to add them.
    """
    new = []
    with write_transaction(db):
        for idea_id, text in untracked_ideas(db):
            if not " ".join(str(text or "").split()):
                continue
            new.append(
                track(
                    db,
                    title=idea_title(text),
                    description=str(text).strip(),
                    source_kind="idea",
                    source_id=idea_id,
                    actor=actor,
                    clock=clock,
                )
            )
    return new


def record(
    db: Database,
    item_id: int,
    *,
    actor: str,
    clock: Clock,
    reason: str = "",
    status: str | None = None,
    progress: int | None = None,
    response: str | None = None,
    responsible_body: str | None = None,
    due: str | None = None,
    title: str | None = None,
    description: str | None = None,
    external_ref: str | None = None,
    milestone: tuple[str, str] | None = None,
    evidence: tuple[str, str] | str | None = None,
    allow_unchanged: bool = False,
) -> Entry | None:
    """Record a change to an item as a new entry; only fields that differ are recorded.

    Marking an item done also sets its progress to 100 % unless a progress is given.
    Raises FeedbackError for an unknown item, bad values, a 'not accepted' without a reason, or
    a change that changes nothing (unless `allow_unchanged`, when it returns None instead).
    """
    actor = _check_text(actor, "Who is recording this (actor)")
    reason = (reason or "").strip()
    wanted = _clean_changes(
        {
            "status": status,
            "progress": progress,
            "response": response,
            "responsible_body": responsible_body,
            "due": due,
            "title": title,
            "description": description,
            "external_ref": external_ref,
            "milestone": milestone,
            "evidence": evidence,
        },
        reason,
    )
    with write_transaction(db):
        rows = list(db.query("select * from feedback_items where id = ?", [item_id]))
        if not rows:
            raise FeedbackError(f"There is no feedback item {item_id}.")
        state = _row_to_state(rows[0])
        if wanted.get("status") == "done" and "progress" not in wanted:
            wanted["progress"] = 100  # "done" is 100 %: the chart and report must not say 57 %
        data = {
            k: v
            for k, v in wanted.items()
            if (k in ADD_FIELDS and v not in state[ADD_FIELDS[k]])
            or (k not in ADD_FIELDS and state[k] != v)
        }
        if not data:
            if allow_unchanged:
                return None
            raise FeedbackError(f"Nothing to record for item {item_id}: nothing would change.")
        return _append(
            db,
            item_id,
            "update",
            data,
            actor=actor,
            reason=reason,
            recorded_at=to_iso(clock.now()),
            state=state,
        )


# --- reading ---------------------------------------------------------------------------------


def get_item(db: Database, item_id: int) -> Item:
    rows = list(db.query("select * from feedback_items where id = ?", [item_id]))
    if not rows:
        raise FeedbackError(f"There is no feedback item {item_id}.")
    return _item_from_row(rows[0])


def all_items(db: Database) -> list[Item]:
    return [_item_from_row(r) for r in db.query("select * from feedback_items order by id")]


def _entry_from_row(row: Mapping[str, Any]) -> Entry:
    return Entry(
        seq=row["seq"],
        item_id=row["item_id"],
        recorded_at=row["recorded_at"],
        actor=row["actor"],
        kind=row["kind"],
        data=json.loads(row["data"]),
        reason=row["reason"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def timeline(db: Database, item_id: int) -> list[Entry]:
    """Every entry of one item, oldest first: its full history."""
    return [
        _entry_from_row(r)
        for r in db.query(
            "select * from feedback_entries where item_id = ? order by seq", [item_id]
        )
    ]


def iter_entries(db: Database) -> Iterator[Entry]:
    for row in db.query("select * from feedback_entries order by seq"):
        yield _entry_from_row(row)


def entry_count(db: Database) -> int:
    return db.execute("select count(*) from feedback_entries").fetchone()[0]


# --- verification ----------------------------------------------------------------------------

_ENTRY_COLUMNS = (
    "seq",
    "item_id",
    "recorded_at",
    "actor",
    "kind",
    "data",
    "reason",
    "prev_hash",
    "hash",
)
_COMPARED = (
    "title",
    "description",
    "source_kind",
    "source_id",
    "external_ref",
    "responsible_body",
    "due",
    "status",
    "status_reason",
    "progress",
    "response",
    "milestones",
    "evidence",
    "first_response_at",
    "response_days",
    "created_at",
    "updated_at",
    "entry_count",
    "last_seq",
)


def verify_log(db: Database, *, deep: bool = False) -> ChainCheck:
    """Check the whole log: the hash chain, then that the item summaries agree with it.

    The chain catches a changed, deleted, inserted or reordered entry. Every item's entry count
    and last entry are then compared with the entries (in SQL, quickly): that catches entries cut
    off the end of the log, which leave the chain itself intact. `deep` also replays every
    entry and compares each item's whole summary (status, progress, response, ...), which
    catches a doctored summary too; it takes about twice as long.
    """
    sql = f"select {', '.join(_ENTRY_COLUMNS)} from feedback_entries order by seq"
    if not deep:
        check = verify_chain(db.conn.execute(sql))
        if check.ok:
            check = _check_counts(db, check)
        return check if not check.ok else _check_times(db, check)
    states: dict[int, dict[str, Any]] = {}
    loads = json.loads

    def rows() -> Iterator[tuple]:
        for row in db.conn.execute(sql):
            yield row
            # only reached when the chain accepted this row
            item = row[1]
            state = states.get(item)
            if state is None:
                state = states[item] = new_state(item)
            with contextlib.suppress(KeyError, TypeError, ValueError):  # fails its hash too
                apply_entry(state, row[4], loads(row[5]), row[2], row[6], row[0])

    check = verify_chain(rows())
    if not check.ok:
        return check
    check = _check_counts(db, check)
    if not check.ok:
        return check
    check = _check_times(db, check)
    if not check.ok:
        return check
    for item_row in db.query("select * from feedback_items order by id"):
        state = states[item_row["id"]]
        stored = _row_to_state(item_row)
        for name in _COMPARED:
            if stored[name] != state[name]:
                return ChainCheck(
                    False,
                    check.entries,
                    state["last_seq"],
                    f"item {item_row['id']}'s summary ({name}) does not match its entries.",
                )
    return check


def _check_counts(db: Database, check: ChainCheck) -> ChainCheck:
    """Each item's entry count and last entry, as its summary records them, against the log."""
    last = check.entries
    row = db.execute(
        """select i.id, i.entry_count, i.last_seq, e.n, e.m from feedback_items i
        left join (select item_id, count(*) as n, max(seq) as m from feedback_entries
                   group by item_id) e on e.item_id = i.id
        where e.n is null or e.n != i.entry_count or e.m != i.last_seq
        order by i.last_seq desc limit 1"""
    ).fetchone()
    if row is not None:
        item, count, last_seq, found, _ = row
        if last_seq > last:
            return ChainCheck(
                False,
                check.entries,
                last + 1,
                f"the log ends at entry {last}, but item {item} was last changed at entry "
                f"{last_seq}: entries were cut off the end.",
            )
        if found is None:
            return ChainCheck(
                False,
                check.entries,
                last_seq,
                f"item {item} has no entries in the log (its entries were removed).",
            )
        return ChainCheck(
            False,
            check.entries,
            last_seq,
            f"item {item}'s summary says {count} entries, but the log holds {found}.",
        )
    orphan = db.execute(
        "select e.item_id, max(e.seq) from feedback_entries e left join feedback_items i "
        "on i.id = e.item_id where i.id is null group by e.item_id limit 1"
    ).fetchone()
    if orphan is not None:
        return ChainCheck(
            False, check.entries, orphan[1], f"item {orphan[0]} is missing its summary."
        )
    return check


def _check_times(db: Database, check: ChainCheck) -> ChainCheck:
    """The summary fields the dashboard and report show as dates and days, against the entries.

    When an item was received and last changed, when it was first answered and how many days
    that took come straight from entry times, so they are checked on every verification (in SQL,
    quickly), not only by the deep replay.
    """
    answer = (
        "e.kind = 'update' and (json_type(e.data, '$.response') is not null or "
        "(json_type(e.data, '$.status') is not null "
        "and coalesce(json_extract(e.data, '$.status'), '') != 'received'))"
    )
    rows = db.execute(
        f"""select i.id, i.last_seq, i.created_at, f.recorded_at, i.updated_at, l.recorded_at,
               i.first_response_at, r.recorded_at, i.response_days
        from feedback_items i
        left join feedback_entries f on f.seq =
            (select min(seq) from feedback_entries where item_id = i.id)
        left join feedback_entries l on l.seq = i.last_seq
        left join feedback_entries r on r.seq =
            (select min(e.seq) from feedback_entries e where e.item_id = i.id and {answer})
        order by i.id"""
    )
    for item, last_seq, created, first, updated, last, answered, answer_at, days in rows:
        wrong = None
        if created != first:
            wrong = "created_at"
        elif updated != last:
            wrong = "updated_at"
        elif answered != answer_at:
            wrong = "first_response_at"
        elif answer_at is None:
            wrong = None if days is None else "response_days"
        else:
            try:
                expected = round((from_iso(answer_at) - from_iso(first)).total_seconds() / 86400, 3)
            except (TypeError, ValueError):
                expected = None
            if days != expected:
                wrong = "response_days"
        if wrong:
            return ChainCheck(
                False,
                check.entries,
                last_seq,
                f"item {item}'s summary ({wrong}) does not match its entries.",
            )
    return check


def rebuild_items(db: Database) -> int:
    """Recompute every item's summary from the entries (after an import of raw entries)."""
    states: dict[int, dict[str, Any]] = {}
    with write_transaction(db):
        for entry in iter_entries(db):
            state = states.setdefault(entry.item_id, new_state(entry.item_id))
            apply_entry(state, entry.kind, entry.data, entry.recorded_at, entry.reason, entry.seq)
        for state in states.values():
            row = _state_to_row(state)
            columns = [c for c in row if c != "id"]
            db.execute(
                f"update feedback_items set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
                [row[c] for c in columns] + [state["id"]],
            )
    return len(states)
