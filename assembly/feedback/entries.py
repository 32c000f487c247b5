"""The feedback log's items and entries, and the one definition of what an entry means.

A change to an item is never an edit: it is a new entry saying who, when, what changed and why.
Each item's current state is derived from its entries by `apply_entry`; the writes cache that
state in `feedback_items`, a rebuild recomputes it and the verification replays it, all through
this module, so the three can never disagree about an entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from assembly.core.clock import from_iso
from assembly.core.i18n import N_, Translator, working

# English, and the message ids the published report translates (`reports.py`).
STATUS_LABELS = {
    "received": N_("Received"),
    "under_consideration": N_("Under consideration"),
    "accepted": N_("Accepted"),
    "partly_accepted": N_("Partly accepted"),
    "not_accepted": N_("Not accepted"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "withdrawn": N_("Withdrawn"),
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

    def describe(self, tr: Translator | None = None) -> str:
        """The change in words, for timelines and reports: the working language with ISO dates
        for the officers' screens, or a published report's language (`tr`) with its dates. Each
        change is one whole clause; a list of them is joined with semicolons. The stored entry
        (`data`, which its hash covers) stays as it was written."""
        d = self.data
        words = tr or working()

        def say(message: str, **params: object) -> str:
            return words.gettext(message, **params)

        def day(value: str) -> str:
            if tr is None:
                return value
            try:
                return tr.date(date.fromisoformat(value))
            except ValueError:  # a date the log kept as typed is shown as typed
                return value

        if self.kind == "received":
            title, body, due = d.get("title", ""), d.get("responsible_body"), d.get("due")
            if body and due:
                return say(
                    N_("Received: %(title)s; for %(body)s; response due %(due)s"),
                    title=title,
                    body=body,
                    due=day(due),
                )
            if body:
                return say(N_("Received: %(title)s; for %(body)s"), title=title, body=body)
            if due:
                return say(
                    N_("Received: %(title)s; response due %(due)s"), title=title, due=day(due)
                )
            return say(N_("Received: %(title)s"), title=title)
        parts = []
        if "status" in d:
            label = STATUS_LABELS.get(d["status"], d["status"])
            parts.append(say(N_("status → %(status)s"), status=say(label)))
        if "progress" in d:
            shown = tr.percent(int(d["progress"])) if tr else f"{d['progress']}%"
            parts.append(say(N_("progress → %(progress)s"), progress=shown))
        if "responsible_body" in d:
            parts.append(say(N_("responsible body → %(body)s"), body=d["responsible_body"]))
        if "due" in d:
            parts.append(say(N_("response due → %(due)s"), due=day(d["due"]) if d["due"] else "—"))
        if "title" in d:
            parts.append(say(N_("title → %(title)s"), title=d["title"]))
        if "description" in d:
            parts.append(say(N_("description changed")))
        if "external_ref" in d:
            parts.append(say(N_("external reference → %(ref)s"), ref=d["external_ref"]))
        if "milestone" in d:
            milestone = d["milestone"]
            parts.append(
                say(
                    N_("milestone %(date)s: %(text)s"),
                    date=day(milestone["date"]),
                    text=milestone["text"],
                )
            )
        if "evidence" in d:
            ev = d["evidence"]
            parts.append(
                say(
                    N_("evidence: %(label)s <%(url)s>"),
                    label=ev.get("label") or ev["url"],
                    url=ev["url"],
                )
            )
        if "response" in d:
            parts.append(say(N_("public response: %(response)s"), response=d["response"]))
        return "; ".join(parts) or say(N_("(no change)"))


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


def state_to_row(state: Mapping[str, Any]) -> dict[str, Any]:
    row = dict(state)
    row["milestones"] = json.dumps(state["milestones"], ensure_ascii=False)
    row["evidence"] = json.dumps(state["evidence"], ensure_ascii=False)
    return row


def row_to_state(row: Mapping[str, Any]) -> dict[str, Any]:
    state = dict(row)
    state["milestones"] = json.loads(row["milestones"])
    state["evidence"] = json.loads(row["evidence"])
    return state


def item_from_row(row: Mapping[str, Any]) -> Item:
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


def entry_from_row(row: Mapping[str, Any]) -> Entry:
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
