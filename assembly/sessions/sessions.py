"""Sessions and their agendas: create, run item by item, extend, pause, resume and finish.

Nothing about a running session lives only in memory. Each item and each pause is a pair of UTC
timestamps in the file, and every elapsed or remaining time is computed from them and the
injected clock, so a session reopened after a crash shows the same countdown it would have shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from assembly.core.clock import Clock, from_iso, to_iso
from assembly.core.i18n import N_, _, in_words, typed_code
from assembly.sessions.schema import ITEM_KINDS
from assembly.store.database import atomic, write_transaction

EXTEND_MINUTES = 5
WARN_SECONDS = 60
MAX_ITEM_MINUTES = 600
# A session's status in words; the file keeps the English word.
STATUS_WORDS = {
    "planned": N_("planned"),
    "running": N_("running"),
    "paused": N_("paused"),
    "finished": N_("finished"),
}


# An agenda item's kind and its state in words; the file and the export keep the English word.
# An officer types a kind before a colon in either ("15 break: Tea", "15 egwyl: Te").
KIND_WORDS = {
    "topic": N_("topic"),
    "break": N_("break"),
    "evidence": N_("evidence"),
    "witness": N_("witness"),
    "welcome": N_("welcome"),
    "other": N_("other"),
}
STATE_WORDS = {"to come": N_("to come"), "running": N_("running"), "done": N_("done")}


def status_word(status: str) -> str:
    """A session's status in the working language ('planned', 'running', …)."""
    return in_words(STATUS_WORDS, status)


def kind_word(kind: str) -> str:
    """An agenda item's kind in the working language ('break', 'evidence', …)."""
    return in_words(KIND_WORDS, kind)


def typed_kind(word: str) -> str | None:
    """The kind an officer typed before a colon, in English or in the working language ('break'
    or 'egwyl' on a Welsh assembly), in any case; None when it names no kind."""
    return typed_code(word, KIND_WORDS)


def state_word(state: str) -> str:
    """An agenda item's state in the working language ('to come', 'running', 'done')."""
    return in_words(STATE_WORDS, state)


class SessionError(ValueError):
    """A session action that cannot be done now, worded for the facilitator."""


@dataclass(frozen=True)
class Session:
    id: int
    title: str
    starts_at: str | None
    planned_minutes: int | None
    status: str
    started_at: str | None
    ended_at: str | None
    queue_order: str
    location: str | None

    @property
    def is_live(self) -> bool:
        return self.status in ("running", "paused")


@dataclass(frozen=True)
class AgendaItem:
    id: int
    session_id: int
    position: int
    title: str
    minutes: int
    kind: str
    topic_id: int | None
    residents_rank: int | None
    started_at: str | None
    ended_at: str | None
    extended_minutes: int

    @property
    def allowed_minutes(self) -> int:
        return self.minutes + self.extended_minutes

    @property
    def state(self) -> str:
        if self.started_at is None:
            return "to come"  # a state the code compares and exports  # not words
        return "running" if self.ended_at is None else "done"


@dataclass(frozen=True)
class AgendaItemSpec:
    """One item for `replace_agenda`; `id` names an existing item to keep (with its timings)."""

    title: str
    minutes: int
    kind: str = "topic"
    topic_id: int | None = None
    residents_rank: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class ItemTimer:
    """Where the current item's countdown stands; negative `remaining_seconds` is an overrun."""

    item: AgendaItem
    elapsed_seconds: float
    allowed_seconds: float

    @property
    def remaining_seconds(self) -> float:
        return self.allowed_seconds - self.elapsed_seconds

    @property
    def overrun(self) -> bool:
        return self.remaining_seconds < 0

    @property
    def warning(self) -> str:
        """Plain words for the state of the countdown (never colour alone)."""
        left = self.remaining_seconds
        if left < 0:
            return _("⚠ Over time by %(time)s", time=clock_text(-left))
        if left <= WARN_SECONDS:
            return _("⚠ Under a minute left")
        return _("On time")


