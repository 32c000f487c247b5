"""The invitation lottery: reproducible from the public seed by the published recipe, exact
inclusion probabilities, a top-up in chosen deciles, later waves, append-only and verifiable."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from assembly.invitations.lottery import Design, FrameRow, draw_wave
from assembly.invitations.references import make_reference, read_reference
from tests.invitations.conftest import SEED, run


def _rows(path: Path, sql: str, params=()):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def test_letters_follow_the_published_recipe(framed: Path) -> None:
    out = run("invitations", "draw", framed, "--letters", 300, "--seed", SEED).output
    assert "Wave 1: drew 300 letters" in out
    seed_hash = hashlib.sha256(SEED.encode()).hexdigest()
    uprns = [u for (u,) in _rows(framed, "select uprn from invitation_addresses")]
    expected = sorted(
        uprns, key=lambda u: (hashlib.sha256(f"{seed_hash}:1:{u}".encode()).hexdigest(), u)
    )[:300]
    drawn = _rows(
        framed,
        "select a.uprn, l.reference from invitation_letters l join invitation_addresses a on a.id = l.address_id order by l.position",
    )
    assert [u for u, _ in drawn] == expected
    assert [r for _, r in drawn] == [make_reference(1, p) for p in range(300)]
    probabilities = _rows(framed, "select distinct probability from invitation_inclusion")
    assert probabilities == [(300 / len(uprns),)]
    assert f"Seed SHA-256:  {seed_hash}" in out


def test_top_up_gives_the_deciles_their_share(framed: Path) -> None:
    run(
        "invitations",
        "draw",
        framed,
        "--letters",
        400,
        "--seed",
        SEED,
        "--top-up",
        "0.2",
        "--deciles",
        "1-3",
    )
    by_stratum = dict(
        _rows(framed, "select stratum, count(*) from invitation_inclusion group by stratum")
    )
    n_all = sum(by_stratum.values())
    p_other = 0.8 * 400 / n_all
    got = dict(
        _rows(framed, "select stratum, probability from invitation_inclusion group by stratum")
    )
    assert got["other"] == pytest.approx(p_other, abs=1 / by_stratum["other"])
    assert got["top-up"] == pytest.approx(
        p_other + 0.2 * 400 / by_stratum["top-up"], abs=1 / by_stratum["top-up"]
    )
    # the probabilities add up to the letters: each stratum's expected count is its letters
    total = _rows(framed, "select sum(probability) from invitation_inclusion")[0][0]
    assert total == pytest.approx(400)
    deciles = _rows(
        framed,
        "select distinct a.decile from invitation_inclusion i join invitation_addresses a on a.id = i.address_id where i.stratum = 'top-up'",
    )
    assert {d for (d,) in deciles} <= {1, 2, 3}


def test_inclusion_probability_is_the_drawn_frequency() -> None:
    """Against the definition: over many seeds each address is drawn n/N of the time."""
    rows = [FrameRow(f"u{i}", "x", 1 if i < 6 else 5, False) for i in range(20)]
    design = Design(wave=1, letters=8, top_up=0.5, deciles=(1,))
    hits = [0] * 20
    seeds = 3000
    for k in range(seeds):
        for i in draw_wave(rows, design, f"seed {k}").chosen:
            hits[i] += 1
    result = draw_wave(rows, design, "x")
    p = {s.name: s.probability for s in result.strata}
    for i, s in enumerate(result.stratum):
        assert hits[i] / seeds == pytest.approx(p[s], abs=0.035)


def test_verify_redraws_and_catches_a_changed_letter(framed: Path) -> None:
    run("invitations", "draw", framed, "--letters", 100, "--seed", SEED)
    assert "wave 1: ok, 100 letters redrawn" in run("invitations", "verify", framed).output
    with sqlite3.connect(framed) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            conn.execute("update invitation_letters set address_id = address_id + 1")
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("delete from invitation_inclusion")
        conn.execute("drop trigger invitation_letters_no_update")
        conn.execute(
            "update invitation_letters set address_id = (select max(id) from invitation_addresses) where position = 0"
        )
    out = run("invitations", "verify", framed, code=1).output
    assert "wave 1: FAILED" in out and "not the ones the seed draws" in out


def test_second_wave_draws_only_unmailed_addresses_in_named_areas(framed: Path) -> None:
    run("invitations", "draw", framed, "--letters", 200, "--seed", SEED)
    run(
        "invitations",
        "draw",
        framed,
        "--wave",
        2,
        "--letters",
        50,
        "--seed",
        "second",
        "--areas",
        "Abbey,Bridge",
    )
    wards = _rows(
        framed,
        "select distinct a.ward from invitation_letters l join invitation_addresses a on a.id = l.address_id where l.wave = 2",
    )
    assert {w for (w,) in wards} <= {"Abbey", "Mill"}
    assert _rows(framed, "select count(*) from invitation_letters") == [(250,)]
    mailed_in_1 = _rows(
        framed,
        "select count(*) from invitation_inclusion i join invitation_letters l on l.address_id = i.address_id and l.wave = 1 where i.wave = 2 and i.probability > 0",
    )
    assert mailed_in_1 == [(0,)]
    out = run("invitations", "verify", framed).output
    assert "wave 1: ok" in out and "wave 2: ok" in out


def test_dry_run_commitment_is_the_recorded_one(framed: Path) -> None:
    plan = run("invitations", "draw", framed, "--letters", 50, "--dry-run").output
    promise = plan.split("Commitment:")[1].split()[0]
    assert _rows(framed, "select count(*) from invitation_waves") == [(0,)]
    run("invitations", "draw", framed, "--letters", 50, "--seed", SEED)
    assert _rows(framed, "select commitment from invitation_waves") == [(promise,)]


def test_per_area_counts(tmp_path: Path, framed: Path) -> None:
    counts = tmp_path / "areas.csv"
    counts.write_text("ward,letters\nAbbey,10\nMill,5\n")
    run("invitations", "draw", framed, "--per-area", counts, "--seed", SEED)
    got = dict(
        _rows(
            framed,
            "select a.ward, count(*) from invitation_letters l join invitation_addresses a on a.id = l.address_id group by a.ward",
        )
    )
    assert got == {"Abbey": 10, "Mill": 5}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--letters", 10**6, "--seed", SEED], "only 3,000 addresses can be drawn"),
        (["--letters", 10], "--seed is needed"),
        (["--letters", 10, "--seed", SEED, "--wave", 2], "the next wave is wave 1"),
        (["--letters", 10, "--seed", SEED, "--top-up", "0.2", "--deciles", "0-3"], "--deciles"),
        (["--letters", 10, "--seed", SEED, "--area-field", "tenure"], "'tenure' is not one of"),
    ],
)
def test_refusals_change_nothing(framed: Path, args, message: str) -> None:
    assert message in run("invitations", "draw", framed, *args, code=2).output
    assert _rows(framed, "select count(*) from invitation_waves") == [(0,)]


def test_bad_per_area_file_names_row_and_column(tmp_path: Path, framed: Path) -> None:
    counts = tmp_path / "areas.csv"
    counts.write_text("ward,letters\nAbbey,ten\n")
    out = run("invitations", "draw", framed, "--per-area", counts, "--seed", SEED, code=2).output
    assert "areas.csv" in out and "row 2" in out and "letters" in out


@pytest.mark.parametrize("typed", ["1k3-f7q", " 1K3F7Q ", "1k3 f7q"])
def test_references_read_back_forgivingly(typed: str) -> None:
    ref = make_reference(1, 0x3F7 * 1)  # any position
    assert read_reference(ref) == ref
    assert read_reference(ref.lower().replace("-", " ")) == ref


def test_reference_check_catches_single_typos() -> None:
    ref = make_reference(2, 12345).replace("-", "")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for i in range(6):
        for c in alphabet:
            if c != ref[i]:
                assert read_reference(ref[:i] + c + ref[i + 1 :]) is None
