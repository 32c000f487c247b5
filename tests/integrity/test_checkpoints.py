"""The clerk's key and signed checkpoints from the command line: the key is private, a
checkpoint cannot be edited or signed by another key unnoticed, a broken log is never signed,
and a bad checkpoints file gets a plain message."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core.clock import FixedClock
from assembly.store import create_assembly
from tests.feedback.conftest import START, fill_log


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    clock = FixedClock(START)
    assembly = create_assembly(tmp_path / "log.assembly.db", name="Checkpoints", clock=clock)
    fill_log(assembly, clock)
    assembly.close()
    return tmp_path / "log.assembly.db"


def _run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_key_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "clerk.key"
    made = _run("log", "new-key", key)
    assert made.exit_code == 0 and "key id" in made.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    again = _run("log", "new-key", key)
    assert again.exit_code == 2 and "never overwritten" in again.output
    assert key.read_bytes() == before


def test_checkpoint_signs_size_head_and_time(log_path: Path, tmp_path: Path) -> None:
    key = tmp_path / "clerk.key"
    ident = _run("log", "new-key", key).output.split("key id ")[1].split(")")[0]
    out = tmp_path / "minutes.txt"
    made = _run("log", "checkpoint", log_path, "--key", key, "-o", out)
    assert made.exit_code == 0, made.output
    text = out.read_text()
    assert "entries: 9\n" in text and "head: " in text and "time: " in text
    ok = _run("log", "verify", log_path, "--checkpoints", out, "--key-id", ident)
    assert ok.exit_code == 0 and f"signed by key {ident}" in ok.output

    other = tmp_path / "other.key"
    _run("log", "new-key", other)
    forged = tmp_path / "forged.txt"
    assert _run("log", "checkpoint", log_path, "--key", other, "-o", forged).exit_code == 0
    pinned = _run("log", "verify", log_path, "--checkpoints", forged, "--key-id", ident)
    assert pinned.exit_code == 1 and "not the clerk's key" in pinned.output

    edited = tmp_path / "edited.txt"
    edited.write_text(text.replace("entries: 9", "entries: 8"))
    caught = _run("log", "verify", log_path, "--checkpoints", edited)
    assert caught.exit_code == 1 and "signature does not match" in caught.output


def test_a_broken_log_is_never_signed(log_path: Path, tmp_path: Path) -> None:
    import sqlite3

    key = tmp_path / "clerk.key"
    _run("log", "new-key", key)
    conn = sqlite3.connect(log_path, isolation_level=None)
    conn.execute("update feedback_items set response_days = 0.5")
    conn.close()
    refused = _run("log", "checkpoint", log_path, "--key", key)
    assert refused.exit_code == 1 and "cannot be signed" in refused.output


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("Minutes of the meeting, no checkpoint here.", "holds no checkpoint"),
        (
            "-----BEGIN ASSEMBLY LOG CHECKPOINT-----\nentries: 3\n"
            "-----END ASSEMBLY LOG CHECKPOINT-----\n",
            "copy it whole",
        ),
    ],
)
def test_a_bad_checkpoints_file_is_named_plainly(
    log_path: Path, tmp_path: Path, content: str, words: str
) -> None:
    bad = tmp_path / "minutes.txt"
    bad.write_text(content)
    result = _run("log", "verify", log_path, "--checkpoints", bad)
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    key = tmp_path / "not-a-key.pem"
    key.write_text("hello")
    result = _run("log", "checkpoint", log_path, "--key", key)
    assert result.exit_code == 2 and "not a signing key" in result.output
