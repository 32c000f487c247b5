"""What an assembly holds at a glance: the pool's make-up and the panel's size, for every mode."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.organiser.privacy import purged_counts


@dataclass(frozen=True)
class Feature:
    name: str
    label: str
    values: tuple[str, ...]
    target_shares: tuple[float | None, ...]
    sensitive: bool


@dataclass(frozen=True)
class ValueCount:
    feature: str
    value: str
    count: int
    share: float
    target_share: float | None


@dataclass(frozen=True)
class Overview:
    name: str
    description: str
    timezone: str
    respondents: int
    members_by_status: dict[str, int]
    features: tuple[Feature, ...]


def features(db: Database) -> tuple[Feature, ...]:
    """The categories the pool is described by, in their set order."""
    out = []
    for row in db.query("select name, label, sensitive from features order by position"):
        values = list(
            db.query(
                "select value, target_share from feature_values where feature = ? order by position",
                [row["name"]],
            )
        )
        out.append(
            Feature(
                name=row["name"],
                label=row["label"],
                values=tuple(v["value"] for v in values),
                target_shares=tuple(v["target_share"] for v in values),
                sensitive=bool(row["sensitive"]),
            )
        )
    return tuple(out)


def overview(db: Database) -> Overview:
    info = {r["key"]: r["value"] for r in db.query("select key, value from assembly_info")}
    members = {
        r["status"]: r["n"]
        for r in db.query("select status, count(*) as n from members group by status")
    }
    return Overview(
        name=info.get("name", ""),
        description=info.get("description", ""),
        timezone=info.get("timezone", "Europe/London"),
        respondents=db.execute("select count(*) from respondents").fetchone()[0],
        members_by_status=members,
        features=features(db),
    )


def pool_counts(db: Database) -> list[ValueCount]:
    """Respondents per feature value, with the pool share beside the target population share."""
    feats = features(db)
    counts: dict[str, Counter[str]] = {f.name: Counter() for f in feats}
    total = 0
    for (raw,) in db.execute("select features from respondents"):
        total += 1
        person = json.loads(raw)
        for f in feats:
            counts[f.name][person.get(f.name, "")] += 1
    for (feature, value), n in purged_counts(db).items():  # what a purge kept of its people
        if feature in counts:
            counts[feature][value] += n
    out = []
    for f in feats:
        for value, target in zip(f.values, f.target_shares, strict=True):
            n = counts[f.name][value]
            out.append(ValueCount(f.name, value, n, n / total if total else 0.0, target))
    return out


@dataclass(frozen=True)
class DrawStage:
    """Where the latest draw stands: computed, then drawn once its public seed is entered."""

    id: int
    algorithm: str
    seed: str | None
    panel_index: int | None
    drawn_at: str | None
    created_at: str


def latest_draw_stage(db: Database) -> DrawStage | None:
    row = db.execute(
        "select id, algorithm, seed, panel_index, drawn_at, created_at from draws "
        "order by id desc limit 1"
    ).fetchone()
    return None if row is None else DrawStage(*row)


def draw_ids(db: Database) -> list[int]:
    return [r[0] for r in db.execute("select id from draws order by id")]


def quota_count(db: Database) -> int:
    return db.execute("select count(*) from quotas").fetchone()[0]


def respondent_count(db: Database) -> int:
    return db.execute("select count(*) from respondents").fetchone()[0]


def feature_labels(db: Database) -> dict[str, str]:
    """Feature name -> the label people read."""
    return dict(db.execute("select name, label from features").fetchall())
