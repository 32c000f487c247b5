"""Importing the mailing frame: joins to LSOA, ward and decile under old and new ONS names,
a report of what did not join, and refusals that name the file, row and column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assembly.invitations.frame import decile_of_rank
from tests.invitations.conftest import run


def _rows(path: Path, sql: str):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_frame_is_joined_to_areas_and_deciles(framed: Path, small_borough) -> None:
    rows = _rows(framed, "select uprn, postcode_key, lsoa, ward, decile from invitation_addresses")
    assert len(rows) == len(small_borough)
    truth = {a.uprn: a for a in small_borough}
    for uprn, key, lsoa, ward, decile in rows:
        a = truth[uprn]
        assert (key, lsoa, ward, decile) == (a.postcode.replace(" ", ""), a.lsoa, a.ward, a.decile)


def test_old_ons_names_and_report_of_unmatched(tmp_path: Path, assembly_path: Path) -> None:
    addresses = tmp_path / "a.csv"
    addresses.write_text(
        "uprn,address_1,address_2,postcode,tenure\n"
        "1,1 High Street,,e1 4ab,owned\n2,2 High Street,,E1  4AB,rented\n3,3 Low Road,,N1 9ZZ,\n"
        "4,4 Low Road,,N1 9YY,\n"
    )
    postcodes = tmp_path / "p.csv"
    postcodes.write_text(
        "pcds,lsoa11,osward,imd\nE1 4AB,E01000001,E05000001,120\nN1 9YY,E01000009,E05000002,\n"
    )
    imd = tmp_path / "imd.csv"
    imd.write_text("LSOA code (2011),Index of Multiple Deprivation (IMD) Decile\nE01000001,1\n")
    out = run(
        "invitations",
        "addresses",
        assembly_path,
        addresses,
        "--postcodes",
        postcodes,
        "--deprivation",
        imd,
    ).output
    assert "Imported 4 addresses" in out
    assert "Postcodes not in the postcode directory: 1" in out and "N19ZZ" in out
    assert "Addresses without a deprivation decile: 2" in out
    assert "LSOA E01000009 has no decile" in out
    rows = _rows(
        assembly_path,
        "select uprn, lsoa, ward, decile, imd_rank, areas from invitation_addresses order by uprn",
    )
    assert rows[0] == ("1", "E01000001", "E05000001", 1, 120, '{"tenure": "owned"}')
    # N1 9YY has no rank and no decile; a rank alone gives the decile (IMD 2019, 32,844 LSOAs)
    assert rows[1][3] == 1  # E1  4AB is the same postcode


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "uprn,address,postcode\n1,1 High St,E1 4AB\n1,2 High St,E1 4AB\n",
            "row 3, column 'uprn': id '1' is already on row 2",
        ),
        (
            "uprn,address,postcode\n1,1 High St,E1 4AB\n2,2 High St,not one\n",
            "row 3, column 'postcode': 'not one' is not a UK postcode",
        ),
        ("uprn,address,postcode\n,1 High St,E1 4AB\n", "row 2, column 'uprn': the id is empty"),
        (
            "uprn,address,postcode,IMD decile\n1,1 High St,E1 4AB,11\n",
            "row 2, column 'IMD decile': '11' is not a whole number 1-10",
        ),
        ("uprn,street,postcode\n1,1 High St,E1 4AB\n", "no address column"),
        ("name,address\nx,1 High St\n", "no id (UPRN) column"),
    ],
)
def test_bad_address_files_are_refused_and_change_nothing(
    tmp_path: Path, framed: Path, body: str, expected: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(body)
    before = _rows(framed, "select count(*) from invitation_addresses")
    result = run("invitations", "addresses", framed, bad, code=2)
    assert expected in result.output
    assert "bad.csv" in result.output
    assert _rows(framed, "select count(*) from invitation_addresses") == before


def test_bad_deprivation_file_names_row_and_column(
    tmp_path: Path, assembly_path: Path, frame_files
) -> None:
    imd = tmp_path / "imd.csv"
    imd.write_text("lsoa21cd,imd_decile\nE01000001,x\n")
    result = run(
        "invitations", "addresses", assembly_path, frame_files[0], "--deprivation", imd, code=2
    )
    assert "imd.csv" in result.output and "row 2, column 'imd_decile'" in result.output
    assert _rows(assembly_path, "select count(*) from invitation_addresses") == [(0,)]


def test_xlsx_frame_is_read(tmp_path: Path, assembly_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["UPRN", "Address line 1", "Postcode", "Ward"])
    sheet.append([100, "1 Mill Lane", "KB1 0AA", "Mill"])
    book.save(tmp_path / "a.xlsx")
    run("invitations", "addresses", assembly_path, tmp_path / "a.xlsx")
    assert _rows(assembly_path, "select uprn, ward from invitation_addresses") == [("100", "Mill")]


@pytest.mark.parametrize(("rank", "decile"), [(1, 1), (3284, 1), (3285, 2), (32844, 10)])
def test_decile_of_rank(rank: int, decile: int) -> None:
    assert decile_of_rank(rank, 32844) == decile


def test_nspl_rank_gives_the_decile_without_a_deprivation_file(
    tmp_path: Path, assembly_path: Path
) -> None:
    addresses = tmp_path / "a.csv"
    addresses.write_text("uprn,address,postcode\n1,1 High Street,E1 4AB\n")
    postcodes = tmp_path / "p.csv"
    postcodes.write_text("pcd,lsoa11,osward,imd\nE1 4AB,E01000001,E05000001,30000\n")
    run("invitations", "addresses", assembly_path, addresses, "--postcodes", postcodes)
    assert _rows(assembly_path, "select decile from invitation_addresses") == [(10,)]
