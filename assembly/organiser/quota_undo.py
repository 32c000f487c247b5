"""Undo on the quotas screen: the whole quota set as it was before a change, and put back.

Every change there (a min or max, a target share, the panel size, a CSV loaded, targets filled,
a relaxation applied) touches a few small tables, so a copy of them is the simplest undo that
cannot miss a kind of change (issue 25 item 13: Ctrl+Z did nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.store import write_transaction

SETTINGS = ("panel_size", "quotas_source")
"""The organiser settings a quota change may write."""


@dataclass(frozen=True)
class QuotaState:
    quotas: tuple[tuple[str, str, int, int], ...]
    targets: tuple[tuple[str, str, float | None], ...]
    settings: tuple[tuple[str, str], ...]


def quota_state(db: Database) -> QuotaState:
    marks = ",".join("?" * len(SETTINGS))
    return QuotaState(
        quotas=tuple(
            tuple(r)
            for r in db.execute("select feature, value, min, max from quotas order by 1, 2")
        ),
        targets=tuple(
            tuple(r)
            for r in db.execute(
                "select feature, value, target_share from feature_values order by 1, 2"
            )
        ),
        settings=tuple(
            tuple(r)
            for r in db.execute(
                f"select key, value from organiser_settings where key in ({marks}) order by 1",
                SETTINGS,
            )
        ),
    )


def restore_quota_state(db: Database, state: QuotaState) -> None:
    """Put the quotas, target shares and panel size back as `state` has them, in one transaction.
    Values no longer in the pool (after a re-import) are skipped."""
    marks = ",".join("?" * len(SETTINGS))
    with write_transaction(db):
        db.execute("delete from quotas")
        db.execute("update feature_values set target_share = null")
        db.execute(f"delete from organiser_settings where key in ({marks})", SETTINGS)
        for feature, value, share in state.targets:
            db.execute(
                "update feature_values set target_share = ? where feature = ? and value = ?",
                [share, feature, value],
            )
        db.conn.executemany(
            "insert into quotas (feature, value, min, max) select ?, ?, ?, ? where exists "
            "(select 1 from feature_values where feature = ?1 and value = ?2)",
            state.quotas,
        )
        db.conn.executemany(
            "insert into organiser_settings (key, value) values (?, ?)", state.settings
        )
