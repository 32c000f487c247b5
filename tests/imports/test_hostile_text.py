"""Text that looks harmless and is not, refused or normalised by the shared reader (issue 26).

Control characters (NUL, escape codes) in ids, headings and values; text in two Unicode forms;
ids that look the same but differ (full-width letters, zero-width spaces); a workbook holding a
zip member twice; ODS repeat counts that are not positive whole numbers.
"""

from __future__ import annotations

import io
import sqlite3
import unicodedata
import zipfile
from pathlib import Path

import pytest

from sortition.io import parse_people
from sortition.tabular import TableError, id_key, parse_csv, read_table
from tests.imports.hostile import (
    POOL_CSV,
    QUOTAS_CSV,
    SHEET,
    file_state,
    make_assembly,
    ods,
    ods_row,
    run,
    workbook,
)

# ---------------------------------------------------------------- control characters


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id,name\np1,Ann\x00e\n", r"row 2, column 'name'"),
        ("id,na\x00me\np1,Anne\n", r"row 1, column 'na\\x00me'"),
        ("id,name\np\x001,Anne\n", r"row 2, column 'id'"),
        ("id,name\np1,\x1b]0;owned\x07\n", r"row 2, column 'name'"),
        ("id,name\np1,\x1b[2J\n", r"row 2, column 'name'"),
        ("id,name\np1,A\x9b2J\n", r"row 2, column 'name'"),
        ("id,name\np1,A\x7f\n", r"row 2, column 'name'"),
        ("id,name\np1,A\x0bB\n", r"row 2, column 'name'"),
        ("id,name\np1,A\x1cB\n", r"row 2, column 'name'"),
    ],
)
def test_control_characters_are_refused(text: str, where: str) -> None:
    with pytest.raises(TableError, match=rf"{where}: .*control character"):
        parse_csv(text, "f")


def test_tabs_and_line_breaks_are_text() -> None:
    table = parse_csv('id\tname\nP1\t"two\r\nlines"\n', "f", line_breaks=True)
    assert table.rows == ((2, ("P1", "two\nlines")),)
    table = parse_csv('id,name\nP1,"a\tb\rc"\n', "f")
    assert table.rows == ((2, ("P1", "a b c")),)


def test_control_characters_in_a_workbook_are_refused(tmp_path: Path) -> None:
    """XML forbids most C0 controls, but not C1 ones such as CSI (U+009B), an escape code."""
    path = tmp_path / "pool.xlsx"
    path.write_bytes(workbook([("Sheet", [["id", "name"], ["p1", "Ann"], ["p2", "Bo\x9b2J"]])]))
    with pytest.raises(TableError, match=r"pool.xlsx, row 3, column 'name': .*U\+009B \(CSI\)"):
        read_table(path, display_name="pool.xlsx")


