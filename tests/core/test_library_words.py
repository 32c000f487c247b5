"""The selection library's refusals and explanations in the officer's language.

`sortition` says them as `Words` (English message ids and values); `assembly.core.library_words`
looks them up, so a Welsh officer reads where a file went wrong in Welsh, file names and the
column as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembly.core import i18n
from assembly.core.library_words import refusal
from sortition.model import BadInput
from sortition.tabular import TableError, read_table


def test_where_a_file_went_wrong_is_in_welsh() -> None:
    error = BadInput("x", file="pobl.csv", row=4, column="oed")
    i18n.use_working_language("cy")
    assert refusal(error) == "ffeil pobl.csv, rhes 4, colofn 'oed': x"
    assert refusal(error, file=False) == "rhes 4, colofn 'oed': x"
    i18n.use_working_language("en")
    assert refusal(error) == str(error)


def test_the_readers_own_refusal_is_in_the_working_language(tmp_path: Path) -> None:
    """Every word of it looked up: the pseudo-locale changes the message as well as where."""
    empty = tmp_path / "quotas.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_table(empty, display_name="quotas.csv")
    english = str(caught.value)
    i18n.use_working_language(i18n.PSEUDO)
    shown = refusal(caught.value)
    assert "quotas.csv" in shown
    assert shown != english
    english_words = set(english.replace(":", " ").split()) - {"quotas.csv"}
    assert not english_words & set(shown.replace(":", " ").split()), shown


def test_a_progress_step_or_problem_is_shown_in_the_working_language() -> None:
    from assembly.core.library_words import shown
    from sortition.words import words

    step = words("reaching the fairest chances: %(share)s of the way", share="50.0000%")
    assert shown(step) == "reaching the fairest chances: 50.0000% of the way"
    assert shown("as worded") == "as worded"
    i18n.use_working_language(i18n.PSEUDO)
    assert shown(step) != str(step) and "50.0000%" in shown(step)
    assert shown("as worded") == "as worded"
