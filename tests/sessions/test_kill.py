"""Nothing lost: the real app, run in a pseudo-terminal, is killed with SIGKILL mid-session, and
the reopened file (and app) carries on with the same item, speaker, queue and ideas."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assembly.core.clock import FixedClock, SystemClock
from assembly.sessions import sessions as s
from assembly.sessions.ideas import session_ideas
from assembly.sessions.speakers import SpeakerQueue, current_turn
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp

REPO = Path(__file__).resolve().parents[2]
WAIT = 20.0

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # the real app in a pseudo-terminal
]


class Terminal:
    """The app in a real pseudo-terminal: keys go in as bytes, the screen output is collected."""

    def __init__(self, args: list[str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output.extend(chunk)

    def mark(self) -> int:
        with self._lock:
            return len(self.output)

    def wait_for_text(self, text: str, since: int = 0) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self._lock:
                if text.encode() in self.output[since:]:
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        tail = bytes(self.output[-2000:]).decode(errors="replace")
        raise AssertionError(f"the app never showed {text!r}; last output:\n{tail}")

    def keys(self, text: str) -> None:
        os.write(self.master, text.encode())

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


def wait_for_file(
    path: Path, query: str, check: Callable[[list[tuple]], bool], term: Terminal | None = None
) -> list[tuple]:
    """Poll the file (as another program would) until `check` passes on the query's rows."""
    deadline = time.monotonic() + WAIT
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        conn = sqlite3.connect(path, timeout=5)
        try:
            rows = conn.execute(query).fetchall()
        finally:
            conn.close()
        if check(rows):
            return rows
        time.sleep(0.05)
    screen = bytes(term.output[-3000:]).decode(errors="replace") if term else ""
    raise AssertionError(
        f"the file never showed the expected state for {query!r}: {rows}\n{screen}"
    )


async def test_killed_app_resumes_the_session_where_it_was(panel_path: Path) -> None:
    setup = open_assembly(panel_path, clock=SystemClock())
    sid = s.create_session(
        setup.db(),
        title="Kill test session",
        clock=setup.clock,
        items=[{"title": "Welcome", "minutes": 10}, {"title": "Buses", "minutes": 30}],
    )
    member_4 = setup.db().execute("select id from members where number = 4").fetchone()[0]
    member_3 = setup.db().execute("select id from members where number = 3").fetchone()[0]
    setup.close()

    term = Terminal(
        [sys.executable, "-m", "assembly", "open", str(panel_path), "--mode", "facilitator"]
    )
    try:
        term.wait_for_text("Kill test session")
        term.keys("\r")  # open the highlighted session
        term.wait_for_text("Press n to start")
        term.keys("n")  # start the session and its first item
        wait_for_file(
            panel_path,
            "select title from agenda_items where started_at is not null and ended_at is null",
            lambda rows: rows == [("Welcome",)],
        )
        for text, shown in (("4", "4 · Daniel Okafor"), ("chloe", "3 · Chloe Evans")):
            mark = term.mark()
            term.keys("a")
            term.wait_for_text("part of a name", since=mark)
            mark = term.mark()
            term.keys(text)  # type, see the match, then Enter, as a person would
            term.wait_for_text(shown, since=mark)
            term.keys("\r")
            wait_for_file(
                panel_path,
                "select count(*) from speaker_queue where left_at is null",
                lambda rows, text=text: rows[0][0] == (1 if text == "4" else 2),
                term,
            )
        wait_for_file(
            panel_path,
            "select member_id from speaker_queue where left_at is null order by id",
            lambda rows: rows == [(member_4,), (member_3,)],
            term,
        )
        term.keys("s")  # Daniel (member 4) starts speaking
        wait_for_file(
            panel_path,
            "select member_id from speaking_turns where ended_at is null",
            lambda rows: rows == [(member_4,)],
        )
        mark = term.mark()
        term.keys("i")
        term.wait_for_text("in a sentence", since=mark)
        term.keys("Bus lanes on Market Parade\r")
        wait_for_file(
            panel_path,
            "select text, member_id from ideas",
            lambda rows: rows == [("Bus lanes on Market Parade", member_4)],
        )
    finally:
        term.kill()  # SIGKILL: no clean shutdown, no chance to save anything more
    assert term.process.returncode == -signal.SIGKILL

    # The file alone holds the session as it was.
    reopened = open_assembly(panel_path, clock=SystemClock())
    db = reopened.db()
    assert s.get_session(db, sid).status == "running"
    item = s.current_item(db, sid)
    assert item.title == "Welcome"
    turn = current_turn(db, sid)
    assert turn is not None and turn.member_id == member_4 and turn.agenda_item_id == item.id
    waiting = SpeakerQueue(db, sid, reopened.clock).entries()
    assert [e.member.number for e in waiting] == [3]
    (idea,) = session_ideas(db, sid)
    assert (idea.text, idea.agenda_item_id, idea.member_id) == (
        "Bus lanes on Market Parade",
        item.id,
        member_4,
    )

    # The app reopens straight into the running session and carries on: with no mode asked
    # for, as `assembly open FILE` does (it opened Organiser after a kill -9)
    clock = FixedClock(SystemClock().now())
    reopened.clock = clock
    app = AssemblyApp(reopened, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "SessionRunScreen"
        assert "Welcome" in str(screen.query_one("#item-title", Static).render())
        assert "Daniel Okafor" in str(screen.query_one("#speaker-name", Static).render())
        ideas_table = screen.query_one("#ideas", DataTable)
        assert ideas_table.row_count == 1
        await pilot.press("s")  # stop Daniel
        await pilot.pause()
        assert current_turn(db, sid) is None
        await pilot.press("s")  # Chloe, still in the queue, speaks next
        await pilot.pause()
        assert current_turn(db, sid).member_id == member_3
