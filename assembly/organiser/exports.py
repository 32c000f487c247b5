"""Exports: the invitation list for the people sending invitations, and the anonymised panel
profile for publication.

The invitation list holds only what an invitation needs (number, name, how to reach them,
the support to arrange) and never the features: ethnicity or disability have no place in a
mail merge. The profile holds only counts per feature value against the targets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assembly.core.i18n import _
from assembly.core.safe_output import csv_text
from assembly.organiser.errors import OrganiserError
from assembly.organiser.support import Support
from sortition.files import PRIVATE, SHARED, write_atomic

INVITATION_COLUMNS = (
    "number",
    "name",
    "address",
    "postcode",
    "email",
    "phone",
    "status",
    "language",
    "access_support",
)
PROFILE_COLUMNS = (
    "feature",
    "value",
    "panel_count",
    "panel_share",
    "target_share",
    "quota_min",
    "quota_max",
)


@dataclass(frozen=True)
class ProfileRow:
    feature: str
    value: str
    panel_count: int
    panel_share: float
    target_share: float | None
    quota_min: int | None
    quota_max: int | None


def _write_csv(
    path: str | Path, header: tuple[str, ...], rows: list[list], *, private: bool
) -> Path:
    """Write a neutralised CSV whole or not at all; `private` files are 0600."""
    path = Path(path)
    try:
        write_atomic(path, csv_text(header, rows), mode=PRIVATE if private else SHARED)
    except OSError as error:
        raise OrganiserError(
            _(
                "%(path)s: cannot be written (%(error)s).",
                path=path,
                error=error.strerror or error,
            ),
            title=_("Export"),
        ) from None
    return path


def invitation_rows(db: Database) -> list[list]:
    rows = []
    for r in db.query(
        "select m.number, r.name, r.address, r.postcode, r.email, r.phone, m.status, "
        "s.childcare, s.travel, s.interpreter, s.first_language, s.step_free, s.other_needs "
        "from members m join respondents r on r.id = m.respondent_id "
        "left join member_support s on s.member_id = m.id "
        "where m.status in ('selected', 'invited', 'confirmed') order by m.number"
    ):
        support = Support(
            childcare=bool(r["childcare"]),
            travel=bool(r["travel"]),
            interpreter=r["interpreter"] or "",
            step_free=bool(r["step_free"]),
            other_needs=r["other_needs"] or "",
        )
        rows.append(
            [
                r["number"],
                r["name"] or "",
                r["address"] or "",
                r["postcode"] or "",
                r["email"] or "",
                r["phone"] or "",
                r["status"],
                r["first_language"] or "",
                "; ".join(support.needs()),
            ]
        )
    return rows


def export_invitations(db: Database, path: str | Path) -> int:
    """Write the invitation list CSV; returns the number of members in it."""
    rows = invitation_rows(db)
    if not rows:
        raise OrganiserError(_("there is no panel yet: draw one first."), title=_("Export"))
    _write_csv(path, INVITATION_COLUMNS, rows, private=True)
    return len(rows)


def panel_profile(db: Database) -> list[ProfileRow]:
    """Counts of current panel members per feature value, against targets and quotas."""
    counts: dict[tuple[str, str], int] = {}
    total = 0
    for (raw,) in db.execute(
        "select r.features from members m join respondents r on r.id = m.respondent_id "
        "where m.status in ('selected', 'invited', 'confirmed')"
    ):
        total += 1
        for feature, value in json.loads(raw).items():
            counts[(feature, value)] = counts.get((feature, value), 0) + 1
    quotas = {
        (r[0], r[1]): (r[2], r[3])
        for r in db.execute("select feature, value, min, max from quotas")
    }
    out = []
    for row in db.query(
        "select f.label, v.feature, v.value, v.target_share from feature_values v "
        "join features f on f.name = v.feature order by f.position, v.position"
    ):
        key = (row["feature"], row["value"])
        n = counts.get(key, 0)
        low, high = quotas.get(key, (None, None))
        out.append(
            ProfileRow(
                row["label"],
                row["value"],
                n,
                n / total if total else 0.0,
                row["target_share"],
                low,
                high,
            )
        )
    return out


def export_profile(db: Database, path: str | Path) -> int:
    """Write the anonymised panel profile CSV (counts only); returns the number of rows."""
    rows = panel_profile(db)
    if not any(r.panel_count for r in rows):
        raise OrganiserError(_("there is no panel yet: draw one first."), title=_("Export"))
    _write_csv(
        path,
        PROFILE_COLUMNS,
        [
            [
                r.feature,
                r.value,
                r.panel_count,
                f"{r.panel_share:.4f}",
                "" if r.target_share is None else f"{r.target_share:.4f}",
                "" if r.quota_min is None else r.quota_min,
                "" if r.quota_max is None else r.quota_max,
            ]
            for r in rows
        ],
        private=False,
    )
    return len(rows)
