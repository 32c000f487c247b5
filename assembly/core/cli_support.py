"""Plain errors for every `assembly` command: a message and an exit code, never a traceback.

Here rather than in `assembly.cli` so the areas' commands can use them without importing the
command that registers them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assembly.core.i18n import _, override_dir, use_working_language
from assembly.core.terminal import echo
from assembly.store import StoreError, open_assembly
from assembly.store.languages import working_language
from sortition.files import PRIVATE, write_atomic


def fail(message: str, code: int = 2) -> None:
    """Print a plain message to stderr and exit with `code` (no traceback)."""
    echo(_("Error: %(message)s", message=message), err=True)
    sys.exit(code)


def open_or_fail(path: str | Path, *, read_only: bool = False):
    """The assembly file a command works on; from here on the command's messages are in the
    file's working language (`assembly languages set FILE --working cy`)."""
    try:
        assembly = open_assembly(path, read_only=read_only)
        use_working_language(working_language(assembly.db()), override_dir(assembly.path))
    except StoreError as error:
        fail(str(error))
    return assembly


def write_text_or_fail(out: str, text: str) -> None:
    """Write an export, or say plainly why it could not be written (no traceback): a folder
    that does not exist, no permission, a full disk. Shared by every area's exports."""
    try:
        write_atomic(out, text, mode=PRIVATE)  # exports may name members: owner-only, 0600
    except OSError as error:
        fail(
            _(
                "Could not write %(file)s: %(reason)s. Nothing was written.",
                file=out,
                reason=error.strerror or str(error),
            )
        )
