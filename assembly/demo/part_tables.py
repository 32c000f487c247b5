"""Demo part: pins and a saved table plan for the first session (or the whole panel).

Two members who need an interpreter are seated with theirs (as their access support records),
and two members are kept apart; then a plan seats everyone at 6 tables for 3 rounds. Skipped
when there is no panel yet.
"""

from __future__ import annotations

import json

import numpy as np

from assembly.core.clock import FixedClock
from assembly.organiser.support import get_support
from assembly.store import AssemblyFile
from assembly.tables.plans import (
    TablePlanRequestError,
    add_pin,
    make_plan,
    save_plan,
    sessions_with_attendance,
)

ORDER = 38
TABLES = 6
ROUNDS = 3


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    panel = [
        (r["number"], json.loads(r["features"] or "{}"))
        for r in db.query(
            "select m.number, r.features from members m join respondents r "
            "on r.id = m.respondent_id where m.status in ('selected', 'invited', 'confirmed') "
            "order by m.number"
        )
    ]
    if len(panel) < TABLES * 2:
        return  # no panel drawn yet: nothing to seat
    # each pinned to the interpreter their access support records (the selection part's)
    interpreted = [(n, get_support(db, n).interpreter) for n, _ in panel]
    interpreted = [(n, language) for n, language in interpreted if language][:2]
    for number, language in interpreted:
        add_pin(db, "interpreter", number, clock, label=f"{language} interpreter")
    pinned = {n for n, _ in interpreted}
    first, second = [n for n, _ in panel if n not in pinned][:2]
    add_pin(db, "apart", first, clock, other_number=second)

    seed = int(rng.integers(1, 1_000_000))
    sessions = sessions_with_attendance(db)
    result = None
    if sessions:
        try:
            result = make_plan(
                db, tables=TABLES, rounds=ROUNDS, seed=seed, session_id=sessions[0][0]
            )
        except TablePlanRequestError:
            result = None  # attendance not usable for a plan: seat the whole panel instead
    if result is None:
        result = make_plan(db, tables=TABLES, rounds=ROUNDS, seed=seed)
    save_plan(db, result, clock, title=f"Table plan for {result.room.source}")
    clock.advance(minutes=10)
