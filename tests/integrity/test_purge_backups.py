"""The purge names the backups made before it, which still hold the data it removes (issue 26:
a backup made before the purge still held all 190 purged people, and the purge said nothing)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _people_with_names(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from respondents where name is not null").fetchone()[0]


def test_the_purge_lists_earlier_backups(demo_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "before-1.db", tmp_path / "before-2.db"
    assert _run("backup", demo_path, first).exit_code == 0
    assert _run("backup", demo_path, second).exit_code == 0
    second.unlink()  # deleted since: still listed, marked as not found
    result = _run("members", "purge", demo_path, "--yes")
    assert result.exit_code == 0, result.output
    assert "Removed the personal data" in result.output
    assert "2 backups made before this purge" in result.output
    assert str(first) in result.output and "still hold" in result.output
    assert str(second) in result.output and "not found" in result.output
    # the fact the message states: the backup still has everyone the file no longer has
    assert _people_with_names(first) > _people_with_names(demo_path)


def test_no_backups_no_list(demo_path: Path) -> None:
    result = _run("members", "purge", demo_path, "--yes")
    assert result.exit_code == 0, result.output
    assert "backup" not in result.output.lower()


def test_a_backup_says_when_it_could_not_be_recorded(demo_path: Path, tmp_path: Path) -> None:
    """While another program holds the write lock the copy is still made (it only reads), but
    it cannot be noted in the file: the command says a later purge will not know of it."""
    holder = sqlite3.connect(demo_path)
    try:
        holder.execute("begin immediate")
        result = _run("backup", demo_path, tmp_path / "copy.db")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.db").exists()
    assert "not recorded" in result.output and "purge" in result.output
