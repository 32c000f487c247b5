"""Matching a typed registration to the address its letter went to, or saying it cannot.

People type their address as they say it: `flat 2 14 oak rd`, `2/14 Oak Road`, `14 Oak Road`
without the flat. The postcode (spaces and case dropped) picks the frame's addresses at that
postcode; house and flat numbers must agree exactly; the street is compared fuzzily (rapidfuzz),
after the usual abbreviations are expanded. A wrong household is worse than a question, so
anything short of one clear answer is *needs review*: two addresses scoring close, a missing
flat number. Swapped digits match only when no address at the postcode has the typed number
and one alone has its digits. A letter's reference, when it reads and
agrees with the typed address, wins outright.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from assembly.core.i18n import N_, _

MATCHED, NOT_INVITED, NEEDS_REVIEW = "matched", "not invited", "needs review"  # not words
# A status as the screens and commands show it (the statuses are stored as they are above).
STATUS_LABELS = {
    MATCHED: N_("matched"),
    NOT_INVITED: N_("not invited"),
    NEEDS_REVIEW: N_("needs review"),
}
STREET_MIN = 80  # street similarity (0-100) below which a candidate is not the same street
# The reasons are stored with each registration in English, each a message of the catalogue:
# `shown_reason` translates them where they are shown.
NO_FLAT = N_("no flat number was given")
SWAPPED = N_("the house number matches only with its digits swapped")
NO_FLAT_AND_SWAPPED = N_(
    "no flat number was given and the house number matches only with its digits swapped"
)
CLOSE = 10  # two candidates within this many points of each other are a question, not an answer

ABBREVIATIONS = {
    "RD": "ROAD",
    "ST": "STREET",
    "STR": "STREET",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "LN": "LANE",
    "CL": "CLOSE",
    "GDNS": "GARDENS",
    "GDN": "GARDENS",
    "CRES": "CRESCENT",
    "CRS": "CRESCENT",
    "DR": "DRIVE",
    "DRV": "DRIVE",
    "SQ": "SQUARE",
    "PL": "PLACE",
    "CT": "COURT",
    "TER": "TERRACE",
    "TERR": "TERRACE",
}
_FLAT_WORDS = {"FLAT", "FLT", "APARTMENT", "APT", "UNIT", "NO", "NUMBER"}
_NUMBER = re.compile(r"[0-9]+[A-Z]?\Z")
_SPLIT_NUMBER = re.compile(r"\b([0-9]+) ([A-Z])\b(?! [0-9])")


@dataclass(frozen=True)
class Parsed:
    """An address as numbers and street words: `Flat 2, 14 Oak Rd` -> ("2", "14", "OAK ROAD")."""

    flat: str
    number: str
    street: str


@dataclass(frozen=True)
class Candidate:
    address_id: int
    parsed: Parsed
    mailed: bool
    reference: str = ""


@dataclass(frozen=True)
class Outcome:
    status: str
    address_id: int | None
    reason: str
    candidates: tuple[tuple[int, float], ...] = ()  # (address id, street score) to review


def parse_address(text: str) -> Parsed:
    """Flat and house numbers and the street's words, abbreviations expanded."""
    upper = re.sub(r"[^A-Z0-9]+", " ", str(text).upper().replace("/", " / "))
    upper = _SPLIT_NUMBER.sub(r"\1\2", upper)  # "12 A Oak Road" -> "12A Oak Road"
    flat = number = ""
    numbers: list[str] = []
    street: list[str] = []
    flat_next = False
    for token in upper.split():
        if street and _NUMBER.match(token):
            street.append(token)  # "Oak Road 2": a number after the street is part of its name
        elif _NUMBER.match(token):
            if flat_next and not flat:
                flat = token.lstrip("0") or "0"
            else:
                numbers.append(token.lstrip("0") or "0")
            flat_next = False
        elif token in _FLAT_WORDS:
            flat_next = token in ("FLAT", "FLT", "APARTMENT", "APT", "UNIT")
        else:
            street.append(ABBREVIATIONS.get(token, token))
    if len(numbers) >= 2 and not flat:
        flat, number = numbers[0], numbers[1]
    elif numbers:
        number = numbers[0]
    return Parsed(flat, number, " ".join(street))


