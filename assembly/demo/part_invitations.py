"""Demo part: the invitations that began the assembly, eight weeks before the pool was imported.

A synthetic Hollowfield frame of 30,000 addresses (streets of houses and blocks of flats, a
postcode directory extract and IMD deciles: all made up), 10,000 letters drawn from a public
seed with a 20% top-up in deciles 1-3, and the registrations that came back, typed as people
type (lower case, "Rd" for Road, postcodes without the space, the letter's reference or not),
with the *assumed* response gradient of `synthetic.response_chance` (about 2% in the most
deprived decile rising to about 6% in the least; not a published figure). A few residents
leave out their flat number (to review), a few neighbours heard of it without a letter, and
three callers are typed in by phone.

The part keeps its own clock, set before the pool's, so the rest of the example is unchanged;
its registrations are a story of their own and are not the pool's respondents.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np

from assembly.core.clock import FixedClock
from assembly.demo.part_pool import FIRST_NAMES, LAST_NAMES
from assembly.invitations.frame import import_frame
from assembly.invitations.lottery import Design
from assembly.invitations.registrations import add_phone_registration, import_registrations
from assembly.invitations.synthetic import FrameAddress, borough, response_chance, write_frame
from assembly.invitations.waves import draw_letters
from assembly.store import AssemblyFile

ORDER = 5
FRAME_SIZE = 30_000
LETTERS = 10_000
LETTERS_SEED = "04 11 17 26 38 45"  # read out at the public draw of the letters
SHORT = {"Road": "Rd", "Street": "St", "Avenue": "Ave", "Gardens": "Gdns", "Drive": "Dr"}
EARLIER = timedelta(weeks=8)  # the letters went out two months before the pool was imported


def _typed(a: FrameAddress, rng: np.random.Generator, *, flat: bool = True) -> tuple[str, str]:
    """The address and postcode as a resident types them into the form."""
    street = a.street
    if rng.random() < 0.25:
        street = " ".join(SHORT.get(word, word) for word in street.split())
    line = f"{a.number} {street}"
    if a.flat and flat:
        line = f"{a.flat}, {line}" if rng.random() < 0.7 else f"{a.flat[5:]}/{line}"
    if rng.random() < 0.3:
        line = line.lower()
    postcode = a.postcode
    if rng.random() < 0.25:
        postcode = postcode.replace(" ", "")
    if rng.random() < 0.15:
        postcode = postcode.lower()
    return line, postcode


def _form(frame: list[FrameAddress], mailed: dict[str, str], rng: np.random.Generator) -> list:
    """The council form's export: Name, Email, Address, Postcode, Reference."""
    rows = []

    def person() -> tuple[str, str]:
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
        return f"{first} {last}", f"{first.lower()}.{last.lower()}{len(rows) + 1}@example.org"

    unmailed = [a for a in frame if a.uprn not in mailed]
    for a in frame:
        if a.uprn not in mailed or rng.random() >= response_chance(a.decile):
            continue
        forgot_flat = bool(a.flat) and rng.random() < 0.08
        line, postcode = _typed(a, rng, flat=not forgot_flat)
        reference = mailed[a.uprn] if rng.random() < 0.55 else ""
        rows.append([*person(), line, postcode, reference])
        if rng.random() < 0.06:  # someone else at the address registers too
            rows.append([*person(), *_typed(a, rng), ""])
    for i in rng.choice(len(unmailed), size=6, replace=False):  # heard of it without a letter
        rows.append([*person(), *_typed(unmailed[int(i)], rng), ""])
    return rows


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    own = FixedClock(clock.now() - EARLIER)
    frame = borough(FRAME_SIZE, rng, town="Hollowfield", area="HF")
    with tempfile.TemporaryDirectory() as folder:
        addresses, postcodes, deprivation = write_frame(Path(folder), frame)
        import_frame(db, addresses, postcodes_path=postcodes, deprivation_path=deprivation)
        design = Design(wave=1, letters=LETTERS, top_up=0.2, deciles=(1, 2, 3))
        draw_letters(db, design, LETTERS_SEED, own)
        mailed = dict(
            db.execute(
                "select a.uprn, l.reference from invitation_letters l "
                "join invitation_addresses a on a.id = l.address_id"
            ).fetchall()
        )
        own.advance(days=21)
        form = Path(folder) / "form.csv"
        with form.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Name", "Email", "Address", "Postcode", "Reference"])
            writer.writerows(_form(frame, mailed, rng))
        import_registrations(db, form, own)
    by_uprn = {a.uprn: a for a in frame}
    callers = [by_uprn[u] for u in sorted(mailed)[:: len(mailed) // 2][:2]]
    for n, a in enumerate(callers):
        own.advance(hours=2)
        line, postcode = _typed(a, rng)
        add_phone_registration(
            db,
            own,
            name=f"{FIRST_NAMES[n]} {LAST_NAMES[n]}",
            phone=f"07700 900{n + 1:03d}",
            address=line,
            postcode=postcode,
            reference=mailed[a.uprn] if n == 0 else "",
        )
    stranger = next(a for a in frame if a.uprn not in mailed)
    own.advance(hours=2)
    add_phone_registration(
        db,
        own,
        name="Sam Reid",
        phone="07700 900003",
        address=_typed(stranger, rng)[0],
        postcode=stranger.postcode,
    )
