"""A consistent copy of an assembly file, safe while the app has it open.

Recent work sits in the `-wal` file beside the `.db` until SQLite checkpoints it, so copying the
`.db` alone can lose the last minutes. SQLite's backup API reads the database as one snapshot,
WAL included, and writes it to a new file: the copy opens on its own, anywhere.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from assembly.store.database import StoreError, open_assembly


class BackupError(StoreError):
    title = "The backup could not be made"


def backup_assembly(source: str | Path, copy: str | Path) -> Path:
    """Copy the assembly at `source` to `copy` (a new file, private to this user: 0600)."""
    source, copy = Path(source), Path(copy)
    if copy.exists():
        raise BackupError(f"{copy} already exists; choose a new name so nothing is overwritten.")
    if not copy.resolve().parent.is_dir():
        raise BackupError(f"The folder {copy.resolve().parent} does not exist.")
    open_assembly(source, read_only=True).close()  # a plain message for anything else
    handle, temporary = tempfile.mkstemp(dir=copy.resolve().parent, prefix=f".{copy.name}.")
    os.close(handle)
    os.chmod(temporary, 0o600)
    try:
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        writer = sqlite3.connect(temporary)
        try:
            reader.backup(writer)
            writer.execute("pragma journal_mode = delete")  # one self-contained file
        finally:
            writer.close()
            reader.close()
        os.link(temporary, copy)  # fails rather than overwrite a file made meanwhile
    except FileExistsError:
        raise BackupError(f"{copy} appeared while copying; nothing was overwritten.") from None
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"{source} could not be copied to {copy}: {error}.") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return copy
