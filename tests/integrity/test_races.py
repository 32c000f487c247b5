"""Races: real processes changing one assembly file at the same moment.

Every check-then-write runs inside one BEGIN IMMEDIATE transaction, so of two processes doing
the same thing at once one wins and the other gets a plain refusal, never a traceback and never
a half-applied or doubled change.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.integrity.conftest import assert_plain, copy_of, run_at_once
from tests.organiser.conftest import LOTTERY_SIZE, _drawn_master  # noqa: F401

pytestmark = pytest.mark.slow  # real processes racing for the file

TRIALS = 3


def _seeds_with_distinct_panels(n: int) -> list[str]:
    seeds, indexes = [], set()
    k = 0
    while len(seeds) < n:
        seed = f"race seed {k}"
        index = int(hashlib.sha256(seed.encode()).hexdigest(), 16) % LOTTERY_SIZE
        if index not in indexes:
            seeds.append(seed)
            indexes.add(index)
        k += 1
    return seeds


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_two_public_draws_at_once_one_wins_the_other_is_told(
    _drawn_master: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    seeds = _seeds_with_distinct_panels(3)
    for trial in range(TRIALS):
        path = copy_of(_drawn_master, tmp_path, f"seed{trial}.assembly.db")
        outcomes = run_at_once([["draw", "seed", str(path), "1", seed] for seed in seeds], tmp_path)
        assert_plain(outcomes)
        winners = [o for o in outcomes if o.code == 0]
        assert len(winners) == 1, [(o.code, o.err) for o in outcomes]
        winner_seed = winners[0].args[-1]
        for loser in outcomes:
            if loser.code != 0:
                assert "already drawn with seed" in loser.err, loser.err
                assert winner_seed in loser.err
        assert _count(path, "select count(*) from members") == 22
        with sqlite3.connect(path) as conn:
            assert conn.execute("select seed from draws where id = 1").fetchone()[0] == winner_seed


def _replaceable_members(path: Path, count: int) -> list[str]:
    """The first `count` members (by number) who each have a respondent off the panel with the
    same features and no household on the panel, so a replacement within the quotas always
    exists, whichever panel the lottery drew."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "select r.features, r.household, m.number from respondents r "
            "left join members m on m.respondent_id = r.id order by r.id"
        ).fetchall()
    seated = {house for _, house, number in rows if number is not None}
    spare: dict[str, int] = {}
    for features, house, number in rows:
        if number is None and (house is None or house not in seated):
            key = json.dumps(json.loads(features), sort_keys=True)
            spare[key] = spare.get(key, 0) + 1
    chosen = []
    for features, _, number in sorted((r for r in rows if r[2] is not None), key=lambda r: r[2]):
        key = json.dumps(json.loads(features), sort_keys=True)
        if spare.get(key, 0) > 0 and len(chosen) < count:
            spare[key] -= 1
            chosen.append(str(number))
    assert len(chosen) == count
    return chosen


@pytest.fixture
def drawn_panel(_drawn_master: Path, tmp_path: Path) -> Path:  # noqa: F811
    """A copy with the panel drawn and two members withdrawn who can be replaced."""

    path = copy_of(_drawn_master, tmp_path, "panel.assembly.db")
    from assembly.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["draw", "seed", str(path), "1", "panel seed"], standalone_mode=True)
    assert exit_info.value.code in (0, None)
    for args in (
        ["members", "status", str(path), n, "withdrawn"] for n in _replaceable_members(path, 2)
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(args, standalone_mode=True)
        assert exit_info.value.code in (0, None)
    return path


def test_two_replacements_at_once_replace_each_member_once(drawn_panel: Path, tmp_path) -> None:
    outcomes = run_at_once(
        [
            ["members", "replace", str(drawn_panel), "--seed", str(s), "--algorithm", "legacy"]
            for s in (1, 2, 3)
        ],
        tmp_path,
    )
    assert_plain(outcomes)
    assert sum(o.code == 0 for o in outcomes) == 1, [(o.code, o.err) for o in outcomes]
    for loser in (o for o in outcomes if o.code != 0):
        assert "replaced" in loser.err or "withdrawn" in loser.err, loser.err
    assert _count(drawn_panel, "select count(*) from members") == 24
    assert _count(drawn_panel, "select count(*) from members where status = 'replaced'") == 2
    assert (
        _count(
            drawn_panel,
            "select count(*) from members where status in ('selected','invited','confirmed')",
        )
        == 22
    )


def test_purge_and_replace_at_once_never_seat_a_purged_person(drawn_panel: Path, tmp_path) -> None:
    outcomes = run_at_once(
        [
            ["members", "replace", str(drawn_panel), "--seed", "5", "--algorithm", "legacy"],
            ["members", "purge", str(drawn_panel), "--yes"],
        ],
        tmp_path,
    )
    assert_plain(outcomes)
    # whatever the order, no member of the panel has lost their contact details
    assert (
        _count(
            drawn_panel,
            "select count(*) from members m join respondents r on r.id = m.respondent_id "
            "where r.purged_at is not null",
        )
        == 0
    )
    assert outcomes[1].code == 0  # the purge always goes ahead


def _cli(*args: str) -> None:
    from assembly.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args), standalone_mode=True)
    assert exit_info.value.code in (0, None), args


@pytest.fixture
def open_vote(tmp_path: Path) -> Path:
    """A new assembly with four topics and an approval vote open on them."""
    path = tmp_path / "vote.assembly.db"
    _cli("new", str(path), "--no-open")
    for title in ("Buses", "Trees", "Markets", "Libraries"):
        _cli("topics", "add", str(path), title)
    _cli("vote", "open", str(path), "--method", "approval", "--tie-rule", "earliest")
    return path


