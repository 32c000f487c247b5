"""`assembly budget import FILE votes.csv`: ballots exported by an online platform (Decidim,
CONSUL: one row per voter with the chosen project ids) read through the shared tabular reader
into a round whose voting is open. A refusal names the file, the row and the column, exits 2
and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.budgets import ballots
from assembly.cli import main
from assembly.store import create_assembly, open_assembly
from tests.budgets.pb_room_helpers import make_pb_file, pb_round
from tests.budgets.test_room_pb import CLOCK


@pytest.fixture
def voting(tmp_path: Path) -> Path:
    """A round of four feasible projects (refs 1-4, £3,000, £20,000, £25,000, £12,000) and
    one not feasible (5), £40,000 budget, knapsack ballots, voting open."""
    path = tmp_path / "pb.assembly.db"
    make_pb_file(path, CLOCK)
    return path


def _ballots(path: Path, round_id: int = 1) -> dict[str, dict[str, int]]:
    assembly = open_assembly(path)
    try:
        return {b.voter: b.marks for b in ballots.current_ballots(assembly.db(), round_id)}
    finally:
        assembly.close()


def _import(path: Path, source: Path, *extra: str):
    return CliRunner().invoke(main, ["budget", "import", str(path), str(source), *extra])


def test_one_row_per_voter_becomes_one_ballot_each(voting: Path, tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text('voter_id,vote\nu-1,"1,4"\nu-2,2\n U-3 ,"3, 1"\n', encoding="utf-8")
    done = _import(voting, votes)
    assert done.exit_code == 0, done.output
    assert "Imported 3 ballots from" in done.output and "replaced" not in done.output
    assert _ballots(voting) == {
        "online u-1": {"1": 1, "4": 1},
        "online u-2": {"2": 1},
        "online U-3": {"1": 1, "3": 1},
    }
    again = _import(voting, votes)  # the same export twice: replaced, not counted twice
    assert again.exit_code == 0 and "(3 replaced the same voters' earlier ones)" in again.output
    assert len(_ballots(voting)) == 3


def test_a_semicolon_export_with_other_headings_and_a_byte_order_mark(
    voting: Path, tmp_path: Path
) -> None:
    votes = tmp_path / "decidim-orders.csv"
    votes.write_bytes("\ufeffUser_ID;Projects\n17;1,2\n18;4|1\n".encode())
    done = _import(voting, votes)
    assert done.exit_code == 0, done.output
    assert _ballots(voting) == {"online 17": {"1": 1, "2": 1}, "online 18": {"1": 1, "4": 1}}


def test_points_come_in_their_own_column(tmp_path: Path) -> None:
    path = tmp_path / "points.assembly.db"
    make_pb_file(path, CLOCK, form="points")
    votes = tmp_path / "votes.csv"
    votes.write_text('voter_id,vote,points\na,"1,2","60,40"\nb,4,100\n', encoding="utf-8")
    done = _import(path, votes)
    assert done.exit_code == 0, done.output
    assert _ballots(path) == {"online a": {"1": 60, "2": 40}, "online b": {"4": 100}}
    votes.write_text("voter_id,vote\na,1\n", encoding="utf-8")
    refused = _import(path, votes)
    assert refused.exit_code == 2 and "add a 'points' column" in refused.output


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("voter_id,vote\na,1\nb,9\n", "row 3, column 'vote'", "there is no project '9'"),
        ("voter_id,vote\na,1\nb,5\n", "row 3, column 'vote'", "Project 5 is not feasible"),
        ('voter_id,vote\na,1\nb,"1,1"\n', "row 3, column 'vote'", "project 1 is listed twice"),
        ('voter_id,vote\na,1\nb,"2,3"\n', "row 3, column 'vote'", "more than the budget"),
        ("voter_id,vote\na,1\n,2\n", "row 3, column 'voter_id'", "every row needs the voter"),
        ("voter_id,vote\na,1\nA ,2\n", "row 3, column 'voter_id'", "on row 2 too"),
        ("voter_id,vote\na,1\nb, ,\n", "row 3, column 'vote'", "lists no project"),
        ("voter_id,vote\na,1\nb,2,3\n", "row 3", "past the header's 2 columns"),
        ("voter,ticks\na,1\n", "row 1", "no column of chosen projects; name one 'vote'"),
        ("name,vote\na,1\n", "row 1", "no column of voter ids; name one 'voter_id'"),
        ("voter_id,vote,vote\na,1,2\n", "row 1", "names two columns"),
        ("voter_id,vote\n", "file", "has a header but no votes"),
        ("", "file", "is empty"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    voting: Path, tmp_path: Path, text: str, where: str, message: str
) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text(text, encoding="utf-8")
    refused = _import(voting, votes)
    assert refused.exit_code == 2, refused.output
    assert "Traceback" not in refused.output
    assert f"file {votes}" in refused.output and where in refused.output, refused.output
    assert message in refused.output, refused.output
    assert _ballots(voting) == {}  # the good first row was not kept either


def test_files_that_are_not_plain_utf8_tables_are_refused(voting: Path, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("voter_id,vote\nJosé,1\n".encode("latin-1"))
    out = _import(voting, latin)
    assert out.exit_code == 2 and "UTF-8" in out.output and "Traceback" not in out.output
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert _import(voting, folder).exit_code == 2
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would never end
    out = _import(voting, fifo)
    assert out.exit_code == 2 and "not a regular file" in out.output
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")  # reading it would never stop
    out = _import(voting, zero)
    assert out.exit_code == 2 and "not a regular file" in out.output
    missing = _import(voting, tmp_path / "missing.csv")
    assert missing.exit_code == 2 and "cannot be read" in missing.output
    other = tmp_path / "votes.json"
    other.write_text("{}", encoding="utf-8")
    out = _import(voting, other)
    assert out.exit_code == 2 and "a Pabulib .pb file or a table of ballots" in out.output
    assert _ballots(voting) == {}


def test_ballots_go_only_into_a_round_whose_voting_is_open(tmp_path: Path) -> None:
    path = tmp_path / "setup.assembly.db"
    assembly = create_assembly(path, name="Setup", clock=CLOCK)
    pb_round(assembly.db(), CLOCK, open_voting=False)
    assembly.close()
    votes = tmp_path / "votes.csv"
    votes.write_text("voter_id,vote\na,1\n", encoding="utf-8")
    out = _import(path, votes)
    assert out.exit_code == 2 and "voting in round 1 is not open" in out.output
    assert f"{votes}" in out.output
