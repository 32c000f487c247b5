"""`assembly session list|new|show|export`: plain output, plain errors, no names in exports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from assembly.sessions import ideas
from assembly.sessions import sessions as s
from assembly.sessions.speakers import SpeakerQueue


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_list_show(panel_path: Path) -> None:
    path = str(panel_path)
    assert "No sessions yet" in run("session", "list", path).output
    made = run(
        "session",
        "new",
        path,
        "--title",
        "Session 1",
        "--starts",
        "2026-11-26 09:30",
        "--item",
        "20 Welcome",
        "--item",
        "15 break: Tea",
    )
    assert made.exit_code == 0, made.output
    assert "Planned session 1: Session 1 (2 agenda items)" in made.output
    listed = run("session", "list", path).output
    assert "planned" in listed and "Thu 26 Nov 2026, 09:30" in listed
    shown = run("session", "show", path, "1").output
    assert "1. Welcome [topic] 20 min → — (to come)" in shown
    assert "2. Tea [break] 15 min" in shown


def test_bad_input_gets_a_plain_message(panel_path: Path) -> None:
    bad_item = run("session", "new", str(panel_path), "--title", "X", "--item", "Welcome")
    assert bad_item.exit_code == 2 and "Agenda line 1 ('Welcome')" in bad_item.output
    bad_date = run("session", "new", str(panel_path), "--title", "X", "--starts", "tomorrow")
    assert bad_date.exit_code == 2 and "write them like 2026-11-26" in bad_date.output
    missing = run("session", "show", str(panel_path), "7")
    assert missing.exit_code == 2 and "no session number 7" in missing.output
    assert "Traceback" not in missing.output


def test_export_has_no_names(panel, panel_path: Path, tmp_path: Path) -> None:
    db, clock = panel.db, panel.clock
    sid = s.create_session(db, title="S", clock=clock, items=[{"title": "Talk", "minutes": 5}])
    s.start_session(db, sid, clock)
    SpeakerQueue(db, sid, clock).start(panel.member(1))
    clock.advance(seconds=60)
    ideas.add_idea(db, session_id=sid, text="Bus lanes", clock=clock, member_id=panel.member(1))
    s.finish_session(db, sid, clock)
    out = tmp_path / "s.json"
    result = run("session", "export", str(panel_path), str(sid), "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    record = json.loads(text)
    assert record["ideas"][0]["text"] == "Bus lanes"
    assert "member_number" not in record["ideas"][0]
    assert record["agenda"][0]["actual_seconds"] == 60
    assert record["equity"]["speaking_seconds"] == 60
    assert "Aisha" not in text and "Khan" not in text
    numbered = run(
        "session", "export", str(panel_path), str(sid), "--format", "csv", "--member-numbers"
    )
    assert "member_number" in numbered.output.splitlines()[0]
    assert ",1\n" in numbered.output.replace("\r\n", "\n") and "Aisha" not in numbered.output


def test_exports_to_a_missing_folder_say_so_without_a_traceback(panel_path: Path, tmp_path) -> None:
    """`session export --out` to a folder that does not exist printed a Python traceback
    (FileNotFoundError); so did `topics report --out` and `tables show --output`."""
    path = str(panel_path)
    assert run("session", "new", path, "--title", "S1", "--item", "10 Talk").exit_code == 0
    nowhere = str(tmp_path / "no such folder" / "out.json")
    for args in (
        ("session", "export", path, "1", "--out", nowhere),
        ("topics", "report", path, "--out", nowhere),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Could not write" in result.output and "No such file" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
