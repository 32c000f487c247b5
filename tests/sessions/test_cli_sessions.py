"""`assembly session list|new|show|idea|export`: plain output, plain errors, no names in exports."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
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


def _report_of(panel_path: Path) -> str:
    """The published "you said, we did" page once the file's ideas are in the log."""
    from datetime import date

    from assembly.core.clock import FixedClock
    from assembly.feedback import reports, writes
    from assembly.store import open_assembly

    from .conftest import START

    assembly = open_assembly(panel_path)
    try:
        db = assembly.db()
        writes.track_ideas(db, actor="Assembly organiser", clock=FixedClock(START))
        return reports.to_html(reports.build_report(db, date(2026, 12, 1)))
    finally:
        assembly.close()


def test_an_idea_recorded_in_urdu_runs_right_to_left_in_the_report(panel_path: Path) -> None:
    """Issue 22: the facilitator says which language a resident's idea was said in; the report
    marks it so a screen reader reads it in that voice, right to left for Urdu."""
    path = str(panel_path)
    assert run("session", "new", path, "--title", "S1", "--item", "10 Talk").exit_code == 0
    said = run("session", "idea", path, "1", "پارک میں مزید بینچ", "--lang", "ur")
    assert said.exit_code == 0, said.output
    assert "Recorded idea 1 in session 1 (Urdu)." in said.output
    by_name = run("session", "idea", path, "1", "Więcej ławek", "--lang", "Polish")
    assert by_name.exit_code == 0, by_name.output
    typed = run("session", "idea", path, "1", "More benches")
    assert typed.exit_code == 0, typed.output
    assembly_db = sqlite3.connect(panel_path)
    assert assembly_db.execute("select text, language from ideas order by id").fetchall() == [
        ("پارک میں مزید بینچ", "ur"),
        ("Więcej ławek", "pl"),
        ("More benches", "en-GB"),  # blank: the assembly's working language
    ]
    page = _report_of(panel_path)
    marks = re.findall(r"<bdi([^>]*)>پارک میں مزید بینچ</bdi>", page)
    assert marks == [' lang="ur" dir="rtl"'] * 2, page
    assert re.findall(r"<bdi([^>]*)>More benches</bdi>", page) == ["", ""]


@pytest.mark.parametrize("lang", ["klingon", "??", "en GB pl"])
def test_an_unknown_language_is_refused_and_nothing_is_written(panel_path: Path, lang) -> None:
    path = str(panel_path)
    assert run("session", "new", path, "--title", "S1").exit_code == 0
    result = run("session", "idea", path, "1", "Benches", "--lang", lang)
    assert result.exit_code == 2, result.output
    assert "is not a language" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    conn = sqlite3.connect(panel_path)
    assert conn.execute("select count(*) from ideas").fetchone() == (0,)


def test_an_idea_for_a_session_that_does_not_exist_is_refused(panel_path: Path) -> None:
    result = run("session", "idea", str(panel_path), "7", "Benches")
    assert result.exit_code == 2 and "no session number 7" in result.output
    assert "Traceback" not in result.output
