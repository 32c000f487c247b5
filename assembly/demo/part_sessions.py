"""Demo part: three sessions of the example assembly.

Sessions 1 and 2 have run: attendance, every speaking turn (older men and first-language
English speakers talk more, as they tend to, so the equity panel has something to flag), a
pause, an overrun and an extension, and ideas, some edited later. Session 3 is planned, ready
to be run live from Facilitator mode. Without panel members (before the draw) only the agendas,
timings and unattributed ideas are made.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from assembly.core.clock import FixedClock, to_iso
from assembly.sessions import attendance as att
from assembly.sessions import ideas
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue
from assembly.store import AssemblyFile

ORDER = 30

AGENDAS = [
    (
        "Session 1: Welcome and the evidence",
        [
            (20, "welcome", "Welcome, introductions and how we work together"),
            (40, "evidence", "What the climate emergency means for Hollowfield"),
            (15, "break", "Tea and coffee"),
            (45, "topic", "Table talk: what do you value about your high street?"),
            (30, "witness", "Q&A with local traders and the council's transport team"),
            (10, "other", "Reflections and next steps"),
        ],
    ),
    (
        "Session 2: What should change on our high streets",
        [
            (10, "welcome", "Welcome back and recap"),
            (40, "evidence", "Evidence: parking, buses and walking"),
            (50, "topic", "Deliberation: getting to the high street"),
            (15, "break", "Lunch"),
            (50, "topic", "Deliberation: shops, spaces and energy"),
            (15, "other", "Gathering ideas for session 3"),
        ],
    ),
    (
        "Session 3: Deliberation and priorities",
        [
            (10, "welcome", "Welcome back"),
            (45, "topic", "Weighing the options"),
            (15, "break", "Tea and coffee"),
            (60, "topic", "Setting our priorities"),
            (20, "other", "Close"),
        ],
    ),
]

IDEAS = [
    "Car-free first Saturday of each month on the high street",
    "More benches with shade and drinking water points",
    "A repair café in an empty shop unit",
    "Cheaper business rates for shops that cut their energy use",
    "Safe, covered cycle parking outside the station",
    "A hopper bus linking the estates to the high street",
    "Shop-front grants for insulation and heat pumps",
    "Wider pavements and step-free crossings near the market",
    "A community fridge to cut food waste",
    "Trees and planters instead of some parking bays",
    "Late-night buses so shift workers can get home",
    "A low-traffic trial around the primary school",
    "Solar panels on the market hall roof",
    "Public toilets that are open and accessible",
    "A 'buy local' loyalty card across independent shops",
    "Delivery hubs so vans do not block the road",
    "Free short-stay parking for Blue Badge holders kept",
    "Pop-up space for young people's businesses",
    "A shared library of things: tools, ladders, camping kit",
    "Translate council notices into the borough's main languages",
]


def _weight(features: dict[str, str]) -> float:
    """How likely a member is to speak: the usual imbalances of a real room, deliberately."""
    w = 1.0
    w *= {"Man": 1.5, "Woman": 0.9}.get(features.get("gender", ""), 1.0)
    w *= {"16-24": 0.5, "25-34": 0.8, "65-74": 1.3, "75+": 1.2}.get(
        features.get("age_band", ""), 1.0
    )
    w *= 0.45 if features.get("language") == "Another language" else 1.0
    w *= 0.6 if features.get("disability") == "Limited a lot" else 1.0
    w *= 1.3 if features.get("deprivation") == "5 least deprived" else 1.0
    return w


def _session_start(base: datetime, weeks: int) -> datetime:
    """Saturdays at 10:00 local time, `weeks` weeks after the first Saturday after `base`."""
    local = base.astimezone(ZoneInfo("Europe/London"))
    days = (5 - local.weekday()) % 7 or 7
    day = (local + timedelta(days=days + 7 * weeks)).date()
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def _run_item(
    db,
    sid: int,
    item: s.AgendaItem,
    rng: np.random.Generator,
    clock: FixedClock,
    members: list[att.SessionMember],
    present: list[int],
    idea_pool: list[str],
) -> None:
    """Let one item play out: turns of speech for topics and Q&A, ideas along the way."""
    overrun = float(rng.uniform(-0.1, 0.25))
    length = item.minutes * 60 * (1 + overrun)
    if item.kind == "break" or not present:
        clock.advance(seconds=length)
        return
    if overrun > 0.15:
        s.extend_item(db, sid, clock, minutes=5)
    queue = SpeakerQueue(db, sid, clock)
    by_id = {m.id: m for m in members}
    weights = np.array([_weight(by_id[m].features) for m in present])
    weights /= weights.sum()
    talk_kinds = ("topic", "witness", "other")
    spent = 0.0
    while spent < length * 0.85:
        gap = float(rng.uniform(10, 40))
        clock.advance(seconds=gap)
        spent += gap
        if item.kind not in talk_kinds:
            clock.advance(seconds=length - spent)  # a presentation: no timed turns
            return
        speaker = int(present[int(rng.choice(len(present), p=weights))])
        queue.start(speaker)
        turn = float(rng.uniform(30, 150))
        clock.advance(seconds=turn)
        spent += turn
        if idea_pool and rng.random() < 0.15:
            ideas.add_idea(
                db,
                session_id=sid,
                text=idea_pool.pop(0),
                clock=clock,
                agenda_item_id=item.id,
                member_id=speaker,
            )
        queue.stop()
    clock.advance(seconds=max(0.0, length - spent))


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    members = att.panel(db)
    base = clock.now()
    ids = []
    for n, (title, items) in enumerate(AGENDAS):
        start = _session_start(base, n)
        ids.append(
            s.create_session(
                db,
                title=title,
                clock=clock,
                starts_at=to_iso(start),
                planned_minutes=sum(m for m, _, _ in items),
                location="Hollowfield Town Hall, Council Chamber",
                items=[{"minutes": m, "kind": k, "title": t} for m, k, t in items],
            )
        )
    idea_pool = list(IDEAS)
    for n, sid in enumerate(ids[:2]):
        clock.current = _session_start(base, n) + timedelta(minutes=int(rng.integers(0, 8)))
        present = []
        for member in members:
            roll = rng.random()
            status = "present" if roll < 0.88 else "apologies" if roll < 0.95 else "absent"
            att.set_attendance(db, sid, member.id, status, clock)
            if status == "present":
                present.append(member.id)
        if not members:
            # Before the draw: the ideas are recorded without who raised them.
            for text in idea_pool[:3]:
                ideas.add_idea(db, session_id=sid, text=text, clock=clock)
            idea_pool = idea_pool[3:]
        s.set_queue_order(db, sid, "progressive" if n == 1 else "fifo", clock)
        item = s.start_session(db, sid, clock)
        while item is not None:
            if n == 1 and item.position == 3:
                # A fire alarm test: the session pauses for ten minutes.
                clock.advance(minutes=12)
                s.pause_session(db, sid, clock)
                clock.advance(minutes=10)
                s.resume_session(db, sid, clock)
            _run_item(db, sid, item, rng, clock, members, present, idea_pool)
            item = s.next_item(db, sid, clock)
        s.finish_session(db, sid, clock)
        clock.advance(hours=2)
    # A week later the facilitation team tidies the wording of two ideas; the history keeps both.
    clock.advance(days=3)
    found = ideas.session_ideas(db, ids[0]) + ideas.session_ideas(db, ids[1])
    for idea in found[:2]:
        ideas.edit_idea(db, idea.id, clock, text=idea.text + " (as agreed at the table)")
