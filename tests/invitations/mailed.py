"""A borough that has been mailed and has answered: what the invitation screens are shown on.

6,000 synthetic addresses (ten LSOAs, so every decile), 1,500 letters with a 20% top-up in
deciles 1-3, and registrations from about the share of households the demo assumes answer
(2% in decile 1 rising to 6% in decile 10, times `keen` so a small test still has rows), typed
with the tests' realistic errors. Two registrations from one block of flats leave out the flat
number, so they need review together, as one household; one caller was sent no letter.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import numpy as np

from assembly.invitations.synthetic import borough, response_chance, write_frame
from tests.invitations.conftest import SEED, run
from tests.invitations.typed_forms import Typed, registrations, write_form


def mail_borough(path: Path, folder: Path, *, keen: float = 3.0) -> None:
    """Frame, one wave of letters and a form export imported into the assembly at `path`."""
    rng = np.random.default_rng(20)
    frame = borough(6000, rng)
    addresses, postcodes, deprivation = write_frame(folder, frame)
    run(
        "invitations",
        "addresses",
        path,
        addresses,
        "--postcodes",
        postcodes,
        "--deprivation",
        deprivation,
    )
    run("invitations", "draw", path, "--letters", 1500, "--seed", SEED, "--top-up", 0.2)
    # closed at once: a connection left open keeps the last writer from checkpointing, and a
    # copy of the .db alone (as the screen walk makes) would then lack the registrations
    with contextlib.closing(sqlite3.connect(path)) as conn:
        mailed = dict(
            conn.execute(
                "select a.uprn, l.reference from invitation_letters l "
                "join invitation_addresses a on a.id = l.address_id"
            ).fetchall()
        )
    deciles = {a.uprn: a.decile for a in frame}
    typed = [
        t
        for t in registrations(frame, mailed, rng, neighbours=0)
        if rng.random() < keen * response_chance(deciles[t.uprn])
    ]
    flats = [a for a in frame if a.flat and a.uprn in mailed]
    block = flats[0]
    street = f"{block.number} {block.street}"
    typed += [  # no flat number: the block's flats are all it could be
        Typed(block.uprn, True, street, block.postcode, ""),
        Typed(block.uprn, True, street.upper(), block.postcode.lower(), ""),
    ]
    stranger = next(a for a in frame if a.uprn not in mailed and not a.flat)
    typed.append(Typed(stranger.uprn, False, f"{stranger.number} {stranger.street}", "KB1 9ZZ", ""))
    run("invitations", "registrations", path, write_form(folder / "form.csv", typed))
