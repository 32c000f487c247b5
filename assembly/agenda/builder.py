"""From the residents' ranking and a session's length, a timed agenda to start from.

`propose_agenda` is pure: the top-ranked topics that fit get a discussion timebox (higher-ranked
ones more time), each led in by an evidence or witness slot, with breaks spread evenly and a
welcome and close; minutes always add up to the session's length. Topics that do not fit are
listed, not silently dropped. The facilitator may then reorder; the saved proposal keeps the
residents' rank and the builder's order beside the final order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlite_utils import Database

from assembly.agenda.errors import AgendaError
from assembly.agenda.rounds import get_round, round_result
from assembly.agenda.topics import list_topics
from assembly.core.clock import Clock, from_iso, to_iso
from assembly.core.i18n import _
from assembly.sessions.sessions import replace_agenda
from assembly.store import write_transaction


@dataclass(frozen=True)
class AgendaSettings:
    """How to lay out a session; all in minutes."""

    session_minutes: int
    welcome_minutes: int = 15
    close_minutes: int = 10
    break_minutes: int = 15
    work_between_breaks: int = 90
    evidence_minutes: int = 15
    witness_topics: int = 1
    witness_minutes: int = 30
    min_topic_minutes: int = 20
    max_topic_minutes: int = 60
    step: int = 5

    def check(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int) or value < 0:
                raise AgendaError(
                    _(
                        "Agenda setting %(name)s must be a whole number of minutes, 0 or more.",
                        name=name,
                    )
                )
        if self.session_minutes <= 0:
            raise AgendaError(_("The session's length must be more than 0 minutes."))
        if self.min_topic_minutes <= 0 or self.step <= 0 or self.work_between_breaks <= 0:
            raise AgendaError(_("Topic time, step and time between breaks must be more than 0."))
        if self.max_topic_minutes < self.min_topic_minutes:
            raise AgendaError(_("The longest topic time cannot be shorter than the shortest."))


@dataclass(frozen=True)
class RankedTopic:
    topic_id: int
    title: str
    rank: int


@dataclass(frozen=True)
class PlannedItem:
    title: str
    minutes: int
    kind: str
    topic_id: int | None = None
    residents_rank: int | None = None
    starts_after: int = 0  # minutes from the session's start


@dataclass(frozen=True)
class AgendaProposal:
    items: tuple[PlannedItem, ...]
    left_out: tuple[RankedTopic, ...]

    @property
    def total_minutes(self) -> int:
        return sum(i.minutes for i in self.items)


def _break_count(body: int, settings: AgendaSettings) -> int:
    """Fewest breaks so no stretch of work is longer than `work_between_breaks`."""
    if settings.break_minutes == 0:
        return 0
    breaks = 0
    while True:
        work = body - breaks * settings.break_minutes
        if work <= 0:
            return max(0, breaks - 1)
        if work / (breaks + 1) <= settings.work_between_breaks:
            return breaks
        breaks += 1


def _lead_in(index: int, settings: AgendaSettings) -> tuple[str, int]:
    if index < settings.witness_topics and settings.witness_minutes:
        return "witness", settings.witness_minutes
    return "evidence", settings.evidence_minutes


def propose_agenda(ranked: Sequence[RankedTopic], settings: AgendaSettings) -> AgendaProposal:
    """A timed agenda whose minutes add up to `settings.session_minutes` exactly."""
    settings.check()
    ranked = sorted(ranked, key=lambda t: t.rank)
    body = settings.session_minutes - settings.welcome_minutes - settings.close_minutes
    if body <= 0:
        raise AgendaError(
            _(
                "A %(minutes)s-minute session has no time left after the welcome "
                "(%(welcome)s) and close (%(close)s).",
                minutes=settings.session_minutes,
                welcome=settings.welcome_minutes,
                close=settings.close_minutes,
            )
        )
    breaks = _break_count(body, settings)
    work = body - breaks * settings.break_minutes
    chosen: list[tuple[RankedTopic, str, int]] = []
    used = 0
    for topic in ranked:
        kind, lead = _lead_in(len(chosen), settings)
        need = lead + settings.min_topic_minutes
        if used + need > work:
            break
        chosen.append((topic, kind, lead))
        used += need
    if ranked and not chosen:
        raise AgendaError(
            _(
                "The session is too short for even one topic: it needs at least %(needed)s "
                "minutes of working time, and has %(work)s.",
                needed=_lead_in(0, settings)[1] + settings.min_topic_minutes,
                work=work,
            )
        )
    left_out = tuple(ranked[len(chosen) :])
    minutes = _share_time(len(chosen), work - used, settings)
    blocks: list[list[PlannedItem]] = []
    for (topic, kind, lead), extra in zip(chosen, minutes, strict=True):
        block = []
        if lead:
            if kind == "witness":
                label = _("Witness and questions: %(topic)s", topic=topic.title)
            else:
                label = _("Evidence: %(topic)s", topic=topic.title)
            block.append(PlannedItem(label, lead, kind, topic.topic_id, topic.rank))
        block.append(
            PlannedItem(
                _("Discuss: %(topic)s", topic=topic.title),
                settings.min_topic_minutes + extra,
                "topic",
                topic.topic_id,
                topic.rank,
            )
        )
        blocks.append(block)
    spare = work - used - sum(minutes)
    if spare > 0:
        blocks.append([PlannedItem(_("Open discussion and catch-up"), spare, "other")])
    items = [
        PlannedItem(_("Welcome and plan for the session"), settings.welcome_minutes, "welcome")
    ]
    items += _with_breaks(blocks, breaks, settings.break_minutes)
    items.append(PlannedItem(_("Close: what happens next"), settings.close_minutes, "other"))
    items = [i for i in items if i.minutes > 0]
    timed = []
    start = 0
    for item in items:
        timed.append(PlannedItem(**{**asdict(item), "starts_after": start}))
        start += item.minutes
    return AgendaProposal(tuple(timed), left_out)


def _share_time(count: int, extra: int, settings: AgendaSettings) -> list[int]:
    """Share spare minutes among `count` topics in steps, more to the higher-ranked, up to the
    longest allowed; what cannot be given out is returned to the caller as spare time."""
    shares = [0] * count
    room = settings.max_topic_minutes - settings.min_topic_minutes
    if count == 0 or room == 0:
        return shares
    weights = [count - i for i in range(count)]
    total = sum(weights)
    for i in range(count):
        target = extra * weights[i] / total
        shares[i] = min(room, int(target // settings.step) * settings.step)
    left = extra - sum(shares)
    while left >= settings.step:
        given = False
        for i in range(count):
            if left >= settings.step and shares[i] + settings.step <= room:
                shares[i] += settings.step
                left -= settings.step
                given = True
        if not given:
            break
    return shares


def _with_breaks(
    blocks: list[list[PlannedItem]], breaks: int, break_minutes: int
) -> list[PlannedItem]:
    """Put `breaks` breaks at the block boundaries nearest to even spacing of the work."""
    if breaks == 0 or not blocks:
        return [item for block in blocks for item in block]
    lengths = [sum(i.minutes for i in block) for block in blocks]
    total = sum(lengths)
    boundaries = []  # work minutes done after each block but the last
    done = 0
    for length in lengths[:-1]:
        done += length
        boundaries.append(done)
    after: dict[int, int] = {}
    for j in range(1, breaks + 1):
        target = total * j / (breaks + 1)
        if boundaries:
            where = min(range(len(boundaries)), key=lambda b: abs(boundaries[b] - target))
        else:
            where = 0
        after[where] = after.get(where, 0) + 1
    out: list[PlannedItem] = []
    for b, block in enumerate(blocks):
        if not boundaries and b == 0 and block:
            # One block only: the break goes inside it, after its lead-in.
            out.append(block[0])
            out.append(PlannedItem(_("Break"), break_minutes * breaks, "break"))
            out.extend(block[1:])
            continue
        out.extend(block)
        if boundaries and b in after:
            out.append(PlannedItem(_("Break"), break_minutes * after[b], "break"))
    return out


# --- stored proposals ---------------------------------------------------------------------------


def ranked_topics(db: Database, round_id: int) -> list[RankedTopic]:
    """The residents' ranking from a vote (its stored result if closed, else the count so far)."""
    current = get_round(db, round_id)
    titles = {t.id: t.title for t in list_topics(db, include_closed=True)}
    if current.status == "closed":
        row = db.execute("select result from priority_rounds where id = ?", [round_id]).fetchone()
        standings = json.loads(row[0])["standings"]
        pairs = [(s["topic_id"], s["rank"]) for s in standings]
    else:
        pairs = [(s.option, s.rank) for s in round_result(db, round_id).standings]
    return [RankedTopic(int(t), titles[int(t)], int(rank)) for t, rank in pairs]


