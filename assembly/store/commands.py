"""`assembly backup FILE COPY`: a consistent copy of an assembly, even while the app runs."""

from __future__ import annotations

import click

from assembly.core.i18n import _
from assembly.core.terminal import echo


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("copy", type=click.Path(dir_okay=False))
def backup_command(path: str, copy: str) -> None:
    """Copy the assembly at PATH to COPY, safely while the app has it open (a copy of the .db
    alone can miss the last minutes of work, still in its -wal file)."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.store import StoreError
    from assembly.store.backup import backup_assembly

    open_or_fail(path, read_only=True).close()  # its messages in the file's working language
    try:
        made = backup_assembly(path, copy)
    except StoreError as error:
        fail(str(error))
    echo(_("Backed up %(path)s to %(copy)s (readable only by you).", path=path, copy=made.path))
    if not made.recorded:
        echo(
            _(
                "The backup was not recorded in %(path)s (another program is changing it, or it "
                "cannot be written): a later purge will not list it among the copies that still "
                "hold personal data.",
                path=path,
            ),
            err=True,
        )


COMMANDS = [backup_command]
