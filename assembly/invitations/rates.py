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

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED
from assembly.invitations.purged import purged_on

Z95 = 1.959963984540054
GROUPS = {
    "decile": "coalesce(cast(a.decile as text), '')",  # not words
    "ward": "a.ward",
    "wave": "cast(l.wave as text)",  # not words
}
# A group's name, whole, for the groupings the program knows: (with a value, with none). Any
# other area column is named by its heading, as the file spells it.
GROUP_NAMES = {
    "decile": (N_("Decile %(group)s"), N_("No decile")),
    "ward": (N_("Ward %(group)s"), N_("No ward")),
    "wave": (N_("Wave %(group)s"), N_("No wave")),
}
# "None needed" for the groupings a second wave is aimed by; another area column by its heading.
NONE_NEEDED = {
    "decile": N_("None needed: every decile has at least its share of the registrations."),
    "ward": N_("None needed: every ward has at least its share of the registrations."),
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


@dataclass(frozen=True)
class Sums:
    """A group's letters (in one wave or several): what its rate and interval are made of,
    and all the purge keeps of them."""

    letters: int = 0
    households: int = 0  # the letters answered (matched registrations, once per household)
    weight: float = 0.0  # sum of 1/p
    answered_weight: float = 0.0  # sum of 1/p over the letters answered
    weight_sq: float = 0.0  # sum of 1/p^2

    def add(self, other: Sums) -> Sums:
        return Sums(
            self.letters + other.letters,
            self.households + other.households,
            self.weight + other.weight,
            self.answered_weight + other.answered_weight,
            self.weight_sq + other.weight_sq,
        )


def sums_of(letters: Iterable[tuple[float, bool]]) -> Sums:
    """The sums over (inclusion probability, answered) letters, each weighted by 1/p."""
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
    return Sums(count, answered, total, answered_weight, weight_sq)


def rate_of(group: str, sums: Sums) -> GroupRate:
    """The weighted rate and its Wilson interval on Kish's effective number of letters."""
    rate = sums.answered_weight / sums.weight if sums.weight else 0.0
    n = sums.weight * sums.weight / sums.weight_sq if sums.weight_sq else 0.0
    low, high = wilson(rate, n)
    return GroupRate(group, sums.letters, sums.households, rate, low, high)


def group_rate(group: str, letters: Iterable[tuple[float, bool]]) -> GroupRate:
    """The rate of (inclusion probability, answered) letters, weighted by 1/p."""
    return rate_of(group, sums_of(letters))


def area_columns(db: Database) -> list[str]:
    """The frame's area columns a rate can be grouped by: its LSOA and every column of the
    address file kept as an area (ward and decile have their own `--by`), or after a purge
    those whose counts it kept."""
    if purged_on(db) is not None:
        kept = db.execute(
            "select distinct field from invitation_purged_frame "
            "where field not in ('ward', 'decile') order by field"
        ).fetchall()
    else:
        kept = db.execute(
            "select distinct j.key from invitation_addresses a, json_each(a.areas) j order by j.key"
        ).fetchall()
    return ["lsoa", *(key for (key,) in kept if key != "lsoa")]


def _area_group(db: Database, area_field: str | None) -> tuple[str, str | None]:
    """The SQL expression for `--by area`, and the key to read from the address's area columns
    (its JSON object) when the column is one of those."""
    if not area_field:
        raise InvitationError(_("--by area needs --area-field: the area column to group by"))
    if area_field in ("ward", "decile"):
        return GROUPS[area_field], None
    if area_field == "lsoa":
        return "a.lsoa", None
    known = area_columns(db)
    if area_field not in known:
        raise InvitationError(
            _(
                "--area-field: no address has an area column %(field)s; "
                "the frame's area columns: %(known)s",
                field=repr(area_field),
                known=", ".join(known),
            )
        )
    return "a.areas", area_field


def _grouping(db: Database, by: str, area_field: str | None) -> tuple[str, str | None]:
    """The SQL expression over an address `a` (and its letter `l`) that names its group, and
    the key to read from its area columns' JSON when the group is one of those."""
    if by == "area":
        return _area_group(db, area_field)
    if by in GROUPS:
        return GROUPS[by], None
    raise InvitationError(
        _("--by: %(by)s is not one of %(known)s, area", by=repr(by), known=", ".join(GROUPS))
    )


def _field(db: Database, by: str, area_field: str | None) -> str:
    """The area column a grouping reads: `by` itself, or `--area-field` checked (for waves,
    any column: every letter has one value of it, if only blank)."""
    _grouping(db, by, area_field)  # the same checks and messages before and after a purge
    if by == "area":
        return area_field or ""
    return "decile" if by == "wave" else by


def wave_sums(db: Database, by: str, area_field: str | None = None) -> dict[tuple[str, int], Sums]:
    """Each (group, wave)'s sums: from the letters, or after a purge from the counts it kept."""
    if purged_on(db) is not None:
        rows = db.execute(
            "select area, wave, letters, households, weight, answered_weight, weight_sq "
            "from invitation_purged_rates where field = ? order by area, wave",
            [_field(db, by, area_field)],
        ).fetchall()
        return {(area, wave): Sums(*rest) for area, wave, *rest in rows}
    if by == "wave":  # every letter has a decile, if only blank: grouped by wave below
        by, area_field = "decile", None
    group, key = _grouping(db, by, area_field)
    rows = db.execute(
        f"select {group}, l.wave, i.probability, exists(select 1 from invitation_registrations r "
        "where r.address_id = l.address_id and r.status = ?) "
        "from invitation_letters l join invitation_addresses a on a.id = l.address_id "
        "join invitation_inclusion i on i.wave = l.wave and i.address_id = l.address_id",
        [MATCHED],
    ).fetchall()
    if key is not None:
        rows = [(str(json.loads(areas).get(key, "")), *rest) for areas, *rest in rows]
    letters: dict[tuple[str, int], list[tuple[float, bool]]] = {}
    for name, wave, p, yes in rows:
        letters.setdefault((name or "", wave), []).append((p, yes == 1))
    return {k: sums_of(v) for k, v in sorted(letters.items())}


def response_rates(
    db: Database, by: str, area_field: str | None = None
) -> tuple[list[GroupRate], GroupRate]:
    """Each group's rate (in the group's natural order) and the rate over every letter.
    `by` is decile, ward, wave, or area with `area_field` naming the frame's column."""
    per_wave = wave_sums(db, by, area_field)
    if not per_wave:
        raise InvitationError(_("no letters have been drawn yet: run `assembly invitations draw`"))
    groups: dict[str, Sums] = {}
    overall = Sums()
    for (name, wave), sums in per_wave.items():
        key = str(wave) if by == "wave" else name
        groups[key] = groups.get(key, Sums()).add(sums)
        overall = overall.add(sums)

    def order(key: str) -> tuple[int, float | str]:
        if by in ("decile", "wave") or (by == "area" and area_field == "decile"):
            return (1, 0) if key == "" else (0, int(key))
        return (key == "", key)

    # the overall rate's group, as the CSV writes it (a screen shows it in its own words)
    everyone = rate_of("All", overall)  # not words
    return [rate_of(g, groups[g]) for g in sorted(groups, key=order)], everyone


def frame_counts(
    db: Database, by: str, area_field: str | None = None
) -> dict[str, tuple[int, int]]:
    """Each group's addresses in the frame and those not yet sent a letter (for a second wave);
    empty for waves, which are no part of the frame."""
    if by == "wave":
        return {}
    if purged_on(db) is not None:
        rows = db.execute(
            "select area, addresses, unmailed from invitation_purged_frame where field = ?",
            [_field(db, by, area_field)],
        ).fetchall()
        return {area: (n, unmailed) for area, n, unmailed in rows}
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
    """'Decile 3', 'Ward Abbey', 'Wave 2'; a group with no value says so ('No decile'). Any
    other area column is named by its heading ('Parish St Mary', 'No parish')."""
    known = GROUP_NAMES.get(by)
    if known is not None:
        return _(known[0], group=group) if group else _(known[1])
    if group:
        return _("%(column)s %(group)s", column=by.capitalize(), group=group)
    return _("No %(column)s", column=by)


def second_wave_lines(by: str, suggested: list[Suggestion]) -> list[str]:
    """The suggested second wave in words, one line per group (the command's and the screen's)."""
    if not suggested:
        if by in NONE_NEEDED:
            return [_(NONE_NEEDED[by])]
        return [
            _(
                "None needed: every %(group)s has at least its share of the registrations.",
                group=by,
            )
        ]
    lines = []
    for g in suggested:
        values = {
            "group": group_name(by, g.group),
            "households": ngettext(
                "%(num)s household", "%(num)s households", g.short, num=Number(g.short)
            ),
            "share": format(g.share, ".1%"),
            "letters": ngettext(
                "%(num)s letter", "%(num)s letters", g.letters, num=Number(g.letters)
            ),
            "rate": format(g.rate, ".1%"),
            "addresses": ngettext(
                "%(num)s address", "%(num)s addresses", g.unmailed, num=Number(g.unmailed)
            ),
        }
        if g.assumed_rate:
            line = _(
                "%(group)s: %(households)s short (%(share)s of addresses); about %(letters)s at "
                "the overall %(rate)s rate, as none has answered yet; %(addresses)s have had "
                "none.",
                **values,
            )
        else:
            line = _(
                "%(group)s: %(households)s short (%(share)s of addresses); about %(letters)s at "
                "its %(rate)s rate; %(addresses)s have had none.",
                **values,
            )
        lines.append(line)
    return lines
