"""Opening an assembly file: checks, upgrades, read-only mode and one connection per thread.

A sqlite-utils `Database` is bound to the thread that made it, so `AssemblyFile.db()` hands each
thread (the UI, each worker) its own connection to the same file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from assembly.core.clock import Clock, SystemClock, to_iso
from assembly.core.i18n import N_, _
from assembly.store import migrations

APPLICATION_ID = 0x41534D42  # "ASMB": marks a SQLite file as an assembly file
BUSY_TIMEOUT_MS = 3000
T = TypeVar("T")


class StoreError(Exception):
    """A problem with the assembly file, worded for the person who chose it."""

    title = N_("Cannot open the assembly file")

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.title = _(type(self).title)  # in the working language, as the message is


class NotAnAssembly(StoreError):
    pass


class AssemblyLocked(StoreError):
    title = N_("The assembly file is busy")


class ReadOnlyFile(StoreError):
    title = N_("The assembly file cannot be changed")


class NewerVersion(StoreError):
    title = N_("The assembly file is from a newer version")


def read_only_fallback(path: Path) -> str:
    """How to read `path` when SQLite cannot open it with `mode=ro`: "immutable", or a
    `StoreError` saying plainly why it cannot be reviewed.

    In a folder nobody may write (a read-only share, a CD, a locked-down review folder) SQLite
    cannot make the file's `-shm` companion, so `mode=ro` fails. Read as immutable, the file is
    then taken as it stands, which is exactly right unless changes still wait in a `-wal`
    companion: those would be silently missed, so that case is refused instead.
    """
    import os

    if not os.access(path, os.R_OK):
        raise StoreError(
            _(
                "%(path)s cannot be read: you do not have permission to open it. Ask whoever "
                "gave it to you for a copy you can read.",
                path=path,
            )
        )
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ReadOnlyFile(
            _(
                "%(path)s cannot be reviewed where it is: its latest changes are still in "
                "%(wal)s beside it, and SQLite can only read those from a folder it may write "
                "to. Copy both files to a folder you can write to and open the copy, or ask the "
                "sender to close the app first so the changes are saved into the file itself.",
                path=path,
                wal=wal.name,
            )
        )
    return "immutable"


def _cannot_open(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "unable to open" in text or "readonly" in text or "read-only" in text


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """`mode=ro`, or for a file in a folder that cannot be written, `immutable=1` (see
    `read_only_fallback`)."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as error:
        conn.close()
        if not _cannot_open(error):
            raise
        read_only_fallback(path)
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=True)


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = _connect_read_only(path)
        conn.execute("pragma query_only = 1")
    else:
        conn = sqlite3.connect(str(path), check_same_thread=True)
    conn.isolation_level = None  # transactions are explicit: write_transaction / db.atomic
    conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("pragma foreign_keys = on")
    return conn


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One all-or-nothing write. BEGIN IMMEDIATE takes the write lock up front, so two processes
    writing at once queue up instead of failing halfway; nested calls become savepoints."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise _explain_operational(error, None) from error
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")


def atomic(fn: Callable[..., T]) -> Callable[..., T]:
    """Run `fn(db, ...)` whole inside one `write_transaction`: its checks and its writes see the
    same state, so of two programs doing it at once the second sees what the first did."""

    @functools.wraps(fn)
    def wrapper(db: Database, *args: Any, **kwargs: Any) -> T:
        with write_transaction(db):
            return fn(db, *args, **kwargs)

    return wrapper


def explain_sqlite_error(error: sqlite3.Error) -> StoreError:
    """A plain StoreError for any SQLite error that reached a command (never a traceback)."""
    if isinstance(error, sqlite3.IntegrityError):
        return StoreError(
            _(
                "The change was refused because it conflicts with what is already in the file "
                "(perhaps another program saved the same change a moment earlier): %(error)s. "
                "Nothing was changed.",
                error=error,
            )
        )
    if isinstance(error, sqlite3.OperationalError):
        return _explain_operational(error, None)
    return StoreError(_("The assembly file could not be read or written: %(error)s.", error=error))


