"""The `assembly` command: demo, new and open, with plain messages for bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from tests.agenda.test_demo_part import agenda_rows

# Tables whose every row must come out the same from one build of the example to the next.
DETERMINISTIC_TABLES = [
    "respondents",
    "quotas",
    "members",
    "sessions",
    "agenda_items",
    "ideas",
    "topics",
    "table_seats",
    "feedback_entries",
]


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: list(conn.execute(f"select * from {t} order by 1")) for t in DETERMINISTIC_TABLES
        }
    finally:
        conn.close()


@pytest.mark.slow  # builds the example in a real process
def test_demo_without_a_terminal_writes_the_same_file_and_says_how_to_open_it(
    tmp_path: Path, _demo_master: Path
) -> None:
    """The one whole build in another process: from a script or a pipe (no terminal, so no
    app), `assembly demo` writes the example, says how to open it, and the file is the one
    the tests' own build made, row for row."""
    result = subprocess.run(
        [sys.executable, "-m", "assembly", "demo", "x.assembly.db"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "assembly open x.assembly.db" in result.stdout
    path = tmp_path / "x.assembly.db"
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from respondents").fetchone()[0] == 1500
    name = conn.execute("select value from assembly_info where key='name'").fetchone()[0]
    assert "High Streets and Climate" in name
    conn.close()
    # Built in another process at another moment, the example is still the same one.
    built_here, built_there = _dump(_demo_master), _dump(path)
    for table in DETERMINISTIC_TABLES:
        assert built_here[table], f"the example has no {table}"
        assert built_here[table] == built_there[table], f"{table} differs between builds"
    assert agenda_rows(_demo_master) == agenda_rows(path)


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "n.db"
    assert runner.invoke(main, ["new", "--no-open", str(path)]).exit_code == 0
    again = runner.invoke(main, ["new", "--no-open", str(path)])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_open_bad_file_gives_message_not_traceback(tmp_path: Path) -> None:
    path = tmp_path / "pool.csv"
    path.write_text("id,name\n1,Ann\n")
    result = CliRunner().invoke(main, ["open", str(path)])
    assert result.exit_code == 2
    assert "not an assembly file" in result.output
    assert "Traceback" not in result.output


def test_demo_opens_the_app_at_once_on_the_building_screen(tmp_path: Path, monkeypatch) -> None:
    """The app starts before the example exists, on the screen that builds it (which then opens
    the file on the real clock: tests/ui/test_demo_building.py)."""
    from assembly import cli
    from assembly.demo.screens.building import DemoBuildScreen
    from assembly.ui.app import AssemblyApp

    started = []
    monkeypatch.setattr(AssemblyApp, "run", lambda self, **kw: started.append(self))
    monkeypatch.setattr(cli, "has_terminal", lambda: True)  # CliRunner's streams are not one
    path = tmp_path / "d.db"
    result = CliRunner().invoke(main, ["demo", str(path)])
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    preparing = started[0]._preparing
    assert isinstance(preparing, DemoBuildScreen) and preparing.path == path
    assert not path.exists()  # the build runs inside the app, not before it
