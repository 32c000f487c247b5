"""A purge forgets for real, and files holding personal data are readable by their owner only."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assembly.store import scrub
from tests.imports.hostile import file_state, make_assembly, run

READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("begin")
conn.execute("select count(*) from respondents").fetchone()
print("reading", flush=True)
sys.stdin.read()
"""
# A read that ends by itself a second later (another command finishing its work).
BRIEF_READER = READER.replace("sys.stdin.read()", "import time; time.sleep(1.0); conn.commit()")


def _old_household_key(address: str, postcode: str) -> str:
    text = " ".join(f"{address}|{postcode}".casefold().replace(",", " ").split())
    return "a" + hashlib.sha256(text.encode()).hexdigest()[:16]


def test_household_keys_cannot_be_recomputed_from_addresses(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    with sqlite3.connect(path) as conn:
        rows = conn.execute("select address, postcode, household from respondents").fetchall()
    assert rows and all(h for _, _, h in rows)
    assert not any(h == _old_household_key(a, p) for a, p, h in rows)


def _names(path: Path) -> list[str]:
    """Names of respondents who are not members (and share no name with a member, with a
    witness of the draw: the example's 'Dr Rhys Davies' shares a name with a respondent, or
    with a registration of the example's invitations, which `invitations purge` removes)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "select name, id in (select respondent_id from members) from respondents"
        ).fetchall()
        witnesses = [w for (w,) in conn.execute("select name from draw_witnesses")]
        registered = {r for (r,) in conn.execute("select name from invitation_registrations")}
    kept = {name for name, member in rows if member} | registered
    return [
        name
        for name, member in rows
        if not member and name not in kept and not any(name in w for w in witnesses)
    ]


def test_purge_waits_for_a_read_that_ends_soon(demo_path: Path) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-c", BRIEF_READER, str(demo_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "reading"
        result = run("members", "purge", demo_path, "--yes")
    finally:
        reader.communicate(timeout=30)
    assert result.exit_code == 0, result.output
    assert "The file was vacuumed." in result.output


def test_purge_refuses_while_another_process_reads_then_forgets(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scrub, "WAIT_FOR_READERS_S", 0.3)  # not the real wait: it would hold
    names = _names(demo_path)
    assert len(names) > 50
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "reading"
        before = file_state(demo_path)
        result = run("members", "purge", demo_path, "--yes")
        assert result.exit_code == 2, result.output
        assert "reading it" in result.output and "vacuumed" not in result.output
        assert "Traceback" not in result.output
        assert file_state(demo_path) == before
    finally:
        reader.communicate("", timeout=30)
    result = run("members", "purge", demo_path, "--yes")
    assert result.exit_code == 0, result.output
    assert "The file was vacuumed." in result.output
    data = file_state(demo_path)
    assert not any(name.encode() in data for name in names if len(name) > 6)
    with sqlite3.connect(demo_path) as conn:
        left = conn.execute(
            "select count(*) from respondents where purged_at is not null "
            "and (household is not null or features != '{}')"
        ).fetchone()[0]
        counted = conn.execute("select count(*) from purged_feature_counts").fetchone()[0]
    assert left == 0 and counted > 0
    shown = run("pool", "show", demo_path)
    assert shown.exit_code == 0 and "respondents in the pool" in shown.output


def test_files_with_personal_data_are_owner_only(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_mode & 0o777 == 0o600
    from sortition.bundle import write_bundle

    bundle = tmp_path / "bundle.json"
    write_bundle(bundle, {"lottery": {"panels": [[0, 1]]}})
    assert bundle.stat().st_mode & 0o777 == 0o600
