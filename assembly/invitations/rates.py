"""Response rates per group (decile, ward, wave, or any area column of the frame), weighted by
each letter's inclusion probability.

A household counts once however many of its residents registered, and only when matched. The
rate is the Horvitz-Thompson estimate of the share of the group's households that would answer:
sum(answered / p) / sum(1 / p) over the letters, where p is the address's inclusion probability
in the wave that mailed it. So a top-up that sent extra letters to some deciles does not tilt a
group that mixes them. The 95% interval is Wilson's, on Kish's effective number of letters
(sum w)^2 / sum w^2, which is the plain letter count when every weight is the same.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.words import counted
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED

Z95 = 1.959963984540054
GROUPS = {
    "decile": "coalesce(cast(a.decile as text), '')",
    "ward": "a.ward",
    "wave": "cast(l.wave as text)",
}


@dataclass(frozen=True)
class GroupRate:
    group: str
    letters: int
    registered: int
    rate: float
    low: float
    high: float


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for a proportion p observed on n trials (n may be fractional)."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def group_rate(group: str, letters: Iterable[tuple[float, bool]]) -> GroupRate:
    """The rate of (inclusion probability, answered) letters, weighted by 1/p."""
    total = weight_sq = answered_weight = 0.0
    count = answered = 0
    for p, yes in letters:
        w = 1.0 / p
        count += 1
        total += w
        weight_sq += w * w
        if yes:
            answered += 1
            answered_weight += w
    rate = answered_weight / total if total else 0.0
    low, high = wilson(rate, total * total / weight_sq if weight_sq else 0.0)
    return GroupRate(group, count, answered, rate, low, high)


def area_columns(db: Database) -> list[str]:
    """The frame's area columns a rate can be grouped by: its LSOA and every column of the
    address file kept as an area (ward and decile have their own `--by`)."""
    kept = db.execute(
        "select distinct j.key from invitation_addresses a, json_each(a.areas) j order by j.key"
    ).fetchall()
    return ["lsoa", *(key for (key,) in kept if key != "lsoa")]


def _area_group(db: Database, area_field: str | None) -> tuple[str, str | None]:
    """The SQL expression for `--by area`, and the key to read from the address's area columns
    (its JSON object) when the column is one of those."""
    if not area_field:
        raise InvitationError("--by area needs --area-field: the area column to group by")
    if area_field in ("ward", "decile"):
        return GROUPS[area_field], None
    if area_field == "lsoa":
        return "a.lsoa", None
    known = area_columns(db)
    if area_field not in known:
        raise InvitationError(
            f"--area-field: no address has an area column {area_field!r}; "
            f"the frame's area columns: {', '.join(known)}"
        )
    return "a.areas", area_field


def _grouping(db: Database, by: str, area_field: str | None) -> tuple[str, str | None]:
    """The SQL expression over an address `a` (and its letter `l`) that names its group, and
    the key to read from its area columns' JSON when the group is one of those."""
    if by == "area":
        return _area_group(db, area_field)
    if by in GROUPS:
        return GROUPS[by], None
    raise InvitationError(f"--by: {by!r} is not one of {', '.join(GROUPS)}, area")


def response_rates(
    db: Database, by: str, area_field: str | None = None
) -> tuple[list[GroupRate], GroupRate]:
    """Each group's rate (in the group's natural order) and the rate over every letter.
    `by` is decile, ward, wave, or area with `area_field` naming the frame's column."""
    group, key = _grouping(db, by, area_field)
    rows = db.execute(
        f"select {group}, i.probability, exists(select 1 from invitation_registrations r "
        "where r.address_id = l.address_id and r.status = ?) "
        "from invitation_letters l join invitation_addresses a on a.id = l.address_id "
        "join invitation_inclusion i on i.wave = l.wave and i.address_id = l.address_id",
        [MATCHED],
    ).fetchall()
    if key is not None:
        rows = [(str(json.loads(areas).get(key, "")), p, yes) for areas, p, yes in rows]
    if not rows:
        raise InvitationError("no letters have been drawn yet: run `assembly invitations draw`")
    groups: dict[str, list[tuple[float, bool]]] = {}
    for group, p, yes in rows:
        groups.setdefault(group or "", []).append((p, yes == 1))

    def order(key: str) -> tuple[int, float | str]:
        if by in ("decile", "wave") or (by == "area" and area_field == "decile"):
            return (1, 0) if key == "" else (0, int(key))
        return (key == "", key)

    out = [group_rate(g, groups[g]) for g in sorted(groups, key=order)]
    return out, group_rate("All", [(p, yes == 1) for _, p, yes in rows])