def test_pool_import_refuses_nul_and_changes_nothing(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    bad = tmp_path / "nul.csv"
    bad.write_text(POOL_CSV.replace("Person 7", "Person\x007"), encoding="utf-8")
    result = run("pool", "import", target, bad, "--replace")
    assert result.exit_code == 2
    assert "nul.csv, row 8, column 'name'" in result.output and "U+0000" in result.output
    assert file_state(target) == before


def test_quota_import_refuses_a_nul_in_a_value(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    bad = tmp_path / "q.csv"
    bad.write_text(QUOTAS_CSV.replace("gender,female", "gender,female\x00"), encoding="utf-8")
    result = run("quotas", "import", target, bad, "--panel-size", "10")
    assert result.exit_code == 2
    assert "q.csv, row 2, column 'value'" in result.output and "U+0000" in result.output
    assert file_state(target) == before


def test_log_import_refuses_escape_codes(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    source = tmp_path / "log.csv"
    source.write_text("item_id,title\n,Buses\x1b]52;c;cm0gLXJmIH4=\x07\n", encoding="utf-8")
    result = run("log", "import", target, source, "--actor", "x")
    assert result.exit_code == 2 and "control character" in result.output
    assert "Nothing was imported" in result.output


# ---------------------------------------------------------------- Unicode forms


def test_values_and_ids_are_stored_in_nfc(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "José")
    assert decomposed != "José"
    target = make_assembly(tmp_path, quotas=False)
    pool = tmp_path / "nfd.csv"
    pool.write_text(
        POOL_CSV.replace("Person 3,", f"{decomposed},").replace("p4,", f"{decomposed}4,"),
        encoding="utf-8",
    )
    assert run("pool", "import", target, pool, "--replace").exit_code == 0
    with sqlite3.connect(target) as conn:
        names = {r[0] for r in conn.execute("select name from respondents")}
        refs = {r[0] for r in conn.execute("select ref from respondents")}
    assert "José" in names and "José4" in refs
    assert not any(unicodedata.normalize("NFC", t) != t for t in names | refs)


# ---------------------------------------------------------------- ids that look the same


@pytest.mark.parametrize(
    "other", ["\uff301", "P1\u200b", "\u200dP1", "P\u00ad1", "p１", "P1\ufeff", " P1 "]
)
def test_lookalike_ids_share_a_key(other: str) -> None:
    assert id_key(other) == id_key("P1")


def test_different_ids_keep_different_keys() -> None:
    assert len({id_key(x) for x in ("P1", "P2", "P11", "P 1", "Q1", "Pl")}) == 6


@pytest.mark.parametrize("other", ["\uff301", "P1\u200b"])
def test_pool_import_refuses_lookalike_ids_naming_both_rows(tmp_path: Path, other: str) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    pool = tmp_path / "twins.csv"
    pool.write_text(
        "id,gender,age\nP1,female,30+\nP2,male,30+\n" + f"{other},male,16-29\n", encoding="utf-8"
    )
    result = run("pool", "import", target, pool, "--replace")
    assert result.exit_code == 2, result.output
    assert "row 4" in result.output and "row 2" in result.output
    assert "looks the same as 'P1'" in result.output
    assert file_state(target) == before


def test_library_refuses_lookalike_ids(tmp_path: Path) -> None:
    from sortition import BadInput, Quota

    quotas = (Quota("gender", "f", 0, 2), Quota("gender", "m", 0, 2))
    text = "id,gender\nP1,f\nP1\u200b,m\n"
    with pytest.raises(BadInput, match=r"row 3.*used already on row 2.*looks the same as 'P1'"):
        parse_people(text, quotas, name="people.csv")


# ---------------------------------------------------------------- archives


def _with_duplicate(data: bytes, member: str, second: bytes) -> bytes:
    """The zip with another copy of `member` appended (the later copy is what readers see)."""
    out = io.BytesIO(data)
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(out, "a") as archive:
        archive.writestr(member, second)
    return out.getvalue()


def test_a_workbook_holding_a_member_twice_is_refused(tmp_path: Path) -> None:
    good = workbook([("Sheet", [["id", "gender"], ["p1", "f"]])])
    forged = zipfile.ZipFile(io.BytesIO(good)).read(SHEET).replace(b"p1", b"p9")
    path = tmp_path / "twice.xlsx"
    path.write_bytes(_with_duplicate(good, SHEET, forged))
    with pytest.raises(TableError, match=r"twice.xlsx: .*xl/worksheets/sheet1.xml.* twice"):
        read_table(path, display_name="twice.xlsx")


def test_an_ods_holding_content_twice_is_refused(tmp_path: Path) -> None:
    good = ods([("S", ods_row(["id", "gender"]) + ods_row(["p1", "f"]))])
    path = tmp_path / "twice.ods"
    path.write_bytes(_with_duplicate(good, "content.xml", b"<x/>"))
    with pytest.raises(TableError, match=r"twice.ods: .*content.xml.* twice"):
        read_table(path, display_name="twice.ods")


@pytest.mark.parametrize("count", ["abc", "-3", "0", "", "1.5", "٣"])
@pytest.mark.parametrize("what", ["rows", "columns"])
def test_ods_repeat_counts_must_be_positive_whole_numbers(
    tmp_path: Path, count: str, what: str
) -> None:
    row = ods_row(["p1", "f"])
    if what == "rows":
        row = row.replace(
            "<table:table-row>", f'<table:table-row table:number-rows-repeated="{count}">'
        )
    else:
        row = row.replace(
            "<table:table-cell>", f'<table:table-cell table:number-columns-repeated="{count}">', 1
        )
    path = tmp_path / "bad.ods"
    path.write_bytes(ods([("S", ods_row(["id", "gender"]) + row)]))
    with pytest.raises(TableError, match=rf"bad.ods, row 2: .*number-{what}-repeated"):
        read_table(path, display_name="bad.ods")


def test_valid_ods_repeat_counts_still_read(tmp_path: Path) -> None:
    path = tmp_path / "good.ods"
    path.write_bytes(ods([("S", ods_row(["id", "gender"]) + ods_row(["p", "f"], repeat=3))]))
    assert len(read_table(path).rows) == 3
