"""Random runs of a session keep the timers honest, and the file alone rebuilds the same state."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly.core.clock import FixedClock
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue, speaking_seconds
from assembly.store import open_assembly

from .conftest import START, build_panel

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["next", "extend", "pause", "stop"]), st.just(0)),
        st.tuples(st.sampled_from(["start", "add"]), st.integers(1, 12)),
        st.tuples(st.just("wait"), st.integers(1, 900)),
    ),
    max_size=30,
)


@cache
def _template() -> Path:
    """One panel file made once; each example works on a copy (making files is the slow part)."""
    path = Path(tempfile.mkdtemp()) / "template.db"
    build_panel(path, FixedClock(START)).close()
    return path


def _snapshot(db, sid: int, clock) -> dict:
    timers = {
        i.id: round(s.item_timer(db, i, clock).elapsed_seconds)
        for i in s.agenda(db, sid)
        if i.started_at
    }
    return {
        "status": s.get_session(db, sid).status,
        "speaking": {k: round(v) for k, v in speaking_seconds(db, sid, clock).items()},
        "items": timers,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_random_sessions_keep_their_invariants(actions) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.db"
        clock = FixedClock(START)
        shutil.copy(_template(), path)
        assembly = open_assembly(path, clock=clock)
        db = assembly.db()
        ids = dict(db.execute("select number, id from members").fetchall())
        sid = s.create_session(
            db,
            title="Random",
            clock=clock,
            items=[{"title": f"I{n}", "minutes": 10} for n in range(3)],
        )
        queue = SpeakerQueue(db, sid, clock)
        for action, arg in actions:
            before = _snapshot(db, sid, clock)
            try:
                if action == "next":
                    s.next_item(db, sid, clock)
                elif action == "extend":
                    s.extend_item(db, sid, clock)
                elif action == "pause":
                    s.toggle_pause(db, sid, clock)
                elif action == "stop":
                    queue.stop()
                elif action == "start":
                    queue.start(ids[arg])
                elif action == "add":
                    queue.add(ids[arg])
                else:
                    clock.advance(seconds=arg)
                    if before["status"] == "paused":
                        assert _snapshot(db, sid, clock) == before  # paused time counts for nobody
            except s.SessionError:
                pass
            session = s.get_session(db, sid)
            open_turns = db.execute(
                "select count(*) from speaking_turns where ended_at is null"
            ).fetchone()[0]
            running_items = sum(1 for i in s.agenda(db, sid) if i.state == "running")
            assert open_turns <= 1 and running_items <= 1
            assert (s.open_pause(db, sid) is not None) == (session.status == "paused")
            if session.started_at:
                active = s.active_seconds(
                    session.started_at, session.ended_at, s.pauses(db, sid), clock.now()
                )
                assert sum(speaking_seconds(db, sid, clock).values()) <= active + 1e-6
        state = _snapshot(db, sid, clock)
        assembly.close()
        reopened = open_assembly(path, clock=clock)
        try:
            assert _snapshot(reopened.db(), sid, clock) == state
        finally:
            reopened.close()
