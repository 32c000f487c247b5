"""Table plans against a brute-force optimum on small rooms, and the rules every plan keeps.

The brute force here is independent of the search: it lists every balanced seating of each
round, scores rounds with its own loops, and adds the repeat cost as the number of shared tables
over every pair of rounds (sum over pairs of C(m, 2) counts exactly that)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from assembly.tables.search import (
    Pins,
    PlanError,
    check_running_costs,
    check_seating,
    groupselect_diversity,
    groupselect_meeting_scores,
    plan_tables,
    score_seating,
    table_sizes,
)


def _round_seatings(n: int, tables: int) -> list[tuple[int, ...]]:
    """Every labelled seating of n people with table t holding table_sizes(n, T)[t] people."""
    sizes = table_sizes(n, tables).tolist()
    out: list[tuple[int, ...]] = []

    def fill(seat: list[int], t: int, left: list[int]) -> None:
        if t == tables:
            out.append(tuple(seat))
            return
        for chosen in itertools.combinations(left, sizes[t]):
            for p in chosen:
                seat[p] = t
            fill(seat, t + 1, [p for p in left if p not in chosen])

    fill([-1] * n, 0, list(range(n)))
    return out


def _round_cost(codes: np.ndarray, row: tuple[int, ...], tables: int, weight: list[float]) -> float:
    n = len(row)
    sizes = table_sizes(n, tables)
    cost = 0.0
    for f in range(codes.shape[1]):
        for value in set(codes[:, f].tolist()):
            share = sum(1 for p in range(n) if codes[p, f] == value) / n
            for t in range(tables):
                here = sum(1 for p in range(n) if row[p] == t and codes[p, f] == value)
                cost += weight[f] * (here - sizes[t] * share) ** 2
    return cost


def brute_force(
    codes: np.ndarray,
    tables: int,
    rounds: int,
    pins: Pins | None = None,
    repeat_weight: float = 1.0,
    weight: list[float] | None = None,
) -> float:
    pins = pins or Pins()
    n = codes.shape[0]
    weight = weight or [1.0] * codes.shape[1]
    together = {frozenset(pair) for g in pins.together for pair in itertools.combinations(g, 2)}
    pairs = [(p, q) for p in range(n) for q in range(p + 1, n) if frozenset((p, q)) not in together]
    rows = [
        row
        for row in _round_seatings(n, tables)
        if all(len({row[p] for p in g}) == 1 for g in pins.together)
        and all(row[a] != row[b] for a, b in pins.apart)
    ]
    cost = np.array([_round_cost(codes, row, tables, weight) for row in rows])
    met = np.array([[row[p] == row[q] for p, q in pairs] for row in rows], dtype=float)
    shared = met @ met.T  # shared[x, y]: pairs at one table in both seating x and seating y
    if rounds == 1:
        return float(cost.min())
    if rounds == 2:
        return float((cost[:, None] + cost[None, :] + repeat_weight * shared).min())
    assert rounds == 3
    total = (
        cost[:, None, None]
        + cost[None, :, None]
        + cost[None, None, :]
        + repeat_weight * (shared[:, :, None] + shared[:, None, :] + shared[None, :, :])
    )
    return float(total.min())


def _room(seed: int, n: int, levels: tuple[int, ...]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.integers(0, k, n) for k in levels])


CASES = [
    # (seed, people, tables, rounds, feature levels, pins, repeat weight)
    (1, 6, 2, 2, (2, 3), Pins(), 1.0),
    (2, 6, 2, 3, (2, 2), Pins(), 1.0),
    (3, 6, 3, 3, (2,), Pins(), 1.0),
    (4, 7, 3, 2, (2, 3), Pins(), 1.0),
    (5, 7, 2, 2, (3, 2), Pins(), 0.5),
    (6, 8, 2, 2, (2, 2, 3), Pins(), 1.0),
    (7, 8, 2, 3, (2, 2), Pins(), 2.0),
    (8, 6, 2, 3, (2, 3), Pins(together=((0, 1),)), 1.0),
    (9, 7, 2, 2, (2, 3), Pins(apart=((0, 1), (2, 3))), 1.0),
    (10, 8, 2, 2, (3, 2), Pins(together=((0, 1, 2),), apart=((0, 5),)), 1.0),
    (11, 7, 3, 2, (2, 2), Pins(together=((4, 5),), apart=((0, 1),)), 3.0),
    (12, 6, 2, 2, (2, 3), Pins(), 0.0),
]


@pytest.mark.parametrize(("seed", "n", "tables", "rounds", "levels", "pins", "weight"), CASES)
def test_plan_reaches_brute_force_optimum(seed, n, tables, rounds, levels, pins, weight) -> None:
    codes = _room(seed, n, levels)
    optimum = brute_force(codes, tables, rounds, pins, weight)
    plan = plan_tables(
        codes, tables, rounds, np.random.default_rng(seed), pins=pins, repeat_weight=weight
    )
    assert check_seating(plan.seating, tables, pins) == []
    assert plan.score.total == pytest.approx(optimum, abs=1e-9)
    again = score_seating(codes, plan.seating, tables, pins=pins, repeat_weight=weight)
    assert again == plan.score


def test_brute_force_scores_match_score_seating() -> None:
    """The two cost implementations agree on every seating of a small room."""
    codes = _room(3, 6, (2, 3))
    rows = _round_seatings(6, 2)
    for x, y in [(0, 0), (1, 7), (5, 19), (12, 3)]:
        seating = np.array([rows[x], rows[y]])
        mine = score_seating(codes, seating, 2)
        cost = _round_cost(codes, rows[x], 2, [1, 1]) + _round_cost(codes, rows[y], 2, [1, 1])
        shared = sum(
            rows[x][p] == rows[x][q] and rows[y][p] == rows[y][q]
            for p in range(6)
            for q in range(p + 1, 6)
        )
        assert mine.total == pytest.approx(cost + shared)
        assert mine.repeats == shared


def test_same_seed_same_plan_and_sizes_balanced() -> None:
    codes = _room(21, 53, (2, 5, 4))
    one = plan_tables(codes, 7, 3, np.random.default_rng(5), iterations=3000)
    two = plan_tables(codes, 7, 3, np.random.default_rng(5), iterations=3000)
    assert np.array_equal(one.seating, two.seating)
    for row in one.seating:
        sizes = np.bincount(row, minlength=7)
        assert sizes.max() - sizes.min() <= 1 and sizes.sum() == 53


def test_incremental_costs_match_rescoring_with_pins() -> None:
    """Many random moves, including pinned groups swapping with others: the running total and
    the cached sums stay equal to a full rescoring."""
    codes = _room(4, 24, (2, 3, 4))
    pins = Pins(together=((0, 1, 2), (3, 4)), apart=((5, 6),))
    plan = plan_tables(
        codes, 4, 3, np.random.default_rng(1), pins=pins, repeat_weight=1.5, iterations=10
    )
    draws = np.random.default_rng(2).random((400, 4)).tolist()
    check = check_running_costs(codes, plan.seating, 4, draws, pins=pins, repeat_weight=1.5)
    assert check.moves > 300
    assert check.running_total == pytest.approx(check.rescored_total)
    assert check.caches_agree


def test_pins_hold_in_a_bigger_room_and_plan_beats_random() -> None:
    codes = _room(8, 60, (2, 6, 3, 2))
    pins = Pins(together=((0, 1, 2), (10, 11)), apart=((3, 4), (3, 5), (4, 5)))
    plan = plan_tables(codes, 8, 4, np.random.default_rng(3), pins=pins)
    assert check_seating(plan.seating, 8, pins) == []
    rng = np.random.default_rng(4)
    sizes = table_sizes(60, 8)
    random_seating = np.array([rng.permutation(np.repeat(np.arange(8), sizes)) for _ in range(4)])
    baseline = score_seating(codes, random_seating, 8)
    assert plan.score.diversity < baseline.diversity / 2
    assert plan.score.repeat_pairs < baseline.repeat_pairs


@pytest.mark.parametrize(
    ("n", "tables", "pins", "words"),
    [
        (10, 4, Pins(together=((0, 1, 2, 3),)), "pinned to sit together"),
        (6, 2, Pins(apart=((0, 1), (1, 2), (0, 2))), "keep-apart"),
        (6, 2, Pins(together=((0, 1),), apart=((0, 1),)), "both together and apart"),
        (3, 5, Pins(), "cannot fill 5 tables"),
        (6, 2, Pins(apart=((0, 9),)), "not two people in the room"),
    ],
)
def test_impossible_requests_say_why(n, tables, pins, words) -> None:
    with pytest.raises(PlanError, match=words):
        plan_tables(_room(1, n, (2,)), tables, 2, np.random.default_rng(0), pins=pins)


def test_cancel_returns_a_valid_plan() -> None:
    codes = _room(2, 40, (2, 3))
    seen = []
    plan = plan_tables(
        codes,
        5,
        3,
        np.random.default_rng(0),
        progress=lambda done, total: seen.append(done),
        should_stop=lambda: len(seen) >= 2,
    )
    assert plan.cancelled and plan.iterations < 40 * 300 * 3
    assert check_seating(plan.seating, 5) == []


def test_groupselect_measures_on_hand_examples() -> None:
    # Two rounds of 4 people at 2 tables: identical rounds are the worst case (score 0) and
    # disjoint pairings the best (score 1).
    same = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    fresh = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
    assert groupselect_meeting_scores(same) == (pytest.approx(2 / 6), 0.0)
    assert groupselect_meeting_scores(fresh) == (pytest.approx(4 / 6), 1.0)
    codes = np.array([[0], [0], [1], [1]])
    # Tables {0,1},{2,3}: each table is all one value: L1 gap |1-.5|+|0-.5| = 1 at each table.
    assert groupselect_diversity(codes, same[:1], 2) == pytest.approx(1.0)
    assert groupselect_diversity(codes, np.array([[0, 1, 0, 1]]), 2) == pytest.approx(0.0)


def test_feature_weights_reach_brute_force_optimum() -> None:
    codes = _room(13, 7, (2, 3))
    weights = [3.0, 0.5]
    optimum = brute_force(codes, 2, 2, Pins(), 1.0, weights)
    plan = plan_tables(codes, 2, 2, np.random.default_rng(13), feature_weights=weights)
    assert plan.score.total == pytest.approx(optimum, abs=1e-9)
    unweighted = brute_force(codes, 2, 2, Pins(), 1.0)
    assert optimum != pytest.approx(unweighted)  # the weights matter in this room
