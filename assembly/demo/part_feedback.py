"""Demo part: the feedback log after the assembly — council responses, progress and a few
answers still overdue.

Items come from the example's own recommendations and ideas when the earlier parts made them
(the agenda area tracks passed recommendations itself; ideas from sessions are added here), and
otherwise from a realistic list of residents' proposals about high streets and climate. Council
departments then answer over the following weeks, as the fixed clock moves on.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from functools import partial

import numpy as np

from assembly.core.clock import FixedClock
from assembly.feedback import queries, writes
from assembly.feedback.entries import Item
from assembly.store import AssemblyFile

ORDER = 40
ORGANISER = "Assembly organising team"
MAX_IDEAS = 10

BODIES = {
    "Highways and Transport": "Dana Whitfield",
    "Regeneration and High Streets": "Marcus Obi",
    "Climate and Sustainability": "Helen Sato",
    "Parks and Open Spaces": "Gareth Price",
    "Markets": "Leila Haddad",
    "Housing": "Tom Brennan",
    "Transport for London (partner)": "TfL borough liaison",
}

PROPOSALS = [
    ("Car-free Saturdays on Hollowfield High Street", "Highways and Transport"),
    ("Turn empty shops into repair cafés and community hubs", "Regeneration and High Streets"),
    ("Solar panels on council buildings along the high streets", "Climate and Sustainability"),
    ("Secure cycle parking and cargo-bike hire at every parade", "Highways and Transport"),
    ("Street trees and rain gardens on Market Parade", "Parks and Open Spaces"),
    ("Lower market stall rents for young and first-time traders", "Markets"),
    ("A late-night bus linking Wharf Green and Eastgate", "Transport for London (partner)"),
    ("Public water fountains to end single-use bottles", "Parks and Open Spaces"),
    ("A retrofit advice shop on the high street for home insulation", "Housing"),
    ("Safer crossings and wider pavements near schools", "Highways and Transport"),
    ("A community energy co-op on the leisure centre roof", "Climate and Sustainability"),
    ("Turn the Canal Side car park into a pocket park", "Parks and Open Spaces"),
    (
        "A local loyalty card rewarding walking and cycling to the shops",
        "Regeneration and High Streets",
    ),
    ("Shade and seating for older residents at bus stops", "Highways and Transport"),
]

# The first answers, in the proportions the example shows (cycled over the items).
OUTCOMES = [
    "in_progress",
    "not_accepted",
    "done",
    "under_consideration",
    "partly_accepted",
    "in_progress",
    "accepted",
    "done",
    "in_progress",
    "not_accepted",
]
MIN_ITEMS = 10
REFUSALS = [
    "The structure cannot carry the extra weight; a survey found this in the spring.",
    "The cost is outside this year's budget, and no external grant fits; we will look again in the 2028 budget round.",
    "The land is leased to a third party until 2031, so the council cannot change its use.",
]


# Words in an item's title that say which body answers it (first match wins).
BODY_WORDS = [
    (("bus", "train", "tube", "tfl"), "Transport for London (partner)"),
    (
        ("cycle", "bike", "car", "parking", "crossing", "pavement", "road", "street light"),
        "Highways and Transport",
    ),
    (
        ("solar", "energy", "climate", "carbon", "heat", "insulation", "retrofit"),
        "Climate and Sustainability",
    ),
    (
        ("tree", "park", "green", "garden", "fountain", "water", "bench", "shade", "play"),
        "Parks and Open Spaces",
    ),
    (("market", "stall", "trader"), "Markets"),
    (("home", "housing", "flat"), "Housing"),
    (
        ("shop", "business", "rates", "repair", "high street", "meanwhile", "loyalty"),
        "Regeneration and High Streets",
    ),
]


def _words(text: str) -> set[str]:
    """Words, lower case, a plural 's' dropped: enough to match subjects across phrasings."""
    return {w.removesuffix("s") for w in re.findall(r"[a-z]+", text.lower().replace("-", " "))}


def _body_for(title: str) -> str | None:
    text = title.lower()
    for keys, body in BODY_WORDS:
        if any(re.search(rf"\b{key}(e?s)?\b", text) for key in keys):
            return body
    return None


COMMON = {"street", "high", "every", "their", "council", "resident", "along", "into"}


def _new_proposals(db) -> list[tuple[str, str]]:
    """Our own proposals on subjects the log does not already cover (no shared key word)."""
    taken: set[str] = set()
    for (title,) in [
        *_rows(db, "select title from feedback_items"),
        *_rows(db, "select text from ideas"),
    ]:
        taken |= {w for w in _words(str(title or "")) if len(w) >= 5} - COMMON
    return [p for p in PROPOSALS if not ({w for w in _words(p[0]) if len(w) >= 5} & taken)]


def _rows(db, sql: str) -> list[tuple]:
    try:
        return db.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []


def _existing_sources(db) -> list[tuple[str, int, str, str]]:
    """Ideas recorded in sessions and not tracked yet: (kind, id, title, text)."""
    return [
        ("idea", idea_id, writes.idea_title(text), " ".join(str(text).split()))
        for idea_id, text in queries.untracked_ideas(db)[:MAX_IDEAS]
        if str(text or "").strip()
    ]


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    names = list(BODIES)
    # 1. Items: the agenda area's recommendations are already tracked; add the sessions' ideas,
    # and residents' proposals from the call for evidence until the log shows enough.
    sources = _existing_sources(db)
    already = queries.entry_count(db) > 0
    if not sources and not already:
        sources = [
            ("recommendation", n, title, f"Residents recommended: {title.lower()}.")
            for n, (title, _body) in enumerate(PROPOSALS, start=1)
        ]
    else:
        wanted = max(0, MIN_ITEMS - len(sources) - len(queries.all_items(db)))
        sources += [
            (
                "other",
                None,
                title,
                f"Proposed by residents in the call for evidence: {title.lower()}.",
            )
            for title, _body in _new_proposals(db)[:wanted]
        ]
    default_body = dict(PROPOSALS)
    for kind, source_id, title, text in sources:
        writes.track(
            db,
            title=title,
            description=text,
            source_kind=kind,
            source_id=source_id,
            actor=ORGANISER,
            clock=clock,
        )
        clock.advance(minutes=7)
    items = queries.all_items(db)
    if not items:
        return
    # 2. The organisers pass each item to a responsible body with a response deadline.
    clock.advance(days=2)
    for n, item in enumerate(items):
        body = (
            item.responsible_body
            or default_body.get(item.title)
            or _body_for(item.title)
            or names[n % len(names)]
        )
        due = (clock.now() + timedelta(weeks=4 if n % 3 else 8)).date().isoformat()
        writes.record(
            db,
            item.id,
            actor=ORGANISER,
            clock=clock,
            responsible_body=body,
            due=due,
            reason="Passed to the responsible body after the assembly's final session.",
            allow_unchanged=True,
        )
    # 3. Over the next weeks the bodies answer (most of them), each at its own pace.
    items = queries.all_items(db)
    silent = {items[-1].id, items[len(items) // 2].id} if len(items) >= 4 else set()
    answering = [item for item in items if item.id not in silent]
    order = rng.permutation(len(answering))
    start = clock.now()
    events: list[tuple[datetime, int, str, int]] = []
    for k, index in enumerate(order):
        item = answering[int(index)]
        outcome = OUTCOMES[k % len(OUTCOMES)]  # every kind of answer shows, in a random spread
        answer = start + timedelta(days=float(rng.integers(6, 45)), hours=float(rng.integers(0, 8)))
        events.append((answer, item.id, "answer:" + outcome, 0))
        if outcome in ("in_progress", "done"):
            begun = answer + timedelta(days=float(rng.integers(7, 25)))
            events.append((begun, item.id, "begin", int(rng.integers(10, 70))))
        if outcome == "done":
            events.append(
                (begun + timedelta(days=float(rng.integers(14, 40))), item.id, "done", 100)
            )
    by_id = {item.id: item for item in items}
    refusals = iter(REFUSALS * len(items))
    for when, item_id, action, progress in sorted(events):
        clock.current = max(clock.current, when)
        _act(
            db,
            by_id[item_id],
            action,
            progress,
            clock,
            next(refusals) if "not_acc" in action else "",
        )
    # The example ends after the silent items' deadlines, so it shows overdue responses.
    late = [queries.get_item(db, i).due for i in silent]
    if late:
        deadline = datetime.fromisoformat(max(late)).replace(tzinfo=clock.current.tzinfo)
        clock.current = max(clock.current, deadline + timedelta(days=3))
    clock.advance(days=7)


def _act(db, item: Item, action: str, progress: int, clock: FixedClock, refusal: str) -> None:
    officer = BODIES.get(item.responsible_body or "", "Council officer")
    title = item.title[0].lower() + item.title[1:]
    record = partial(writes.record, db, item.id, actor=officer, clock=clock)
    if action == "answer:not_accepted":
        record(
            status="not_accepted",
            reason=refusal,
            response=f"We looked carefully at {title}, but cannot do it as proposed. "
            "We have written to the assembly members to explain why.",
        )
    elif action == "answer:under_consideration":
        record(
            status="under_consideration",
            response="Cabinet will consider this at its next meeting; we will publish the "
            "decision here.",
        )
    elif action.startswith("answer:"):
        partly = action == "answer:partly_accepted"
        record(
            status="partly_accepted" if partly else "accepted",
            response=f"Agreed: we will take forward {title}"
            + (", starting with a smaller first phase." if partly else "."),
            reason="Cabinet agreed a first phase within this year's budget." if partly else "",
        )
    elif action == "begin":
        record(
            status="in_progress",
            progress=progress,
            milestone=(clock.now().date().isoformat(), "Project team and budget agreed"),
            evidence=(
                f"https://hollowfield.example.gov.uk/decisions/{item.id:04d}",
                "Cabinet decision record",
            ),
        )
    elif action == "done":
        record(
            status="done",
            progress=100,
            response=f"Done: {title} is in place. Thank you to the assembly for the idea.",
        )