@dataclass(frozen=True)
class ProposalItem:
    position: int
    proposed_position: int
    title: str
    minutes: int
    kind: str
    topic_id: int | None
    residents_rank: int | None


@dataclass(frozen=True)
class StoredProposal:
    id: int
    session_id: int | None
    round_id: int | None
    session_minutes: int
    status: str
    created_at: str
    finalised_at: str | None
    items: tuple[ProposalItem, ...]


def save_proposal(
    db: Database,
    clock: Clock,
    proposal: AgendaProposal,
    settings: AgendaSettings,
    *,
    session_id: int | None = None,
    round_id: int | None = None,
) -> int:
    at = to_iso(clock.now())
    with write_transaction(db):
        proposal_id = (
            db["agenda_proposals"]
            .insert(
                {
                    "session_id": session_id,
                    "round_id": round_id,
                    "session_minutes": settings.session_minutes,
                    "settings": json.dumps(asdict(settings)),
                    "status": "proposed",
                    "created_at": at,
                }
            )
            .last_pk
        )
        db["agenda_proposal_items"].insert_all(
            {
                "proposal_id": proposal_id,
                "position": n,
                "proposed_position": n,
                "title": item.title,
                "minutes": item.minutes,
                "kind": item.kind,
                "topic_id": item.topic_id,
                "residents_rank": item.residents_rank,
            }
            for n, item in enumerate(proposal.items, start=1)
        )
    return int(proposal_id)


