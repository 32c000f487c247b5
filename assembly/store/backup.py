"""A consistent copy of an assembly file, safe while the app has it open.

Recent work sits in the `-wal` file beside the `.db` until SQLite checkpoints it, so copying the
`.db` alone can lose the last minutes. SQLite's backup API reads the database as one snapshot,
WAL included, and writes it to a new file: the copy opens on its own, anywhere.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assembly.core.clock import Clock, SystemClock, to_iso
from assembly.core.i18n import N_, _, ngettext
from assembly.store.database import StoreError, open_assembly, write_transaction


class BackupError(StoreError):
    title = N_("The backup could not be made")


@dataclass(frozen=True)
class Backup:
    """A backup the app made: where (absolute path) and when (UTC, ISO)."""

    path: Path
    made_at: str

    @property
    def exists(self) -> bool:
        return self.path.exists()


@dataclass(frozen=True)
class MadeBackup:
    """The copy made, and whether it was noted in the source file for a later purge to name."""

    path: Path
    recorded: bool


def backups_made(db: Database) -> tuple[Backup, ...]:
    """Every backup recorded in this file, oldest first."""
    return tuple(
        Backup(Path(path), made_at)
        for path, made_at in db.execute("select path, made_at from backups order by id")
    )


def backups_warning(backups: tuple[Backup, ...]) -> str:
    """What an organiser must know, after a purge, of the copies it cannot reach ("" if none)."""
    if not backups:
        return ""
    n = len(backups)
    lines = [
        ngettext(
            "%(num)s backup made before this purge still hold the personal data it removed; "
            "delete it, or keep it as safely as the file, for as long as you may:",
            "%(num)s backups made before this purge still hold the personal data it removed; "
            "delete them, or keep them as safely as the file, for as long as you may:",
            n,
        )
    ]
    lines += [
        "  "
        + (
            _("%(path)s (made %(made_at)s)", path=b.path, made_at=b.made_at)
            if b.exists
            else _(
                "%(path)s (made %(made_at)s; not found there now)", path=b.path, made_at=b.made_at
            )
        )
        for b in backups
    ]
    lines.append(_("Copies made other ways (a copied .db file, a cloud sync) are not listed."))
    return "\n".join(lines)


def backup_assembly(
    source: str | Path, copy: str | Path, *, clock: Clock | None = None
) -> MadeBackup:
    """Copy the assembly at `source` to `copy` (a new file, private to this user: 0600), and
    note the copy in `source`: a purge later removes personal data from the file but cannot
    reach its copies, so it names them. The copy stands even if the note cannot be written
    (another program holding the write lock, a read-only file): `recorded` says so."""
    source, copy = Path(source), Path(copy)
    if copy.exists():
        raise BackupError(
            _("%(path)s already exists; choose a new name so nothing is overwritten.", path=copy)
        )
    if not copy.resolve().parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.", folder=copy.resolve().parent))
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
        raise BackupError(
            _("%(path)s appeared while copying; nothing was overwritten.", path=copy)
        ) from None
    except (sqlite3.Error, OSError) as error:
        raise BackupError(
            _(
                "%(source)s could not be copied to %(copy)s: %(error)s.",
                source=source,
                copy=copy,
                error=error,
            )
        ) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return MadeBackup(copy, _record(source, copy, clock or SystemClock()))


def _record(source: Path, copy: Path, clock: Clock) -> bool:
    try:
        assembly = open_assembly(source, clock=clock)
    except StoreError:
        return False
    try:
        db = assembly.db()
        with write_transaction(db):
            db["backups"].insert({"path": str(copy.resolve()), "made_at": to_iso(clock.now())})
        return True
    except (StoreError, sqlite3.Error):
        return False
    finally:
        assembly.close()
