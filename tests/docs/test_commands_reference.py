"""docs/commands.md documents every command and option (issue 25 item 17: about 30 options
were in `--help` and nowhere in the docs), because it is written from the program itself."""

from __future__ import annotations

from assembly.cli_reference import REFERENCE, reference


def test_the_command_reference_is_current() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference(), (
        "docs/commands.md is behind the program: run `python -m assembly.cli_reference`"
    )


def test_the_reference_holds_options_the_guides_never_mention() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for phrase in ("## assembly new", "--timezone", "## assembly vote list", "--rounding-seconds"):
        assert phrase in text
