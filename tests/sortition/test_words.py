"""The library's words: English when printed, and an infeasible instance's explanation kept
line by line as message ids and values, for an app to show in its own language."""

from __future__ import annotations

import re

from sortition.loosen import QuotaChange, explain_infeasible
from sortition.words import Words, words
from tests.sortition.conftest import make_instance

NAMED = re.compile(r"%\([a-z_]+\)s")


def test_words_print_their_english() -> None:
    said = words("%(feature)s = %(value)s: %(have)s", feature="gender", value="Woman", have=3)
    assert isinstance(said, Words)
    assert str(said) == "gender = Woman: 3"
    assert said.msgid == "%(feature)s = %(value)s: %(have)s"
    assert dict(said.params) == {"feature": "gender", "value": "Woman", "have": 3}
    assert str(words("Reasons:")) == "Reasons:"


def test_words_within_words_print_their_english() -> None:
    inner = words("%(value)s at most %(cap)s", value="Woman", cap=2)
    assert str(words("  - %(reason)s", reason=inner)) == "  - Woman at most 2"


def _all_words(line: Words):
    yield line
    for value in line.params.values():
        if isinstance(value, Words):
            yield from _all_words(value)


def _check_lines(problem) -> None:
    assert problem.lines
    assert "\n".join(str(line) for line in problem.lines) == problem.explanation
    for line in problem.lines:
        for said in _all_words(line):
            # named placeholders only, each filled: a translator may reorder them
            assert "%s" not in said.msgid and "%d" not in said.msgid
            assert set(NAMED.findall(said.msgid)) <= {f"%({k})s" for k in said.params}


def test_an_infeasible_instances_lines_are_its_explanation() -> None:
    # gender (feature 0): value 0 needs 3 of the 2 there are; value 1 at most 1 of 4 seats
    rows = [(0,)] * 2 + [(1,)] * 5
    instance = make_instance(rows, [(0, 0, 3, 4), (0, 1, 0, 1)], 4)
    problem = explain_infeasible(instance)
    _check_lines(problem)
    assert problem.lines[0].msgid == "No panel of %(k)s meets all the quotas."
    assert "respondent(s) have this value" in problem.explanation


def test_a_conflict_and_a_too_small_pool_are_lines_too() -> None:
    # two features whose quotas conflict: nobody is both value 0 of one and value 0 of other
    rows = [(0, 1), (0, 1), (1, 0), (1, 0), (1, 1), (1, 1)]
    conflict = make_instance(rows, [(0, 0, 2, 3), (1, 0, 2, 3)], 3)
    _check_lines(explain_infeasible(conflict))
    small = make_instance([(0,)] * 2, [(0, 0, 0, 2)], 5)
    problem = explain_infeasible(small)
    _check_lines(problem)
    assert problem.explanation.endswith("No change to the quotas can fix this.")


def test_a_change_that_moves_both_bounds_is_one_sentence() -> None:
    change = QuotaChange("age", "60+", old_min=3, old_max=4, new_min=2, new_max=5)
    assert change.describe() == (
        "age = 60+: lower the minimum from 3 to 2 and raise the maximum from 4 to 5"
    )
    assert str(change.in_words()) == change.describe()
