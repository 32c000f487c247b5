"""Writing a file whole or not at all: the one atomic writer for the library and the app.

Results, bundles, quotas and exports are read by other people and programs; a half-written
file (a full disk, a crash, Ctrl-C) must never replace a good one. The text goes to a
temporary file beside the target, which is then renamed over it: a rename within one folder
is atomic, so readers see the old file or the new one. The temporary file is created with its
final permissions, owner-only (0600) by default, because most of these files list respondents
or members; pass `mode=0o644` for files meant to be shared.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE = 0o600
"""Readable and writable by the file's owner only: for anything naming people."""

SHARED = 0o644
"""Readable by everyone on the machine: for files with no personal data."""


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, mode: int = PRIVATE) -> Path:
    """Replace `path` with `data` (text as UTF-8, written exactly: no newline translation).

    The folder must exist. Raises OSError (the caller's message should name the file); on any
    error the target is left as it was and no temporary file stays behind. Returns the path.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