def get_proposal(db: Database, proposal_id: int) -> StoredProposal:
    rows = list(db.query("select * from agenda_proposals where id = ?", [proposal_id]))
    if not rows:
        raise AgendaError(_("There is no proposed agenda %(id)s.", id=proposal_id))
    row = rows[0]
    items = tuple(
        ProposalItem(
            r["position"],
            r["proposed_position"],
            r["title"],
            r["minutes"],
            r["kind"],
            r["topic_id"],
            r["residents_rank"],
        )
        for r in db.query(
            "select * from agenda_proposal_items where proposal_id = ? order by position",
            [proposal_id],
        )
    )
    return StoredProposal(
        row["id"],
        row["session_id"],
        row["round_id"],
        row["session_minutes"],
        row["status"],
        row["created_at"],
        row["finalised_at"],
        items,
    )


def list_proposals(db: Database) -> list[StoredProposal]:
    return [
        get_proposal(db, r[0]) for r in db.execute("select id from agenda_proposals order by id")
    ]


def _apply_order(db: Database, proposal_id: int, order: list[int]) -> None:
    """Renumber items so old positions `order` become 1, 2, ...; two passes keep the
    (proposal_id, position) key unique throughout."""
    for new, old in enumerate(order, start=1):
        db.execute(
            "update agenda_proposal_items set position = ? where proposal_id = ? and position = ?",
            [-new, proposal_id, old],
        )
    db.execute(
        "update agenda_proposal_items set position = -position where proposal_id = ?",
        [proposal_id],
    )


def _changeable(db: Database, proposal_id: int) -> StoredProposal:
    proposal = get_proposal(db, proposal_id)
    if proposal.status == "final":
        raise AgendaError(
            _("Agenda %(id)s is final; build a new one to change it.", id=proposal_id)
        )
    return proposal


def move_item(db: Database, proposal_id: int, position: int, to_position: int) -> None:
    """The facilitator's reorder: move one item; the builder's order and ranks stay on record."""
    with write_transaction(db):
        proposal = _changeable(db, proposal_id)
        count = len(proposal.items)
        if not (1 <= position <= count and 1 <= to_position <= count):
            raise AgendaError(
                _("Agenda %(id)s has items 1 to %(count)s.", id=proposal_id, count=count)
            )
        order = [i.position for i in proposal.items]
        order.insert(to_position - 1, order.pop(position - 1))
        _apply_order(db, proposal_id, order)


