"""A synthetic borough: addresses, a postcode directory extract and deprivation deciles.

For the demo, the tests and the benchmarks: no real address is ever needed to try the
invitations. Streets hold houses and blocks of flats, about fifteen addresses share a postcode
and about six hundred an LSOA (as in England), LSOAs make up wards, and each LSOA has an IMD
decile. `response_chance` is the *assumed* response gradient the demo uses (about 2% in the
most deprived decile rising to about 6% in the least), not a published figure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The made-up borough's names, and the headings of the files it writes: data, not words.
STREET_NAMES = (
    "Acacia",  # not words
    "Alder",  # not words
    "Beech",  # not words
    "Birch",  # not words
    "Cedar",  # not words
    "Chestnut",  # not words
    "Elm",  # not words
    "Hawthorn",  # not words
    "Hazel",  # not words
    "Holly",  # not words
    "Juniper",  # not words
    "Larch",  # not words
    "Laurel",  # not words
    "Linden",  # not words
    "Maple",  # not words
    "Oak",  # not words
    "Pine",  # not words
    "Poplar",  # not words
    "Rowan",  # not words
    "Spruce",  # not words
    "Sycamore",  # not words
    "Willow",  # not words
    "Yew",  # not words
    "Ash",  # not words
    "Aspen",  # not words
    "Bramble",  # not words
    "Clover",  # not words
    "Daisy",  # not words
    "Fern",  # not words
    "Heather",  # not words
    "Ivy",  # not words
    "Lavender",  # not words
    "Meadow",  # not words
    "Orchard",  # not words
    "Primrose",  # not words
    "Thistle",  # not words
)
STREET_KINDS = (
    "Road",  # not words
    "Street",  # not words
    "Avenue",  # not words
    "Lane",  # not words
    "Close",  # not words
    "Gardens",  # not words
    "Crescent",  # not words
    "Drive",  # not words
)
WARDS = (
    "Abbey",  # not words
    "Bridge",  # not words
    "Castle",  # not words
    "Central",  # not words
    "Common",  # not words
    "Fields",  # not words
    "Green",  # not words
    "Hill",  # not words
    "Lea",  # not words
    "Market",  # not words
    "Mill",  # not words
    "North",  # not words
    "Park",  # not words
    "Priory",  # not words
    "River",  # not words
    "South",  # not words
    "Vale",  # not words
    "West",  # not words
)


@dataclass(frozen=True)
class FrameAddress:
    uprn: str
    flat: str  # "" for a house
    number: int
    street: str
    town: str
    postcode: str
    lsoa: str
    ward: str
    decile: int


def response_chance(decile: int) -> float:
    """Assumed chance that a household answers a letter: 2% (decile 1) to 6% (decile 10)."""
    return 0.02 + (decile - 1) * 0.04 / 9


def borough(
    size: int,
    rng: np.random.Generator,
    *,
    town: str = "Kingsbridge",  # not words
    area: str = "KB",
) -> list[FrameAddress]:
    """`size` addresses of a made-up borough, in street order; `area` is the postcodes' area."""
    out: list[FrameAddress] = []
    street_no = 0
    lsoa_count = max(1, size // 600)
    deciles = rng.permutation(np.arange(lsoa_count) % 10 + 1)  # every decile, when 10+ LSOAs
    district = 0
    while len(out) < size:
        name = STREET_NAMES[street_no % len(STREET_NAMES)]
        kind = STREET_KINDS[(street_no // len(STREET_NAMES)) % len(STREET_KINDS)]
        suffix = street_no // (len(STREET_NAMES) * len(STREET_KINDS))
        street = f"{name} {kind}" if suffix == 0 else f"{name} {kind} {suffix + 1}"
        houses = int(rng.integers(20, 120))
        for number in range(1, houses + 1):
            if len(out) >= size:
                break
            flats = int(rng.integers(2, 9)) if rng.random() < 0.15 else 0
            for flat in range(1, flats + 1) if flats else (0,):
                at = len(out)
                if at >= size:
                    break
                lsoa_i = min(at // 600, lsoa_count - 1)
                sector = at // 15
                district = sector // 400
                pc = f"{area}{district % 90 + 1} {sector % 10}{chr(65 + (sector // 10) % 26)}{chr(65 + (sector // 260) % 26)}"
                out.append(
                    FrameAddress(
                        uprn=f"10{at + 1:010d}",
                        flat=f"Flat {flat}" if flat else "",  # not words
                        number=number,
                        street=street,
                        town=town,
                        postcode=pc,
                        lsoa=f"E0{lsoa_i + 1:07d}",
                        ward=f"{WARDS[lsoa_i * len(WARDS) // lsoa_count]}",
                        decile=int(deciles[lsoa_i]),
                    )
                )
        street_no += 1
    return out


def write_frame(folder: Path, addresses: list[FrameAddress]) -> tuple[Path, Path, Path]:
    """ADDRESSES.csv (no areas), a postcode directory (new ONS names) and a deprivation file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / "addresses.csv", folder / "postcodes.csv", folder / "deprivation.csv")
    with paths[0].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["UPRN", "Address line 1", "Address line 2", "Town", "Postcode"])  # not words
        for a in addresses:
            line1 = f"{a.flat}, {a.number} {a.street}" if a.flat else f"{a.number} {a.street}"
            w.writerow([a.uprn, line1, "", a.town, a.postcode])
    with paths[1].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["pcd7", "pcds", "lsoa21cd", "wd25cd"])  # not words
        seen: set[str] = set()
        for a in addresses:
            if a.postcode not in seen:
                seen.add(a.postcode)
                w.writerow([a.postcode.replace(" ", "").ljust(7), a.postcode, a.lsoa, a.ward])
    with paths[2].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["lsoa21cd", "IMD decile"])  # not words
        seen = set()
        for a in addresses:
            if a.lsoa not in seen:
                seen.add(a.lsoa)
                w.writerow([a.lsoa, a.decile])
    return paths
