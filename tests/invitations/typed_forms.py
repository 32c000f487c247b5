"""Registrations as people type them: the tests' generator of realistic typing errors.

Swapped digits, missing flat numbers, postcode spacing and case, street abbreviations, the
town added or not, the letter's reference copied (sometimes with two characters swapped), and
other households on the same street who heard about it without a letter. A swapped-digit
house number is made only when it lands on no real address at the postcode: a typo that names
a real neighbour cannot be told from that neighbour by any matcher (the reference catches it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assembly.invitations.synthetic import FrameAddress

SHORT = {
    "Road": "Rd",
    "Street": "St",
    "Avenue": "Ave",
    "Lane": "Ln",
    "Close": "Cl",
    "Gardens": "Gdns",
    "Crescent": "Cres",
    "Drive": "Dr",
}


@dataclass(frozen=True)
class Typed:
    uprn: str  # the household that really registered
    genuine: bool  # it was sent a letter
    address: str
    postcode: str
    reference: str


def _postcode(pc: str, rng: np.random.Generator) -> str:
    choice = rng.integers(5)
    if choice == 0:
        return pc.lower()
    if choice == 1:
        return pc.replace(" ", "")
    if choice == 2:
        return pc.replace(" ", "  ").lower()
    return pc


def _swap_reference(ref: str, rng: np.random.Generator) -> str:
    chars = list(ref.replace("-", ""))
    i = int(rng.integers(len(chars) - 1))
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def type_address(
    a: FrameAddress, numbers_at_postcode: set[int], rng: np.random.Generator
) -> tuple[str, bool]:
    """The address as typed, and whether a flat number was left out."""
    street = a.street
    if rng.random() < 0.4:
        first, kind = street.rsplit(" ", 1)
        street = f"{first} {SHORT.get(kind, kind)}"
        if rng.random() < 0.3:
            street += "."
    number = str(a.number)
    if len(number) > 1 and rng.random() < 0.04:
        swapped = number[1] + number[0] + number[2:]
        if swapped[0] != "0" and int(swapped) not in numbers_at_postcode:
            number = swapped
    missing_flat = bool(a.flat) and rng.random() < 0.04
    if a.flat and not missing_flat:
        flat = a.flat.split()[1]
        style = rng.integers(4)
        text = (
            f"Flat {flat}, {number} {street}",
            f"{flat}/{number} {street}",
            f"flat {flat} {number} {street}",
            f"Apartment {flat} {number} {street}",
        )[style]
    else:
        text = f"{number} {street}"
    if rng.random() < 0.5:
        text += f", {a.town}"
    if rng.random() < 0.3:
        text = text.lower()
    return text, missing_flat


def registrations(
    frame: list[FrameAddress],
    mailed: dict[str, str],
    rng: np.random.Generator,
    *,
    neighbours: int = 150,
) -> list[Typed]:
    """A registration from every mailed household (a few twice), and `neighbours` from
    unmailed households on the mailed streets."""
    numbers: dict[str, set[int]] = {}
    for a in frame:
        numbers.setdefault(a.postcode, set()).add(a.number)
    out: list[Typed] = []
    for a in frame:
        if a.uprn not in mailed:
            continue
        text, _ = type_address(a, numbers[a.postcode], rng)
        reference = ""
        if rng.random() < 0.6:
            reference = mailed[a.uprn]
            if rng.random() < 0.1:
                reference = _swap_reference(reference, rng)
            elif rng.random() < 0.3:
                reference = reference.lower().replace("-", " ")
        typed = Typed(a.uprn, True, text, _postcode(a.postcode, rng), reference)
        out.append(typed)
        if rng.random() < 0.03:  # a second resident of the same household
            text, _ = type_address(a, numbers[a.postcode], rng)
            out.append(Typed(a.uprn, True, text, _postcode(a.postcode, rng), ""))
    streets = {a.street for a in frame if a.uprn in mailed}
    others = [a for a in frame if a.street in streets and a.uprn not in mailed]
    for i in rng.choice(len(others), size=min(neighbours, len(others)), replace=False):
        a = others[int(i)]
        text, _ = type_address(a, numbers[a.postcode], rng)
        out.append(Typed(a.uprn, False, text, _postcode(a.postcode, rng), ""))
    order = rng.permutation(len(out))
    return [out[int(i)] for i in order]


def write_form(path: Path, typed: list[Typed]) -> Path:
    """The council form's export: a timestamp, name, email, address, postcode, reference."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Submitted", "Full name", "Email address", "Address", "Postcode", "Reference"])
        for i, t in enumerate(typed):
            w.writerow(
                [
                    f"2026-10-{i % 28 + 1:02d}",
                    f"Resident {i}",
                    f"r{i}@example.org",
                    t.address,
                    t.postcode,
                    t.reference,
                ]
            )
    return path
