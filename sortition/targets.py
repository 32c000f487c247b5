"""Quotas from population targets: census shares per feature value turned into min/max counts.

For a panel of k, value v with population share s_v has the ideal count k * s_v. Ideal counts
are rounded by largest remainder so each feature's rounded counts sum to exactly k; then the
tolerance t widens them: min = floor(ideal * (1 - t)), max = ceil(ideal * (1 + t)), each
widened further if needed to include the rounded count. So sum of mins <= k <= sum of maxes
for every feature, and the rounded counts are always one panel composition the quotas allow.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sortition.files import SHARED, write_atomic
from sortition.model import BadInput, Quota, normalise
from sortition.tabular import read_table
from sortition.words import words

_DECIMAL = re.compile(r"-?(?:[0-9]{1,15}(?:[.,][0-9]{0,15})?|[.,][0-9]{1,15})", re.ASCII)

# Shares per feature must sum to 1 (or 100%) within this relative slack: census tables are
# published rounded, so 99.9% or 100.1% must be accepted; the shares are then rescaled.
SHARE_SUM_SLACK = 0.02


@dataclass(frozen=True)
class Target:
    """The population share (a fraction, 0..1) of one feature value."""

    feature: str
    value: str
    share: float


def _parse_share(text: str, *, file: str, row: int) -> tuple[float, bool]:
    """A share and whether it was written as a percentage ("51%")."""
    raw = text.strip()
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1].strip()
    try:
        if not _DECIMAL.fullmatch(raw):  # float() also takes "inf", "1e309" and other scripts
            raise ValueError(raw)
        share = (
            float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
        )
    except ValueError:
        raise BadInput(
            words("share %(share)s is not a number", share=repr(text)),
            file=file,
            row=row,
            column="share",
        ) from None
    if not math.isfinite(share) or share < 0:
        raise BadInput(
            words("share %(share)s must be zero or more", share=repr(text)),
            file=file,
            row=row,
            column="share",
        )
    return share, percent


def read_targets(path: str | os.PathLike[str]) -> tuple[Target, ...]:
    """Read a `feature,value,share` CSV; shares may be fractions (0.51) or percentages (51 or 51%).

    Per feature, shares written with `%` are percentages; otherwise a feature whose shares sum
    to about 100 is read as percentages and one summing to about 1 as fractions. Anything else
    is an error naming the feature and its sum. Shares are rescaled to sum to exactly 1.
    """
    name = str(path)
    table = read_table(
        path, encoding_option=None
    )  # the shared reader: encoding, size and shape checked there
    keys = table.column_index()
    missing = [c for c in ("feature", "value", "share") if c not in keys]
    if missing:
        raise BadInput(
            words(
                "targets need columns feature, value, share; missing %(missing)s",
                missing=", ".join(missing),
            ),
            file=name,
            row=1,
        )
    col = {c: keys[c] for c in ("feature", "value", "share")}
    rows = list(table.rows)
    if not rows:
        raise BadInput(words("the targets file has no rows"), file=name)

    parsed: dict[str, list[tuple[int, str, str, float, bool]]] = {}
    spelling: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    for row_number, row in rows:
        feature = row[col["feature"]].strip()
        value = row[col["value"]].strip()
        if not feature:
            raise BadInput(words("feature is empty"), file=name, row=row_number, column="feature")
        if not value:
            raise BadInput(words("value is empty"), file=name, row=row_number, column="value")
        key = (normalise(feature), normalise(value))
        if key in seen:
            raise BadInput(
                words(
                    "%(feature)s = %(value)s already given on row %(row)s",
                    feature=feature,
                    value=value,
                    row=seen[key],
                ),
                file=name,
                row=row_number,
                column="value",
            )
        seen[key] = row_number
        share, percent = _parse_share(row[col["share"]], file=name, row=row_number)
        spelling.setdefault(key[0], feature)
        parsed.setdefault(key[0], []).append((row_number, feature, value, share, percent))

    targets: list[Target] = []
    for fkey, entries in parsed.items():
        feature = spelling[fkey]
        marked = {e[4] for e in entries}
        if marked == {True, False}:
            raise BadInput(
                words(
                    "feature %(feature)s mixes shares with and without '%%'",
                    feature=repr(feature),
                ),
                file=name,
                row=entries[0][0],
                column="share",
            )
        total = sum(e[3] for e in entries)
        if marked == {True} or abs(total - 100) <= 100 * SHARE_SUM_SLACK:
            scale = 100.0
        elif abs(total - 1) <= SHARE_SUM_SLACK:
            scale = 1.0
        else:
            raise BadInput(
                words(
                    "shares for feature %(feature)s sum to %(total)s; they must sum to 1 "
                    "(fractions) or 100 (percentages)",
                    feature=repr(feature),
                    total=format(total, "g"),
                ),
                file=name,
                row=entries[0][0],
                column="share",
            )
        total_fraction = total / scale
        if abs(total_fraction - 1) > SHARE_SUM_SLACK:
            raise BadInput(
                words(
                    "shares for feature %(feature)s sum to %(total)s%%; they must sum to 100%%",
                    feature=repr(feature),
                    total=format(total, "g"),
                ),
                file=name,
                row=entries[0][0],
                column="share",
            )
        for _, _, value, share, _ in entries:
            targets.append(Target(feature, value, share / scale / total_fraction))
    return tuple(targets)


def _largest_remainder(ideals: list[float], total: int) -> list[int]:
    """Integers summing to `total`, each the floor or ceiling of its ideal (ties: first listed)."""
    floors = [math.floor(x + 1e-9) for x in ideals]
    short = total - sum(floors)
    order = sorted(range(len(ideals)), key=lambda i: (-(ideals[i] - floors[i]), i))
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return floors


def quotas_from_targets(
    targets: Iterable[Target] | Mapping[str, Mapping[str, float]],
    panel_size: int,
    tolerance: float = 0.1,
) -> tuple[Quota, ...]:
    """Integer min/max quotas for a panel of `panel_size` from population shares.

    `targets` are `Target`s or a mapping feature -> value -> share (shares of one feature are
    rescaled to sum to 1). `tolerance` is relative to each ideal count (0.1 = ten per cent
    either side); 0 gives the floor and ceiling of the ideal count.
    """
    if panel_size < 1:
        raise BadInput(words("panel size must be at least 1, not %(size)s", size=panel_size))
    if not 0 <= tolerance < 1 or not math.isfinite(tolerance):
        raise BadInput(
            words(
                "tolerance must be at least 0 and below 1, not %(tolerance)s",
                tolerance=str(tolerance),
            )
        )
    if isinstance(targets, Mapping):
        items = [
            Target(feature, value, float(share))
            for feature, values in targets.items()
            for value, share in values.items()
        ]
    else:
        items = list(targets)
    if not items:
        raise BadInput(words("no targets given"))
    features: dict[str, list[Target]] = {}
    for t in items:
        if t.share < 0 or not math.isfinite(t.share):
            raise BadInput(
                words(
                    "share of %(feature)s = %(value)s must be zero or more",
                    feature=t.feature,
                    value=t.value,
                )
            )
        features.setdefault(normalise(t.feature), []).append(t)

    quotas: list[Quota] = []
    for group in features.values():
        total = sum(t.share for t in group)
        if total <= 0:
            raise BadInput(
                words("shares for feature %(feature)s are all zero", feature=repr(group[0].feature))
            )
        ideals = [panel_size * t.share / total for t in group]
        counts = _largest_remainder(ideals, panel_size)
        for t, ideal, count in zip(group, ideals, counts, strict=True):
            low = math.floor(round(ideal * (1 - tolerance), 9))
            high = math.ceil(round(ideal * (1 + tolerance), 9))
            low = max(0, min(low, count))
            high = min(panel_size, max(high, count))
            quotas.append(Quota(group[0].feature, t.value, low, high))
    return tuple(quotas)


def write_quotas(path: str | os.PathLike[str], quotas: Iterable[Quota]) -> None:
    """Write quotas as `feature,value,min,max` CSV, replacing `path` only once fully written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["feature", "value", "min", "max"])
    for q in quotas:
        writer.writerow([q.feature, q.value, q.min, q.max])
    write_atomic(path, buffer.getvalue(), mode=SHARED)  # quotas name no one
