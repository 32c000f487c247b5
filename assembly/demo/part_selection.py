"""Demo part 2: quotas from the census targets, the draw of a panel of 40 with a public seed and
witnesses, and the members' journey: invitations, confirmations, one withdrawal and its
quota-preserving replacement, access support, honoraria and expenses.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from assembly.core.clock import FixedClock
from assembly.demo import draw_cache
from assembly.organiser import draws, members, quotas, support
from assembly.store import AssemblyFile

ORDER = 20
PANEL_SIZE = 40
TOLERANCE = 0.25
LOTTERY_SIZE = 1000
# The example draws by LEXIMIN to the end, from lotteries computed once and stored (see
# `draw_cache`), as a real draw's lottery is published once.
ALGORITHM = draw_cache.ALGORITHM
GAP = draw_cache.GAP
REPLACEMENT_ALGORITHM = "leximin"
PUBLIC_SEED = "Hollowfield, 20 March 2026: 07 19 23 31 42 48"
WITNESSES = [
    ("Cllr Amina Osei", "Chair, Hollowfield Council climate committee"),
    ("Dr Rhys Davies", "Independent observer, Hollowfield University"),
    ("Grace Campbell", "Assembly oversight panel"),
]
HONORARIUM_PENCE = 30_000
EXAMPLE_DRAW_SECONDS = 5.0


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    quotas.fill_from_targets(db, TOLERANCE, PANEL_SIZE)
    clock.advance(days=2)

    instance = quotas.build_instance(db)
    distribution = draw_cache.stored_select(instance, ALGORITHM)
    computed = draws.compute_draw(
        instance,
        ALGORITHM,
        lottery_size=LOTTERY_SIZE,
        rng=np.random.default_rng(int(rng.integers(2**32))),
        rounding_seconds=0.0,  # the quick rounding only: a pure function of the stored lottery
        distribution=distribution,
    )
    # The time taken differs between machines; the example records one fixed figure, so the
    # file (and its signed draw record) is the same wherever it is built.
    computed = dataclasses.replace(computed, seconds=EXAMPLE_DRAW_SECONDS)
    draw_id = draws.record_draw(db, computed, clock)

    clock.advance(days=2, hours=1)  # the public draw at the council offices
    for name, role in WITNESSES:
        draws.add_witness(db, draw_id, name, role, clock)
    draws.enter_seed(db, draw_id, PUBLIC_SEED, clock)

    panel = members.panel_members(db)
    clock.advance(days=1)
    for m in panel:
        members.set_status(db, m.number, "invited", clock, "letter and phone call")
    clock.advance(days=4)
    order = rng.permutation(len(panel))
    confirming = [panel[i] for i in order[: len(panel) - 3]]
    for m in confirming:
        members.set_status(db, m.number, "confirmed", clock, "confirmed by phone")
        clock.advance(hours=3)

    # One confirmed member withdraws (a new job with weekend shifts) and is replaced.
    leaving = confirming[5]
    clock.advance(days=3)
    members.set_status(db, leaving.number, "withdrawn", clock, "new job with weekend shifts")
    clock.advance(hours=2)
    replacement = members.replace_withdrawn(
        db,
        clock,
        seed=int(rng.integers(2**31)),
        algorithm=REPLACEMENT_ALGORITHM,
        select_fn=draw_cache.stored_select,
    )
    clock.advance(days=1)
    for number in replacement.newcomers:
        members.set_status(db, number, "invited", clock, "letter and phone call")
    clock.advance(days=2)
    for number in replacement.newcomers:
        members.set_status(db, number, "confirmed", clock, "confirmed by email")

    _support(db, clock)
    clock.advance(days=7)


def _support(db, clock: FixedClock) -> None:
    """Access support chosen from the members' own features, honoraria and some expenses."""
    on_panel = members.panel_members(db)
    for m in on_panel:
        support.set_support(db, m.number, clock, honorarium_pence=HONORARIUM_PENCE)
    other_language = [m for m in on_panel if m.features.get("language") == "Another language"]
    limited = [m for m in on_panel if m.features.get("disability") == "Limited a lot"]
    carers = [m for m in on_panel if m.features.get("age_band") in ("25-34", "35-44")]
    older = [m for m in on_panel if m.features.get("age_band") in ("65-74", "75+")]
    languages = ["Bengali", "Polish", "Somali", "Turkish"]
    for m, language in zip(other_language, languages, strict=False):
        support.set_support(db, m.number, clock, first_language=language, interpreter=language)
    for m in limited[:2]:
        support.set_support(db, m.number, clock, step_free=True, travel=True)
    if len(limited) > 2:
        support.set_support(db, limited[2].number, clock, interpreter="BSL")
    for m in carers[:3]:
        support.set_support(db, m.number, clock, childcare=True)
        support.add_expense(db, m.number, "childcare", 4_500, clock, "session 1 childminder")
    for m in older[:3]:
        support.set_support(db, m.number, clock, travel=True)
        support.add_expense(db, m.number, "travel", 1_240, clock, "taxi to session 1")
    if on_panel:
        support.set_support(
            db, on_panel[0].number, clock, other_needs="large-print papers a week ahead"
        )
