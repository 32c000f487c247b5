"""Response rates against figures worked by hand: two wards mailed at different inclusion
probabilities, the weighted rate over both, Wilson intervals, and a CSV that cannot run."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assembly.invitations.rates import group_rate, wilson
from tests.invitations.conftest import SEED, run


def test_wilson_by_hand() -> None:
    # p = 1/4, n = 4, z = 1.96: centre (0.25 + 0.4802) / 1.9604 = 0.3725,
    # half 1.96 * sqrt(0.046875 + 0.060023) / 1.9604 = 0.3269
    low, high = wilson(0.25, 4)
    assert low == pytest.approx(0.0456, abs=1e-4) and high == pytest.approx(0.6994, abs=1e-4)
    assert wilson(0.0, 0) == (0.0, 1.0)


def test_weights_are_inverse_inclusion_probabilities() -> None:
    # 4 letters at p = 0.4 (weight 2.5, one answered), 5 at p = 0.5 (weight 2, two answered):
    # (2.5 + 2 * 2) / (4 * 2.5 + 5 * 2) = 6.5 / 20 = 0.325, not the unweighted 3/9
    letters = [(0.4, True), *[(0.4, False)] * 3, (0.5, True), (0.5, True), *[(0.5, False)] * 3]
    g = group_rate("All", letters)
    assert (g.letters, g.registered) == (9, 3)
    assert g.rate == pytest.approx(0.325)
    n_eff = 20**2 / (4 * 2.5**2 + 5 * 2**2)  # Kish: 400 / 45
    assert (g.low, g.high) == pytest.approx(wilson(0.325, n_eff))
    assert math.isclose(n_eff, 8.888, abs_tol=1e-3)


def test_rates_by_ward_by_hand(two_wards: Path, tmp_path: Path) -> None:
    out = run("invitations", "rates", two_wards, "--by", "ward", "--csv", tmp_path / "r.csv")
    lines = out.output.splitlines()
    assert any(line.split()[:5] == ["Abbey", "4", "1", "25.0%", "4.6%"] for line in lines)
    assert any(line.split()[:5] == ["=Bridge", "5", "2", "40.0%", "11.8%"] for line in lines)
    assert any(line.split()[:4] == ["All", "9", "3", "32.5%"] for line in lines)
    assert "Ward Abbey: 25.0% of households answered (95% interval 4.6% to 69.9%)" in out.output
    assert "against 32.5% overall" in out.output
    text = (tmp_path / "r.csv").read_text()
    assert text.splitlines()[0] == "ward,letters,registered,rate,low_95,high_95"
    assert "'=Bridge,5,2,0.4," in text  # neutralised: a spreadsheet shows it as text
    assert (tmp_path / "r.csv").stat().st_mode & 0o777 == 0o600


def test_rates_by_wave_and_before_any_letter(two_wards: Path, assembly_path: Path) -> None:
    out = run("invitations", "rates", two_wards, "--by", "wave").output
    assert "Wave 1" not in out  # one wave: nothing is weaker than the whole
    assert "No group answers less than the letters overall." in out


def test_rates_need_letters(tmp_path: Path, assembly_path: Path) -> None:
    result = run("invitations", "rates", assembly_path, code=2)
    assert "no letters have been drawn" in result.output


def test_rates_by_any_area_column_of_the_frame(two_wards: Path) -> None:
    """`--by area --area-field parish`: a column of the address file that is no ward or decile
    (here the same split as the wards, so the same figures)."""
    out = run("invitations", "rates", two_wards, "--by", "area", "--area-field", "parish").output
    lines = out.splitlines()
    assert lines[0].startswith("Response by parish, weighted by inclusion probability")
    assert any(line.split()[:6] == ["St", "Mary", "4", "1", "25.0%", "4.6%"] for line in lines)
    assert any(line.split()[:6] == ["St", "John", "5", "2", "40.0%", "11.8%"] for line in lines)
    assert "Parish St Mary: 25.0% of households answered" in out
    lsoa = run("invitations", "rates", two_wards, "--by", "area", "--area-field", "lsoa").output
    assert "no lsoa" in lsoa  # the frame had no LSOA column: every letter in one group


def test_rates_by_an_area_column_the_frame_lacks_says_which_it_has(two_wards: Path) -> None:
    result = run(
        "invitations", "rates", two_wards, "--by", "area", "--area-field", "Parish ", code=2
    )
    assert "--area-field: no address has an area column 'Parish '" in result.output
    assert "the frame's area columns: lsoa, parish" in result.output
    assert "Traceback" not in result.output
    needs = run("invitations", "rates", two_wards, "--by", "area", code=2)
    assert "--by area needs --area-field" in needs.output


def test_second_wave_suggestions_by_hand() -> None:
    """Two wards of equal size; 3 households registered, so each ward's share is 1.5. Abbey has
    1: 1 household short, and at its 25% rate that is 4 letters. Bridge has 2: not short. A
    ward with no answer yet is costed at the overall rate, and said to be."""
    from assembly.invitations.rates import GroupRate, second_wave

    overall = GroupRate("All", 9, 3, 0.325, 0.1, 0.6)
    groups = [GroupRate("Abbey", 4, 1, 0.25, 0.05, 0.7), GroupRate("Bridge", 5, 2, 0.4, 0.1, 0.8)]
    frame = {"Abbey": (10, 6), "Bridge": (10, 5)}
    (abbey,) = second_wave(groups, overall, frame)
    assert (abbey.group, abbey.share, abbey.short, abbey.letters) == ("Abbey", 0.5, 1, 4)
    assert (abbey.unmailed, abbey.assumed_rate) == (6, False)
    # a third ward as big as both, never answering: 3 of 6 registrations would be its share
    groups.append(GroupRate("Castle", 2, 0, 0.0, 0.0, 0.6))
    frame["Castle"] = (20, 18)
    suggestions = {s.group: s for s in second_wave(groups, overall, frame)}
    castle = suggestions["Castle"]
    assert (castle.short, castle.assumed_rate) == (2, True)  # 0.5 * 3 = 1.5, so 2
    assert castle.letters == math.ceil(2 / 0.325)  # 7
    assert "Abbey" not in suggestions  # 0.25 * 3 = 0.75 against its 1: not short
    # letters are capped by the addresses left to write to
    frame["Castle"] = (20, 3)
    assert {s.group: s for s in second_wave(groups, overall, frame)}["Castle"].letters == 3


def test_rates_suggest_a_second_wave_and_write_it_for_the_draw(
    two_wards: Path, tmp_path: Path
) -> None:
    out = run(
        "invitations", "rates", two_wards, "--by", "ward", "--suggest", tmp_path / "wave2.csv"
    ).output
    assert "A second wave to bring each ward to its share of the registrations:" in out
    assert "Ward Abbey: 1 household short (50.0% of addresses)" in out
    assert "about 4 letters at its 25.0% rate; 6 addresses have had none" in out
    assert (tmp_path / "wave2.csv").read_text().splitlines() == ["ward,letters", "Abbey,4"]
    assert _second_wave_letters(two_wards, tmp_path / "wave2.csv") == "4"


def test_a_suggested_wave_only_by_what_the_draw_can_aim_at(two_wards: Path, tmp_path: Path) -> None:
    out = run(
        "invitations",
        "rates",
        two_wards,
        "--by",
        "area",
        "--area-field",
        "parish",
        "--suggest",
        tmp_path / "w.csv",
        code=2,
    ).output
    assert "--suggest writes a wave the draw can aim, by ward, lsoa, decile; not by parish" in out
    assert not (tmp_path / "w.csv").exists()
    shown = run("invitations", "rates", two_wards, "--by", "area", "--area-field", "parish").output
    assert "Parish St Mary: 1 household short (50.0% of addresses)" in shown


def test_a_wave_file_this_app_wrote_reads_back_with_its_formula_quote_undone(
    two_wards: Path, tmp_path: Path
) -> None:
    # --suggest writes '=Bridge so a spreadsheet shows it as text; the draw must read =Bridge
    (tmp_path / "wave2.csv").write_text("ward,letters\n'=Bridge,2\n")
    assert _second_wave_letters(two_wards, tmp_path / "wave2.csv") == "2"


def _second_wave_letters(assembly: Path, per_area: Path) -> str:
    """Draw wave 2 from a --per-area file (the command must succeed); its letters by wave."""
    drawn = run(
        "invitations",
        "draw",
        assembly,
        "--wave",
        "2",
        "--per-area",
        per_area,
        "--seed",
        SEED + " wave 2",
    )
    assert drawn.exit_code == 0, drawn.output
    by_wave = run("invitations", "rates", assembly, "--by", "wave").output
    return next(line.split()[1] for line in by_wave.splitlines() if line.split()[:1] == ["2"])
