"""Topics: proposed live or imported, merged keeping history, and prioritisation votes whose
declared rules cannot change once a ballot is in; bad input is refused whole, with where."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assembly.agenda import rounds, topics
from assembly.agenda.errors import AgendaError
from assembly.agenda.report import agenda_report


def _count(db, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_propose_live_with_member_and_anonymity(db, clock) -> None:
    t1 = topics.propose_topic(db, clock, "Safer crossings", member_number=3, anonymous=True)
    t2 = topics.propose_topic(db, clock, "Market stalls", proposer_name="Pat (resident)")
    one, two = topics.list_topics(db)
    assert (one.id, two.id) == (t1, t2)
    assert one.proposer_kind == "member" and one.member_number == 3
    assert one.proposed_by(for_report=True) == "Anonymous"
    assert "member 3" in one.proposed_by()
    assert two.proposed_by(for_report=True) == "Pat (resident)"
    assert topics.topic_history(db, t1)[0]["action"] == "proposed"
    with pytest.raises(AgendaError, match="no panel member number 99"):
        topics.propose_topic(db, clock, "X", member_number=99)
    with pytest.raises(AgendaError, match="no title"):
        topics.propose_topic(db, clock, "   ")


def test_import_csv_of_submissions(db, clock, tmp_path: Path) -> None:
    path = tmp_path / "submissions.csv"
    path.write_text(
        "Title,Description,Proposed_by,member_number,anonymous,channel\n"
        'Cheaper bus fares,"Buses every 10 minutes,\nand cheaper",Ann,,no,paper\n'
        "More benches,for older people,,2,yes,online\n"
        ",,,,,\n"
    )
    ids = topics.import_topics_csv(db, clock, path)
    assert len(ids) == 2
    bench = topics.get_topic(db, ids[1])
    assert bench.member_number == 2 and bench.anonymous
    assert bench.source_ref == "submissions.csv row 3 (online)"
    assert topics.topic_history(db, ids[0])[0]["action"] == "imported"
    assert topics.get_topic(db, ids[0]).description == "Buses every 10 minutes,\nand cheaper"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,description\nBuses,x\n",
            r"subs.csv has no title column \(its columns are: name, description\)",
        ),
        (
            "title,member_number\nBuses,\nTrees,seven\n",
            "subs.csv, row 3, column member_number: 'seven'",
        ),
        ("title,anonymous\nBuses,perhaps\n", "subs.csv, row 2, column anonymous"),
        ("title,description\nBuses,a\n,b\n", "subs.csv, row 3, column title"),
        (
            "title,member_number\nBuses,1\nTrees,77\n",
            "subs.csv, row 3: there is no panel member number 77",
        ),
        ("title\n", "has no topics"),
    ],
)
def test_bad_csv_names_what_and_where_and_saves_nothing(
    db, clock, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "subs.csv"
    path.write_text(content)
    with pytest.raises(AgendaError, match=message):
        topics.import_topics_csv(db, clock, path)
    assert _count(db, "topics") == 0


def test_merge_keeps_history_on_both_sides(db, clock) -> None:
    keep = topics.propose_topic(db, clock, "Bus fares", member_number=1)
    dupe = topics.propose_topic(db, clock, "Cheaper buses", proposer_name="Jo")
    clock.advance(minutes=5)
    topics.merge_topics(db, clock, keep, [dupe], note="same idea")
    assert [t.id for t in topics.list_topics(db)] == [keep]
    merged = topics.get_topic(db, dupe)
    assert merged.status == "merged" and merged.merged_into_id == keep
    assert merged.proposed_by() == "Jo"  # the proposer stays on record
    kept_history = topics.topic_history(db, keep)
    assert kept_history[-1]["action"] == "absorbed"
    assert kept_history[-1]["detail"]["title"] == "Cheaper buses"
    assert topics.topic_history(db, dupe)[-1]["detail"]["into"] == keep
    with pytest.raises(AgendaError, match="already merged"):
        topics.merge_topics(db, clock, keep, [dupe])


def _three_topics(db, clock) -> list[int]:
    return [topics.propose_topic(db, clock, title) for title in ("Buses", "Trees", "Shops")]


def test_declared_rules_freeze_at_the_first_ballot(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    round_id = rounds.open_round(db, clock, method="borda", tie_rule="earliest")
    rounds.change_round(db, round_id, method="schulze")  # allowed: nobody has voted
    assert rounds.get_round(db, round_id).method == "schulze"
    rounds.record_ballot(db, clock, round_id, [b, a, c])
    with pytest.raises(AgendaError, match="declared before voting and cannot change"):
        rounds.change_round(db, round_id, tie_rule="lot")
    # the file itself refuses, even to a direct write
    with pytest.raises(sqlite3.IntegrityError, match="declared before voting"):
        db.execute("update priority_rounds set method = 'borda' where id = ?", [round_id])
    assert rounds.get_round(db, round_id).method == "schulze"


def test_ranked_ballots_counted_and_bad_ballot_refused(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    round_id = rounds.open_round(db, clock, method="borda", tie_rule="earliest")
    for ranking in ([b, a, c], [b, c, a], [a, b, c]):
        rounds.record_ballot(db, clock, round_id, ranking, voter="paper")
    with pytest.raises(AgendaError, match=r"Ballot 4 \(member 2\), place 2: topic 999"):
        rounds.record_ballot(db, clock, round_id, [a, 999], voter="member 2")
    assert _count(db, "ballots") == 3 and _count(db, "ballot_marks") == 9
    result = rounds.round_result(db, round_id)
    assert result.order == (b, a, c)
    assert {s.option: s.score for s in result.standings} == {b: 5, a: 3, c: 1}
    closed = rounds.close_round(db, clock, round_id)
    assert closed.order == (b, a, c)
    with pytest.raises(AgendaError, match="closed"):
        rounds.record_ballot(db, clock, round_id, [a])


def test_dot_ballots_and_paper_tallies(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    with pytest.raises(AgendaError, match="number of dots"):
        rounds.open_round(db, clock, method="dot", tie_rule="earliest")
    round_id = rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3)
    rounds.record_ballot(db, clock, round_id, {a: 2, c: 1})
    with pytest.raises(AgendaError, match="Ballot 2 uses 4 dots"):
        rounds.record_ballot(db, clock, round_id, {a: 4})
    with pytest.raises(AgendaError, match=r"Paper tally 1: topic \d+ has -2"):
        rounds.record_tally(db, clock, round_id, {a: 5, b: -2}, papers=3)
    assert _count(db, "ballots") == 1  # nothing half-saved
    rounds.record_tally(db, clock, round_id, {a: 1, b: 6, c: 2}, papers=3)
    result = rounds.round_result(db, round_id)
    assert {s.option: s.score for s in result.standings} == {a: 3, b: 6, c: 3}
    assert result.order == (b, a, c)  # a and c tie on 3: a was proposed first
    assert result.ties[0].options == (a, c)
    assert result.ballots == 4


def test_pairwise_choices_and_next_pair(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    round_id = rounds.open_round(
        db, clock, method="pairwise", tie_rule="lot", rng=np.random.default_rng(1)
    )
    seed = rounds.get_round(db, round_id).tie_seed
    assert seed is not None
    rng = np.random.default_rng(2)
    shown = rounds.next_pair(db, round_id, rng)
    assert set(shown) <= {a, b, c} and shown[0] != shown[1]
    rounds.record_choice(db, clock, round_id, a, b)
    rounds.record_choice(db, clock, round_id, a, c)
    rounds.record_choice(db, clock, round_id, None, pair=(b, c))
    with pytest.raises(AgendaError, match="not in vote"):
        rounds.record_choice(db, clock, round_id, a, 12345)
    result = rounds.round_result(db, round_id)
    assert result.order[0] == a
    assert result.standing(a).counts["wins"] == 2
    assert result.extra["skipped"] == 1
    lines = rounds.result_lines(db, result)
    assert lines[0] == "Chance of winning a pair:"
    assert "Buses" in lines[1] and lines[1].rstrip().endswith("%")


def test_pairwise_results_use_plain_words_and_name_the_methods_once(db, clock) -> None:
    """Residents read the results: headings in plain words, the methods named for the record."""
    a, b, _c = _three_topics(db, clock)
    round_id = rounds.open_round(db, clock, method="pairwise", tie_rule="earliest")
    rounds.record_choice(db, clock, round_id, a, b)
    result = rounds.round_result(db, round_id)
    shown = " ".join([*rounds.result_lines(db, result), *rounds.count_columns(result)])
    assert "AOI" not in shown and "Bradley" not in shown
    assert "chance of winning a pair" in shown and "estimated strength" in shown
    how = result.extra["how_scored"]
    assert "All Our Ideas score" in how and "Bradley–Terry fit" in how
    report = agenda_report(db)
    assert "AOI" not in report and "All Our Ideas score" in report


def test_merging_a_topic_in_a_vote_with_ballots_is_refused(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    round_id = rounds.open_round(db, clock, method="approval", tie_rule="earliest")
    rounds.record_ballot(db, clock, round_id, [a, b])
    with pytest.raises(AgendaError, match=f"vote {round_id}, which already has ballots"):
        topics.merge_topics(db, clock, a, [c])


def test_a_mistaken_ballot_is_voided_not_deleted(db, clock) -> None:
    a, b, c = _three_topics(db, clock)
    round_id = rounds.open_round(db, clock, method="borda", tie_rule="earliest")
    rounds.record_ballot(db, clock, round_id, [a, b, c])
    typo = rounds.record_ballot(db, clock, round_id, [c, b, a], voter="paper 2")
    last = rounds.last_ballot(db, round_id)
    assert last is not None and last.id == typo
    assert last.describe({a: "Buses", b: "Trees", c: "Shops"}, "borda") == (
        "Ballot (paper 2): Shops > Trees > Buses"
    )
    with pytest.raises(AgendaError, match="Say why"):
        rounds.void_ballot(db, clock, round_id, typo, reason=" ")
    rounds.void_ballot(db, clock, round_id, typo, reason="typed in twice")
    assert rounds.get_round(db, round_id).ballots == 1
    assert rounds.round_result(db, round_id).order == (a, b, c)
    with pytest.raises(AgendaError, match="already voided"):
        rounds.void_ballot(db, clock, round_id, typo, reason="again")
    # nothing is erased, even by a direct write to the file
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        db.execute("delete from ballots where id = ?", [typo])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        db.execute("update ballot_marks set value = 1 where ballot_id = ?", [typo])
    assert db.execute("select void_reason from ballots where id = ?", [typo]).fetchone()[0] == (
        "typed in twice"
    )
