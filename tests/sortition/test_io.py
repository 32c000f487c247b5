"""Reading quotas and people: both quota formats, forgiving matching, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sortition.io import parse_people, parse_quotas, read_instance, read_people, read_quotas
from sortition.model import BadInput

SF_QUOTAS = "feature,value,min,max,min_flex,max_flex\nGender,Female,1,2,0,2\nGender,Male,1,2,0,2\n"
PEOPLE = "ID,Name,gender\na1,Ann,female\nb2,Bob, MALE \nc3,Cy,Female\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_sortition_foundation_format_keeps_display_spelling() -> None:
    quotas = parse_quotas(SF_QUOTAS)
    assert [(q.feature, q.value, q.min, q.max) for q in quotas] == [
        ("Gender", "Female", 1, 2),
        ("Gender", "Male", 1, 2),
    ]


def test_replication_format_reads_category_as_feature() -> None:
    quotas = parse_quotas("category,feature,min,max\ngender,female,9,20\ngender,male,9,20")
    assert [(q.feature, q.value) for q in quotas] == [("gender", "female"), ("gender", "male")]


def test_people_match_ignoring_case_and_spaces_and_keep_no_names() -> None:
    pool = parse_people(PEOPLE, parse_quotas(SF_QUOTAS))
    assert pool.ids == ("a1", "b2", "c3")
    assert [pool.value_of(i, "Gender") for i in range(3)] == ["Female", "Male", "Female"]
    assert "Name" not in pool.features and "Ann" not in repr(pool)


def test_without_id_column_rows_are_numbered_from_one() -> None:
    pool = parse_people("gender\nfemale\nmale\n", parse_quotas(SF_QUOTAS))
    assert pool.ids == ("1", "2")


def test_named_id_column_and_household_key() -> None:
    text = "pid,gender,street,zip\nx,female,1 High St,AB1\ny,male, 1 high st ,ab1\nz,male,,\n"
    pool = parse_people(
        text, parse_quotas(SF_QUOTAS), id_column="PID", address_columns=("street", "zip")
    )
    assert pool.ids == ("x", "y", "z")
    assert pool.households[0] == pool.households[1] is not None
    assert pool.households[2] is None


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    quotas = write(tmp_path, "q.csv", "\ufeff" + SF_QUOTAS)
    people = write(tmp_path, "p.csv", "\ufeff" + PEOPLE)
    instance = read_instance(quotas, people, 2)
    assert instance.pool.ids == ("a1", "b2", "c3")


@pytest.mark.parametrize(
    ("quotas", "people", "k", "words", "row", "column"),
    [
        ("feature,value,min,max\nAge,old,0,1\n", PEOPLE, 1, "no such column", 1, "Age"),
        (SF_QUOTAS, PEOPLE + "d4,Di,other\n", 2, "'other' has no quota", 5, "gender"),
        ("feature,value,min,max\nGender,Female,3,2\n", PEOPLE, 1, "larger than max", 2, "min"),
        (SF_QUOTAS, PEOPLE + "a1,Al,male\n", 2, "used already on row 2", 5, "ID"),
        (SF_QUOTAS, PEOPLE, 4, "larger than the pool of 3", None, None),
        (SF_QUOTAS, "", 1, "is empty", None, None),
        ("feature,value,min,max\nGender,Female,x,2\n", PEOPLE, 1, "not a whole number", 2, "min"),
        ("name,low,high\n", PEOPLE, 1, "needs the columns", 1, None),
        (SF_QUOTAS + "gender, female ,0,1\n", PEOPLE, 1, "has a quota already on row 2", 4, None),
    ],
)
def test_bad_input_names_file_row_and_column(
    tmp_path: Path,
    quotas: str,
    people: str,
    k: int,
    words: str,
    row: int | None,
    column: str | None,
) -> None:
    q = write(tmp_path, "quotas.csv", quotas)
    p = write(tmp_path, "people.csv", people)
    with pytest.raises(BadInput) as caught:
        read_instance(q, p, k)
    err = caught.value
    assert words in str(err)
    assert err.row == row
    if column is not None:
        assert err.column == column
    if row is not None:
        assert err.file in (str(q), str(p))
        assert f"row {row}" in str(err)


def test_wrong_encoding_is_reported_with_its_line(tmp_path: Path) -> None:
    q = write(tmp_path, "q.csv", SF_QUOTAS)
    p = write(tmp_path, "p.csv", "id,gender\n1,female\n2,f\xe9male\n".encode("latin-1"))
    with pytest.raises(BadInput) as caught:
        read_people(p, read_quotas(q))
    assert "not UTF-8" in str(caught.value) and caught.value.row == 3


def test_unknown_id_column_is_bad_input() -> None:
    with pytest.raises(BadInput, match="no id column called 'nope'"):
        parse_people(PEOPLE, parse_quotas(SF_QUOTAS), id_column="nope")


def test_codes_follow_quota_order() -> None:
    pool = parse_people(PEOPLE, parse_quotas(SF_QUOTAS))
    assert pool.values["Gender"] == ("Female", "Male")
    assert np.array_equal(pool.codes[:, 0], [0, 1, 0])
