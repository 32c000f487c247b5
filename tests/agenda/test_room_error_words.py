"""The room's message pages (an expired form, a vote with no code, too many tries, a code that
stopped working, no budget vote) in the phone's language, over HTTP to a real `assembly room`
on 127.0.0.1 in a Welsh assembly (issue 22): the page says lang="cy", so its words are Welsh."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assembly.agenda.room import submissions as room
from assembly.core.clock import FixedClock
from assembly.store import languages, open_assembly
from tests.agenda.room_helpers import Phone, make_room_file, room_process


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("room") / "cymru.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    with room_process(path, "--rate", "1") as url:
        # Welsh once the room is open (its command then speaks Welsh: the helper reads the
        # English "Room open at"); the room reads the working language again on each page.
        assembly = open_assembly(path)
        languages.set_languages(assembly.db(), working="cy")
        assembly.close()
        yield path, url, codes


def _welsh(phone: Phone, *words: str) -> None:
    assert '<html lang="cy" dir="ltr">' in phone.text
    for said in words:
        assert said in phone.text, phone.text


def _round_id(path) -> int:
    assembly = open_assembly(path)
    try:
        return room.room_round(assembly.db()).id
    finally:
        assembly.close()


def test_an_expired_form_is_refused_in_welsh(served) -> None:
    _, url, codes = served
    phone = Phone(url).sign_in(codes[1])
    phone.get("/vote")
    assert phone.post("/vote", {"round": "1", "dots-1": "1"}, csrf="forged").status == 403
    _welsh(
        phone,
        "Mae&#39;r dudalen hon wedi dod i ben",
        "Ni chofnodwyd dim. Ewch yn ôl i&#39;r dudalen gyntaf a rhowch gynnig arall arni.",
    )
    assert "This page has expired" not in phone.text


def test_a_vote_with_no_code_is_refused_in_welsh(served) -> None:
    _, url, _codes = served
    phone = Phone(url)
    phone.get("/")
    assert phone.post("/vote", {"round": "1", "dots-1": "1"}).status == 403
    _welsh(phone, "Rhowch eich cod yn gyntaf", "Dim ond aelodau sydd â chod sy&#39;n pleidleisio.")
    assert phone.post("/budget", {"round": "1"}).status == 403
    _welsh(
        phone, "Rhowch eich cod yn gyntaf", "Dim ond trigolion sydd â chod sy&#39;n pleidleisio."
    )
    assert "Enter your code first" not in phone.text


def test_too_many_ballots_in_a_minute_is_refused_in_welsh(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[2])
    phone.get("/vote")
    form = {"round": _round_id(path), "dots-1": "1"}
    assert phone.post("/vote", form).status == 303
    phone.get("/vote")
    assert phone.post("/vote", form).status == 429
    _welsh(phone, "Arafwch, os gwelwch yn dda")
    assert "Please slow down" not in phone.text


def test_no_budget_vote_is_said_in_welsh(served) -> None:
    _, url, codes = served
    phone = Phone(url).sign_in(codes[3])
    phone.get("/budget")
    assert phone.status == 200
    _welsh(phone, "Does dim pleidlais ar y gyllideb ar agor")
    assert "No budget vote is open" not in phone.text


def test_a_code_that_stopped_working_is_said_in_welsh(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[4])
    assembly = open_assembly(path)
    room.revoke_code(assembly.db(), assembly.clock, 4)
    assembly.close()
    phone.get("/vote")
    assert phone.status == 403
    _welsh(
        phone,
        "Nid yw eich cod yn gweithio mwyach",
        "Nid yw&#39;r cod hwn yn gweithio mwyach. Gofynnwch i hwylusydd am help.",
    )
    assert "Your code no longer works" not in phone.text


def test_too_many_wrong_codes_is_refused_in_welsh(served) -> None:
    """Last: the wrong tries of one code, from 127.0.0.1, lock that code out for a minute."""
    _, url, _codes = served
    phone = Phone(url)
    phone.get("/")
    for _try in range(6):
        phone.post("/code", {"code": "QQQQ-QQQQ"})
    assert phone.status == 429
    _welsh(phone, "Arhoswch funud, os gwelwch yn dda")
    assert "Please wait a minute" not in phone.text
