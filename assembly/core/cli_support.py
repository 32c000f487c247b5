"""Plain errors for every `assembly` command: a message and an exit code, never a traceback.

Here rather than in `assembly.cli` so the areas' commands can use them without importing the
command that registers them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assembly.core.terminal import echo
from assembly.store import StoreError, open_assembly
from sortition.files import PRIVATE, write_atomic


def fail(message: str, code: int = 2) -> None:
    """Print a plain message to stderr and exit with `code` (no traceback)."""
    echo(f"Error: {message}", err=True)
    sys.exit(code)


def open_or_fail(path: str | Path, *, read_only: bool = False):
    try:
        return open_assembly(path, read_only=read_only)
    except StoreError as error:
        fail(str(error))


def write_text_or_fail(out: str, text: str) -> None:
    """Write an export, or say plainly why it could not be written (no traceback): a folder
    that does not exist, no permission, a full disk. Shared by every area's exports."""
    try:
        write_atomic(out, text, mode=PRIVATE)  # exports may name members: owner-only, 0600
    except OSError as error:
        fail(f"Could not write {out}: {error.strerror or error}. Nothing was written.")
