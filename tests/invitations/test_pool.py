"""Matched registrants become the pool through the organiser's pool import: their answers and
their matched address's areas as features, the address as the household; the doubtful and the
uninvited left out and counted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.invitations.conftest import SEED, run


def _rows(path: Path, sql: str, params=()):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def mailed(framed: Path) -> Path:
    run("invitations", "draw", framed, "--letters", 600, "--seed", SEED)
    return framed


def _form(mailed: Path, tmp_path: Path) -> tuple[Path, list[tuple]]:
    letters = _rows(
        mailed,
        "select a.id, a.lines, a.postcode, l.reference, a.ward, a.decile from invitation_letters l "
        "join invitation_addresses a on a.id = l.address_id order by l.position limit 4",
    )
    (unmailed,) = _rows(
        mailed,
        "select lines, postcode from invitation_addresses where id not in "
        "(select address_id from invitation_letters) order by id limit 1",
    )
    line = lambda lines: json.loads(lines)[0].replace(",", "")  # noqa: E731
    body = ["Name,Address,Postcode,Reference,Age band,Gender"]
    for n, (_id, lines, pc, ref, _w, _d) in enumerate(letters):
        body.append(f"P{n},{line(lines)},{pc},{ref},{'16-29' if n % 2 else '30-44'},Woman")
    # a second person from the first household: same address, no reference, a blank answer
    body.append(f"Q0,{line(letters[0][1])},{letters[0][2]},,45-64,")
    body.append(f"Uninvited,{line(unmailed[0])},{unmailed[1]},,30-44,Man")
    body.append(f"Doubtful,1 Nowhere Lane,{letters[1][2]},{letters[0][3]},30-44,Man")
    form = tmp_path / "form.csv"
    form.write_text("\n".join(body) + "\n")
    return form, letters


def test_matched_registrants_become_the_pool(mailed: Path, tmp_path: Path) -> None:
    form, letters = _form(mailed, tmp_path)
    run("invitations", "registrations", mailed, form)
    statuses = dict(
        _rows(mailed, "select status, count(*) from invitation_registrations group by status")
    )
    assert statuses == {"matched": 5, "needs review": 1, "not invited": 1}
    out = run("invitations", "pool", mailed).output
    assert (
        "5 matched registrants added to the pool; 1 needs review first "
        "(assembly invitations review); 1 was not sent a letter." in out
    )
    assert "Answers or area values left blank, stored as 'not given': 1" in out
    people = {
        name: (household, json.loads(features))
        for name, household, features in _rows(
            mailed, "select name, household, features from respondents"
        )
    }
    assert set(people) == {"P0", "P1", "P2", "P3", "Q0"}
    for n, (_id, _lines, _pc, _ref, ward, decile) in enumerate(letters):
        _household, features = people[f"P{n}"]
        assert features["ward"] == ward and features["decile"] == str(decile)
        assert features["Gender"] == "Woman"
    assert people["Q0"][0] == people["P0"][0]  # one household: the draw takes at most one
    assert people["Q0"][1]["Gender"] == "not given"
    assert len({h for h, _f in people.values()}) == 4
    assert _rows(mailed, "select name from features order by position") == [
        ("Age band",),
        ("Gender",),
        ("ward",),
        ("decile",),
        ("Town",),  # any other area column of the frame
    ]
    decile = people["P0"][1]["decile"]
    run("quotas", "size", mailed, 2)
    run("quotas", "set", mailed, "decile", decile, 0, 1)
    assert _rows(mailed, "select feature, value, min, max from quotas") == [
        ("decile", decile, 0, 1)
    ]
    again = run("invitations", "pool", mailed, code=2).output
    assert "already has a pool of 5 respondents" in again
    assert _rows(mailed, "select count(*) from respondents") == [(5,)]


def test_ignored_columns_are_no_feature(mailed: Path, tmp_path: Path) -> None:
    form, _letters = _form(mailed, tmp_path)
    run("invitations", "registrations", mailed, form)
    out = run("invitations", "pool", mailed, "--ignore", "Nope", code=2).output
    assert "--ignore nope: no such column" in out and "'Age band'" in out
    assert _rows(mailed, "select count(*) from respondents") == [(0,)]
    run("invitations", "pool", mailed, "--ignore", "town", "--ignore", "Gender")
    assert _rows(mailed, "select name from features order by position") == [
        ("Age band",),
        ("ward",),
        ("decile",),
    ]


def test_no_matched_registration_is_refused(mailed: Path, tmp_path: Path) -> None:
    out = run("invitations", "pool", mailed, code=2).output
    assert "no registration is matched to a mailed address yet" in out
    assert _rows(mailed, "select count(*) from respondents") == [(0,)]
