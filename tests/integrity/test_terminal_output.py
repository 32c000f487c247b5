"""What people typed is shown by the command line, never obeyed by the terminal (issue 26).

A name holding escape codes, printed raw by `members list`, cleared the screen, set the window
title and wrote to the clipboard (OSC 52). click strips CSI sequences when output is not a
terminal, but lets OSC through, and on a terminal strips nothing. Every command that prints
user data goes through `assembly.core.terminal.echo`; these tests put hostile text in the file
the way an attacker with the file would (sqlite3), then read what the commands print, through
a pipe and under a real pseudo-terminal.
"""

from __future__ import annotations

import ast
import os
import pty
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core.clock import SystemClock
from assembly.core.terminal import shown
from assembly.organiser.draws import add_witness
from assembly.store import open_assembly

REPO = Path(__file__).resolve().parents[2]
# clear screen, window title, clipboard write, CSI in its one-byte C1 form, a bidi override,
# and a carriage return that would print "Mallory" over what came before it
HOSTILE = "\x1b[2J\x1b]0;owned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x9b31m\u202eevil\rMallory"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


def _plant(path: Path) -> None:
    """Hostile text in the fields the list commands print."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "update respondents set name = ? where id = "
            "(select respondent_id from members where number = 1)",
            [f"Olu {HOSTILE}"],
        )
        conn.execute("update topics set title = ? where id = 1", [f"Buses {HOSTILE}"])
        conn.execute("update sessions set title = ? where id = 1", [f"Welcome {HOSTILE}"])
    # `draw show` prints what the draw record holds, so the witness comes in through the app
    file = open_assembly(path)
    try:
        add_witness(file.db(), 1, f"Witness {HOSTILE}", "observer", SystemClock())
    finally:
        file.close()


def _assert_safe(output: str) -> None:
    for raw in RAW:
        assert raw not in output, (raw, output[:500])
    assert "\\x1b]52;c;" in output and "Mallory" in output  # shown, escaped


def test_the_printer_escapes_every_control_character() -> None:
    assert shown(HOSTILE) == (
        "\\x1b[2J\\x1b]0;owned\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07\\x9b31m\\u202eevil\\x0dMallory"
    )
    assert shown("tab\tand\nline breaks, café, 日本") == "tab\tand\nline breaks, café, 日本"
    assert shown(None) == ""


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["members", "list"], "Olu "),
        (["topics", "list"], "Buses "),
        (["session", "list"], "Welcome "),
        (["draw", "show"], "Witness "),
    ],
)
def test_commands_print_user_data_escaped(
    demo_path: Path, command: list[str], expected: str
) -> None:
    _plant(demo_path)
    result = CliRunner().invoke(main, [*command, str(demo_path)])
    assert result.exit_code == 0, result.output
    assert expected in result.output
    _assert_safe(result.output)


def test_errors_are_printed_escaped(tmp_path: Path) -> None:
    missing = tmp_path / f"no{HOSTILE}.db"
    result = CliRunner().invoke(main, ["members", "list", str(missing)])
    assert result.exit_code == 2
    _assert_safe(result.output)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_members_list_on_a_real_terminal(demo_path: Path) -> None:
    """Under a pseudo-terminal click strips nothing: only the printer stands in the way."""
    _plant(demo_path)
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "assembly", "members", "list", str(demo_path)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=REPO,
        env=dict(os.environ, TERM="xterm-256color"),
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the command has finished
            break
        if not chunk:
            break
        output.extend(chunk)
    os.close(master)
    assert process.wait(timeout=30) == 0
    text = output.decode("utf-8")
    assert "Olu " in text
    # the terminal itself turns "\n" into "\r\n" on output: those are its, not the data's
    _assert_safe(text.replace("\r\n", "\n"))


def test_members_list_through_a_pipe(demo_path: Path) -> None:
    _plant(demo_path)
    result = subprocess.run(
        [sys.executable, "-m", "assembly", "members", "list", str(demo_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    _assert_safe(result.stdout)


def _printing_calls(path: Path) -> list[str]:
    """Calls that print past the printer: click.echo/secho, print, sys.stdout/stderr.write."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name in ("click.echo", "click.secho", "print") or name.endswith(
            ("stdout.write", "stderr.write")
        ):
            found.append(f"{path.relative_to(REPO)}:{node.lineno}: {name}")
    return found


def test_every_command_prints_through_the_printer() -> None:
    files = [
        *sorted((REPO / "assembly").rglob("commands.py")),
        REPO / "assembly" / "cli.py",
        REPO / "assembly" / "core" / "cli_support.py",
    ]
    assert len(files) > 8
    found = [call for path in files for call in _printing_calls(path)]
    assert not found, "\n".join(found)