def _explain_operational(error: sqlite3.OperationalError, path: Path | None) -> StoreError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:  # SQLite's own words, in English
        return AssemblyLocked(
            _(
                "%(path)s is being changed by another program (perhaps the app is open in "
                "another window). Close it there, or wait a moment, and try again. Nothing was "
                "changed.",
                path=path,
            )
            if path
            else _(
                "The assembly file is being changed by another program (perhaps the app is open "
                "in another window). Close it there, or wait a moment, and try again. Nothing "
                "was changed."
            )
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyFile(
            _(
                "%(path)s is read-only (opened for review, or the file or folder does not allow "
                "changes). Nothing was changed.",
                path=path,
            )
            if path
            else _(
                "The assembly file is read-only (opened for review, or the file or folder does "
                "not allow changes). Nothing was changed."
            )
        )
    if path:
        return StoreError(f"{path}: {error}")
    return StoreError(_("The assembly file: %(error)s", error=error))


@dataclass
class AssemblyFile:
    """An opened assembly: its path, whether it may be changed, and per-thread connections."""

    path: Path
    read_only: bool = False
    clock: Clock = field(default_factory=SystemClock)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _all: list[Database] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def db(self) -> Database:
        """This thread's connection (made on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = Database(_connect(self.path, self.read_only))
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                with contextlib.suppress(Exception):
                    db.close()
            self._all.clear()
        self._local = threading.local()

    @property
    def name(self) -> str:
        row = self.db().execute("select value from assembly_info where key = 'name'").fetchone()
        return row[0] if row else self.path.stem

    @property
    def timezone(self) -> str:
        row = self.db().execute("select value from assembly_info where key = 'timezone'").fetchone()
        return row[0] if row else "Europe/London"  # not words


def _check_is_assembly(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("pragma application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    except sqlite3.DatabaseError as error:
        if "locked" in str(error).lower():
            raise _explain_operational(error, path) from error
        if _cannot_open(error):
            raise StoreError(
                _(
                    "%(path)s could not be opened (%(error)s): check that you may read it and, "
                    "unless you open it for review (--read-only), that you may write to its "
                    "folder.",
                    path=path,
                    error=error,
                )
            ) from error
        raise NotAnAssembly(_not_sqlite(path)) from error
    if app_id != APPLICATION_ID and not (app_id == 0 and not tables):
        raise NotAnAssembly(
            _(
                "%(path)s is a SQLite database but not an assembly file. "
                "Choose a file made by 'assembly new' or 'assembly demo'.",
                path=path,
            )
        )


def _not_sqlite(path: Path) -> str:
    return _(
        "%(path)s is not an assembly file (it is not a SQLite database). "
        "Choose a file made by 'assembly new' or 'assembly demo'.",
        path=path,
    )


def open_assembly(
    path: str | Path, *, read_only: bool = False, clock: Clock | None = None
) -> AssemblyFile:
    """Open an existing assembly file, upgrading its schema unless `read_only`.

    Raises a `StoreError` subclass with a plain message for a missing file, a file that is not an
    assembly, one from a newer version, one locked by another writer, or one that cannot be written.
    """
    path = Path(path)
    clock = clock or SystemClock()
    if not path.exists():
        raise StoreError(
            _(
                "There is no file at %(path)s. Check the name, or make one with 'assembly new'.",
                path=path,
            )
        )
    if path.is_dir():
        raise NotAnAssembly(_("%(path)s is a folder, not an assembly file.", path=path))
    try:
        conn = _connect(path, read_only=bool(read_only))
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError):
            raise _explain_operational(error, path) from error
        raise NotAnAssembly(_not_sqlite(path)) from error
    except sqlite3.Error as error:
        raise _explain_operational(error, path) from error
    try:
        _check_is_assembly(conn, path)
        if conn.execute("pragma application_id").fetchone()[0] != APPLICATION_ID:
            raise NotAnAssembly(
                _(
                    "%(path)s is empty, not an assembly file. Use 'assembly new' to start one.",
                    path=path,
                )
            )
        db = Database(conn)
        unknown = migrations.unknown_numbers(db)
        if unknown:
            raise NewerVersion(
                _(
                    "%(path)s was written by a newer version of this app (it has schema changes "
                    "%(changes)s this version does not know). Update the app to open it; "
                    "the file was not changed.",
                    path=path,
                    changes=sorted(unknown),
                )
            )
        if migrations.pending(db):
            if read_only:
                raise ReadOnlyFile(
                    _(
                        "%(path)s needs upgrading to this version before it can be reviewed. "
                        "Open it once normally (assembly open) to upgrade it.",
                        path=path,
                    )
                )
            if not _writable(path):
                raise ReadOnlyFile(
                    _(
                        "%(path)s needs upgrading, but the file or its folder does not allow "
                        "changes.",
                        path=path,
                    )
                )
            try:
                migrations.apply_pending(db, to_iso(clock.now()))
            except sqlite3.OperationalError as error:
                raise _explain_operational(error, path) from error
        elif not read_only:
            _check_writable_now(conn, path)
    finally:
        conn.close()
    return AssemblyFile(path=path, read_only=read_only, clock=clock)


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK) and os.access(path.parent.resolve(), os.W_OK)


def _check_writable_now(conn: sqlite3.Connection, path: Path) -> None:
    """Fail at open, not at the first save, when another writer holds the file or it is read-only."""
    if not _writable(path):
        raise ReadOnlyFile(
            _(
                "%(path)s cannot be changed: the file or its folder is read-only. "
                "Open it for review with --read-only, or copy it somewhere you can write.",
                path=path,
            )
        )
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        raise _explain_operational(error, path) from error


def create_assembly(
    path: str | Path,
    *,
    name: str,
    timezone: str = "Europe/London",  # not words
    description: str = "",
    clock: Clock | None = None,
    overwrite: bool = False,
    languages: tuple[str, ...] = (),
) -> AssemblyFile:
    """Make a new, empty assembly file with the current schema. `languages`: the working
    language then the residents' ones, as tags already checked (`store.languages`)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    path = Path(path)
    clock = clock or SystemClock()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise StoreError(
            _(
                "Unknown time zone %(timezone)s; use a name like Europe/London.",
                timezone=repr(timezone),
            )
        ) from error
    if path.exists():
        if not overwrite:
            raise StoreError(
                _("%(path)s already exists; choose another name or remove it first.", path=path)
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.parent.exists():
        raise StoreError(_("The folder %(folder)s does not exist.", folder=path.parent))
    try:
        # Owner-only from the first byte: the file will hold personal data, and SQLite gives
        # its -wal and -shm files the same permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise StoreError(
            _("%(path)s cannot be created (%(error)s).", path=path, error=error.strerror or error)
        ) from None
    conn = sqlite3.connect(str(path))
    conn.isolation_level = None
    try:
        conn.execute(f"pragma application_id = {APPLICATION_ID}")
        conn.execute("pragma journal_mode = wal")
        conn.execute("pragma foreign_keys = on")
        db = Database(conn)
        now = to_iso(clock.now())
        migrations.apply_pending(db, now)
        with db.atomic():
            db["assembly_info"].insert_all(
                [
                    {"key": "name", "value": name},
                    {"key": "timezone", "value": timezone},
                    {"key": "description", "value": description},
                    {"key": "created_at", "value": now},
                    *(
                        [
                            {"key": "language", "value": languages[0]},
                            {"key": "residents_languages", "value": ",".join(languages)},
                        ]
                        if languages
                        else []
                    ),
                ],
                replace=True,
            )
    finally:
        conn.close()
    return AssemblyFile(path=path, clock=clock)
