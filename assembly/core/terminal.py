"""The one printer for the command line: what people typed is shown, never obeyed, by the terminal.

Names, titles and ideas come from residents, survey tools and other people's files. Sent to a
terminal as they are, a few bytes clear the screen (`ESC [2J`), set the window title (`ESC ]0;`),
write to the clipboard (OSC 52) or hide text behind a carriage return. click strips CSI
sequences only when the output is not a terminal, and lets OSC through either way. So every
command prints through `echo` here, on a terminal and into a pipe alike, and every control
character is shown as an escape (`\\x1b`) instead: C0 controls but tab and line feed, DEL, C1
controls, and the invisible characters that reorder text on screen (bidirectional overrides,
isolates and marks, line and paragraph separators).

The shared reader refuses control characters in imported files already; this printer covers
what reached the file another way (typed in the app, or an older file).
"""

from __future__ import annotations

import re

import click

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """`text` with every control character written as an escape, safe to send to a terminal."""
    return _UNSAFE.sub(_escaped, "" if text is None else str(text))


def echo(message: object = "", *, nl: bool = True, err: bool = False) -> None:
    """`click.echo` of `message` as `shown` makes it: to stdout, or stderr with `err`."""
    click.echo(shown(message), nl=nl, err=err)
