"""Purging the mailed list once the panel is drawn: the addresses, letters and registrations go,
from the records and from the file's bytes; the counts per area and wave stay, so the response
rates read as before, and the waves' seeds and commitments stay for anyone who checked them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import InfoDialog
from tests.invitations.conftest import SEED, START, run

TABLES = (
    "invitation_addresses",
    "invitation_letters",
    "invitation_inclusion",
    "invitation_registrations",
    "invitation_registration_candidates",
)


def _rows(path: Path, sql: str, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _panel(path: Path) -> None:
    """The matched registrants become the pool and a panel of two is drawn from it."""
    run("invitations", "pool", path, "--ignore", "parish")
    run("quotas", "size", path, 2)
    run("quotas", "set", path, "ward", "Abbey", 0, 2)
    run("quotas", "set", path, "ward", "=Bridge", 0, 2)
    run("draw", "run", path, "--lottery-size", 10, "--rounding-seconds", 0)
    run("draw", "seed", path, 1, "12 34 56")


def _secrets(path: Path) -> list[str]:
    """An address sent no letter, and the postcode a registrant typed wrong: in no record but
    the mailed list's."""
    ((lines, postcode),) = _rows(
        path,
        "select lines, postcode from invitation_addresses "
        "where id not in (select address_id from invitation_letters) order by id limit 1",
    )
    assert _rows(path, "select count(*) from invitation_registrations where postcode = 'KB1 9ZZ'")
    return [json.loads(lines)[0], postcode, "KB1 9ZZ"]


def test_purge_before_the_panel_is_drawn_is_refused(two_wards: Path) -> None:
    out = run("invitations", "purge", two_wards, "--yes", code=2).output
    assert "no panel has been drawn yet" in out
    assert _rows(two_wards, "select count(*) from invitation_addresses") == [(20,)]


def test_purge_keeps_counts_and_removes_the_mailed_list(two_wards: Path) -> None:
    _panel(two_wards)
    before = {
        by: run("invitations", "rates", two_wards, "--by", by).output.split("A second wave")[0]
        for by in ("decile", "ward", "wave")
    }
    by_parish = run(
        "invitations", "rates", two_wards, "--by", "area", "--area-field", "parish"
    ).output.split("A second wave")[0]
    standing = _rows(
        two_wards, "select status, count(*) from invitation_registrations group by status"
    )
    secrets = _secrets(two_wards)
    out = run("invitations", "purge", two_wards, "--yes").output
    assert "Removed the mailed list: 20 addresses, 9 letters and 4 registrations" in out
    assert "counts per area and wave are kept" in out
    for table in TABLES:
        assert _rows(two_wards, f"select count(*) from {table}") == [(0,)], table
    data = Path(two_wards).read_bytes()
    wal = Path(f"{two_wards}-wal")
    data += wal.read_bytes() if wal.exists() else b""
    for secret in secrets:
        assert secret.encode() not in data, secret
    for by, table in before.items():
        after = run("invitations", "rates", two_wards, "--by", by).output
        assert after.startswith(table), by
    after = run("invitations", "rates", two_wards, "--by", "area", "--area-field", "parish")
    assert after.output.startswith(by_parish)
    assert "The mailed list was purged on" in after.output
    assert "no second wave can be drawn" in after.output
    # the waves keep their seed and commitment; verify says what it can no longer do
    assert _rows(two_wards, "select count(*), min(seed) from invitation_waves") == [(1, SEED)]
    verified = run("invitations", "verify", two_wards).output
    assert "wave 1: its 9 letters cannot be redrawn: the mailed list was purged on" in verified
    assert "commitment" in verified
    kept = _rows(two_wards, "select status, registrations from invitation_purged_registrations")
    assert sorted(kept) == sorted(standing)


@pytest.mark.parametrize(
    "command",
    [
        ("draw", "--wave", "2", "--letters", "2", "--seed", "x"),
        ("letters", "out.pdf"),
        ("registrations", "form.csv"),
        ("review", "--not-invited", "1"),
    ],
)
def test_after_the_purge_the_mailed_list_is_gone(two_wards: Path, command) -> None:
    _panel(two_wards)
    run("invitations", "purge", two_wards, "--yes")
    args = [two_wards.parent / a if a.endswith((".pdf", ".csv")) else a for a in command[1:]]
    out = run("invitations", command[0], two_wards, *args, code=2).output
    assert "the mailed list was purged on" in out


def test_a_second_purge_says_so(two_wards: Path) -> None:
    _panel(two_wards)
    run("invitations", "purge", two_wards, "--yes")
    out = run("invitations", "purge", two_wards, "--yes").output
    assert "The mailed list was already purged on" in out


async def test_the_screens_after_the_purge_show_its_counts(two_wards: Path) -> None:
    _panel(two_wards)
    run("invitations", "purge", two_wards, "--yes")
    app = AssemblyApp(open_assembly(two_wards, clock=FixedClock(START)), mode="organiser")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        standing = str(app.screen.query_one("#standing", Static).render())
        assert standing.startswith("The mailed list was purged on ")
        assert "only its counts are kept" in standing
        assert "Letters: 9 (1 wave) · 4 registrations: 3 matched, 1 not invited" in standing
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#rates-table", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [
            "=Bridge",
            "Abbey",
            "All",
        ]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, InfoDialog)
        assert "no second wave can be drawn" in app.screen.text
