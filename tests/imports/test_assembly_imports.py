"""`assembly pool import` and `assembly quotas import` on hostile files: a message naming the
place, exit 1 or 2, no traceback, and the file unchanged on refusal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.imports.hostile import (
    POOL_CSV,
    QUOTAS_CSV,
    cut_sheet_workbook,
    entity_bomb_workbook,
    far_cell_workbook,
    file_state,
    make_assembly,
    rows_of,
    run,
    workbook,
)


def _quotas(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select feature, value, min, max from quotas order by 1, 2").fetchall()


def _panel_size(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        row = conn.execute("select value from organiser_settings where key = 'panel_size'")
        return row.fetchone()[0]


def _refused(result, *where: str) -> None:
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for part in where:
        assert part in result.output, result.output


def test_a_refused_quotas_file_leaves_the_panel_size_alone(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "bad.csv"
    bad.write_text(QUOTAS_CSV + "age,30+,9,2\n", encoding="utf-8")
    result = run("quotas", "import", path, bad, "--panel-size", "22")
    _refused(result, "row 6")
    assert _panel_size(path) == "10"
    assert file_state(path) == before


def test_a_header_only_quotas_file_asks_before_removing_every_quota(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("feature,value,min,max\n", encoding="utf-8")
    result = run("quotas", "import", path, empty, input="n\n")
    _refused(result, "would remove all 4 quotas")
    assert result.exit_code == 1 and "Imported 0 quotas" not in result.output
    assert file_state(path) == before
    assert run("quotas", "import", path, empty, "--yes").exit_code == 0
    assert _quotas(path) == []


def test_a_duplicated_quota_row_is_refused(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "dup.csv"
    bad.write_text(QUOTAS_CSV + "Gender, Female ,5,6\n", encoding="utf-8")
    _refused(run("quotas", "import", path, bad), "row 6", "has a quota already on row 2")
    assert file_state(path) == before


@pytest.mark.parametrize(
    "bound", ["99999999999999999999999", "1e309", "inf", "nan", "٣", "-1", "2.5"]
)
def test_odd_quota_numbers_are_refused(tmp_path: Path, bound: str) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "odd.csv"
    bad.write_text(QUOTAS_CSV.replace("age,30+,3,7", f"age,30+,3,{bound}"), encoding="utf-8")
    _refused(run("quotas", "import", path, bad), "row 5", "column 'max'")
    assert file_state(path) == before


@pytest.mark.parametrize("command", ["pool", "quotas"])
def test_a_huge_cell_is_refused_with_its_row(tmp_path: Path, command: str) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "huge.csv"
    text = POOL_CSV if command == "pool" else QUOTAS_CSV
    lines = text.splitlines()
    lines[2] = lines[2].replace("male", "m" * 200_000, 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--replace"] if command == "pool" else []
    _refused(run(command, "import", path, bad, *args), "row 3", "longer than")
    assert file_state(path) == before


def test_a_stray_byte_is_refused_not_guessed(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "cp1252.csv"
    bad.write_bytes(POOL_CSV.replace("Person 3,", "Zo\xeb,").encode("cp1252"))
    result = run("pool", "import", path, bad, "--replace")
    _refused(result, "row 4", "not UTF-8", "Zoë", "--encoding cp1252")
    assert file_state(path) == before
    ok = run("pool", "import", path, bad, "--replace", "--encoding", "cp1252")
    assert ok.exit_code == 0, ok.output
    with sqlite3.connect(path) as conn:
        assert conn.execute("select name from respondents where ref = 'p3'").fetchone() == ("Zoë",)


def test_a_wide_header_is_read_in_linear_time(tmp_path: Path) -> None:
    """16,000 columns: the quadratic header checks took minutes on 100,000."""
    path = make_assembly(tmp_path, quotas=False)
    wide = tmp_path / "wide.csv"
    extra = [f"q{i}" for i in range(16_000)]
    lines = POOL_CSV.splitlines()
    body = [lines[0] + "," + ",".join(extra)] + [line + ",x" * 0 for line in lines[1:]]
    wide.write_text("\n".join(body) + "\n", encoding="utf-8")
    args = [f"--column=q{i}=ignore" for i in range(16_000)]
    result = run("pool", "import", path, wide, "--replace", *args)
    assert result.exit_code == 0, result.output[-500:]


def test_pool_ids_match_whatever_their_case(tmp_path: Path) -> None:
    path = make_assembly(tmp_path)
    bad = tmp_path / "case.csv"
    bad.write_text(POOL_CSV.replace("p4,", "P3,"), encoding="utf-8")
    _refused(run("pool", "import", path, bad, "--replace"), "row 5", "already on row 4")


# ---------------------------------------------------------------- Excel


def _xlsx(tmp_path: Path, data: bytes) -> Path:
    target = tmp_path / "pool.xlsx"
    target.write_bytes(data)
    return target


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (far_cell_workbook, ["row 1048576", "column 16,384"]),
        (entity_bomb_workbook, ["not a readable Excel workbook"]),
        (cut_sheet_workbook, ["not a readable Excel workbook"]),
    ],
    ids=["cell-at-XFD1048576", "entity-expansion", "sheet-cut-in-half"],
)
def test_hostile_workbooks_are_refused(tmp_path: Path, build, words) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    source = _xlsx(tmp_path, build(rows_of(POOL_CSV)))
    _refused(run("pool", "import", path, source, "--replace"), "pool.xlsx", *words)
    assert file_state(path) == before


def test_data_on_the_second_sheet_is_found(tmp_path: Path) -> None:
    path = make_assembly(tmp_path, quotas=False)
    source = _xlsx(tmp_path, workbook([("Notes", []), ("Responses", rows_of(POOL_CSV))]))
    result = run("pool", "import", path, source, "--replace")
    assert result.exit_code == 0, result.output
    assert "sheet 'Responses'" in result.output and "Replaced the pool with 30" in result.output


@pytest.mark.parametrize("item", ["99999999999999999999999", "٣", "1e3"])
def test_log_import_refuses_odd_item_numbers(tmp_path: Path, item: str) -> None:
    """Found by the fuzz suite: a huge item_id reached SQLite and crashed (OverflowError)."""
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "log.csv"
    bad.write_text(f"item_id,title,status,progress\n{item},Buses,in progress,10\n", "utf-8")
    result = run("log", "import", path, bad, "--actor", "Officer")
    _refused(result, "log.csv, row 2", "is not an item number")
    assert file_state(path) == before


@pytest.mark.parametrize(
    ("text", "args", "words"),
    [
        (
            "item_id,title,source_kind,source_id\n,New idea,other,99999999999999999999999\n",
            [],
            "column source_id",
        ),
        ("id;title/en;progress\n1;Buses;1e309\n", ["--format", "decidim"], "is not a number"),
        ("id;title/en;progress\n1;Buses;inf\n", ["--format", "decidim"], "is not a number"),
        ("id;title/en\n1;Buses;extra\n", ["--format", "decidim"], "more cells than the header"),
        ("id;title/en\n1;" + "x" * 200_000 + "\n", ["--format", "decidim"], "field limit"),
    ],
    ids=[
        "huge-source-id",
        "decidim-progress-1e309",
        "decidim-progress-inf",
        "decidim-extra-cells",
        "decidim-huge-cell",
    ],
)
def test_log_import_refuses_odd_numbers(tmp_path: Path, text: str, args, words: str) -> None:
    path = make_assembly(tmp_path)
    before = file_state(path)
    bad = tmp_path / "log.csv"
    bad.write_text(text, "utf-8")
    result = run("log", "import", path, bad, "--actor", "Officer", *args)
    _refused(result, "log.csv, row 2", words)
    assert file_state(path) == before