def street_score(typed: str, mailed: str) -> float:
    """0-100; words the registrant added (the town, a district) do not count against them."""
    if not typed or not mailed:
        return 0.0
    return fuzz.token_set_ratio(typed, mailed)


def _swapped(a: str, b: str) -> bool:
    return a != b and len(a) > 1 and sorted(a) == sorted(b)


def match_address(typed: Parsed, at_postcode: Sequence[Candidate]) -> Outcome:
    """The one address at the postcode the typed one is, or why there is none or more than one."""
    exact: list[tuple[float, Candidate]] = []
    near: list[tuple[float, Candidate, str]] = []
    for c in at_postcode:
        score = street_score(typed.street, c.parsed.street)
        if score < STREET_MIN or not typed.number:
            continue
        same_number = c.parsed.number == typed.number
        same_flat = c.parsed.flat == typed.flat
        if same_number and same_flat:
            exact.append((score, c))
            continue
        why = []
        if not same_flat and not typed.flat and c.parsed.flat:
            why.append(NO_FLAT)
        elif not same_flat:
            continue
        if not same_number and _swapped(c.parsed.number, typed.number):
            why.append(SWAPPED)
        elif not same_number:
            continue
        near.append((score, c, NO_FLAT_AND_SWAPPED if len(why) == 2 else why[0]))
    exact.sort(key=lambda sc: -sc[0])
    if exact:
        best_score, best = exact[0]
        rivals = [(s, c) for s, c in exact[1:] if best_score - s < CLOSE]
        if rivals:
            review = ((best.address_id, best_score), *((c.address_id, s) for s, c in rivals))
            return Outcome(
                NEEDS_REVIEW, None, N_("two addresses at the postcode match closely"), review
            )
        if best.mailed:
            return Outcome(MATCHED, best.address_id, "")
        return Outcome(
            NOT_INVITED, best.address_id, N_("the address is in the frame but was sent no letter")
        )
    mailed_near = [(s, c, why) for s, c, why in near if c.mailed]
    if len(near) == 1 and mailed_near and mailed_near[0][2] == SWAPPED:
        # the typed number is no address at the postcode, and only this one has its digits
        score, c, why = mailed_near[0]
        return Outcome(
            MATCHED,
            c.address_id,
            N_(
                "the house number matches only with its digits swapped: no other address at the "
                "postcode is near"
            ),
        )
    if mailed_near:
        reasons = sorted({why for _score, _c, why in mailed_near})
        review = tuple((c.address_id, s) for s, c, _why in mailed_near)
        return Outcome(NEEDS_REVIEW, None, "; ".join(reasons), review)
    if not at_postcode:
        return Outcome(NOT_INVITED, None, N_("no address in the frame has this postcode"))
    return Outcome(NOT_INVITED, None, N_("no mailed address at this postcode matches"))


def shown_reason(reason: str) -> str:
    """A stored reason in the working language: a message of the catalogue, or several joined
    by "; " (the reasons of a needs-review registration's candidates); else as it is."""
    whole = _(reason) if reason else reason
    if whole != reason or "; " not in reason:
        return whole
    return "; ".join(_(part) for part in reason.split("; "))


def agrees(typed: Parsed, letter: Parsed) -> bool:
    """Whether a reference's address could be the typed one (the same numbers where given, or
    digits swapped; a similar street), so a mistyped reference cannot pick a neighbour."""
    if typed.number and typed.number != letter.number and not _swapped(typed.number, letter.number):
        return False
    if typed.flat and typed.flat != letter.flat:
        return False
    return not typed.street or street_score(typed.street, letter.street) >= STREET_MIN
