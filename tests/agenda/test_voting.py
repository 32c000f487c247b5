"""Each counting method against hand-worked examples, and ties settled by the declared rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembly.agenda import voting
from assembly.agenda.voting import BallotError

# --- Schulze: the worked example from Wikipedia's "Schulze method" article (45 voters) -------

WIKI_GROUPS = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]
WIKI_BALLOTS = [list(order) for n, order in WIKI_GROUPS for _ in range(n)]

WIKI_D = [
    [0, 20, 26, 30, 22],
    [25, 0, 16, 33, 18],
    [19, 29, 0, 17, 24],
    [15, 12, 28, 0, 14],
    [23, 27, 21, 31, 0],
]
WIKI_P = [
    [0, 28, 28, 30, 24],
    [25, 0, 28, 33, 24],
    [25, 29, 0, 29, 24],
    [25, 28, 28, 0, 24],
    [25, 28, 28, 31, 0],
]


def test_schulze_wikipedia_example() -> None:
    assert len(WIKI_BALLOTS) == 45
    result = voting.schulze_result(list("ABCDE"), WIKI_BALLOTS)
    assert result.extra["preferences"] == WIKI_D
    assert result.extra["strongest_paths"] == WIKI_P
    assert result.order == tuple("EACBD")
    assert [s.score for s in result.standings] == [4, 3, 2, 1, 0]
    assert result.ties == ()
    assert result.ballots == 45
    # full counts: E was ranked first on 8 ballots, never left unranked
    e = result.standing("E").counts
    assert e["1st"] == 8 and e["not ranked"] == 0


def test_condorcet_cycle_is_a_full_tie_settled_by_the_rule() -> None:
    cycle = [list("ABC"), list("BCA"), list("CAB")]
    result = voting.schulze_result(list("ABC"), cycle, tie_rule="earliest")
    assert [s.shared_rank for s in result.standings] == [1, 1, 1]
    assert result.order == tuple("ABC")
    assert len(result.ties) == 1 and set(result.ties[0].options) == set("ABC")
    # each pair: 2 to 1, so every head-to-head is won by someone
    d = np.array(result.extra["preferences"])
    assert sorted(d[d > 0].tolist()) == [1, 1, 1, 2, 2, 2]
    borda = voting.borda_result(list("ABC"), cycle)
    assert [s.score for s in borda.standings] == [3, 3, 3]


def test_lot_tie_rule_is_repeatable_from_its_seed() -> None:
    cycle = [list("ABC"), list("BCA"), list("CAB")]
    draws = np.random.default_rng(7).permutation(3)
    expected = tuple(sorted("ABC", key=lambda o: draws["ABC".index(o)]))
    first = voting.schulze_result(list("ABC"), cycle, tie_rule="lot", seed=7)
    again = voting.schulze_result(list("ABC"), cycle, tie_rule="lot", seed=7)
    assert first.order == again.order == expected
    orders = {
        voting.schulze_result(list("ABC"), cycle, tie_rule="lot", seed=s).order for s in range(30)
    }
    assert len(orders) > 1  # the draw really depends on the seed
    with pytest.raises(BallotError, match="needs the number"):
        voting.schulze_result(list("ABC"), cycle, tie_rule="lot")


# --- Borda: Wikipedia's Tennessee capital example (100 voters) --------------------------------

TENNESSEE = [
    (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
    (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
    (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
    (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
]


def test_borda_tennessee_example() -> None:
    ballots = [order for n, order in TENNESSEE for _ in range(n)]
    options = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
    result = voting.borda_result(options, ballots)
    # Memphis 42x3; Nashville 42x2+26x3+15+17; Chattanooga 42+26x2+15x3+17x2; Knoxville 26+15x2+17x3
    assert {s.option: s.score for s in result.standings} == {
        "Memphis": 126,
        "Nashville": 194,
        "Chattanooga": 173,
        "Knoxville": 107,
    }
    assert result.order == ("Nashville", "Chattanooga", "Memphis", "Knoxville")
    assert result.standing("Memphis").counts["1st"] == 42
    assert result.standing("Memphis").counts["4th"] == 58
    # Schulze on the same ballots also elects Nashville (the Condorcet winner)
    assert voting.schulze_result(options, ballots).order[0] == "Nashville"


def test_borda_partial_ballot_gives_unranked_nothing() -> None:
    result = voting.borda_result(list("ABCD"), [["C"], ["C", "A"]])
    scores = {s.option: s.score for s in result.standings}
    assert scores == {"A": 2, "B": 0, "C": 6, "D": 0}
    assert result.standing("B").counts["not ranked"] == 2


# --- dot and approval --------------------------------------------------------------------------


def test_dot_votes_with_paper_tallies_and_a_tie() -> None:
    ballots = [{"A": 2, "B": 1}, {"B": 3}, {"C": 1, "A": 1, "D": 1}]
    tallies = [({"A": 4, "C": 6, "D": 1}, 4)]
    result = voting.tally_result(
        "dot", list("ABCD"), ballots, tallies, tie_rule="earliest", dots_per_voter=3
    )
    # A 2+1+4 = 7, B 4, C 1+6 = 7, D 2: A and C tie on 7, A was proposed first
    assert result.order == ("A", "C", "B", "D")
    assert [s.shared_rank for s in result.standings] == [1, 1, 3, 4]
    assert result.ties[0].options == ("A", "C")
    assert result.standing("C").counts == {"dots": 7, "typed in": 1, "from paper tallies": 6}
    assert result.ballots == 7
    by_lot = voting.tally_result("dot", list("ABCD"), ballots, tallies, tie_rule="lot", seed=3)
    keys = np.random.default_rng(3).permutation(4)
    assert by_lot.order[:2] == (("A", "C") if keys[0] < keys[2] else ("C", "A"))


def test_approval_counts_and_shares() -> None:
    ballots = [{"A": 1, "B": 1}, {"B": 1}, {"B": 1, "C": 1}]
    result = voting.tally_result("approval", list("ABC"), ballots, [({"A": 1}, 1)])
    assert result.order == ("B", "A", "C")
    assert result.standing("B").counts["share of ballots"] == pytest.approx(3 / 4)
    with pytest.raises(BallotError, match="ticks a topic at most once"):
        voting.tally_result("approval", list("AB"), [{"A": 2}])
    with pytest.raises(BallotError, match="3 ticks from 2 papers"):
        voting.tally_result("approval", list("AB"), [], [({"A": 3}, 2)])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: voting.tally_result("dot", list("AB"), [{"A": -1}]), "Ballot 1: topic 'A' has -1"),
        (
            lambda: voting.tally_result("dot", list("AB"), [{"A": 1}, {"Z": 1}]),
            "Ballot 2: topic 'Z' is not",
        ),
        (
            lambda: voting.tally_result("dot", list("AB"), [{"A": 4}], dots_per_voter=3),
            "uses 4 dots",
        ),
        (lambda: voting.tally_result("dot", list("AB"), [], [({"B": -2}, 1)]), "Paper tally 1"),
        (lambda: voting.borda_result(list("AB"), [["A", "Q"]]), "Ballot 1, place 2: topic 'Q'"),
        (lambda: voting.schulze_result(list("AB"), [["A", "A"]]), "ranked twice"),
        (lambda: voting.borda_result(list("AB"), [[]]), "ranks no topics"),
        (lambda: voting.pairwise_result(list("AB"), [("A", "C")]), "Choice 1: topic 'C'"),
        (lambda: voting.count("plurality", list("AB")), "Unknown voting method"),
        (lambda: voting.count("borda", list("AB"), tie_rule="coin"), "Unknown tie rule"),
    ],
)
def test_bad_input_says_what_and_where(call, message: str) -> None:
    with pytest.raises(BallotError, match=message):
        call()


# --- pairwise: All Our Ideas score and Bradley–Terry -------------------------------------------


def test_aoi_scores_by_hand() -> None:
    choices = [("A", "B")] * 3 + [("B", "A")] + [("C", "A")]
    result = voting.pairwise_result(list("ABCD"), choices, skipped=2)
    # A: 3 wins 2 losses -> 4/7; B: 1 win 3 losses -> 2/6; C: 1 win 0 losses -> 2/3; D unseen -> 1/2
    scores = {s.option: s.score for s in result.standings}
    assert scores == pytest.approx({"A": 4 / 7, "B": 2 / 6, "C": 2 / 3, "D": 1 / 2})
    assert result.order == ("C", "A", "D", "B")
    assert result.standing("A").counts["wins"] == 3
    assert result.standing("A").counts["losses"] == 2
    assert result.extra["skipped"] == 2


def test_bradley_terry_two_options_known_solution() -> None:
    fit = voting.bradley_terry(np.array([[0, 3], [1, 0]]))
    assert fit.converged and fit.exists
    assert fit.strengths == pytest.approx([0.75, 0.25], abs=1e-8)


def test_bradley_terry_three_options_known_solution() -> None:
    # Strengths 1:2:4 are the exact solution: each option's wins equal its expected wins.
    # B beat A 2-1, C beat B 2-1, C beat A 4-1.
    w = np.array([[0, 1, 1], [2, 0, 1], [4, 2, 0]])
    fit = voting.bradley_terry(w)
    assert fit.strengths == pytest.approx(np.array([1, 2, 4]) / 7, abs=1e-8)
    chances = voting.win_chances(fit.strengths)
    assert chances[2] == pytest.approx((4 / 5 + 4 / 6) / 2)


def test_bradley_terry_agrees_with_direct_likelihood_maximisation() -> None:
    from scipy.optimize import minimize

    rng = np.random.default_rng(5)
    w = rng.integers(1, 6, size=(5, 5))
    np.fill_diagonal(w, 0)

    def negative_log_likelihood(theta: np.ndarray) -> float:
        diff = theta[:, None] - theta[None, :]
        return float((w * np.logaddexp(0, -diff)).sum())

    best = minimize(negative_log_likelihood, np.zeros(5), method="BFGS", options={"gtol": 1e-10})
    reference = np.exp(best.x) / np.exp(best.x).sum()
    assert voting.bradley_terry(w).strengths == pytest.approx(reference, abs=1e-6)


def test_bradley_terry_without_a_connected_graph_uses_the_prior() -> None:
    w = np.array([[0, 2, 2], [0, 0, 1], [0, 1, 0]])  # A never lost
    assert not voting.comparison_graph_connected(w)
    assert not voting.bradley_terry(w).exists
    result = voting.pairwise_result(
        list("ABC"), [("A", "B")] * 2 + [("A", "C")] * 2 + [("B", "C"), ("C", "B")]
    )
    assert "average topic" in result.extra["bradley_terry"]
    strengths = {s.option: s.counts[voting.FIT_STRENGTH] for s in result.standings}
    assert strengths["A"] > strengths["B"] == pytest.approx(strengths["C"])
    assert sum(strengths.values()) == pytest.approx(1.0)


def test_pairwise_tie_follows_declared_rule() -> None:
    choices = [("A", "B"), ("B", "A")]
    assert voting.pairwise_result(list("BA"), choices).order == ("B", "A")
    assert voting.pairwise_result(list("AB"), choices).order == ("A", "B")


def test_next_pair_asks_every_pair_before_repeating() -> None:
    rng = np.random.default_rng(0)
    options = list("ABCD")
    choices: list[tuple[str, str]] = []
    for _ in range(6):
        a, b = voting.next_pair(options, choices, rng)
        choices.append((a, b))
    assert len({frozenset(c) for c in choices}) == 6


def test_bar_lines_write_numbers_not_just_bars() -> None:
    lines = voting.bar_lines(
        [("Buses", 10, "10 dots"), ("Trees", 5, "5 dots"), ("Bins", 0, "0 dots")], width=10
    )
    assert lines[0].count("█") == 10 and lines[0].endswith("10 dots")
    assert lines[1].count("█") == 5
    assert "█" not in lines[2] and lines[2].endswith("0 dots")


# --- invariants ----------------------------------------------------------------------------------

rankings = st.lists(st.permutations(list("ABCD")), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(rankings)
def test_borda_points_add_up_and_schulze_elects_a_condorcet_winner(ballots) -> None:
    borda = voting.borda_result(list("ABCD"), ballots)
    assert sum(s.score for s in borda.standings) == len(ballots) * 6
    d = voting.pairwise_preferences(list("ABCD"), ballots)
    winners = [i for i in range(4) if all(d[i, j] > d[j, i] for j in range(4) if j != i)]
    schulze = voting.schulze_result(list("ABCD"), ballots)
    if winners:
        assert schulze.order[0] == "ABCD"[winners[0]]
    assert sorted(s.rank for s in schulze.standings) == [1, 2, 3, 4]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=6, max_size=6))
def test_bradley_terry_fit_meets_its_score_equations(counts) -> None:
    # Every pair played both ways (a connected graph): at the maximum-likelihood fit each
    # option's wins equal its expected wins, sum_j n_ij * s_i / (s_i + s_j).
    w = np.zeros((3, 3))
    pairs = [(0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1)]
    for (i, j), n in zip(pairs, counts, strict=True):
        w[i, j] = n
    fit = voting.bradley_terry(w)
    s = fit.strengths
    expected = [(w + w.T)[i] @ (s[i] / (s[i] + s)) for i in range(3)]  # diagonal n_ii = 0
    assert fit.converged
    assert np.allclose(expected, w.sum(axis=1), atol=1e-6)


def _standing(rank: int, shared: int) -> voting.Standing:
    return voting.Standing(option=rank, rank=rank, shared_rank=shared, score=0.0, counts={})


@pytest.mark.parametrize(
    ("places", "expected"),
    [
        ([(1, 1), (2, 2)], ["1", "2"]),
        (
            [(1, 1), (2, 2), (3, 2), (4, 2), (5, 5)],
            ["1", "2= (3 tied)", "2= (3 tied)", "2= (3 tied)", "5"],
        ),
        ([(1, 1), (2, 1)], ["1= (2 tied)", "1= (2 tied)"]),
    ],
)
def test_a_joint_place_reads_as_joint_with_how_many_share_it(places, expected) -> None:
    """Issue 25: '4 (tied 3)' could mean 3 dots or 'tied with rank 3'; '4= (3 tied)' cannot."""
    standings = [_standing(rank, shared) for rank, shared in places]
    assert [voting.rank_label(s, standings) for s in standings] == expected
