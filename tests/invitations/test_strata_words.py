"""The invitation lottery's strata in the working language (issue 22): the file keeps their keys
("area Abbey", "top-up", "other", "all"; the wave's commitment covers them), and the commands
show them in words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assembly.core import i18n
from assembly.invitations.lottery import stratum_in_words
from tests.invitations.conftest import run


def _working(path: Path, language: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert or replace into assembly_info (key, value) values ('language', ?)", [language]
        )


def _strata(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {s for (s,) in conn.execute("select distinct stratum from invitation_inclusion")}


@pytest.mark.parametrize(
    ("key", "msgid", "values"),
    [
        ("all", "all", {}),
        ("other", "other", {}),
        ("top-up", "top-up", {}),
        ("area Abbey", "area %(area)s", {"area": "Abbey"}),
        ("area St Mary's", "area %(area)s", {"area": "St Mary's"}),
    ],
)
def test_a_stratum_is_shown_in_the_working_language(key: str, msgid: str, values) -> None:
    assert stratum_in_words(key) == key  # English: as stored
    i18n.use_working_language(i18n.PSEUDO)  # every message looked up is changed
    assert stratum_in_words(key) == i18n.pseudo(msgid) % values
    assert stratum_in_words("") == ""


def test_the_draw_prints_the_strata_in_the_files_language(tmp_path: Path, framed: Path) -> None:
    plan = ("invitations", "draw", framed, "--letters", 400, "--top-up", "0.2", "--dry-run")
    english = run(*plan).output
    assert "\n  other " in english and "\n  top-up " in english
    _working(framed, i18n.PSEUDO)
    shown = run(*plan).output
    # each line of the table is a message of its own, the stratum's words within it
    assert f"\n  [{i18n.pseudo('other')} " in shown and f"\n  [{i18n.pseudo('top-up')} " in shown
    assert "other" not in shown and "top-up" not in shown

    counts = tmp_path / "areas.csv"
    counts.write_text("ward,letters\nAbbey,10\nMill,5\n")
    shown = run("invitations", "draw", framed, "--per-area", counts, "--seed", "s").output
    assert i18n.pseudo("area %(area)s") % {"area": "Abbey"} in shown
    assert "area Abbey" not in shown
    assert _strata(framed) - {""} == {"area Abbey", "area Mill"}  # the keys stay English
