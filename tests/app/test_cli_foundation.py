"""The `assembly` command: demo, new and open, with plain messages for bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main


def test_demo_no_open_writes_a_file_sqlite_can_read(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    result = subprocess.run(
        [sys.executable, "-m", "assembly", "demo", "--no-open", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from respondents").fetchone()[0] == 1500
    name = conn.execute("select value from assembly_info where key='name'").fetchone()[0]
    assert "High Streets and Climate" in name


def test_demo_is_the_same_every_time(tmp_path: Path) -> None:
    runner = CliRunner()
    dumps = []
    for name in ("a.db", "b.db"):
        assert runner.invoke(main, ["demo", "--no-open", str(tmp_path / name)]).exit_code == 0
        conn = sqlite3.connect(tmp_path / name)
        dumps.append(list(conn.execute("select ref, name, household, features from respondents")))
    assert dumps[0] == dumps[1]


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