def set_order(db: Database, proposal_id: int, order: Sequence[int]) -> None:
    """Put the items in a whole new order, given as their current positions; every item once."""
    with write_transaction(db):
        proposal = _changeable(db, proposal_id)
        current = sorted(i.position for i in proposal.items)
        if sorted(order) != current:
            raise AgendaError(
                _(
                    "Agenda %(id)s: the new order must list each of items 1 to %(count)s "
                    "exactly once.",
                    id=proposal_id,
                    count=len(current),
                )
            )
        _apply_order(db, proposal_id, list(order))


def blocks(items: Sequence[ProposalItem]) -> list[list[ProposalItem]]:
    """Items grouped as they move together: a topic's lead-in and discussion side by side form
    one block; every other item is a block of its own."""
    out: list[list[ProposalItem]] = []
    for item in items:
        if out and item.topic_id is not None and out[-1][-1].topic_id == item.topic_id:
            out[-1].append(item)
        else:
            out.append([item])
    return out


def move_block(db: Database, proposal_id: int, position: int, delta: int) -> int:
    """Move the block holding item `position` one block earlier (delta -1) or later (+1),
    so a topic keeps its evidence slot; returns the item's new position."""
    with write_transaction(db):
        proposal = _changeable(db, proposal_id)
        groups = blocks(proposal.items)
        index = next(
            (k for k, g in enumerate(groups) if any(i.position == position for i in g)), None
        )
        if index is None:
            raise AgendaError(
                _("Agenda %(id)s has no item %(position)s.", id=proposal_id, position=position)
            )
        target = index + delta
        if not 0 <= target < len(groups):
            return position
        groups.insert(target, groups.pop(index))
        order = [i.position for g in groups for i in g]
        _apply_order(db, proposal_id, order)
        return order.index(position) + 1


def set_item_minutes(db: Database, proposal_id: int, position: int, minutes: int) -> None:
    with write_transaction(db):
        proposal = _changeable(db, proposal_id)
        if minutes <= 0:
            raise AgendaError(
                _("Agenda item %(position)s: minutes must be more than 0.", position=position)
            )
        if not any(i.position == position for i in proposal.items):
            raise AgendaError(
                _("Agenda %(id)s has no item %(position)s.", id=proposal_id, position=position)
            )
        db.execute(
            "update agenda_proposal_items set minutes = ? where proposal_id = ? and position = ?",
            [minutes, proposal_id, position],
        )


def finalise_proposal(
    db: Database, clock: Clock, proposal_id: int, session_id: int | None = None
) -> None:
    """Make this the session's agenda: written to the session's agenda items (through the
    sessions area's `replace_agenda` when present), with each topic's residents' rank."""
    at = to_iso(clock.now())
    with write_transaction(db):
        proposal = get_proposal(db, proposal_id)
        if proposal.status == "final":
            raise AgendaError(_("Agenda %(id)s is already final.", id=proposal_id))
        session_id = session_id or proposal.session_id
        if session_id is None:
            raise AgendaError(_("Choose the session this agenda is for."))
        if not db.execute("select 1 from sessions where id = ?", [session_id]).fetchone():
            raise AgendaError(_("There is no session %(id)s.", id=session_id))
        items = [
            {
                "title": i.title,
                "minutes": i.minutes,
                "kind": i.kind,
                "topic_id": i.topic_id,
                "residents_rank": i.residents_rank,
            }
            for i in proposal.items
        ]
        _write_agenda(db, clock, session_id, items)
        db["agenda_proposals"].update(
            proposal_id, {"status": "final", "finalised_at": at, "session_id": session_id}
        )


def _write_agenda(db: Database, clock: Clock, session_id: int, items: list[dict]) -> None:
    try:
        replace_agenda(db, session_id, items, clock)
    except ValueError as error:
        raise AgendaError(str(error)) from error


def session_starts_at(db: Database, session_id: int) -> datetime | None:
    """When a session starts, if it has a time."""
    row = db.execute("select starts_at from sessions where id = ?", [session_id]).fetchone()
    return from_iso(row[0]) if row and row[0] else None


def session_count(db: Database) -> int:
    return db.execute("select count(*) from sessions").fetchone()[0]


def sessions_available(db: Database) -> list[tuple[int, str, int | None]]:
    """(id, title, planned minutes) of sessions not yet finished."""
    return [
        (r[0], r[1], r[2])
        for r in db.execute(
            "select id, title, planned_minutes from sessions where status != 'finished' order by id"
        )
    ]
