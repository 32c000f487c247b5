"""The shared reader's hard limits and rules, table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from sortition.tabular import Limits, TableError, parse_csv, read_table, whole_number
from tests.imports.hostile import workbook


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("0", 0), ("12", 12), (" 7 ", 7), ("12.0", 12), ("1000000", 1_000_000)],
)
def test_whole_numbers(cell: str, expected: int) -> None:
    assert whole_number(cell, file="f", row=2, column="min") == expected


@pytest.mark.parametrize(
    "cell", ["", "-1", "2.5", "1e3", "inf", "nan", "1e309", "1000001", "٣", "３", "0x10", "1_000"]
)
def test_not_whole_numbers(cell: str) -> None:
    with pytest.raises(TableError, match=r"file f, row 2, column 'min'"):
        whole_number(cell, file="f", row=2, column="min")


def test_a_long_running_workbook_is_stopped(tmp_path: Path) -> None:
    """A workbook of millions of rows stops at the row or time limit, with a message."""
    rows = [["id", "gender"]] + [[f"p{i}", "f"] for i in range(2_500)]
    path = tmp_path / "big.xlsx"
    path.write_bytes(workbook([("Sheet", rows)]))
    with pytest.raises(TableError, match=r"big.xlsx, row \d+: has more than 1,000 rows"):
        read_table(path, limits=Limits(max_rows=1_000))
    with pytest.raises(TableError, match=r"took more than 0 s to read"):
        read_table(path, limits=Limits(max_seconds=0))
    assert len(read_table(path).rows) == 2_500


def test_a_huge_csv_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id\n" + "p\n" * 600, encoding="utf-8")
    with pytest.raises(TableError, match=r"is 1,203 bytes, over the limit of 1,000 bytes"):
        read_table(path, limits=Limits(max_bytes=1000))


def test_headings_are_unique_and_named() -> None:
    with pytest.raises(
        TableError, match=r"row 1, column 'age': the heading 'age' names two columns \(2 and 3\)"
    ):
        parse_csv("id,Age, age\n1,2,3\n", "f")
    with pytest.raises(TableError, match=r"row 1: column 2 has no heading"):
        parse_csv("id,,age\n1,2,3\n", "f")
    assert parse_csv("id,age,,\n1,2\n", "f").header == ("id", "age")


def test_separators_and_bom() -> None:
    table = parse_csv("\ufeffid;age\np1;30+\n", "f")
    assert table.header == ("id", "age") and table.rows == ((2, ("p1", "30+")),)
    assert parse_csv("id\tage\np1\t30+\n", "f").rows == ((2, ("p1", "30+")),)


def test_a_hidden_sheet_of_lookups_is_passed_over(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    lookups = book.active
    lookups.title = "Lookups"
    lookups.append(["code", "label"])
    lookups.sheet_state = "hidden"
    data = book.create_sheet("Data")
    data.append(["id", "gender"])
    data.append(["p1", "f"])
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.sheet == "Data" and table.rows == ((2, ("p1", "f")),)


def _ods_file(tmp_path: Path, sheets) -> Path:
    from tests.imports.hostile import ods

    path = tmp_path / "pool.ods"
    path.write_bytes(ods(sheets))
    return path


def test_an_opendocument_sheet_is_read_with_its_repeats(tmp_path: Path) -> None:
    from tests.imports.hostile import ods_row

    rows = (
        ods_row(["id", "gender", "age", None], cell_repeat=1)
        + ods_row(["p1", "f", 30])
        + ods_row(["p2", "m", 41.0])
        + ods_row([None], repeat=1_048_570)  # LibreOffice pads a sheet like this
        + ods_row([None], cell_repeat=16_000)
    )
    path = _ods_file(tmp_path, [("Empty", ods_row([None], repeat=5)), ("Data", rows)])
    table = read_table(path)
    assert table.sheet == "Data" and table.header == ("id", "gender", "age")
    assert table.rows == ((2, ("p1", "f", "30")), (3, ("p2", "m", "41")))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            '<table:table-row table:number-rows-repeated="2000000"><table:table-cell>'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            "more than 1,000,000 rows",
        ),
        (
            '<table:table-row><table:table-cell table:number-columns-repeated="20000">'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            "column 20,000",
        ),
        ("<table:table-row><table:table-cell><text:p>x</table:table-row>", "not a readable"),
    ],
    ids=["a-million-filled-rows", "a-cell-repeated-past-the-edge", "broken-xml"],
)
def test_hostile_opendocument_sheets_are_refused(tmp_path: Path, rows: str, message: str) -> None:
    path = _ods_file(tmp_path, [("Data", rows)])
    with pytest.raises(TableError, match=message):
        read_table(path)


def test_an_opendocument_entity_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<d>&b;</d>",
        )
    with pytest.raises(TableError, match="not a readable OpenDocument"):
        read_table(path)
