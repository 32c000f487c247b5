"""The invitation lottery: which addresses get a letter, decided by a public seed.

The procedure is published so anyone can recompute a wave from the frame and the seed:

1. The seed's SHA-256 (`printf '%s' SEED | sha256sum`, as for the panel draw) is taken.
2. Every eligible address gets the key SHA-256 of the text `SEEDHASH:WAVE:UPRN` (hex, UTF-8,
   no newline), e.g. `9f...:1:100000000042`.
3. Within each stratum the addresses are sorted by key and the first `n` get a letter (UPRNs
   are unique, so no two keys are equal). Sorting by a hash of the seed is a uniformly random order, so each address of a
   stratum of `N` is drawn with probability exactly `n / N`: that is the inclusion probability
   stored for it (0 for an address outside every stratum).
4. The letters of the wave, sorted by key, are numbered 0, 1, 2, ... and that number gives each
   its reference (see `references`).

Designs: one stratum of the whole frame; or a top-up, where a share of the letters is added to
chosen IMD deciles (`--top-up 0.2 --deciles 1-3`): the whole-frame chance (1 - t) n / N is given
to every address and the deciles' addresses also share t n, so the two strata get
n_other = round((1 - t) n / N * N_other) and n_top = n - n_other; or counts per area. A later
wave draws only from addresses without a letter, optionally in named areas, so its
probabilities are conditional on the earlier waves (recorded in its design).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from assembly.core.i18n import N_, Number, _, in_words
from assembly.invitations.errors import InvitationError

METHOD = "sha256(seedhash:wave:uprn), smallest n keys per stratum"  # not words
AREA_FIELDS = ("ward", "lsoa", "decile")
# The strata's keys as the file stores them (in English: the wave's commitment covers them), and
# their words as shown (`stratum_in_words`). An area's stratum is "area " and the area's value.
ALL, OTHER, TOP_UP = "all", "other", "top-up"  # not words
AREA = "area "  # not words
_STRATUM_WORDS = {ALL: N_("all"), OTHER: N_("other"), TOP_UP: N_("top-up")}


@dataclass(frozen=True)
class Design:
    """What a wave is drawn by, fixed before the seed is known."""

    wave: int
    letters: int
    top_up: float = 0.0
    deciles: tuple[int, ...] = ()
    per_area: tuple[tuple[str, int], ...] = ()
    area_field: str = "ward"
    areas: tuple[str, ...] = ()  # a later wave: only these areas (empty: everywhere)


class FrameRow(NamedTuple):
    """One address as a wave sees it (a named tuple: 300,000 are made per draw)."""

    uprn: str
    area: str  # the value of the design's area field
    decile: int | None
    mailed: bool  # has a letter from an earlier wave


@dataclass(frozen=True)
class Stratum:
    name: str
    size: int
    letters: int

    @property
    def probability(self) -> float:
        return self.letters / self.size if self.size else 0.0


def parse_deciles(text: str) -> tuple[int, ...]:
    """`1-3`, `1,2,3` or `1-2,5` as deciles 1-10."""
    out: set[int] = set()
    for part in text.split(","):
        low, _dash, high = part.strip().partition("-")
        try:
            a, b = int(low), int(high or low)
        except ValueError:
            raise InvitationError(
                _("--deciles: %(text)s is not like 1-3 or 1,2,3", text=repr(text))
            ) from None
        if not 1 <= a <= b <= 10:
            raise InvitationError(
                _("--deciles: %(text)s must name deciles from 1 to 10", text=repr(text))
            )
        out.update(range(a, b + 1))
    return tuple(sorted(out))


def stratum_of(row: FrameRow, design: Design) -> str:
    """The stratum an address is drawn in, or "" when it cannot be drawn in this wave."""
    if row.mailed:
        return ""
    if design.areas and row.area not in design.areas:
        return ""
    if design.per_area:
        return f"{AREA}{row.area}" if row.area in dict(design.per_area) else ""
    if design.top_up:
        return TOP_UP if row.decile in design.deciles else OTHER
    return ALL


def stratum_in_words(name: str) -> str:
    """A stratum's stored key in the working language (as stored when it is none of the known)."""
    if name.startswith(AREA):
        return _("area %(area)s", area=name[len(AREA) :])
    return in_words(_STRATUM_WORDS, name)


