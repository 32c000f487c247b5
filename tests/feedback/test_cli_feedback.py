"""`assembly log ...` and `assembly serve`: plain output, exit codes that scripts can use."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from assembly.core.clock import FixedClock
from assembly.feedback.commands import make_server, serve_command_line
from assembly.store import AssemblyFile

from .conftest import fill_log


def test_verify_ok_then_names_the_broken_entry(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    runner = CliRunner()
    ok = runner.invoke(main, ["log", "verify", str(empty_file.path)])
    assert ok.exit_code == 0 and "✓ Log intact: all 9 entries" in ok.output
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    conn.execute("drop trigger feedback_entries_no_update")
    conn.execute("update feedback_entries set reason = 'edited' where seq = 3")
    conn.close()
    broken = runner.invoke(main, ["log", "verify", str(empty_file.path)])
    assert broken.exit_code == 1
    assert "✗ Log broken at entry 3" in broken.output


def test_import_of_a_semicolon_file_in_the_logs_own_columns(
    empty_file: AssemblyFile, clock: FixedClock, tmp_path: Path
) -> None:
    """A spreadsheet that saved the export with semicolons is still this app's CSV, not a
    Decidim file; a refusal reads as sentences ("... Withdrawn. Nothing was imported.")."""
    ids = fill_log(empty_file, clock)
    runner = CliRunner()
    path = str(empty_file.path)
    semi = tmp_path / "semi.csv"
    semi.write_text(f"item_id;status;response\n{ids[2]};accepted;Yes, from January.\n")
    done = runner.invoke(main, ["log", "import", path, str(semi), "--actor", "Officer"])
    assert done.exit_code == 0 and "1 updated" in done.output, done.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"item_id;status\n{ids[3]};rejected\n")
    refused = runner.invoke(main, ["log", "import", path, str(wrong), "--actor", "Officer"])
    assert refused.exit_code == 2 and "Decidim" not in refused.output
    assert (
        "column status" in refused.output and "Withdrawn. Nothing was imported." in refused.output
    )


def test_export_edit_import_report(
    empty_file: AssemblyFile, clock: FixedClock, tmp_path: Path
) -> None:
    ids = fill_log(empty_file, clock)
    runner = CliRunner()
    path = str(empty_file.path)
    out = tmp_path / "items.csv"
    assert runner.invoke(main, ["log", "export", path, "-o", str(out)]).exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("item_id,title")
    edit = tmp_path / "responses.csv"
    edit.write_text(f"item_id,status,response\n{ids[2]},accepted,A repair café opens in January.\n")
    done = runner.invoke(main, ["log", "import", path, str(edit), "--actor", "Libraries officer"])
    assert done.exit_code == 0, done.output
    assert "1 updated" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_text(f"item_id,progress\n{ids[2]},200\n")
    refused = runner.invoke(main, ["log", "import", path, str(bad), "--actor", "x"])
    assert refused.exit_code == 2
    assert (
        "bad.csv, row 2, column progress" in refused.output
        and "Nothing was imported" in refused.output
    )
    report = runner.invoke(main, ["log", "report", path, "--format", "md", "--today", "2026-10-18"])
    assert report.exit_code == 0
    assert "A repair café opens in January." in report.output
    assert "Libraries officer" not in report.output
    html = tmp_path / "report.html"
    assert (
        runner.invoke(main, ["log", "report", path, "--format", "html", "-o", str(html)]).exit_code
        == 0
    )
    assert html.read_text().startswith("<!DOCTYPE html>")
    decidim = runner.invoke(main, ["log", "export", path, "--format", "decidim", "--locale", "cy"])
    assert decidim.output.splitlines()[0].startswith("id;title/cy;description/cy;status;progress")


def test_serve_runs_the_read_only_app_on_loopback(empty_file: AssemblyFile) -> None:
    command = shlex.split(serve_command_line(empty_file.path))
    assert command[1:4] == ["-m", "assembly", "open"]
    assert command[-1] == "--read-only" and Path(command[-2]).is_absolute()
    server = make_server(empty_file.path, "127.0.0.1", 8123)
    assert (server.host, server.port) == ("127.0.0.1", 8123)


def test_serve_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n")
    result = CliRunner().invoke(main, ["serve", str(bad)])
    assert result.exit_code == 2 and "not an assembly file" in result.output


def test_published_fingerprint_catches_a_recomputed_chain(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """A tamperer who rewrites an entry and recomputes every later hash leaves a valid chain;
    the fingerprint published earlier (in a report, say) still shows the rewrite."""
    from assembly.feedback.hashchain import row_hash

    fill_log(empty_file, clock)
    runner = CliRunner()
    path = str(empty_file.path)
    first = runner.invoke(main, ["log", "verify", path])
    expect = first.output.split("--expect ")[1].strip()
    assert runner.invoke(main, ["log", "verify", path, "--expect", expect]).exit_code == 0
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    for trigger in ("no_update", "chain_order"):
        conn.execute(f"drop trigger feedback_entries_{trigger}")
    rows = conn.execute("select * from feedback_entries order by seq").fetchall()
    prev = rows[1][8]  # entry 2's hash, untouched
    for seq, item, at, actor, kind, data, reason, _p, _h in rows[2:]:
        actor = "Someone else" if seq == 3 else actor
        digest = row_hash(prev, seq, item, at, actor, kind, data, reason)
        conn.execute(
            "update feedback_entries set actor = ?, prev_hash = ?, hash = ? where seq = ?",
            [actor, prev, digest, seq],
        )
        prev = digest
    conn.close()
    again = runner.invoke(main, ["log", "verify", path])
    assert again.exit_code == 0  # the chain alone cannot tell
    caught = runner.invoke(main, ["log", "verify", path, "--expect", expect])
    assert caught.exit_code == 1 and "does not match the published fingerprint" in caught.output
    bad = runner.invoke(main, ["log", "verify", path, "--expect", "nine"])
    assert bad.exit_code == 2 and "should look like" in bad.output


def test_report_states_whether_the_log_is_intact(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    fill_log(empty_file, clock)
    runner = CliRunner()
    path = str(empty_file.path)
    good = runner.invoke(main, ["log", "report", path, "--format", "html"])
    assert "✓ Log intact" in good.output and "Log fingerprint: entry 9, SHA-256" in good.output
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    conn.execute("drop trigger feedback_entries_no_update")
    conn.execute("update feedback_entries set reason = 'x' where seq = 2")
    conn.close()
    bad = runner.invoke(main, ["log", "report", path, "--format", "md"])
    assert "✗ Log broken at entry 2" in bad.output and "may not reflect" in bad.output


def test_track_ideas_command(empty_file: AssemblyFile) -> None:
    from .conftest import add_ideas

    add_ideas(empty_file, ["Benches", "Trees"])
    runner = CliRunner()
    path = str(empty_file.path)
    first = runner.invoke(main, ["log", "track-ideas", path, "--actor", "Organiser"])
    assert first.exit_code == 0 and "2 more ideas" in first.output
    again = runner.invoke(main, ["log", "track-ideas", path, "--actor", "Organiser"])
    assert "0 more ideas" in again.output
