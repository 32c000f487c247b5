"""Command line: `python -m sortition COMMAND ...`, one module per group of commands.

`sortition.cli.select`: select, draw and pick (a lottery, its numbered panels, the public
draw); `sortition.cli.check`: quotas, check and verify (before and after a draw);
`sortition.cli.replace`: replace (members who dropped out).

Exit codes: 0 success, 1 a check failed (the quotas cannot be met, a bundle that does not
verify, no possible replacement), 2 bad input or usage. Messages go to stderr in plain
language; results hold pseudonymous ids only (no names, contacts or features).
"""

from __future__ import annotations

import click

from sortition.cli import check, replace, select


@click.group()
def main() -> None:
    """Fair selection of citizens' panels (LEXIMIN by default)."""


for _command in (*select.COMMANDS, *check.COMMANDS, *replace.COMMANDS):
    main.add_command(_command)
