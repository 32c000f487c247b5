"""Demo part: a participatory budget after the assembly — the Hollowfield Neighbourhood Fund.

£40,000 for residents' own projects, shared by the Method of Equal Shares completed by Add1.
Residents propose fourteen projects (some anonymously); council officers review each for
feasibility (one is not feasible, with the reason; one's cost is revised after a survey);
some three hundred residents vote, most with voter codes at events and online, some on paper,
and two volunteers type every paper ballot in (one paper read differently by the two, settled
by a third entry). The round is counted, the ward councillors fund one more project with a
reason beside the count, and the funded projects go into the feedback log to be tracked.

Everything comes from the part's seed and the clock, so the round is the same every build.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from assembly.budgets import ballots, results, rounds
from assembly.core.clock import FixedClock
from assembly.core.money import show_money
from assembly.store import AssemblyFile, write_transaction

ORDER = 45
TEAM = "Neighbourhood fund team"
REVIEWER = "Council officers' panel"
DELIVERED_BY = "Neighbourhoods and Communities"
BUDGET_PENCE = 4_000_000
TOP_UP_PENCE = 500_000
TYPED_VOTERS = 296
PAPER_BALLOTS = 24
VOLUNTEERS = ("Priya Raman", "Sam Okoro")  # two volunteers type in every paper ballot
CHECKER = "Jo Adeyemi"  # the organiser who checks a paper the two read differently
MISREAD_PAPER = 17

AREAS = ("Wharf Green", "Eastgate", "Market Parade", "Canal Side", "Hollowfield Central")
# (title, cost in pounds, area, category, proposer or None for anonymous, how popular)
PROJECTS = [
    ("Wildflower meadow and benches in Canal Side Park", 6_500, 3, "Parks", "Maya Okafor", 1.3),
    ("A monthly repair café at Eastgate library", 3_200, 1, "Community", None, 1.0),
    (
        "Safer crossing outside St Anne's primary school",
        12_000,
        0,
        "Streets",
        "Parents of St Anne's",
        1.6,
    ),
    (
        "Youth music studio at the Market Parade youth club",
        9_800,
        2,
        "Young people",
        "Jordan Reyes",
        0.9,
    ),
    ("Street trees along Station Road", 8_400, 4, "Environment", None, 1.2),
    (
        "Community fridge at the Wharf Green tenants' hall",
        2_600,
        0,
        "Community",
        "Wharf Green Tenants' Association",
        0.8,
    ),
    ("Outdoor gym on Eastgate Common", 11_500, 1, "Health", "Dev Ramsay", 0.7),
    ("Covered cycle parking at Hollowfield station", 7_200, 4, "Transport", None, 0.8),
    ("Murals by local artists on the railway bridge", 4_800, 2, "Arts", "Sofia Marin", 1.0),
    ("Water refill fountains in three parks", 5_400, 3, "Parks", None, 0.9),
    (
        "Accessible toilet at Eastgate Common",
        15_000,
        1,
        "Access",
        "Hollowfield Disability Forum",
        1.1,
    ),
    (
        "Kitchen refit for the older residents' lunch club",
        6_900,
        0,
        "Older people",
        "Irene Walsh",
        0.9,
    ),
    ("Play area for under-fives in Market Parade square", 13_200, 2, "Play", None, 1.2),
    ("Solar lights on the canal towpath", 9_600, 3, "Safety", "Canal Side Residents' Group", 1.1),
]
NOT_FEASIBLE = (
    9,
    "The bridge belongs to Network Rail, which does not allow painting on its structures; "
    "the proposer has been offered the underpass wall instead, for next year's round.",
)
REVISED = (
    3,
    14_500,
    "A highways survey found the crossing needs dropped kerbs and tactile paving on both sides.",
)


def _ballots(
    rng: np.random.Generator, count: int, refs: list[str], areas: list[int], base: np.ndarray
) -> list[dict[str, int]]:
    """`count` residents' approval ballots: one to five projects each, the more popular and
    the nearer to home likelier. Drawn all at once (weighted sampling without replacement, by
    the Gumbel top-k trick), so the build stays quick."""
    homes = rng.integers(len(AREAS), size=count)
    sizes = rng.choice([1, 2, 3, 4, 5], size=count, p=[0.12, 0.2, 0.3, 0.22, 0.16])
    near = np.where(np.array(areas)[None, :] == homes[:, None], 2.2, 1.0)
    keys = np.log(base[None, :] * near) + rng.gumbel(size=(count, len(refs)))
    order = np.argsort(-keys, axis=1, kind="stable")
    return [{refs[int(i)]: 1 for i in sorted(order[n, : int(sizes[n])])} for n in range(count)]


def _days_later_at(clock: FixedClock, days: int, hour: int) -> None:
    """Move the clock on to `hour` o'clock (UTC) `days` days later: office work in office
    hours."""
    later = clock.current + timedelta(days=days)
    clock.current = later.replace(hour=hour, minute=0, second=0, microsecond=0)


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    # 1. The round is declared before the call for projects: budget, rule, ballot form.
    _days_later_at(clock, 3, 10)
    round_id = rounds.create_round(
        db,
        title="Hollowfield Neighbourhood Fund 2026",
        budget_pence=BUDGET_PENCE,
        rule="mes-add1",
        ballot_form="approval",
        min_projects=1,
        max_projects=5,
        tie_seed=str(int(rng.integers(100_000, 1_000_000))),
        clock=clock,
    )
    # 2. Residents propose projects over two weeks (those who left no name show as Anonymous).
    for title, pounds, area, category, proposer, _ in PROJECTS:
        clock.advance(hours=float(rng.integers(6, 30)))
        rounds.add_project(
            db,
            round_id,
            title=title,
            cost_pence=pounds * 100,
            area=AREAS[area],
            category=category,
            proposer=proposer,
            actor=TEAM,
            clock=clock,
        )
    # 3. Officers review each one for feasibility.
    _days_later_at(clock, 4, 9)
    for number in range(1, len(PROJECTS) + 1):
        clock.advance(minutes=25)
        if number == NOT_FEASIBLE[0]:
            status, reason, revised = "not_feasible", NOT_FEASIBLE[1], None
        elif number == REVISED[0]:
            status, reason, revised = "feasible", REVISED[2], REVISED[1] * 100
        else:
            status, reason, revised = "feasible", "", None
        rounds.review_project(
            db,
            round_id,
            str(number),
            status=status,
            reason=reason,
            revised_cost_pence=revised,
            actor=REVIEWER,
            clock=clock,
        )
    # 4. Two weeks of voting: voter codes at events and online, and paper ballots.
    _days_later_at(clock, 3, 9)
    rounds.open_voting(db, round_id, clock=clock)
    feasible = [p for p in rounds.list_projects(db, round_id) if p.status == "feasible"]
    refs = [p.ref for p in feasible]
    areas = [AREAS.index(p.area) for p in feasible]
    base = np.array([PROJECTS[int(p.ref) - 1][5] for p in feasible])
    marked = _ballots(rng, TYPED_VOTERS + PAPER_BALLOTS, refs, areas, base)
    gaps = rng.integers(20, 110, size=TYPED_VOTERS)
    with write_transaction(db):  # one write for the lot: the build stays quick
        for n, marks in enumerate(marked[:TYPED_VOTERS], start=1):
            clock.advance(minutes=float(gaps[n - 1]))
            ballots.cast_ballot(db, round_id, voter=f"HNF-{n:04d}", marks=marks, clock=clock)
        _days_later_at(clock, 1, 10)  # the paper ballots from the ballot boxes, typed in
        for paper, marks in enumerate(marked[TYPED_VOTERS:], start=1):
            for who in VOLUNTEERS:
                clock.advance(minutes=2)
                read = marks
                if paper == MISREAD_PAPER and who == VOLUNTEERS[1]:
                    # the second volunteer reads a stray mark as a tick (or, on a full
                    # ballot, misses the first tick)
                    extra = next(r for r in refs if r not in marks)
                    read = {**marks, extra: 1} if len(marks) < 5 else dict(list(marks.items())[1:])
                ballots.enter_paper(
                    db, round_id, paper=f"{paper:03d}", entered_by=who, marks=read, clock=clock
                )
        # the organiser checks the paper the two read differently, and types what it says
        clock.advance(minutes=30)
        ballots.enter_paper(
            db,
            round_id,
            paper=f"{MISREAD_PAPER:03d}",
            entered_by=CHECKER,
            marks=_marks_of_first_reading(db, round_id),
            clock=clock,
        )
    _days_later_at(clock, 1, 18)
    rounds.close_voting(db, round_id, clock=clock)
    # 5. The count, then one override with its reason, beside the computed outcome.
    _days_later_at(clock, 1, 10)
    results.count_round(db, round_id, actor=TEAM, clock=clock)
    outcome = results.published_result(db, round_id)
    left = BUDGET_PENCE - outcome.computed_spent_pence
    # the ward councillors can add up to TOP_UP_PENCE: the most supported project within reach
    waiting = sorted(
        (
            row
            for row in outcome.rows
            if row.status == "feasible"
            and not row.computed
            and row.cost_pence <= left + TOP_UP_PENCE
        ),
        key=lambda row: -(row.votes or 0),
    )
    _days_later_at(clock, 2, 14)
    if waiting:
        chosen = waiting[0]
        if chosen.cost_pence <= left:
            reason = (
                f"It fits in the {show_money(left)} the count left unspent, and it is the "
                "most supported project not funded."
            )
        else:
            reason = (
                f"The ward councillors' fund adds {show_money(chosen.cost_pence - left)} "
                f"to the {show_money(left)} the count left unspent, so the most supported "
                "project that sum could pay for goes ahead too."
            )
        results.override(
            db,
            round_id,
            chosen.ref,
            "fund",
            reason=reason,
            actor="Ward councillors",
            clock=clock,
        )
    # 6. The funded projects go into the feedback log, where their delivery is tracked.
    _days_later_at(clock, 1, 11)
    results.deliver(
        db,
        round_id,
        responsible_body=DELIVERED_BY,
        due=(clock.now() + timedelta(weeks=26)).date().isoformat(),
        actor=TEAM,
        clock=clock,
    )
    clock.advance(days=1)


def _marks_of_first_reading(db, round_id: int) -> ballots.Marks:
    (mismatch,) = ballots.paper_mismatches(db, round_id)
    return dict(mismatch.entries[0].marks)