def frame_counts(
    db: Database, by: str, area_field: str | None = None
) -> dict[str, tuple[int, int]]:
    """Each group's addresses in the frame and those not yet sent a letter (for a second wave);
    empty for waves, which are no part of the frame."""
    if by == "wave":
        return {}
    group, key = _grouping(db, by, area_field)
    rows = db.execute(
        f"select {group}, exists(select 1 from invitation_letters l where l.address_id = a.id) "
        "from invitation_addresses a"
    ).fetchall()
    counts: dict[str, list[int]] = {}
    for name, mailed in rows:
        if key is not None:
            name = str(json.loads(name).get(key, ""))
        entry = counts.setdefault(name or "", [0, 0])
        entry[0] += 1
        entry[1] += 0 if mailed else 1
    return {name: (n, unmailed) for name, (n, unmailed) in counts.items()}


@dataclass(frozen=True)
class Suggestion:
    """A second wave's letters for one group short of its share of the registrations."""

    group: str
    share: float  # the group's share of the frame's addresses
    short: int  # households it lacks to reach that share of everyone registered
    letters: int  # letters that would bring them at its rate, at most `unmailed`
    rate: float  # the rate the letters are costed at
    assumed_rate: bool  # no answer yet from the group: costed at the overall rate
    unmailed: int  # its addresses not yet sent a letter


def second_wave(
    groups: list[GroupRate], overall: GroupRate, frame: dict[str, tuple[int, int]]
) -> list[Suggestion]:
    """For each group below its share of the registered households (its share of the frame's
    addresses), the households it lacks and the letters that would bring them at its own
    response rate, most short first. Groups outside the frame, such as "no ward", are left out:
    a letter cannot be aimed at them."""
    addresses = sum(n for name, (n, _) in frame.items() if name)
    registered = sum(g.registered for g in groups)
    out = []
    for g in groups:
        if not g.group or g.group not in frame or not addresses:
            continue
        n, unmailed = frame[g.group]
        share = n / addresses
        short = math.ceil(share * registered - g.registered - 1e-9)
        if short <= 0:
            continue
        assumed = g.rate <= 0
        rate = overall.rate if assumed else g.rate
        letters = min(unmailed, math.ceil(short / rate)) if rate > 0 else unmailed
        out.append(Suggestion(g.group, share, short, letters, rate, assumed, unmailed))
    return sorted(out, key=lambda s: (-s.short, s.group))


def weakest(groups: list[GroupRate], overall: GroupRate, most: int = 3) -> list[GroupRate]:
    """The groups answering least, and only those below the overall rate."""
    below = [g for g in groups if g.rate < overall.rate]
    return sorted(below, key=lambda g: (g.rate, g.group))[:most]


def group_name(by: str, group: str) -> str:
    """'Decile 3', 'Ward Abbey', 'Wave 2'; a group with no value says so ('No decile')."""
    return f"{by.capitalize()} {group}" if group else f"No {by}"


def second_wave_lines(by: str, suggested: list[Suggestion]) -> list[str]:
    """The suggested second wave in words, one line per group (the command's and the screen's)."""
    if not suggested:
        return [f"None needed: every {by} has at least its share of the registrations."]
    lines = []
    for g in suggested:
        costed = (
            f"at the overall {g.rate:.1%} rate, as none has answered yet"
            if g.assumed_rate
            else f"at its {g.rate:.1%} rate"
        )
        lines.append(
            f"{group_name(by, g.group)}: {counted(g.short, 'household')} short "
            f"({g.share:.1%} of addresses); about {counted(g.letters, 'letter')} {costed}; "
            f"{counted(g.unmailed, 'address', 'addresses')} have had none."
        )
    return lines
