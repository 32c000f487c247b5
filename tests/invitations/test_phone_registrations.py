"""Registrations typed in by staff for a caller go through the form's checks and matcher, and a
registration in review can be settled as not invited as well as matched."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from assembly.core.clock import FixedClock
from assembly.invitations import review
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED
from assembly.invitations.registrations import PHONE, add_phone_registration
from assembly.store import open_assembly
from tests.invitations.conftest import START
from tests.invitations.mailed import mail_borough


@pytest.fixture
def answered(assembly_path: Path, tmp_path: Path) -> Path:
    mail_borough(assembly_path, tmp_path / "frame")
    return assembly_path


def _one(path: Path, sql: str, params=()):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchone()


def _letter(path: Path, flats: bool) -> tuple[int, str, str]:
    like = "like" if flats else "not like"
    address_id, lines, postcode = _one(
        path,
        "select a.id, a.lines, a.postcode from invitation_letters l join invitation_addresses a "
        f"on a.id = l.address_id where a.lines {like} '%Flat %' and a.id not in "
        "(select coalesce(address_id, 0) from invitation_registrations) order by a.id limit 1",
    )
    return address_id, json.loads(lines)[0], postcode


def test_a_caller_is_matched_not_invited_or_reviewed(answered: Path) -> None:
    assembly = open_assembly(answered, clock=FixedClock(START))
    db = assembly.db()
    house_id, house, house_pc = _letter(answered, flats=False)
    got = add_phone_registration(
        db, assembly.clock, address=house.lower(), postcode=house_pc.replace(" ", ""), name="Ann"
    )
    assert (got.outcome.status, got.outcome.address_id, got.call) == (MATCHED, house_id, 1)
    assert got.matched_to.startswith(house) and got.matched_to.endswith(house_pc)
    flat_id, flat, flat_pc = _letter(answered, flats=True)
    without_flat = flat.split(", ", 1)[1]
    doubt = add_phone_registration(db, assembly.clock, address=without_flat, postcode=flat_pc)
    assert (doubt.outcome.status, doubt.call, doubt.matched_to) == (NEEDS_REVIEW, 2, "")
    assert "no flat number" in doubt.outcome.reason
    waiting = [
        h
        for h in review.waiting_for_review(db)
        if doubt.registration_id in [r.registration_id for r in h.registrations]
    ]
    assert flat_id in [a[0] for a in waiting[0].addresses]
    stranger = add_phone_registration(
        db, assembly.clock, address="1 Nowhere Lane", postcode="KB9 9ZZ"
    )
    assert stranger.outcome.status == NOT_INVITED
    assembly.close()
    assert _one(
        answered,
        "select source, row, name from invitation_registrations where id = ?",
        [got.registration_id],
    ) == (PHONE, 1, "Ann")


@pytest.mark.parametrize(
    ("address", "postcode", "says"),
    [
        ("", "KB1 0AA", "the address is empty"),
        ("4 Oak Road", "not a code", "'not a code' is not a UK postcode"),
        ("4 Oak Road", "", "the postcode is empty"),
    ],
)
def test_bad_typing_is_refused_and_nothing_is_stored(
    answered: Path, address: str, postcode: str, says: str
) -> None:
    before = _one(answered, "select count(*) from invitation_registrations")
    assembly = open_assembly(answered, clock=FixedClock(START))
    with pytest.raises(InvitationError, match=says):
        add_phone_registration(assembly.db(), assembly.clock, address=address, postcode=postcode)
    assembly.close()
    assert _one(answered, "select count(*) from invitation_registrations") == before


def test_the_same_caller_typed_twice_is_refused(answered: Path) -> None:
    assembly = open_assembly(answered, clock=FixedClock(START))
    _, house, pc = _letter(answered, flats=False)
    add_phone_registration(assembly.db(), assembly.clock, address=house, postcode=pc, name="Bo")
    with pytest.raises(InvitationError, match="typed in before, as phone registration 1"):
        add_phone_registration(assembly.db(), assembly.clock, address=house, postcode=pc, name="Bo")
    assembly.close()


def test_before_any_letter_a_caller_is_refused(framed: Path) -> None:
    assembly = open_assembly(framed, clock=FixedClock(START))
    with pytest.raises(InvitationError, match="no letters have been drawn yet"):
        add_phone_registration(
            assembly.db(), assembly.clock, address="4 Oak Road", postcode="KB1 0AA"
        )
    assembly.close()


def test_marked_not_invited_leaves_the_review(answered: Path) -> None:
    assembly = open_assembly(answered, clock=FixedClock(START))
    db = assembly.db()
    first = review.waiting_for_review(db)[0].registrations[0].registration_id
    waiting = sum(len(h.registrations) for h in review.waiting_for_review(db))
    review.mark_not_invited(db, first)
    assert sum(len(h.registrations) for h in review.waiting_for_review(db)) == waiting - 1
    with pytest.raises(InvitationError, match="no registration 99999"):
        review.mark_not_invited(db, 99999)
    assembly.close()
    status, address_id, reason = _one(
        answered,
        "select status, address_id, reason from invitation_registrations where id = ?",
        [first],
    )
    assert (status, address_id) == (NOT_INVITED, None)
    assert reason == "marked not invited in review (was needs review)"