def clock_text(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss), e.g. 754 -> '12:34'."""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 and whole else ""
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


# --- reading -----------------------------------------------------------------------------------


def _session(row: Mapping) -> Session:
    return Session(
        id=row["id"],
        title=row["title"],
        starts_at=row["starts_at"],
        planned_minutes=row["planned_minutes"],
        status=row["status"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        queue_order=row["queue_order"],
        location=row["location"],
    )


def _item(row: Mapping) -> AgendaItem:
    return AgendaItem(**{name: row[name] for name in AgendaItem.__dataclass_fields__})


def list_sessions(db: Database) -> list[Session]:
    rows = db.execute("select * from sessions order by coalesce(starts_at, created_at), id")
    names = [d[0] for d in rows.description]
    return [_session(dict(zip(names, r, strict=True))) for r in rows.fetchall()]


def get_session(db: Database, session_id: int) -> Session:
    rows = list(db.query("select * from sessions where id = ?", [session_id]))
    if not rows:
        raise SessionError(
            _("There is no session number %(session)s in this assembly.", session=session_id)
        )
    return _session(rows[0])


def item_and_idea_counts(db: Database) -> dict[int, tuple[int, int]]:
    """Session id -> (agenda items, ideas still standing), for every session."""
    rows = db.execute(
        "select s.id, (select count(*) from agenda_items a where a.session_id = s.id), "
        "(select count(*) from ideas i where i.session_id = s.id "
        "and i.withdrawn_at is null) from sessions s"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def agenda(db: Database, session_id: int) -> list[AgendaItem]:
    cursor = db.execute(
        "select * from agenda_items where session_id = ? order by position, id", [session_id]
    )
    names = [d[0] for d in cursor.description]
    return [_item(dict(zip(names, r, strict=True))) for r in cursor.fetchall()]


def current_item(db: Database, session_id: int) -> AgendaItem | None:
    """The item that has started and not ended (at most one)."""
    for item in agenda(db, session_id):
        if item.state == "running":
            return item
    return None


def next_up(items: Sequence[AgendaItem]) -> AgendaItem | None:
    """The item `next_item` would start: the first not yet run after the running one (or any
    not yet run, if the agenda was changed around it)."""
    running = next((i for i in items if i.state == "running"), None)
    waiting = [i for i in items if i.started_at is None]
    if running is not None:
        waiting = [i for i in waiting if i.position > running.position] or waiting
    return waiting[0] if waiting else None


def pauses(db: Database, session_id: int) -> list[tuple[str, str | None]]:
    return [
        (r[0], r[1])
        for r in db.execute(
            "select started_at, ended_at from session_pauses where session_id = ? order by id",
            [session_id],
        )
    ]


def active_seconds(
    started_at: str,
    ended_at: str | None,
    pause_list: Iterable[tuple[str, str | None]],
    now: datetime,
) -> float:
    """Seconds from `started_at` to `ended_at` (or now) with the session's pauses taken out."""
    start = from_iso(started_at)
    end = from_iso(ended_at) if ended_at else now
    if end <= start:
        return 0.0
    total = (end - start).total_seconds()
    for p_start, p_end in pause_list:
        lo = max(start, from_iso(p_start))
        hi = min(end, from_iso(p_end) if p_end else now)
        if hi > lo:
            total -= (hi - lo).total_seconds()
    return max(total, 0.0)


def item_timer(db: Database, item: AgendaItem, clock: Clock) -> ItemTimer | None:
    if item.started_at is None:
        return None
    elapsed = active_seconds(
        item.started_at, item.ended_at, pauses(db, item.session_id), clock.now()
    )
    return ItemTimer(item=item, elapsed_seconds=elapsed, allowed_seconds=item.allowed_minutes * 60)


def open_pause(db: Database, session_id: int) -> str | None:
    row = db.execute(
        "select started_at from session_pauses where session_id = ? and ended_at is null",
        [session_id],
    ).fetchone()
    return row[0] if row else None


# --- writing -----------------------------------------------------------------------------------


def log_event(db: Database, session_id: int, kind: str, at: str, **detail: object) -> None:
    """Append to the session's action log (inside the caller's transaction)."""
    db.execute(
        "insert into session_events (session_id, at, kind, detail) values (?, ?, ?, ?)",
        [session_id, at, kind, json.dumps(detail, sort_keys=True)],
    )


