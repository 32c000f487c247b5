"""The registrations screen driven as an organiser would: reached from the Organiser home with N,
a registration settled with the keyboard and with the mouse (its address, or not invited), a
household's registrations settled together, and a caller's registration typed in by phone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from assembly.core.clock import FixedClock
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED
from assembly.invitations.screens.dialogs import PhoneRegistrationDialog, ResolveDialog
from assembly.invitations.screens.review import RegistrationsScreen
from assembly.store import create_assembly, open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.widgets.tick_box import TickBox
from tests.invitations.conftest import START
from tests.invitations.mailed import mail_borough


@pytest.fixture
def answered(tmp_path: Path) -> Path:
    path = tmp_path / "answered.assembly.db"
    create_assembly(path, name="Kingsbridge", clock=FixedClock(START)).close()
    mail_borough(path, tmp_path / "frame")
    return path


def _rows(path: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def _status(path: Path, reg_id: int) -> tuple:
    return _rows(
        path, "select status, address_id from invitation_registrations where id = ?", [reg_id]
    )[0]


async def _open(app: AssemblyApp, pilot) -> RegistrationsScreen:
    await pilot.pause()
    await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, RegistrationsScreen)
    return app.screen


async def _reload(app: AssemblyApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def _app(path: Path) -> AssemblyApp:
    return AssemblyApp(open_assembly(path, clock=FixedClock(START)), mode="organiser")


async def test_review_lists_households_and_settles_by_keyboard(answered: Path) -> None:
    waiting = _rows(
        answered,
        "select id from invitation_registrations where status = ? order by id",
        [NEEDS_REVIEW],
    )
    app = _app(answered)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        assert table.row_count == len(waiting) == 4
        households = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert households == ["1", "2", "3", "3"]  # the two without a flat number, together
        standing = str(screen.query_one("#standing", Static).render())
        assert "Needs review: 4 registrations from 3 households" in standing
        first = int(table.get_row_at(0)[1])
        detail = str(screen.query_one("#household", Static).render())
        assert f"Registration {first}: no flat number was given. It could be:" in detail
        choice = _rows(
            answered,
            "select address_id from invitation_registration_candidates "
            "where registration_id = ? order by address_id desc limit 1",
            [first],
        )[0][0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResolveDialog)
        app.screen.query_one("#field-choice", Select).value = str(choice)
        await pilot.press("ctrl+s")
        await _reload(app, pilot)
        assert app.screen is screen and table.row_count == 3
        said = str(screen.query_one("#said", Static).render())
        assert said.startswith(f"Registration {first}: matched to ")
    assert _status(answered, first) == (MATCHED, choice)


async def test_a_household_is_settled_together_and_by_mouse(answered: Path) -> None:
    app = _app(answered)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        pair = [int(table.get_row_at(i)[1]) for i in (2, 3)]
        await pilot.click(DataTable, offset=(2, 1 + 2))  # the third row, under the heading
        await pilot.pause()
        assert not isinstance(app.screen, ResolveDialog)  # one click highlights the row
        assert "Registration" in str(screen.query_one("#household", Static).render())
        await pilot.click(DataTable, offset=(2, 1 + 2))  # and a second click settles it
        await pilot.pause()
        assert isinstance(app.screen, ResolveDialog)
        dialog = app.screen
        dialog.query_one("#field-others", TickBox).value = True
        dialog.query_one("#field-choice", Select).value = "not-invited"
        await pilot.press("ctrl+s")
        await _reload(app, pilot)
        assert table.row_count == 2
        assert str(screen.query_one("#said", Static).render()) == (
            f"Registrations {pair[0]}, {pair[1]}: not invited."
        )
    assert [_status(answered, r) for r in pair] == [(NOT_INVITED, None)] * 2


async def test_not_invited_asks_first_and_a_wrong_address_is_refused(answered: Path) -> None:
    unmailed = _rows(
        answered,
        "select id from invitation_addresses where id not in "
        "(select address_id from invitation_letters) order by id limit 1",
    )[0][0]
    app = _app(answered)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        first = int(table.get_row_at(0)[1])
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-other", Input).value = str(unmailed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ResolveDialog)  # stays open, saying why
        error = str(app.screen.query_one("#form-error", Static).render())
        assert f"address {unmailed} was sent no letter" in error
        app.screen.dismiss(None)
        await pilot.pause()
        assert _status(answered, first) == (NEEDS_REVIEW, None)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert _status(answered, first) == (NEEDS_REVIEW, None)
        await pilot.press("x", "y")
        await _reload(app, pilot)
        assert table.row_count == 3
    assert _status(answered, first) == (NOT_INVITED, None)


async def _type_caller(app: AssemblyApp, pilot, **typed: str) -> None:
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, PhoneRegistrationDialog)
    for name, value in typed.items():
        app.screen.query_one(f"#field-{name}", Input).value = value
    await pilot.press("ctrl+s")
    await _reload(app, pilot)


async def test_a_phone_registration_is_matched_and_said_in_words(answered: Path) -> None:
    address_id, lines, postcode = _rows(
        answered,
        "select a.id, a.lines, a.postcode from invitation_letters l join "
        "invitation_addresses a on a.id = l.address_id where a.lines not like '%Flat %' "
        "and a.id not in (select coalesce(address_id, 0) from invitation_registrations) "
        "order by a.id limit 1",
    )[0]
    street = json.loads(lines)[0]
    before = _rows(answered, "select count(*) from invitation_registrations")[0][0]
    app = _app(answered)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await _type_caller(app, pilot, name="Jo", address=street, postcode="not a postcode")
        assert isinstance(app.screen, PhoneRegistrationDialog)  # refused, still filled in
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "'not a postcode' is not a UK postcode" in error
        assert _rows(answered, "select count(*) from invitation_registrations")[0][0] == before
        app.screen.query_one("#field-postcode", Input).value = postcode.lower()
        await pilot.press("ctrl+s")
        await _reload(app, pilot)
        assert app.screen is screen
        said = str(screen.query_one("#said", Static).render())
        assert said == f"Phone registration 1 (Jo) is matched to {street}, {postcode}."
        await _type_caller(app, pilot, address="1 Nowhere Lane", postcode="KB9 9ZZ")
        said = str(screen.query_one("#said", Static).render())
        assert said.startswith("Phone registration 2 is not invited: no address in the frame")
    assert _rows(
        answered,
        "select source, row, name, status, address_id from invitation_registrations "
        "where source = 'phone' order by row",
    ) == [("phone", 1, "Jo", MATCHED, address_id), ("phone", 2, "", NOT_INVITED, None)]
