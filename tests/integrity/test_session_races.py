"""Session moves from two screens at the same moment (a facilitator's laptop and the one by the
projector): each press is applied in turn, never both to the same state."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.integrity.conftest import assert_plain, run_python_at_once


def _cli(*args: str) -> None:
    from assembly.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args), standalone_mode=True)
    assert exit_info.value.code in (0, None), args


def _script(path: Path, call: str) -> str:
    return (
        "from assembly.sessions import sessions\n"
        "from assembly.sessions.sessions import SessionError\n"
        "from assembly.store import open_assembly\n"
        f"a = open_assembly({str(path)!r})\n"
        "# --- at once ---\n"
        "try:\n"
        f"    sessions.{call}(a.db(), 1, a.clock)\n"
        "except SessionError as error:\n"
        "    print('refused:', error)\n"
    )


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "session.assembly.db"
    _cli("new", str(path), "--no-open")
    items = [
        "--item",
        "10 Welcome",
        "--item",
        "20 Buses",
        "--item",
        "20 Trees",
        "--item",
        "5 Close",
    ]
    _cli("session", "new", str(path), "--title", "Evening one", *items)
    return path


def _copy(source: Path, target: Path) -> None:
    """A whole copy, including what still sits in the source's write-ahead log."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _started(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "select detail from session_events where kind = 'item_started' order by id"
        ).fetchall()
    return [json.loads(r[0])["item"] for r in rows]


TRIALS = 1  # deterministic: the test holds the write lock while the presses check


def test_next_pressed_on_two_screens_at_once_moves_on_one_item_each(
    session_file: Path, tmp_path: Path
) -> None:
    for trial in range(TRIALS):
        path = tmp_path / f"next{trial}.assembly.db"
        _copy(session_file, path)
        outcomes = run_python_at_once([_script(path, "next_item")] * 3, tmp_path, hold=path)
        assert_plain(outcomes)
        assert all(o.code == 0 for o in outcomes), [o.err for o in outcomes]
        started = _started(path)
        assert len(started) == len(set(started)) == 3, started  # no item started twice
        with sqlite3.connect(path) as conn:
            running = conn.execute(
                "select count(*) from agenda_items where started_at is not null "
                "and ended_at is null"
            ).fetchone()[0]
        assert running == 1


def test_pause_pressed_on_two_screens_at_once_pauses_once(
    session_file: Path, tmp_path: Path
) -> None:
    from assembly.sessions import sessions
    from assembly.store import open_assembly

    assembly = open_assembly(session_file)
    sessions.start_session(assembly.db(), 1, assembly.clock)
    assembly.close()
    for trial in range(TRIALS):
        path = tmp_path / f"pause{trial}.assembly.db"
        _copy(session_file, path)
        outcomes = run_python_at_once([_script(path, "pause_session")] * 3, tmp_path, hold=path)
        assert_plain(outcomes)
        refused = [o for o in outcomes if "refused" in o.out]
        assert len(refused) == 2, [o.out + o.err for o in outcomes]
        with sqlite3.connect(path) as conn:
            assert conn.execute("select count(*) from session_pauses").fetchone()[0] == 1