def test_ballots_and_closing_at_once_count_every_accepted_ballot(open_vote: Path, tmp_path) -> None:
    # One ballot first: closing a vote with none is refused, and on a loaded machine the close
    # could otherwise start before any of the ballots below (seen once in a full run).
    _cli("vote", "ballot", str(open_vote), "1", "1")
    ballots = [["vote", "ballot", str(open_vote), "1", f"{n % 4 + 1}"] for n in range(5)]
    outcomes = run_at_once([*ballots, ["vote", "close", str(open_vote), "1"]], tmp_path)
    assert_plain(outcomes)
    assert outcomes[-1].code == 0, outcomes[-1].err
    accepted = 1 + sum(o.code == 0 for o in outcomes[:-1])
    for refused in (o for o in outcomes[:-1] if o.code != 0):
        assert "closed" in refused.err, refused.err
    with sqlite3.connect(open_vote) as conn:
        stored = conn.execute("select count(*) from ballots where round_id = 1").fetchone()[0]
        result = conn.execute("select result from priority_rounds where id = 1").fetchone()[0]
    assert stored == accepted
    assert f'"ballots": {accepted}' in result or f'"ballots":{accepted}' in result


def test_voiding_the_last_ballot_at_once_voids_each_ballot_once(open_vote: Path, tmp_path) -> None:
    for n in range(3):
        _cli("vote", "ballot", str(open_vote), "1", str(n + 1))
    outcomes = run_at_once(
        [["vote", "void", str(open_vote), "1", "--reason", "typed twice"]] * 3, tmp_path
    )
    assert_plain(outcomes)
    voided = [int(o.out.split()[-1].rstrip(".")) for o in outcomes if o.code == 0]
    assert len(voided) == len(set(voided)), voided  # never the same ballot "voided" twice
    assert _count(open_vote, "select count(*) from ballots where voided_at is not null") == len(
        voided
    )


def test_log_writers_at_once_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "log.assembly.db"
    _cli("new", str(path), "--no-open")
    commands = []
    for k in range(4):
        source = tmp_path / f"responses{k}.csv"
        rows = "".join(f",Idea {k}-{n},Body {k},2026-12-01\n" for n in range(20))
        source.write_text("item_id,title,responsible_body,due\n" + rows, encoding="utf-8")
        commands.append(["log", "import", str(path), str(source), "--actor", f"Officer {k}"])
    commands.append(["log", "verify", str(path)])
    outcomes = run_at_once(commands, tmp_path)
    assert_plain(outcomes)
    assert all(o.code == 0 for o in outcomes), [o.err for o in outcomes]
    assert _count(path, "select count(*) from feedback_entries") == 80
    _cli("log", "verify", str(path), "--deep")


def test_a_purge_saved_while_a_replacement_is_worked_out_is_never_undone(
    drawn_panel: Path, tmp_path: Path
) -> None:
    """The replacement is computed from the pool as it was; a purge lands before it is saved:
    saving it then would seat people whose contact details are gone. It is refused instead."""
    from tests.integrity.conftest import run_python_at_once

    def purge(conn: sqlite3.Connection) -> None:  # what 'members purge' writes
        conn.execute(
            "update respondents set name = null, email = null, phone = null, address = null, "
            "postcode = null, purged_at = '2026-10-02T09:00:00Z' where purged_at is null "
            "and id not in (select respondent_id from members)"
        )

    replace = (
        "from assembly.organiser.members import replace_withdrawn\n"
        "from assembly.organiser.errors import OrganiserError\n"
        "from assembly.store import open_assembly\n"
        f"a = open_assembly({str(drawn_panel)!r})\n"
        "# --- at once ---\n"
        "try:\n"
        "    replace_withdrawn(a.db(), a.clock, seed=5, algorithm='legacy')\n"
        "except OrganiserError as error:\n"
        "    print('refused:', error)\n"
    )
    (outcome,) = run_python_at_once([replace], tmp_path, hold=drawn_panel, meanwhile=purge)
    assert_plain([outcome])
    assert "refused: a person chosen as a replacement" in outcome.out, outcome.out + outcome.err
    assert (
        _count(
            drawn_panel,
            "select count(*) from members m join respondents r on r.id = m.respondent_id "
            "where r.purged_at is not null",
        )
        == 0
    )
    assert _count(drawn_panel, "select count(*) from members where status = 'withdrawn'") == 2


def test_two_seeds_checked_before_either_is_saved_still_draw_once(
    _drawn_master: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Deterministic form of the first test: both processes have looked at the draw before
    either may write (the test holds the write lock), as happens one run in three."""
    from tests.integrity.conftest import run_python_at_once

    path = copy_of(_drawn_master, tmp_path, "held.assembly.db")
    seeds = _seeds_with_distinct_panels(2)
    scripts = [
        "from assembly.organiser.draws import enter_seed\n"
        "from assembly.organiser.errors import OrganiserError\n"
        "from assembly.store import open_assembly\n"
        f"a = open_assembly({str(path)!r})\n"
        "# --- at once ---\n"
        "try:\n"
        f"    enter_seed(a.db(), 1, {seed!r}, a.clock)\n"
        "    print('drawn')\n"
        "except OrganiserError as error:\n"
        "    print('refused:', error)\n"
        for seed in seeds
    ]
    outcomes = run_python_at_once(scripts, tmp_path, hold=path)
    assert_plain(outcomes)
    assert sorted(o.out.split(":")[0].strip() for o in outcomes) == ["drawn", "refused"]
    assert _count(path, "select count(*) from members") == 22
