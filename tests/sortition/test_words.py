"""The library's words: English when printed, and an infeasible instance's explanation kept
line by line as message ids and values, for an app to show in its own language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sortition.loosen import QuotaChange, explain_infeasible
from sortition.model import BadInput
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


# ---------------------------------------------------------------- refusals, located

LIBRARY = Path(__file__).resolve().parents[2] / "sortition"
REFUSALS = {"BadInput", "TableError", "Infeasible", "_undecodable"}


def _worded(node: ast.expr) -> bool:
    """A message the app can look up: `words(...)`, a variable or call that holds `Words`,
    never a string literal or an f-string (those reach the reader in English only)."""
    return not isinstance(node, ast.Constant | ast.JoinedStr | ast.BinOp | ast.IfExp)


def test_every_refusal_the_library_raises_is_words() -> None:
    unworded = []
    for path in sorted(LIBRARY.rglob("*.py")):
        if "cli" in path.relative_to(LIBRARY).parts:
            continue  # the library's own command line prints English only
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in REFUSALS and not _worded(node.args[0]):
                unworded.append(f"{path.relative_to(LIBRARY.parent)}:{node.lineno}")
    assert not unworded, "refusals in plain English: " + ", ".join(unworded)


def test_a_located_refusal_is_one_whole_message() -> None:
    error = BadInput(words("is empty; write a whole number"), file="q.csv", row=3, column="min")
    assert str(error) == "file q.csv, row 3, column 'min': is empty; write a whole number"
    assert error.words.msgid == "file %(file)s, row %(row)s, column %(column)s: %(message)s"
    assert error.words.params["message"] == words("is empty; write a whole number")
    assert (error.file, error.row, error.column) == ("q.csv", 3, "min")
    assert str(BadInput(words("has no rows"), file="p.csv")) == "file p.csv: has no rows"
    assert str(BadInput("as worded")) == "as worded"
    for where in (
        {"row": 2},
        {"column": "age"},
        {"row": 2, "column": "age"},
        {"file": "f", "column": "c"},
    ):
        error = BadInput(words("bad"), **where)
        assert str(error).endswith(": bad")
        assert set(NAMED.findall(error.words.msgid)) == {f"%({k})s" for k in error.words.params}


def test_a_replacements_infeasibility_has_lines_equal_to_its_explanation() -> None:
    import numpy as np
    import pytest

    from sortition.model import Infeasible
    from sortition.replace import replace

    # f0 = v0 and f0 = v1 two each; the dropout 0 is a v0, and the one other v0 (2) is excluded
    instance = make_instance([(0,)] * 3 + [(1,)] * 3, [(0, 0, 2, 2), (0, 1, 2, 2)], 4)
    panel = (0, 1, 3, 4)
    ends = {
        2: "  - f0 = v1: raise the maximum from 2 to 3",  # the original quotas, loosened
        5: "No change to the quotas can fix this: more respondents are needed.",
    }
    for exclude, first_after in (([2], "Reasons:"), ([2, 5], "Only 0 respondents")):
        with pytest.raises(Infeasible) as caught:
            replace(instance, panel, [0], np.random.default_rng(0), exclude=exclude)
        problem = caught.value
        _check_lines(problem)
        assert str(problem) == problem.explanation
        assert problem.lines[0].msgid.startswith("No %(dropouts)s replacement(s) from the")
        assert str(problem.lines[1]) == "  - f0 = v0: 1 to 1"
        assert str(problem.lines[3]).startswith(first_after)
        assert str(problem.lines[-1]) == ends[exclude[-1]]
