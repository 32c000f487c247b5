"""Organiser: what a purge keeps of the people it forgets.

A purge clears every personal field of respondents who never became members, their features
and household keys included; only the number of purged respondents per feature value is kept,
so the pool's make-up can still be reported. The draws keep their own pseudonymised snapshots
for the audit (see schema_organiser).
"""

from sqlite_utils import Database

from assembly.store.migrations import migration


@migration(170, "organiser: purged respondents are kept only as counts per feature value")
def purged_counts(db: Database) -> None:
    db.execute(
        """create table purged_feature_counts (
            feature text not null,
            value text not null,
            respondents integer not null,
            primary key (feature, value)
        )"""
    )
