"""`assembly session list|show` in the working language (issue 22): a session's status, an
item's kind and its state are stored in English and shown in the file's language."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from assembly.core import i18n
from assembly.sessions import sessions as s


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _two_sessions(panel) -> None:
    """Session 1 finished (its first item done, the second never started); session 2 planned,
    one item of each kind."""
    db, clock = panel.db, panel.clock
    first = s.create_session(
        db,
        title="Opening",
        clock=clock,
        items=[{"title": "Hello", "minutes": 5, "kind": "welcome"}, {"title": "Tea", "minutes": 5}],
    )
    s.start_session(db, first, clock)
    s.finish_session(db, first, clock)
    kinds = ("topic", "break", "evidence", "witness", "welcome", "other")
    s.create_session(
        db,
        title="Second",
        clock=clock,
        items=[{"title": f"Item {kind}", "minutes": 5, "kind": kind} for kind in kinds],
    )


def test_statuses_kinds_and_states_read_as_before_in_english(panel, panel_path: Path) -> None:
    _two_sessions(panel)
    listed = run("session", "list", str(panel_path))
    assert "  1  finished " in listed and "  2  planned  " in listed
    shown = run("session", "show", str(panel_path), "1")
    assert "Opening — finished" in shown
    assert "1. Hello [welcome] 5 min → " in shown and "(done)" in shown
    assert "2. Tea [topic] 5 min → — (to come)" in shown


def test_statuses_kinds_and_states_are_looked_up(panel, panel_path: Path) -> None:
    _two_sessions(panel)
    path = str(panel_path)
    run("languages", "set", path, "--working", i18n.PSEUDO)
    listed = run("session", "list", path)
    for status in ("finished", "planned"):
        assert i18n.pseudo(status) in listed
    assert " finished " not in listed and " planned " not in listed
    first = run("session", "show", path, "1")
    assert f"({i18n.pseudo('done')})" in first and f"({i18n.pseudo('to come')})" in first
    second = run("session", "show", path, "2")
    for kind in ("topic", "break", "evidence", "witness", "welcome", "other"):
        assert f"[{i18n.pseudo(kind)}]" in second
        assert f"[{kind}]" not in second
    assert "(to come)" not in second
