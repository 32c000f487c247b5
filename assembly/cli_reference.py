"""docs/commands.md: every command's `--help`, written from the program itself.

As sqlite-utils does with cog: the reference cannot fall behind the program, because a test
compares the file with what this module writes (`python -m assembly.cli_reference` rewrites it).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from assembly.cli import main

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "commands.md"

HEADER = """# Every command and option

Written by `python -m assembly.cli_reference` from the program's own `--help`; a test fails
when it falls behind. The guides (organiser.md, agenda.md, …) say when to use each one, with
examples that the test suite runs.
"""  # not words


def commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path under `group`, groups before their commands, in name order."""
    yield path
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            sub = group.commands[name]
            if not sub.hidden:
                yield from commands(sub, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    """The `--help` of `assembly PATH...` at a fixed width, as a terminal of 100 columns shows it."""
    command: click.Command = main
    context = _context(main, "assembly", None)
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
        context = _context(command, name, context)
    return command.get_help(context)


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = {**command.context_settings, "terminal_width": 100, "max_content_width": 100}
    return click.Context(command, info_name=name, parent=parent, **settings)


def reference() -> str:
    parts = [HEADER]
    for path in commands(main):
        title = " ".join(("assembly", *path))
        parts.append(f"## {title}\n\n```text\n{help_text(path)}\n```\n")
    return "\n".join(parts)


def write(target: Path = REFERENCE) -> None:
    target.write_text(reference(), encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE)