def _spec(raw: AgendaItemSpec | Mapping, n: int) -> AgendaItemSpec:
    if isinstance(raw, Mapping):
        unknown = set(raw) - set(AgendaItemSpec.__dataclass_fields__)
        if unknown:
            raise SessionError(
                _(
                    "Agenda item %(n)s: unknown field %(fields)s.",
                    n=n,
                    fields=", ".join(sorted(unknown)),
                )
            )
        try:
            raw = AgendaItemSpec(**raw)
        except TypeError as error:
            raise SessionError(
                _("Agenda item %(n)s: needs a title and minutes (%(error)s).", n=n, error=error)
            ) from error
    title = str(raw.title or "").strip()
    if not title:
        raise SessionError(_("Agenda item %(n)s: the title is empty.", n=n))
    try:
        minutes = int(raw.minutes)
    except (TypeError, ValueError) as error:
        raise SessionError(
            _(
                "Agenda item %(n)s (%(title)s): minutes must be a whole number.",
                n=n,
                title=title,
            )
        ) from error
    if not 0 <= minutes <= MAX_ITEM_MINUTES:
        raise SessionError(
            _(
                "Agenda item %(n)s (%(title)s): minutes must be 0 to %(max)s.",
                n=n,
                title=title,
                max=MAX_ITEM_MINUTES,
            )
        )
    if raw.kind not in ITEM_KINDS:
        raise SessionError(
            _(
                "Agenda item %(n)s (%(title)s): kind %(kind)s is not one of %(kinds)s.",
                n=n,
                title=title,
                kind=repr(raw.kind),
                kinds=", ".join(kind_word(kind) for kind in ITEM_KINDS),
            )
        )
    return AgendaItemSpec(
        title=title,
        minutes=minutes,
        kind=raw.kind,
        topic_id=raw.topic_id,
        residents_rank=raw.residents_rank,
        id=raw.id,
    )


@atomic
def replace_agenda(
    db: Database,
    session_id: int,
    items: Sequence[AgendaItemSpec | Mapping],
    clock: Clock,
) -> list[int]:
    """Set a session's agenda to `items`, in order; returns the item ids in agenda order.

    An item with the `id` of an existing item of this session updates it and keeps its timings,
    ideas and speaking turns. Existing items not listed are removed if they never ran; items
    that already ran are history and stay, ahead of the new list. A finished session's agenda
    cannot change.
    """
    session = get_session(db, session_id)
    if session.status == "finished":
        raise SessionError(
            _("Session '%(title)s' has finished; its agenda cannot change.", title=session.title)
        )
    specs = [_spec(raw, n) for n, raw in enumerate(items, start=1)]
    existing = {item.id: item for item in agenda(db, session_id)}
    for n, spec in enumerate(specs, start=1):
        if spec.id is not None and spec.id not in existing:
            raise SessionError(
                _(
                    "Agenda item %(n)s (%(title)s): item id %(id)s is not part of this session.",
                    n=n,
                    title=spec.title,
                    id=spec.id,
                )
            )
    listed = {spec.id for spec in specs if spec.id is not None}
    kept = sorted(
        (i for i in existing.values() if i.id not in listed and i.started_at is not None),
        key=lambda i: (i.started_at or "", i.position),
    )
    now = to_iso(clock.now())
    ids: list[int] = []
    with write_transaction(db):
        for item in existing.values():
            if item.id not in listed and item.started_at is None:
                db.execute("delete from agenda_items where id = ?", [item.id])
        position = 0
        for item in kept:
            position += 1
            db.execute("update agenda_items set position = ? where id = ?", [position, item.id])
            ids.append(item.id)
        for spec in specs:
            position += 1
            values = [spec.title, spec.minutes, spec.kind, spec.topic_id, spec.residents_rank]
            if spec.id is not None:
                db.execute(
                    "update agenda_items set title = ?, minutes = ?, kind = ?, topic_id = ?, "
                    "residents_rank = ?, position = ? where id = ?",
                    [*values, position, spec.id],
                )
                ids.append(spec.id)
            else:
                cursor = db.execute(
                    "insert into agenda_items (title, minutes, kind, topic_id, residents_rank, "
                    "position, session_id) values (?, ?, ?, ?, ?, ?, ?)",
                    [*values, position, session_id],
                )
                ids.append(cursor.lastrowid)
        log_event(db, session_id, "agenda_replaced", now, items=len(ids))
    return ids


