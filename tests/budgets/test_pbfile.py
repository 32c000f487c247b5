"""Reading and writing .pb files: every shared file, round trips, and hostile input."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest

from assembly.budgets.pbfile import PBFileError, format_amount, format_pb, parse_pb, read_pb
from tests.budgets.conftest import pabulib_files, pb_text, read_shared

FILES = pabulib_files()


@pytest.mark.skipif(not FILES, reason="the shared Pabulib files are not here")
def test_every_shared_file_reads() -> None:
    assert len(FILES) == 44
    for path in FILES:
        election = read_shared(path)
        assert election.projects and election.ballots


@pytest.mark.skipif(not FILES, reason="the shared Pabulib files are not here")
def test_shared_files_round_trip_with_selected(tmp_path) -> None:
    for path in FILES[:12]:
        election = read_shared(path)
        chosen = {election.projects[0].project_id}
        out = tmp_path / path.name
        out.write_text(format_pb(election, chosen), encoding="utf-8")
        again = read_pb(out)
        assert again.projects[0].selected == 1
        assert [p.project_id for p in again.projects] == [p.project_id for p in election.projects]
        assert [p.cost for p in again.projects] == [p.cost for p in election.projects]
        assert again.ballots == election.ballots
        assert again.meta == election.meta
        assert format_pb(again, chosen) == format_pb(election, chosen)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", Fraction(12)),
        ("12.5", Fraction(25, 2)),
        ("12,5", Fraction(25, 2)),
        ("2458488.22", Fraction(245848822, 100)),
        ("1e3", Fraction(1000)),
    ],
)
def test_amounts_are_exact(text: str, value: Fraction) -> None:
    election = parse_pb(pb_text(text, [("a", text)], ["a"]))
    assert election.budget == value and election.projects[0].cost == value


@pytest.mark.parametrize("value", [Fraction(12), Fraction(25, 2), Fraction(1, 8), Fraction(-3, 4)])
def test_amounts_write_back_exactly(value: Fraction) -> None:
    assert Fraction(format_amount(value)) == value


def test_points_and_limits_are_read() -> None:
    text = pb_text(
        "10",
        [("a", "4"), ("b", "6")],
        ["a,b", "b"],
        vote_type="cumulative",
        points=["3,2", "5"],
        extra_meta=("max_sum_points;5", "min_length;1", "max_sum_cost;9,5"),
    )
    election = parse_pb(text)
    assert election.ballots[0].points == (3, 2)
    assert election.limits.max_sum_points == 5
    assert election.limits.min_length == 1
    assert election.limits.max_sum_cost == Fraction(19, 2)


HOSTILE = [
    ("no-votes", "META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost\na;1\n", None, "no VOTES"),
    ("bad-cost", pb_text("10", [("a", "ten")], ["a"]), 7, "cost"),
    ("negative-cost", pb_text("10", [("a", "-1")], ["a"]), 7, "cost"),
    ("unknown-project", pb_text("10", [("a", "1")], ["zz"]), 10, "vote"),
    ("twice-in-ballot", pb_text("10", [("a", "1")], ["a,a"]), 10, "vote"),
    ("bad-budget", pb_text("lots", [("a", "1")], ["a"]), 3, "budget"),
    ("bad-vote-type", pb_text("1", [("a", "1")], ["a"], vote_type="magic"), 4, None),
    ("field-count", pb_text("10", [("a", "1;x")], ["a"]), 7, None),
    (
        "points-count",
        pb_text("10", [("a", "1")], ["a"], vote_type="cumulative", points=["1,2"]),
        10,
        "points",
    ),
    ("num-votes", pb_text("10", [("a", "1")], ["a"], extra_meta=("num_votes;7",)), 5, "num_votes"),
    (
        "duplicate-voter",
        pb_text("10", [("a", "1")], ["a"]).replace("v0;a", "v0;a\nv0;a"),
        11,
        "voter_id",
    ),
    ("before-meta", "hello\n" + pb_text("10", [("a", "1")], ["a"]), 1, None),
]


@pytest.mark.parametrize(("name", "text", "line", "column"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_text_names_file_line_and_field(write_pb, name, text, line, column) -> None:
    path = write_pb(text)
    with pytest.raises(PBFileError) as caught:
        read_pb(path)
    error = caught.value
    assert error.path == str(path) and str(path) in str(error)
    if line is not None:
        assert error.line == line, str(error)
    if column is not None:
        assert error.column == column or column in str(error), str(error)


def test_symlink_to_dev_zero_is_refused_at_once(tmp_path) -> None:
    link = tmp_path / "zero.pb"
    os.symlink("/dev/zero", link)
    with pytest.raises(PBFileError, match="not a regular file"):
        read_pb(link)


def test_pipe_and_folder_are_refused(tmp_path) -> None:
    pipe = tmp_path / "pipe.pb"
    os.mkfifo(pipe)
    with pytest.raises(PBFileError, match="not a regular file"):
        read_pb(pipe)
    with pytest.raises(PBFileError, match="not a regular file"):
        read_pb(tmp_path)


def test_size_and_row_limits(write_pb) -> None:
    path = write_pb(pb_text("10", [("a", "1")], ["a"] * 50))
    with pytest.raises(PBFileError, match="limit"):
        read_pb(path, max_bytes=100)
    with pytest.raises(PBFileError, match="more than 20 lines"):
        read_pb(path, max_rows=20)


def test_not_utf8_nul_and_missing(write_pb, tmp_path) -> None:
    bad = tmp_path / "latin.pb"
    bad.write_bytes(pb_text("10", [("a", "1")], ["a"]).replace("a;1", "\xe9;1").encode("latin-1"))
    with pytest.raises(PBFileError, match="UTF-8") as caught:
        read_pb(bad)
    assert caught.value.line == 7
    with pytest.raises(PBFileError, match="NUL"):
        read_pb(write_pb("META\x00\n"))
    with pytest.raises(PBFileError, match="cannot open"):
        read_pb(tmp_path / "absent.pb")
