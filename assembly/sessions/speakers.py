"""Who speaks next and for how long: the speaker queue, speaking turns and the progressive stack.

In the plain queue people speak in the order they asked. The progressive stack moves forward
people who have spoken least this session and people from groups heard at less than half their
share: each such group counts as `UNDER_HEARD_CREDIT` seconds off the person's own speaking time.
Only categories that are not special-category (features.sensitive = 0) count here, and the
reason shown for a place never names a group, so nothing about a person's ethnicity or
disability can be read off the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import _, ngettext
from assembly.organiser.overview import features
from assembly.sessions.attendance import SessionMember, attendance, members_by_id, present_ids
from assembly.sessions.equity import (
    NOT_RECORDED,
    SENSITIVE_BATCH,
    EquityReport,
    compute_equity,
)
from assembly.sessions.sessions import (
    SessionError,
    active_seconds,
    close_open_turn,
    current_item,
    get_session,
    log_event,
    pauses,
)
from assembly.store.database import write_transaction

UNDER_HEARD_CREDIT = 120.0  # seconds of priority per under-heard group a person belongs to


@dataclass(frozen=True)
class Turn:
    id: int
    session_id: int
    member_id: int
    agenda_item_id: int | None
    started_at: str
    ended_at: str | None


@dataclass(frozen=True)
class QueueEntry:
    id: int
    member: SessionMember
    added_at: str
    spoken_seconds: float
    under_heard_groups: int
    reason: str


def _turns(db: Database, where: str, params: list) -> list[Turn]:
    rows = db.execute(
        "select id, session_id, member_id, agenda_item_id, started_at, ended_at "
        f"from speaking_turns where {where} order by id",
        params,
    ).fetchall()
    return [Turn(*r) for r in rows]


def turns(db: Database, session_id: int) -> list[Turn]:
    return _turns(db, "session_id = ?", [session_id])


def current_turn(db: Database, session_id: int) -> Turn | None:
    found = _turns(db, "session_id = ? and ended_at is null", [session_id])  # not words
    return found[0] if found else None


def turn_seconds(db: Database, turn: Turn, clock: Clock) -> float:
    """How long a turn has lasted, pauses taken out (computed, never stored)."""
    return active_seconds(turn.started_at, turn.ended_at, pauses(db, turn.session_id), clock.now())


def speaking_seconds(
    db: Database,
    session_id: int,
    clock: Clock,
    agenda_item_id: int | None = None,
    *,
    finished_in_batches: int | None = None,
) -> dict[int, float]:
    """Member id -> seconds spoken in the session (or one item), the open turn counted to now.

    With `finished_in_batches=k`, only finished turns count, and only the first multiple of k
    of them (in the order they ended): totals that never move with a single speaker.
    """
    pause_list = pauses(db, session_id)
    now = clock.now()
    chosen = [
        t
        for t in turns(db, session_id)
        if agenda_item_id is None or t.agenda_item_id == agenda_item_id
    ]
    if finished_in_batches:
        ended = sorted((t for t in chosen if t.ended_at), key=lambda t: (t.ended_at, t.id))
        chosen = ended[: len(ended) // finished_in_batches * finished_in_batches]
    out: dict[int, float] = {}
    for turn in chosen:
        seconds = active_seconds(turn.started_at, turn.ended_at, pause_list, now)
        out[turn.member_id] = out.get(turn.member_id, 0.0) + seconds
    return out


def session_equity(
    db: Database, session_id: int, clock: Clock, agenda_item_id: int | None = None
) -> EquityReport:
    """The equity report for a whole session, or for one of its items."""
    seconds = speaking_seconds(db, session_id, clock, agenda_item_id=agenda_item_id)
    batched = speaking_seconds(
        db, session_id, clock, agenda_item_id=agenda_item_id, finished_in_batches=SENSITIVE_BATCH
    )
    present = present_ids(db, session_id)
    members = members_by_id(db, sorted(present | set(seconds)))
    return compute_equity(
        features(db), {m.id: m.features for m in members.values()}, present, seconds, batched
    )


def _minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class SpeakerQueue:
    """One session's queue of people waiting to speak, read from and written to the file."""

    def __init__(self, db: Database, session_id: int, clock: Clock) -> None:
        self.db = db
        self.session_id = session_id
        self.clock = clock

    # reading

    def _waiting(self) -> list[tuple[int, int, str]]:
        return self.db.execute(
            "select id, member_id, added_at from speaker_queue "
            "where session_id = ? and left_at is null order by id",
            [self.session_id],
        ).fetchall()

    def entries(self, order: str | None = None) -> list[QueueEntry]:
        """The queue in speaking order: `order` 'fifo' or 'progressive' (default: the session's)."""
        order = order or get_session(self.db, self.session_id).queue_order
        waiting = self._waiting()
        seconds = speaking_seconds(self.db, self.session_id, self.clock)
        present = present_ids(self.db, self.session_id)
        ids = sorted(present | set(seconds) | {w[1] for w in waiting})
        people = members_by_id(self.db, ids)
        # Only categories that are not special-category move a named person up the queue: a
        # jump (or its reason) would otherwise hint at that person's ethnicity or disability.
        open_features = [f for f in features(self.db) if not f.sensitive]
        report = compute_equity(
            open_features, {m.id: m.features for m in people.values()}, present, seconds
        )
        flagged = report.flagged_groups()
        entries = []
        for entry_id, member_id, added_at in waiting:
            member = people[member_id]
            spoken = seconds.get(member_id, 0.0)
            under = sum(
                1
                for (feature, value) in flagged
                if (member.features.get(feature) or NOT_RECORDED) == value
            )
            reason = (
                _("not spoken yet") if spoken == 0 else _("spoken %(time)s", time=_minutes(spoken))
            )
            if under:
                reason += " · " + ngettext(
                    "in %(num)s under-heard group", "in %(num)s under-heard groups", under
                )
            entries.append(QueueEntry(entry_id, member, added_at, spoken, under, reason))
        if order == "progressive":
            entries.sort(
                key=lambda e: (e.spoken_seconds - UNDER_HEARD_CREDIT * e.under_heard_groups, e.id)
            )
        return entries

    # writing

    def add(self, member_id: int) -> int:
        """Put a member at the back of the queue; returns the queue entry id."""
        session = get_session(self.db, self.session_id)
        if session.status == "finished":
            raise SessionError(_("Session '%(title)s' has finished.", title=session.title))
        member = members_by_id(self.db, [member_id]).get(member_id)
        if member is None:
            raise SessionError(_("There is no panel member with id %(id)s.", id=member_id))
        if any(w[1] == member_id for w in self._waiting()):
            raise SessionError(_("%(member)s is already in the queue.", member=member.label))
        marked = attendance(self.db, self.session_id).get(member_id)
        if marked in ("absent", "apologies"):
            # A queue of people who are not in the room stalls the meeting; if they have
            # arrived after all, the facilitator changes one mark and adds them.
            raise SessionError(
                _(
                    "%(member)s is marked absent for this session, so they were not added "
                    "to the queue. If they are here, press m (attendance), mark them present "
                    "(Space), then add them again.",
                    member=member.label,
                )
                if marked == "absent"
                else _(
                    "%(member)s is marked as sending apologies for this session, so they were "
                    "not added to the queue. If they are here, press m (attendance), mark them "
                    "present (Space), then add them again.",
                    member=member.label,
                )
            )
        now = to_iso(self.clock.now())
        with write_transaction(self.db):
            cursor = self.db.execute(
                "insert into speaker_queue (session_id, member_id, added_at) values (?, ?, ?)",
                [self.session_id, member_id, now],
            )
            log_event(self.db, self.session_id, "queue_added", now, member=member_id)
        return int(cursor.lastrowid)

    def remove(self, member_id: int) -> None:
        now = to_iso(self.clock.now())
        with write_transaction(self.db):
            cursor = self.db.execute(
                "update speaker_queue set left_at = ?, outcome = 'removed' "
                "where session_id = ? and member_id = ? and left_at is null",
                [now, self.session_id, member_id],
            )
            if cursor.rowcount == 0:
                raise SessionError(_("That member is not in the queue."))
            log_event(self.db, self.session_id, "queue_removed", now, member=member_id)

    def start(self, member_id: int | None = None) -> Turn:
        """Start a member's turn (by default the first in the queue), ending the current one.

        The speaker leaves the queue and is marked present if they were not already.
        """
        session = get_session(self.db, self.session_id)
        if session.status == "planned":
            raise SessionError(_("The session has not started. Press n to start the first item."))
        if session.status == "paused":
            raise SessionError(_("The session is paused. Resume it (p) before timing a speaker."))
        if session.status == "finished":
            raise SessionError(_("Session '%(title)s' has finished.", title=session.title))
        if member_id is None:
            waiting = self.entries()
            if not waiting:
                raise SessionError(_("Nobody is waiting to speak. Add someone to the queue (a)."))
            member_id = waiting[0].member.id
        if not members_by_id(self.db, [member_id]):
            raise SessionError(_("There is no panel member with id %(id)s.", id=member_id))
        item = current_item(self.db, self.session_id)
        now = to_iso(self.clock.now())
        with write_transaction(self.db):
            close_open_turn(self.db, self.session_id, now)
            self.db.execute(
                "update speaker_queue set left_at = ?, outcome = 'spoke' "
                "where session_id = ? and member_id = ? and left_at is null",
                [now, self.session_id, member_id],
            )
            self.db.execute(
                "insert into attendance (session_id, member_id, status) values (?, ?, 'present') "
                "on conflict (session_id, member_id) do update set status = 'present'",
                [self.session_id, member_id],
            )
            cursor = self.db.execute(
                "insert into speaking_turns (session_id, agenda_item_id, member_id, started_at) "
                "values (?, ?, ?, ?)",
                [self.session_id, item.id if item else None, member_id, now],
            )
            log_event(
                self.db,
                self.session_id,
                "speaker_started",
                now,
                turn=cursor.lastrowid,
                member=member_id,
            )
        turn = current_turn(self.db, self.session_id)
        assert turn is not None
        return turn

    def stop(self) -> Turn | None:
        """End the current turn; returns it, or None if nobody was speaking."""
        now = to_iso(self.clock.now())
        with write_transaction(self.db):
            turn_id = close_open_turn(self.db, self.session_id, now)
        if turn_id is None:
            return None
        return _turns(self.db, "id = ?", [turn_id])[0]

    def toggle(self) -> Turn | None:
        """Stop whoever is speaking, or start the next person in the queue."""
        if current_turn(self.db, self.session_id) is not None:
            self.stop()
            return None
        return self.start()