def keep_identities(
    pending: Sequence[AgendaItem], specs: Sequence[AgendaItemSpec]
) -> list[AgendaItemSpec]:
    """Edited agenda lines matched back to the items they were, so that `replace_agenda`
    updates those items instead of making new ones: a finalised agenda's topic links and the
    residents' ranks (which lines of text do not carry) survive a typo fix or a reorder.
    A line keeps the item with the same title; failing that, the unmatched item of the same
    kind at the same place in the list (a title edited in place)."""
    from dataclasses import replace

    used: set[int] = set()
    out: list[AgendaItemSpec | None] = [None] * len(specs)

    def take(n: int, item: AgendaItem) -> None:
        used.add(item.id)
        out[n] = replace(
            specs[n], id=item.id, topic_id=item.topic_id, residents_rank=item.residents_rank
        )

    for n, spec in enumerate(specs):
        if spec.id is not None:
            out[n] = spec
            used.add(spec.id)
            continue
        same = next(
            (
                i
                for i in pending
                if i.id not in used and i.title.strip().casefold() == spec.title.strip().casefold()
            ),
            None,
        )
        if same is not None:
            take(n, same)
    for n, spec in enumerate(specs):
        if out[n] is None and n < len(pending):
            item = pending[n]
            if item.id not in used and item.kind == spec.kind:
                take(n, item)
    return [done if done is not None else spec for done, spec in zip(out, specs, strict=True)]


def create_session(
    db: Database,
    *,
    title: str,
    clock: Clock,
    starts_at: str | None = None,
    planned_minutes: int | None = None,
    location: str | None = None,
    items: Sequence[AgendaItemSpec | Mapping] = (),
) -> int:
    """A new planned session (and its agenda, if given); returns its id."""
    title = title.strip()
    if not title:
        raise SessionError(_("A session needs a title."))
    if starts_at is not None:
        try:
            starts_at = to_iso(from_iso(starts_at))
        except ValueError as error:
            raise SessionError(
                _(
                    "Start time %(time)s is not a date and time like 2026-11-26T09:30:00Z.",
                    time=repr(starts_at),
                )
            ) from error
    if planned_minutes is not None and not 0 < int(planned_minutes) <= 24 * 60:
        raise SessionError(_("Planned minutes must be between 1 and 1440."))
    now = to_iso(clock.now())
    with write_transaction(db):
        cursor = db.execute(
            "insert into sessions (title, starts_at, planned_minutes, location, created_at) "
            "values (?, ?, ?, ?, ?)",
            [title, starts_at, planned_minutes, location, now],
        )
        session_id = int(cursor.lastrowid)
        log_event(db, session_id, "session_created", now)
        if items:
            replace_agenda(db, session_id, items, clock)
    return session_id


def close_open_turn(db: Database, session_id: int, at: str) -> int | None:
    """End whoever is speaking (inside the caller's transaction); returns the turn id."""
    row = db.execute(
        "select id, member_id from speaking_turns where session_id = ? and ended_at is null",
        [session_id],
    ).fetchone()
    if row is None:
        return None
    db.execute("update speaking_turns set ended_at = ? where id = ?", [at, row[0]])
    log_event(db, session_id, "speaker_stopped", at, turn=row[0], member=row[1])
    return int(row[0])


def _start_item(db: Database, session_id: int, item: AgendaItem, at: str) -> None:
    db.execute("update agenda_items set started_at = ? where id = ?", [at, item.id])
    log_event(db, session_id, "item_started", at, item=item.id)


def _end_item(db: Database, session_id: int, item: AgendaItem, at: str) -> None:
    db.execute("update agenda_items set ended_at = ? where id = ?", [at, item.id])
    log_event(db, session_id, "item_ended", at, item=item.id)


@atomic
def start_session(db: Database, session_id: int, clock: Clock) -> AgendaItem | None:
    """Open a planned session and start its first item; returns that item."""
    session = get_session(db, session_id)
    if session.status != "planned":
        raise SessionError(_("Session '%(title)s' has already started.", title=session.title))
    items = agenda(db, session_id)
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute(
            "update sessions set status = 'running', started_at = ? where id = ?",
            [now, session_id],
        )
        log_event(db, session_id, "session_started", now)
        if items:
            _start_item(db, session_id, items[0], now)
    return current_item(db, session_id)