def allocate(strata_sizes: Mapping[str, int], design: Design) -> tuple[Stratum, ...]:
    """The letters of each stratum, or an InvitationError saying why the design cannot be met."""
    if design.per_area:
        out = []
        for area, n in design.per_area:
            size = strata_sizes.get(f"{AREA}{area}", 0)
            if n > size:
                raise InvitationError(
                    _(
                        "area %(area)s has %(size)s addresses that can be drawn, fewer than the "
                        "%(count)s letters asked for",
                        area=repr(area),
                        size=Number(size),
                        count=Number(n),
                    )
                )
            out.append(Stratum(f"{AREA}{area}", size, n))
        return tuple(out)
    total = sum(strata_sizes.values())
    if design.letters > total:
        raise InvitationError(
            _(
                "%(count)s letters asked for, but only %(total)s addresses can be drawn",
                count=Number(design.letters),
                total=Number(total),
            )
        )
    if not design.top_up:
        return (Stratum(ALL, total, design.letters),)
    top, other = strata_sizes.get(TOP_UP, 0), strata_sizes.get(OTHER, 0)
    if top == 0:
        raise InvitationError(
            _("no address can be drawn in the top-up deciles (are deciles joined?)")
        )
    n_other = round((1 - design.top_up) * design.letters / total * other)
    n_top = design.letters - n_other
    if n_top > top:
        raise InvitationError(
            _(
                "the top-up needs %(count)s letters in deciles %(deciles)s, which hold only "
                "%(top)s addresses",
                count=Number(n_top),
                deciles=", ".join(map(str, design.deciles)),
                top=Number(top),
            )
        )
    return (Stratum(OTHER, other, n_other), Stratum(TOP_UP, top, n_top))


def seed_sha256(seed: str) -> str:
    if not seed:
        raise InvitationError(_("the public seed is empty"))
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def address_key(seed_hash: str, wave: int, uprn: str) -> str:
    """Step 2 of the procedure: the address's place in the seeded order."""
    return hashlib.sha256(f"{seed_hash}:{wave}:{uprn}".encode()).hexdigest()


@dataclass(frozen=True)
class WaveDraw:
    strata: tuple[Stratum, ...]
    stratum: tuple[str, ...]  # per frame row
    chosen: tuple[int, ...]  # frame row indices, in key order (letter positions)


def draw_wave(rows: Sequence[FrameRow], design: Design, seed: str) -> WaveDraw:
    """The wave's letters: steps 1-4 of the procedure over `rows`."""
    stratum = tuple(stratum_of(r, design) for r in rows)
    sizes: dict[str, int] = {}
    for s in stratum:
        if s:
            sizes[s] = sizes.get(s, 0) + 1
    strata = allocate(sizes, design)
    wanted = {s.name: s.letters for s in strata}
    prefix = f"{seed_sha256(seed)}:{design.wave}:".encode()
    sha = hashlib.sha256
    members: dict[str, list[int]] = {name: [] for name in wanted}
    keys: list[bytes] = [b""] * len(rows)
    for i, (row, s) in enumerate(zip(rows, stratum, strict=True)):
        group = members.get(s)
        if group is not None:
            group.append(i)
            keys[i] = sha(prefix + row.uprn.encode()).digest()  # hex order is byte order
    picked: list[int] = []
    for name, group in members.items():
        group.sort(key=keys.__getitem__)
        picked.extend(group[: wanted[name]])
    picked.sort(key=keys.__getitem__)
    return WaveDraw(strata, stratum, tuple(picked))


def frame_digest(rows: Sequence[FrameRow], stratum: Sequence[str]) -> str:
    """SHA-256 of `UPRN<TAB>STRATUM` lines (sorted by UPRN): what the wave was drawn from."""
    lines = sorted(f"{r.uprn}\t{s}\n" for r, s in zip(rows, stratum, strict=True))
    return hashlib.sha256("".join(lines).encode()).hexdigest()
