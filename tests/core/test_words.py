"""Plural forms (issue 25 item 14): "1 ballots counted", "1 dots" and "1 pin(s)" read wrong."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from assembly.agenda import voting
from assembly.agenda.rounds import Round
from assembly.cli import main
from assembly.core.words import counted


@pytest.mark.parametrize(
    ("n", "one", "many", "said"),
    [
        (1, "ballot", None, "1 ballot"),
        (0, "ballot", None, "0 ballots"),
        (2, "dot", None, "2 dots"),
        (1500, "person", "people", "1,500 people"),
        (1, "person", "people", "1 person"),
    ],
)
def test_counted(n, one, many, said) -> None:
    assert counted(n, one, many) == said


def test_one_dot_each_is_singular() -> None:
    fields = {f.name: None for f in dataclasses.fields(Round)}
    one = Round(**{**fields, "method": "dot", "tie_rule": "earliest", "dots_per_voter": 1})
    assert ", 1 dot each." in one.declared
    with pytest.raises(voting.BallotError, match="uses 2 dots but each person has 1 dot"):
        voting.tally_result("dot", [1, 2], [{1: 2}], dots_per_voter=1)


def test_pool_formats_named_alike_in_the_help() -> None:
    """Issue 25 item 14: '.csv, .xlsx or .ods' in one place, 'CSV or Excel' in another."""
    said = CliRunner().invoke(main, ["pool", "--help"]).output
    assert ".csv, .xlsx or .ods" in said and "CSV or Excel" not in said


def test_no_message_hedges_its_plural_with_s_in_brackets() -> None:
    """Issue 25 item 14: '1 member(s) need', '1 draws': counts go through counted()."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "assembly"
    hedged = re.compile(r"""f["'][^"'\n]*\{[^}]+\}[^"'\n]*[a-z]\(s\)[ ,.:;!"']""")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if hedged.search(line)
    ]
    assert not found, f"use counted() instead of '(s)': {found}"


def test_verify_counts_one_draw_in_the_singular(demo_path) -> None:
    from click.testing import CliRunner

    from assembly.cli import main

    said = CliRunner().invoke(main, ["verify", str(demo_path)]).output
    assert "✓ 1 draw, 3 witnesses and 41 members match" in said