@atomic
def next_item(db: Database, session_id: int, clock: Clock) -> AgendaItem | None:
    """End the current item (and the current speaker) and start the next one not yet run.

    A planned session starts here. Returns the item now running, or None when the agenda is done.
    """
    session = get_session(db, session_id)
    if session.status == "planned":
        return start_session(db, session_id, clock)
    if session.status == "finished":
        raise SessionError(_("Session '%(title)s' has finished.", title=session.title))
    if session.status == "paused":
        raise SessionError(
            _("The session is paused. Resume it (p) before moving to the next item.")
        )
    items = agenda(db, session_id)
    running = next((i for i in items if i.state == "running"), None)
    upcoming = next_up(items)
    now = to_iso(clock.now())
    with write_transaction(db):
        close_open_turn(db, session_id, now)
        if running is not None:
            _end_item(db, session_id, running, now)
        if upcoming is not None:
            _start_item(db, session_id, upcoming, now)
    return current_item(db, session_id)


@atomic
def extend_item(
    db: Database, session_id: int, clock: Clock, minutes: int = EXTEND_MINUTES
) -> AgendaItem:
    """Give the current item more time; the extension is kept apart from the planned minutes."""
    item = current_item(db, session_id)
    if item is None:
        raise SessionError(_("No item is running, so there is nothing to extend."))
    if not 0 < minutes <= 120:
        raise SessionError(_("An extension must be between 1 and 120 minutes."))
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute(
            "update agenda_items set extended_minutes = extended_minutes + ? where id = ?",
            [minutes, item.id],
        )
        log_event(db, session_id, "item_extended", now, item=item.id, minutes=minutes)
    return next(i for i in agenda(db, session_id) if i.id == item.id)


@atomic
def pause_session(db: Database, session_id: int, clock: Clock) -> None:
    """Stop the clocks: the item countdown and the speaker's time both stand still until resumed."""
    session = get_session(db, session_id)
    if session.status != "running":
        raise SessionError(
            _(
                "Only a running session can be paused (this one is %(status)s).",
                status=status_word(session.status),
            )
        )
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute("update sessions set status = 'paused' where id = ?", [session_id])
        db.execute(
            "insert into session_pauses (session_id, started_at) values (?, ?)", [session_id, now]
        )
        log_event(db, session_id, "paused", now)


@atomic
def resume_session(db: Database, session_id: int, clock: Clock) -> None:
    session = get_session(db, session_id)
    if session.status != "paused":
        raise SessionError(
            _(
                "Only a paused session can be resumed (this one is %(status)s).",
                status=status_word(session.status),
            )
        )
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute("update sessions set status = 'running' where id = ?", [session_id])
        db.execute(
            "update session_pauses set ended_at = ? where session_id = ? and ended_at is null",
            [now, session_id],
        )
        log_event(db, session_id, "resumed", now)


@atomic
def toggle_pause(db: Database, session_id: int, clock: Clock) -> str:
    """Pause a running session or resume a paused one; returns the new status."""
    if get_session(db, session_id).status == "paused":
        resume_session(db, session_id, clock)
        return "running"
    pause_session(db, session_id, clock)
    return "paused"


NOT_STARTED = N_(  # shown with `_(NOT_STARTED, title=...)`
    "'%(title)s' has not started, so there is nothing to finish. "
    "Press n to start its first item when the session begins."
)


@atomic
def finish_session(db: Database, session_id: int, clock: Clock) -> None:
    """Close everything that is open: the pause, the speaker, the item, the queue."""
    session = get_session(db, session_id)
    if session.status == "finished":
        raise SessionError(_("Session '%(title)s' has already finished.", title=session.title))
    if session.status == "planned":
        # Finishing would stamp a start and an end on a session that never met.
        raise SessionError(_(NOT_STARTED, title=session.title))
    now = to_iso(clock.now())
    running = current_item(db, session_id)
    with write_transaction(db):
        db.execute(
            "update session_pauses set ended_at = ? where session_id = ? and ended_at is null",
            [now, session_id],
        )
        close_open_turn(db, session_id, now)
        if running is not None:
            _end_item(db, session_id, running, now)
        db.execute(
            "update speaker_queue set left_at = ?, outcome = 'removed' "
            "where session_id = ? and left_at is null",
            [now, session_id],
        )
        db.execute(
            "update sessions set status = 'finished', ended_at = ?, "
            "started_at = coalesce(started_at, ?) where id = ?",
            [now, now, session_id],
        )
        log_event(db, session_id, "session_finished", now)


def set_queue_order(db: Database, session_id: int, order: str, clock: Clock) -> None:
    if order not in ("fifo", "progressive"):
        raise SessionError(
            _("Queue order %(order)s must be 'fifo' or 'progressive'.", order=repr(order))
        )
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute("update sessions set queue_order = ? where id = ?", [order, session_id])
        log_event(db, session_id, "queue_order", now, order=order)


