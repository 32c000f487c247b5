"""`assembly backup FILE COPY`: a consistent copy of an assembly, even while the app runs."""

from __future__ import annotations

import sys

import click

from assembly.core.terminal import echo


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("copy", type=click.Path(dir_okay=False))
def backup_command(path: str, copy: str) -> None:
    """Copy the assembly at PATH to COPY, safely while the app has it open (a copy of the .db
    alone can miss the last minutes of work, still in its -wal file)."""
    from assembly.store import StoreError
    from assembly.store.backup import backup_assembly

    try:
        made = backup_assembly(path, copy)
    except StoreError as error:
        echo(f"Error: {error}", err=True)
        sys.exit(2)
    echo(f"Backed up {path} to {made.path} (readable only by you).")
    if not made.recorded:
        echo(
            f"The backup was not recorded in {path} (another program is changing it, or it "
            "cannot be written): a later purge will not list it among the copies that still "
            "hold personal data.",
            err=True,
        )


COMMANDS = [backup_command]
