"""`assembly log import` refuses a row with a value past the header, as docs/imports.md says
(issue 26 found one dropped without a word), in the log's own columns and in Decidim's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.imports.hostile import file_state, make_assembly, run


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("item_id,title\n,Buses,EXTRA\n", []),
        ("item_id,title,\n,Buses,,EXTRA\n", []),
        ("item_id;title\n;Buses;EXTRA\n", []),
        ('item_id,title\n,"Buses\nand trams",EXTRA\n', []),
        ("item_id\ttitle\n\tBuses\t EXTRA \n", []),
        ("id;title/en\n1;Buses;EXTRA\n", ["--format", "decidim"]),
        ("id,title/en\n1,Buses,,EXTRA\n", []),
    ],
)
def test_a_value_past_the_header_is_refused(tmp_path: Path, text: str, options: list[str]) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    source = tmp_path / "responses.csv"
    source.write_text(text, encoding="utf-8")
    result = run("log", "import", target, source, "--actor", "Officer", *options)
    assert result.exit_code == 2, result.output
    assert "row 2" in result.output and "Nothing was imported" in result.output
    assert file_state(target) == before
