"""Every screen of the app, each reached the way a user would have it, on the example assembly
with a live session under way, so layout checks and snapshots see screens that hold data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen

from assembly.core.clock import FixedClock
from assembly.demo import DEMO_START
from assembly.sessions import ideas as idea_store
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp

from .settle import settle

LIVE_SESSION = 3
# the third session's day, mid-morning: the story's sessions all lie in the past
CLOCK_AT = DEMO_START + timedelta(days=60, hours=1)


def start_live_session(path: Path, clock: FixedClock) -> None:
    """Session 3 running: its first item, one speaker, three waiting and four ideas."""
    assembly = open_assembly(path, clock=clock)
    db = assembly.db()
    s.next_item(db, LIVE_SESSION, clock)
    queue = SpeakerQueue(db, LIVE_SESSION, clock)
    members = [r[0] for r in db.execute("select id from members order by number limit 4")]
    for member in members:
        queue.add(member)
    queue.start(members[0])
    clock.advance(seconds=75)
    for n in range(4):
        idea_store.add_idea(
            db, session_id=LIVE_SESSION, text=f"Idea number {n + 1} from the room", clock=clock
        )
    assembly.close()


def make_app(path: Path, mode: str | None = "organiser") -> AssemblyApp:
    clock = FixedClock(CLOCK_AT)
    return AssemblyApp(open_assembly(path, clock=clock), mode=mode, clock=clock)


def _screen(module: str, name: str, *args, **kwargs) -> Callable[[], Screen]:
    def make() -> Screen:
        import importlib

        screen = getattr(importlib.import_module(f"assembly.{module}"), name)
        return screen(*args, **kwargs)

    return make


def _seeded() -> dict:
    """A fixed random generator for screens that draw lots (pairs to compare)."""
    import numpy as np

    return {"rng": np.random.default_rng(1)}


# (name, mode the app starts in, the screen pushed over it or None for the mode's home, keys
# pressed once it shows: a later tab of the screen, left open for the next entry)
SCREENS: list[tuple[str, str, Callable[[], Screen] | None, tuple[str, ...]]] = [
    ("organiser", "organiser", None, ()),
    ("pool", "organiser", _screen("organiser.screens.pool", "PoolBrowserScreen"), ()),
    ("import", "organiser", _screen("organiser.screens.pool_import", "PoolImportScreen"), ()),
    ("quotas", "organiser", _screen("organiser.screens.quotas", "QuotasScreen"), ()),
    ("draw", "organiser", _screen("organiser.screens.draw", "DrawScreen"), ()),
    ("members", "organiser", _screen("organiser.screens.members", "MembersScreen"), ()),
    ("feedback_log", "organiser", _screen("feedback.screens.editor", "FeedbackLogScreen"), ()),
    (
        "invitations",
        "organiser",
        _screen("invitations.screens.review", "RegistrationsScreen"),
        (),
    ),
    ("invitations_rates", "organiser", _screen("invitations.screens.rates", "RatesScreen"), ()),
    ("invitations_rates_ward", "organiser", None, ("w",)),
    ("budgets", "organiser", _screen("budgets.screens.budgets", "BudgetsScreen"), ()),
    ("budgets_projects", "organiser", None, ("2",)),
    ("budgets_ballots", "organiser", None, ("3",)),
    ("budgets_results", "organiser", None, ("4",)),
    (
        "budgets_projector",
        "organiser",
        _screen("budgets.screens.projector", "ProjectorScreen", 1),
        (),
    ),
    ("facilitator", "facilitator", None, ()),
    (
        "live_session",
        "facilitator",
        _screen("sessions.screens.run", "SessionRunScreen", LIVE_SESSION),
        (),
    ),
    (
        "attendance",
        "facilitator",
        _screen("sessions.screens.attendance", "AttendanceScreen", 1),
        (),
    ),
    ("ideas", "facilitator", _screen("sessions.screens.ideas", "IdeasScreen", 2), ()),
    ("agenda", "facilitator", _screen("agenda.screens.agenda", "AgendaScreen", **_seeded()), ()),
    (
        "agenda_votes",
        "facilitator",
        _screen("agenda.screens.agenda", "AgendaScreen", **_seeded()),
        ("2",),
    ),
    ("agenda_agenda", "facilitator", None, ("3",)),
    (
        "recommendations",
        "facilitator",
        _screen("agenda.screens.recommendations", "RecommendationsScreen"),
        (),
    ),
    ("tables", "facilitator", _screen("tables.screens.plan", "TablePlanScreen", 2), ()),
    ("scrutiny", "scrutiny", None, ()),
    ("scrutiny_items", "scrutiny", None, ("i",)),
    (
        "scrutiny_item",
        "scrutiny",
        _screen("feedback.screens.scrutiny_item", "ItemTimelineScreen", 1),
        (),
    ),
]


MODES = ("organiser", "facilitator", "scrutiny")


async def walk(
    path: Path, size: tuple[int, int], modes: tuple[str, ...] = MODES
) -> AsyncIterator[tuple[str, AssemblyApp, Pilot]]:
    """Each of `SCREENS` on `path`, mode by mode, yielded once it has settled (workers done,
    toasts cleared): the one walk the snapshots and the readability check share."""
    for mode in modes:
        app = make_app(path, mode)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            while len(app.screen_stack) > 1:  # a resumed live session opens over the home
                app.pop_screen()
                await pilot.pause()
            for name, screen_mode, make, keys in SCREENS:
                if screen_mode != mode:
                    continue
                if make is not None:
                    while len(app.screen_stack) > 1:
                        app.pop_screen()
                    await app.push_screen(make())
                    await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                await app.workers.wait_for_complete()
                await settle(app, pilot)
                app.clear_notifications()  # toasts time out: a slow run would differ
                yield name, app, pilot
