"""The database's guards for records that only grow: one way to make a table append-only and
to keep a hash chain in order, used by every area (feedback log, draw record, budgets).

Triggers hold even against a script that bypasses the app; `assembly verify` re-checks the
same rules for a file whose triggers were dropped. The names are `{table}_no_update`,
`{table}_no_delete`, `{table}_chain_order` and `{table}_time_order`.
"""

from __future__ import annotations

from sqlite_utils import Database

from assembly.core.hashchain import GENESIS


def _quoted(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def append_only(db: Database, table: str, *, on_update: str, on_delete: str) -> None:
    """Refuse every update and every delete on `table`, each with the message people see."""
    db.execute(
        f"""create trigger {table}_no_update before update on {table}
        begin select raise(abort, {_quoted(on_update)}); end"""
    )
    db.execute(
        f"""create trigger {table}_no_delete before delete on {table}
        begin select raise(abort, {_quoted(on_delete)}); end"""
    )


def chain_order(db: Database, table: str, what: str) -> None:
    """A new row of a hash-chained table must take the next `seq` and link to the last hash."""
    message = _quoted(f"{what} out of order: it must follow the last entry")  # not words
    db.execute(
        f"""create trigger {table}_chain_order before insert on {table}
        begin
            select raise(abort, {message})
            where new.seq != coalesce((select max(seq) from {table}), 0) + 1
               or new.prev_hash != coalesce(
                    (select hash from {table} order by seq desc limit 1), '{GENESIS}');
        end"""
    )


def time_order(db: Database, table: str, what: str) -> None:
    """The chain proves order, not time: without this a forged row dated 2019 could be
    appended today."""
    # SQL stored in the file's schema: the same in every language
    message = _quoted(
        f"{what} dated before the last entry: entries only go forward in time"  # not words
    )
    db.execute(
        f"""create trigger {table}_time_order before insert on {table}
        begin
            select raise(abort, {message})
            where new.recorded_at < coalesce(
                (select recorded_at from {table} order by seq desc limit 1), '');
        end"""
    )
