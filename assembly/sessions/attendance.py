"""Who is in the room: panel members as sessions see them, finding them by name or number, and
attendance per session.

A member's name may have been purged after the assembly; they are then shown as "Member 12".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import _
from assembly.sessions.sessions import SessionError, get_session, log_event
from assembly.store.database import atomic, write_transaction

PANEL_STATUSES = ("selected", "invited", "confirmed")
ATTENDANCE_STATUSES = ("present", "absent", "apologies")


@dataclass(frozen=True)
class SessionMember:
    id: int
    number: int
    name: str | None
    status: str
    features: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        """How the member is shown: "12 · Aisha Khan", or "Member 12" once the name is gone."""
        return (
            f"{self.number} · {self.name}"
            if self.name
            else _("Member %(number)s", number=self.number)
        )


def _members(db: Database, where: str, params: list) -> list[SessionMember]:
    rows = db.execute(
        "select m.id, m.number, r.name, m.status, r.features from members m "
        f"join respondents r on r.id = m.respondent_id {where} order by m.number",
        params,
    ).fetchall()
    return [
        SessionMember(
            id=r[0], number=r[1], name=r[2] or None, status=r[3], features=json.loads(r[4] or "{}")
        )
        for r in rows
    ]


def panel(db: Database) -> list[SessionMember]:
    """The panel members who take part in sessions (selected, invited or confirmed)."""
    marks = ", ".join("?" for _status in PANEL_STATUSES)
    return _members(db, f"where m.status in ({marks})", list(PANEL_STATUSES))  # not words


def members_by_id(db: Database, ids: list[int] | None = None) -> dict[int, SessionMember]:
    """Any members (withdrawn ones too: they may have spoken before they left)."""
    if ids is None:
        return {m.id: m for m in _members(db, "", [])}
    if not ids:
        return {}
    marks = ", ".join("?" for _id in ids)
    return {m.id: m for m in _members(db, f"where m.id in ({marks})", list(ids))}  # not words


def search(db: Database, text: str, limit: int = 20) -> list[SessionMember]:
    """Panel members matching a member number exactly, or a piece of their name."""
    text = text.strip()
    if not text:
        return panel(db)[:limit]
    people = panel(db)
    if text.isdigit():
        exact = [m for m in people if m.number == int(text)]
        rest = [m for m in people if str(m.number).startswith(text) and m not in exact]
        return (exact + rest)[:limit]
    words = text.lower().split()
    return [m for m in people if m.name and all(w in m.name.lower() for w in words)][:limit]


@atomic
def set_attendance(
    db: Database, session_id: int, member_id: int, status: str, clock: Clock
) -> None:
    """Record one member as present, absent or sending apologies for a session."""
    if status not in ATTENDANCE_STATUSES:
        raise SessionError(
            _(
                "Attendance %(status)s must be one of %(allowed)s.",
                status=repr(status),
                allowed=", ".join(ATTENDANCE_STATUSES),
            )
        )
    get_session(db, session_id)
    if not db.execute("select 1 from members where id = ?", [member_id]).fetchone():
        raise SessionError(_("There is no panel member with id %(id)s.", id=member_id))
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute(
            "insert into attendance (session_id, member_id, status) values (?, ?, ?) "
            "on conflict (session_id, member_id) do update set status = excluded.status",
            [session_id, member_id, status],
        )
        log_event(db, session_id, "attendance", now, member=member_id, status=status)


def mark_all_present(db: Database, session_id: int, clock: Clock) -> int:
    """Everyone on the panel without a record yet is marked present; returns how many."""
    recorded = set(attendance(db, session_id))
    todo = [m.id for m in panel(db) if m.id not in recorded]
    now = to_iso(clock.now())
    with write_transaction(db):
        for member_id in todo:
            db.execute(
                "insert into attendance (session_id, member_id, status) values (?, ?, 'present')",
                [session_id, member_id],
            )
        log_event(db, session_id, "attendance_all_present", now, members=len(todo))
    return len(todo)


def attendance(db: Database, session_id: int) -> dict[int, str]:
    """member id -> status, for members with a record in this session."""
    return dict(
        db.execute(
            "select member_id, status from attendance where session_id = ?", [session_id]
        ).fetchall()
    )


def present_ids(db: Database, session_id: int) -> set[int]:
    return {m for m, status in attendance(db, session_id).items() if status == "present"}


def sessions_with_someone_present(db: Database) -> list[int]:
    """Ids of the sessions where at least one member is marked present, in order."""
    rows = db.execute(
        "select distinct session_id from attendance where status = 'present' order by 1"
    )
    return [r[0] for r in rows]
