"""Writing the feedback log: tracking an item, recording a change, rebuilding the summaries.

Each write appends one entry hash-chained to the entry before it (see `hashchain`) and stores
the item's new state (derived by `entries.apply_entry`) in `feedback_items` in the same
transaction, so the dashboard stays fast and `verify.verify_log` can prove the cache matches
the entries.

Writers take the write lock first (`write_transaction`, BEGIN IMMEDIATE) and read the chain head
inside it, so two programs appending at once queue up and never fork the chain.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import _
from assembly.feedback.entries import (
    ADD_FIELDS,
    SOURCE_KINDS,
    Entry,
    FeedbackError,
    apply_entry,
    new_state,
    row_to_state,
    state_to_row,
)
from assembly.feedback.hashchain import GENESIS, canonical_data, row_hash
from assembly.feedback.queries import iter_entries, untracked_ideas
from assembly.feedback.validation import (
    DEADLINE_NOT_A_DATE,
    NO_ACTOR,
    NO_TITLE,
    check_date,
    check_text,
    clean_changes,
)
from assembly.store.database import write_transaction


def _store_state(db: Database, state: dict[str, Any]) -> None:
    """Write an item's derived state over its cached summary row (inside a transaction)."""
    row = state_to_row(state)
    columns = [c for c in row if c != "id"]
    db.execute(
        f"update feedback_items set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
        [row[c] for c in columns] + [state["id"]],
    )


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
            _(
                "This computer's clock says %(now)s, earlier than the log's last entry "
                "(%(last)s). Entries only go forward in time: check the clock and try again. "
                "Nothing was recorded.",
                now=recorded_at,
                last=head[2],
            )
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
    _store_state(db, state)
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
            _(
                "Unknown source kind %(kind)s; use one of: %(kinds)s.",
                kind=repr(source_kind),
                kinds=", ".join(SOURCE_KINDS),
            )
        )
    data: dict[str, Any] = {
        "title": check_text(title, NO_TITLE),
        "description": (description or "").strip(),
        "source_kind": source_kind,
        "source_id": None if source_id is None else int(source_id),
    }
    if responsible_body and responsible_body.strip():
        data["responsible_body"] = responsible_body.strip()
    if due:
        data["due"] = check_date(due, DEADLINE_NOT_A_DATE)
    if external_ref:
        data["external_ref"] = external_ref.strip()
    actor = check_text(actor, NO_ACTOR)
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
    actor = check_text(actor, NO_ACTOR)
    reason = (reason or "").strip()
    wanted = clean_changes(
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
            raise FeedbackError(_("There is no feedback item %(item)s.", item=item_id))
        state = row_to_state(rows[0])
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
            raise FeedbackError(
                _("Nothing to record for item %(item)s: nothing would change.", item=item_id)
            )
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


def rebuild_items(db: Database) -> int:
    """Recompute every item's summary from the entries (after an import of raw entries)."""
    states: dict[int, dict[str, Any]] = {}
    with write_transaction(db):
        for entry in iter_entries(db):
            state = states.setdefault(entry.item_id, new_state(entry.item_id))
            apply_entry(state, entry.kind, entry.data, entry.recorded_at, entry.reason, entry.seq)
        for state in states.values():
            _store_state(db, state)
    return len(states)
