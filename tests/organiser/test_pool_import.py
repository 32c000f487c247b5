"""Importing the pool: the peer's CSV, Excel, bad rows refused whole, re-import rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assembly.organiser.errors import OrganiserError
from assembly.organiser.pool_import import (
    ImportRejected,
    guess_mapping,
    import_file,
    import_pool,
    plan_import,
    read_source,
)
from tests.organiser.conftest import write_pool_csv


def count(db, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_peer_candidates_import_with_joined_names_and_addresses(
    assembly, peer_fixtures: Path, clock
) -> None:
    db = assembly.db()
    result = import_file(db, peer_fixtures / "candidates.csv", clock)
    assert result.respondents == 150
    assert count(db, "respondents") == 150
    row = next(db.query("select * from respondents where ref = 'p1'"))
    assert row["name"] == "first_name1 last_name1"
    assert row["email"] == "email1"
    assert row["phone"] == "mobile_number1"
    assert row["address"] == "primary_address11, primary_address21, primary_city1"
    assert row["postcode"] == "primary_zip1"
    assert json.loads(row["features"]) == {
        "Gender": "Female",
        "age_bracket": "16-29",
        "geo_bucket": "Lothian",
        "edu_level": "Level 1",
    }
    assert [r[0] for r in db.execute("select name from features order by position")] == [
        "Gender",
        "age_bracket",
        "geo_bucket",
        "edu_level",
    ]
    genders = dict(db.execute("select value, position from feature_values where feature='Gender'"))
    assert set(genders) == {"Female", "Male"}
    imported = next(db.query("select * from pool_imports"))
    assert imported["rows"] == 150 and len(imported["file_sha256"]) == 64


def test_bad_rows_are_listed_and_nothing_is_imported(assembly, tmp_path: Path, clock) -> None:
    path = tmp_path / "pool.csv"
    path.write_text(
        "id,name,gender,age\n"
        "A1,Ann,Woman,16-34\n"
        ",Bob,Man,35-59\n"
        "A1,Cat,Woman,60+\n"
        "A4,Dan,,60+\n"
        "A5,Eve,Woman,60+,extra\n",
        encoding="utf-8",
    )
    db = assembly.db()
    with pytest.raises(ImportRejected) as caught:
        import_file(db, path, clock)
    problems = [p.describe() for p in caught.value.problems]
    assert problems == [
        "row 3, column 'id': no respondent id",
        "row 4, column 'id': id 'A1' is already on row 2",
        "row 5, column 'gender': no value",
        "row 6: has a value in column 5, past the header's 4 columns",
    ]
    assert "nothing was imported" in str(caught.value)
    assert count(db, "respondents") == 0 and count(db, "features") == 0
    assert count(db, "pool_imports") == 0


def test_excel_workbook_imports_like_csv(assembly, tmp_path: Path, clock) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Respondent ID", "Full name", "Postcode", "Gender", "Age"])
    sheet.append([101, "Ann Ames", "HF1 2AB", "Woman", "16-34"])
    sheet.append([102, "Ben Bell", "HF1 2AC", "Man", "60+"])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "pool.xlsx"
    book.save(path)
    db = assembly.db()
    assert import_file(db, path, clock).respondents == 2
    refs = [r[0] for r in db.execute("select ref from respondents order by ref")]
    assert refs == ["101", "102"]  # whole numbers from Excel are not "101.0"


def test_semicolon_csv_and_explicit_mapping(assembly, tmp_path: Path, clock) -> None:
    path = tmp_path / "pool.csv"
    path.write_text("code;Area;Notes\nX1;North;likes trains\nX2;South;\n", encoding="utf-8")
    source = read_source(path)
    plan = plan_import(source, {"code": "id", "Area": "feature", "Notes": "ignore"})
    assert plan.ok and plan.counts == {"Area": {"North": 1, "South": 1}}
    import_pool(assembly.db(), plan, clock)
    assert count(assembly.db(), "features") == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["id", "Name", "Email", "Gender"], ["id", "name", "email", "feature"]),
        (
            ["nationbuilder_id", "first_name", "last_name", "mobile_number", "primary_zip"],
            ["id", "name", "name", "phone", "postcode"],
        ),
        (
            ["Ref", "Address line 1", "Town", "Household", "Ward"],
            ["id", "address", "address", "household", "feature"],
        ),
        (["id", "email", "e-mail"], ["id", "email", "ignore"]),
    ],
)
def test_guess_mapping(header: list[str], expected: list[str]) -> None:
    assert list(guess_mapping(header).values()) == expected


def test_mapping_needs_one_id_and_a_feature(tmp_path: Path) -> None:
    source = read_source(write_pool_csv(tmp_path / "p.csv", 5))
    with pytest.raises(OrganiserError, match="exactly one column as the respondent id"):
        plan_import(source, {"id": "feature", "name": "name"})
    with pytest.raises(OrganiserError, match="at least one column as a feature"):
        plan_import(source, {"id": "id", "gender": "ignore", "age": "ignore", "area": "ignore"})
    with pytest.raises(OrganiserError, match="does not have: Colour"):
        plan_import(source, {"id": "id", "Colour": "feature"})


def test_reimport_replaces_pool_and_keeps_targets_and_quotas(
    assembly, tmp_path: Path, clock
) -> None:
    from assembly.organiser.quotas import set_panel_size, set_quota, set_target_share

    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "a.csv", 30), clock)
    set_panel_size(db, 6)
    set_target_share(db, "gender", "Woman", 0.51)
    set_quota(db, "gender", "woman", 2, 4)
    with pytest.raises(OrganiserError, match="already has a pool of 30"):
        import_file(db, write_pool_csv(tmp_path / "b.csv", 40, seed=2), clock)
    assert count(db, "respondents") == 30
    result = import_file(db, tmp_path / "b.csv", clock, replace=True)
    assert result.replaced == 30 and count(db, "respondents") == 40
    assert db.execute(
        "select target_share from feature_values where feature='gender' and value='Woman'"
    ).fetchone()[0] == pytest.approx(0.51)
    assert list(db.execute("select feature, value, min, max from quotas")) == [
        ("gender", "Woman", 2, 4)
    ]
    assert count(db, "pool_imports") == 2


def test_progress_is_reported_for_big_files(assembly, tmp_path: Path, clock) -> None:
    seen: list[float] = []
    path = write_pool_csv(tmp_path / "big.csv", 3000)
    import_file(assembly.db(), path, clock, progress=lambda f, _m: seen.append(f))
    assert seen and seen == sorted(seen) and 0 < seen[-1] <= 1
    assert count(assembly.db(), "respondents") == 3000


def test_browse_pages_filter_and_sort_in_sql(assembly, tmp_path: Path, clock) -> None:
    from assembly.organiser.pool_browse import browse_pool

    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "big.csv", 10_000), clock)
    page = browse_pool(db, offset=200, page_size=200)
    assert page.total == 10_000 and len(page.rows) == 200 and page.rows[0]["ref"] == "P00200"
    north = browse_pool(db, feature="area", value="North", sort="age", descending=True)
    expected = db.execute(
        "select count(*) from respondents where json_extract(features, '$.area') = 'North'"
    ).fetchone()[0]
    assert north.total == expected
    ages = [json.loads(r["features"])["age"] for r in north.rows]
    assert ages == sorted(ages, reverse=True)
    found = browse_pool(db, text="Person 9999")
    assert [r["ref"] for r in found.rows] == ["P09999"]


def test_ids_sort_by_their_number_not_as_text(assembly, tmp_path: Path, clock) -> None:
    """Ids sorted as text (p0, p1, p10, p100, p11 ...); people expect p0, p1, p2 ... p10."""
    from assembly.organiser.pool_browse import browse_pool
    from assembly.organiser.pool_import import import_file

    path = tmp_path / "ids.csv"
    path.write_text("id,gender\n" + "".join(f"p{n},{'ab'[n % 2]}\n" for n in (10, 2, 100, 0, 1)))
    import_file(assembly.db(), path, clock)
    page = browse_pool(assembly.db(), sort="ref")
    assert [r["ref"] for r in page.rows] == ["p0", "p1", "p2", "p10", "p100"]
    page = browse_pool(assembly.db(), sort="ref", descending=True)
    assert page.rows[0]["ref"] == "p100"
