"""Registrations matched to the mailed addresses: realistic typing still matches, a wrong
household never does, and a bad form is refused by file, row and column with nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assembly.invitations.matching import (
    MATCHED,
    NEEDS_REVIEW,
    Candidate,
    match_address,
    parse_address,
)
from tests.invitations.conftest import SEED, run
from tests.invitations.typed_forms import registrations, write_form


def _rows(path: Path, sql: str, params=()):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def mailed(framed: Path) -> Path:
    run("invitations", "draw", framed, "--letters", 600, "--seed", SEED)
    return framed


@pytest.mark.parametrize(
    ("text", "flat", "number", "street"),
    [
        ("Flat 2, 14 Oak Road", "2", "14", "OAK ROAD"),
        ("2/14 oak rd", "2", "14", "OAK ROAD"),
        ("flat 2 14 Oak Rd., Kingsbridge", "2", "14", "OAK ROAD KINGSBRIDGE"),
        ("Apartment 3 7 Elm St", "3", "7", "ELM STREET"),
        ("12 A Hazel Gdns", "", "12A", "HAZEL GARDENS"),
        ("14 Oak Road 2", "", "14", "OAK ROAD 2"),
    ],
)
def test_parse_address(text: str, flat: str, number: str, street: str) -> None:
    got = parse_address(text)
    assert (got.flat, got.number, got.street) == (flat, number, street)


def _c(id_: int, text: str, mailed: bool = True) -> Candidate:
    return Candidate(id_, parse_address(text), mailed)


def test_close_rivals_are_a_question_not_an_answer() -> None:
    both = [_c(1, "5 Oak Road"), _c(2, "5 Oak Close")]
    assert match_address(parse_address("5 Oak Rd"), both).address_id == 1
    assert match_address(parse_address("5 Oak"), both).status == NEEDS_REVIEW
    flats = [_c(1, "Flat 1, 5 Oak Road"), _c(2, "Flat 2, 5 Oak Road", mailed=False)]
    assert match_address(parse_address("5 Oak Road"), flats).status == NEEDS_REVIEW
    swapped = [_c(1, "21 Oak Road"), _c(2, "Flat 1, 12 Oak Road")]
    assert match_address(parse_address("12 Oak Road"), swapped).status == NEEDS_REVIEW
    assert match_address(parse_address("Flat 1, 21 Oak Road"), swapped).address_id == 2


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_typed_registrations_match_their_own_household(
    mailed: Path, small_borough, tmp_path: Path, seed: int
) -> None:
    letters = dict(
        _rows(
            mailed,
            "select a.uprn, l.reference from invitation_letters l "
            "join invitation_addresses a on a.id = l.address_id",
        )
    )
    typed = registrations(small_borough, letters, np.random.default_rng(seed))
    form = write_form(tmp_path / "form.csv", typed)
    out = run("invitations", "registrations", mailed, form).output
    assert f"Read {len(typed):,} registrations from form.csv." in out
    ids = dict(_rows(mailed, "select uprn, id from invitation_addresses"))
    stored = _rows(mailed, "select row, status, address_id from invitation_registrations")
    assert len(stored) == len(typed)
    genuine = matched = 0
    for row, status, address_id in stored:
        t = typed[row - 2]
        if status == MATCHED:
            assert address_id == ids[t.uprn], (t, status)  # never a different household
        if t.genuine:
            genuine += 1
            matched += status == MATCHED
    misses = [
        (typed[r - 2], s, why)
        for r, s, _a, why in _rows(
            mailed, "select row, status, address_id, reason from invitation_registrations"
        )
        if s != MATCHED and typed[r - 2].genuine
    ]
    assert matched / genuine >= 0.98, misses
    assert "Households with more than one registration" in out
    again = run("invitations", "registrations", mailed, form).output
    assert f"Already imported (or repeated), skipped: {len(typed):,} registrations" in again
    assert _rows(mailed, "select count(*) from invitation_registrations") == [(len(typed),)]


def test_reference_wins_when_it_agrees_with_the_address(mailed: Path, tmp_path: Path) -> None:
    (lines, pc, ref), (other_ref,) = (
        _rows(
            mailed,
            "select a.lines, a.postcode, l.reference from invitation_letters l "
            "join invitation_addresses a on a.id = l.address_id order by l.position limit 1",
        )[0],
        _rows(mailed, "select reference from invitation_letters order by position limit 1, 1")[0],
    )
    line = lines.split('"')[1]
    form = tmp_path / "form.csv"
    form.write_text(
        "Name,Address,Postcode,Reference\n"
        f"A,{line.replace(',', '')},{pc},{ref.lower()}\n"
        f"B,{line.replace(',', '')},{pc},{other_ref}\n"
        f"C,1 Nowhere Lane,{pc},{other_ref}\n"
        f"D,{line.replace(',', '')},ZZ9 9ZZ,{ref}\n"
    )
    run("invitations", "registrations", mailed, form)
    got = _rows(mailed, "select name, status, reason from invitation_registrations order by row")
    assert got[0][:2] == ("A", MATCHED)
    # the typed address is one clear mailed address: it decides over a copied code
    assert got[1][:2] == ("B", MATCHED) and "for another letter" in got[1][2]
    assert got[2][:2] == ("C", NEEDS_REVIEW) and "another address" in got[2][2]
    assert got[3][:2] == ("D", MATCHED)  # a mistyped postcode: the reference agrees with the rest


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Name,Address\nA,1 Oak Road\n", "no postcode column"),
        ("Name,Postcode\nA,KB1 0AA\n", "no address column"),
        (
            "Name,Address,Postcode\nA,1 Oak Road,KB1 0AA\nB,2 Oak Road,not one\n",
            "row 3, column 'Postcode': 'not one' is not a UK postcode",
        ),
        ("Name,Address,Postcode\nA,,KB1 0AA\n", "row 2, column 'Address': the address is empty"),
    ],
)
def test_bad_forms_are_refused_and_change_nothing(
    mailed: Path, tmp_path: Path, body: str, expected: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(body)
    result = run("invitations", "registrations", mailed, bad, code=2)
    assert expected in result.output and "bad.csv" in result.output
    assert _rows(mailed, "select count(*) from invitation_registrations") == [(0,)]
    assert _rows(mailed, "select count(*) from invitation_registration_imports") == [(0,)]


def test_registrations_before_any_letter_are_refused(framed: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text("Address,Postcode\n1 Oak Road,KB1 0AA\n")
    result = run("invitations", "registrations", framed, form, code=2)
    assert "no letters have been drawn" in result.output


def test_xlsx_form_is_read(mailed: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Address line 1", "Address line 2", "Post code"])
    book.active.append(["1 Nowhere Lane", "", "ZZ9 9ZZ"])
    book.save(tmp_path / "form.xlsx")
    out = run("invitations", "registrations", mailed, tmp_path / "form.xlsx").output
    assert "Read 1 registration from form.xlsx." in out
    assert _rows(mailed, "select status from invitation_registrations") == [("not invited",)]


def test_review_lists_by_household_and_resolves(mailed: Path, tmp_path: Path) -> None:
    (flat_id, flat_lines, flat_pc), (house_lines, house_pc) = (
        _rows(
            mailed,
            "select a.id, a.lines, a.postcode from invitation_letters l join invitation_addresses "
            "a on a.id = l.address_id where a.lines like '%Flat %' order by a.id limit 1",
        )[0],
        _rows(
            mailed,
            "select a.lines, a.postcode from invitation_letters l join invitation_addresses a "
            "on a.id = l.address_id where a.lines not like '%Flat%' order by a.id limit 1",
        )[0],
    )
    without_flat = flat_lines.split('"')[1].split(", ", 1)[1]  # "Flat 2, 14 Oak Road" -> "14 ..."
    house = house_lines.split('"')[1]
    form = tmp_path / "form.csv"
    form.write_text(
        f"Name,Address,Postcode\nA,{without_flat},{flat_pc}\nB,{house},{house_pc}\n"
        f"C,{house.upper()},{house_pc.lower()}\n"
    )
    run("invitations", "registrations", mailed, form)
    out = run("invitations", "review", mailed).output
    assert "Needs review: 1 registration\n" in out
    assert f"address {flat_id}: {flat_lines.split(chr(34))[1]}" in out
    assert "no flat number was given" in out
    assert "Households with more than one registration: 1" in out
    (reg_id,) = _rows(mailed, "select id from invitation_registrations where name = 'A'")[0]
    (unmailed,) = _rows(
        mailed,
        "select id from invitation_addresses where id not in "
        "(select address_id from invitation_letters) limit 1",
    )[0]
    assert (
        "was sent no letter"
        in run("invitations", "review", mailed, "--resolve", reg_id, unmailed, code=2).output
    )
    assert (
        "no registration 999"
        in run("invitations", "review", mailed, "--resolve", 999, flat_id, code=2).output
    )
    run("invitations", "review", mailed, "--resolve", reg_id, flat_id)
    assert _rows(
        mailed, "select status, address_id from invitation_registrations where id = ?", [reg_id]
    ) == [(MATCHED, flat_id)]
    assert "Needs review: 0 registrations" in run("invitations", "review", mailed).output


def test_review_marks_a_registration_not_invited_from_the_command_line(
    mailed: Path, tmp_path: Path
) -> None:
    """`--not-invited REG_ID` settles it as the screen's X does: kept, counted, never pooled."""
    (flat_lines, flat_pc) = _rows(
        mailed,
        "select a.lines, a.postcode from invitation_letters l join invitation_addresses "
        "a on a.id = l.address_id where a.lines like '%Flat %' order by a.id limit 1",
    )[0]
    without_flat = flat_lines.split('"')[1].split(", ", 1)[1]
    form = tmp_path / "form.csv"
    form.write_text(f"Name,Address,Postcode\nA,{without_flat},{flat_pc}\n")
    run("invitations", "registrations", mailed, form)
    (reg_id,) = _rows(mailed, "select id from invitation_registrations where name = 'A'")[0]
    out = run("invitations", "review", mailed, "--not-invited", reg_id).output
    assert f"Registration {reg_id} is marked not invited" in out
    assert _rows(
        mailed, "select status, address_id from invitation_registrations where id = ?", [reg_id]
    ) == [("not invited", None)]
    assert "Needs review: 0 registrations" in run("invitations", "review", mailed).output
    refused = run("invitations", "review", mailed, "--not-invited", 999, code=2).output
    assert "no registration 999" in refused
    both = run(
        "invitations", "review", mailed, "--not-invited", reg_id, "--resolve", reg_id, 1, code=2
    )
    assert "either --resolve or --not-invited" in both.output
