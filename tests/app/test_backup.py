"""`assembly backup FILE COPY`: a consistent copy while the app runs. Recent work sits in the
`-wal` file until SQLite checkpoints it, so a copy of the `.db` alone lost minutes of work; the
backup goes through SQLite's backup API and holds everything committed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main

WRITER = """
import sys
from assembly.store import open_assembly, write_transaction
from assembly.core.clock import SystemClock
a = open_assembly(sys.argv[1])
db = a.db()
db.execute("pragma wal_autocheckpoint = 0")
with write_transaction(db):
    db.execute("insert into organiser_settings (key, value) values ('practice', 'kept')")
print("written", flush=True)
sys.stdin.read()  # the app stays open until the test is done with it
"""


def test_backup_holds_work_still_in_the_wal(demo_path: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert writer.stdout.readline().strip() == "written"  # the app is still running
        plain = tmp_path / "plain.db"
        shutil.copy(demo_path, plain)  # what people did: the .db alone
        lost = (
            sqlite3.connect(plain)
            .execute("select count(*) from organiser_settings where key = 'practice'")
            .fetchone()[0]
        )
        copy = tmp_path / "backup.assembly.db"
        started = time.monotonic()
        result = CliRunner().invoke(main, ["backup", str(demo_path), str(copy)])
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 20
    finally:
        writer.kill()
        writer.wait()
    assert lost == 0  # the plain copy lost the work ...
    conn = sqlite3.connect(copy)
    assert conn.execute("select value from organiser_settings where key = 'practice'").fetchone()
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert (copy.stat().st_mode & 0o777) == 0o600
    assert str(copy) in result.output


def test_backup_refuses_to_overwrite_and_bad_files(demo_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "there.db"
    target.write_text("keep me")
    again = runner.invoke(main, ["backup", str(demo_path), str(target)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert target.read_text() == "keep me"
    bad = tmp_path / "pool.csv"
    bad.write_text("id\n1\n")
    refused = runner.invoke(main, ["backup", str(bad), str(tmp_path / "b.db")])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert not (tmp_path / "b.db").exists()
