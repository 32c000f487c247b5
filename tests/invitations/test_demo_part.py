"""The example assembly's invitations: a synthetic Hollowfield frame joined to postcodes and
deciles, 10,000 letters with a top-up in the most deprived deciles, verifiable from its seed,
and the registrations that came back under the assumed response gradient, some to review."""

from __future__ import annotations

from pathlib import Path

from assembly.demo.part_invitations import FRAME_SIZE, LETTERS, LETTERS_SEED
from assembly.invitations.rates import response_rates
from assembly.invitations.review import standing, waiting_for_review
from assembly.store import open_assembly
from tests.invitations.conftest import run


def test_demo_has_a_mailed_frame_and_registrations(demo_path: Path) -> None:
    assembly = open_assembly(demo_path, read_only=True)
    db = assembly.db()
    (addresses, deciles, no_decile) = db.execute(
        "select count(*), count(distinct decile), sum(decile is null) from invitation_addresses"
    ).fetchone()
    assert (addresses, deciles, no_decile) == (FRAME_SIZE, 10, 0)
    seed, letters, design = db.execute(
        "select seed, letters, design from invitation_waves"
    ).fetchone()
    assert (seed, letters) == (LETTERS_SEED, LETTERS) and '"top_up":0.2' in design
    s = standing(db)
    assert s.letters == LETTERS and s.waves == 1
    assert 250 <= s.statuses["matched"] <= 600
    assert s.statuses["not invited"] >= 3 and s.statuses["needs review"] >= 2
    assert s.shared_households >= 5
    assert waiting_for_review(db)
    # the assumed gradient shows: the least deprived answer more than the most deprived
    groups, overall = response_rates(db, "decile")
    rate = {g.group: g.rate for g in groups}
    assert rate["10"] > overall.rate > rate["1"]
    sources = {r for (r,) in db.execute("select distinct source from invitation_registrations")}
    assert sources == {"form.csv", "phone"}
    assembly.close()
    out = run("invitations", "verify", demo_path).output
    assert f"wave 1: ok, {LETTERS:,} letters redrawn from the seed" in out