def events(db: Database, session_id: int) -> list[tuple[str, str, dict]]:
    """The session's action log, oldest first: (at, kind, detail)."""
    return [
        (r[0], r[1], json.loads(r[2]))
        for r in db.execute(
            "select at, kind, detail from session_events where session_id = ? order by id",
            [session_id],
        )
    ]


def parse_agenda_lines(text: str) -> list[AgendaItemSpec]:
    """Agenda items typed one per line as "minutes title", e.g. "20 Welcome" or
    "15 break: Tea and coffee" (a kind before a colon sets the item's kind)."""
    specs = []
    lines = [line.strip() for line in text.splitlines()]
    for n, line in enumerate((line for line in lines if line), start=1):
        head, _space, rest = line.partition(" ")
        if not head.isdigit() or not rest.strip():
            raise SessionError(
                _(
                    "Agenda line %(n)s (%(line)s): start with the minutes, then the title, "
                    "e.g. '20 Welcome and introductions'.",
                    n=n,
                    line=repr(line),
                )
            )
        title = rest.strip()
        kind = "topic"
        maybe_kind, colon, after = title.partition(":")
        typed = typed_kind(maybe_kind) if colon and after.strip() else None
        if typed:
            kind, title = typed, after.strip()
        specs.append(_spec(AgendaItemSpec(title=title, minutes=int(head), kind=kind), n))
    return specs


def agenda_lines(items: Sequence[AgendaItem]) -> str:
    """The inverse of `parse_agenda_lines`, for editing an agenda as text (the kinds in the
    working language)."""
    return "\n".join(
        f"{i.minutes} {'' if i.kind == 'topic' else kind_word(i.kind) + ': '}{i.title}"
        for i in items
    )


def parse_local_start(date: str, time: str, timezone: str) -> str | None:
    """A local date and time typed by the facilitator, as a UTC ISO time (None if both empty)."""
    date, time = date.strip(), time.strip()
    if not date and not time:
        return None
    try:
        moment = datetime.strptime(f"{date} {time or '00:00'}", "%Y-%m-%d %H:%M")
    except ValueError as error:
        raise SessionError(
            _(
                "Date %(date)s and time %(time)s: write them like 2026-11-26 and 09:30.",
                date=repr(date),
                time=repr(time),
            )
        ) from error
    return to_iso(moment.replace(tzinfo=ZoneInfo(timezone)))


@dataclass(frozen=True)
class SessionProjection:
    """How the session as a whole is going: time in, and when it will end at this rate."""

    elapsed_seconds: float
    planned_end: datetime | None
    projected_end: datetime | None

    @property
    def over_seconds(self) -> float | None:
        if self.planned_end is None or self.projected_end is None:
            return None
        return (self.projected_end - self.planned_end).total_seconds()


MOVED_AFTER = timedelta(hours=6)
"""A session started this far from its planned start was moved, not merely late."""


def session_projection(db: Database, session_id: int, clock: Clock) -> SessionProjection:
    """Planned end (start + planned minutes) against the end the agenda now points to: the rest
    of the current item plus every item still to come, from now."""
    from datetime import timedelta

    session = get_session(db, session_id)
    now = clock.now()
    started = session.started_at
    elapsed = (
        active_seconds(started, session.ended_at, pauses(db, session_id), now) if started else 0.0
    )
    begin = session.starts_at or started
    if started and begin and abs(from_iso(started) - from_iso(begin)) > MOVED_AFTER:
        # run on another day than planned (moved, or a rehearsal): measuring against the old
        # date would show "thousands of minutes over", so the plan counts from the real start
        begin = started
    planned_end = (
        from_iso(begin) + timedelta(minutes=session.planned_minutes)
        if begin and session.planned_minutes
        else None
    )
    projected = None
    if session.is_live:
        items = agenda(db, session_id)
        left = sum(i.allowed_minutes * 60 for i in items if i.started_at is None)
        running = next((i for i in items if i.state == "running"), None)
        if running is not None:
            timer = item_timer(db, running, clock)
            left += max(timer.remaining_seconds, 0.0) if timer else 0.0
        projected = now + timedelta(seconds=left)
    return SessionProjection(elapsed, planned_end, projected)
