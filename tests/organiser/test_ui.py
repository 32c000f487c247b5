"""The Organiser screens driven headless: import, quotas, draw, seed, replace, purge; after each
step the test asserts on what the assembly file holds."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from assembly.organiser.members import panel_violations
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.organiser.conftest import SEED, write_pool_csv


def text_of(app) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def count(path: Path, sql: str):
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


async def test_home_keeps_the_pool_summary(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = text_of(app)
        assert "1,500 respondents in the pool" in text
        assert "Quotas: 33 set for a panel of 40" in text
        assert "Draw 1 (leximin): panel number" in text


async def test_import_peer_pool_and_load_quotas(tmp_path: Path, peer_fixtures: Path, clock) -> None:
    from assembly.store import create_assembly

    path = tmp_path / "ui.assembly.db"
    app = AssemblyApp(create_assembly(path, name="UI test", clock=clock), clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(peer_fixtures / "candidates.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#mapping-table", DataTable).row_count == 13
        assert "150 respondents ready" in text_of(app)
        assert count(path, "select count(*) from respondents") == 0  # preview only
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert count(path, "select count(*) from respondents") == 150
        assert count(path, "select count(*) from features") == 4
        await pilot.press("escape")
        await pilot.pause()
        assert "150 respondents in the pool" in text_of(app)

        await pilot.press("q")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(peer_fixtures / "features.csv")
        app.screen.query_one("#field-size", Input).value = "22"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert count(path, "select count(*) from quotas") == 20
        assert count(path, "select value from organiser_settings where key='panel_size'") == "22"
        assert "✓ Feasible" in text_of(app)

        # Edit Gender = Female to an impossible minimum, see why, apply the relaxation.
        table = app.screen.query_one("#quota-table", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-min", Input).value = "15"
        app.screen.query_one("#field-max", Input).value = "20"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert count(path, "select min from quotas where value = 'Female'") == 15
        assert "✗ Not feasible" in text_of(app) and "Press A" in text_of(app)
        await pilot.press("a")
        await settle(app, pilot)
        assert count(path, "select min from quotas where value = 'Female'") == 12
        assert "✓ Feasible" in text_of(app)


async def test_draw_runs_in_a_worker_and_is_recorded(tmp_path: Path, clock, monkeypatch) -> None:
    from assembly.organiser.pool_import import import_file
    from assembly.organiser.quotas import set_panel_size, set_quota
    from assembly.organiser.screens.draw import DrawScreen
    from assembly.store import create_assembly

    monkeypatch.setattr(DrawScreen, "rounding_seconds", 0.0)
    path = tmp_path / "small.assembly.db"
    assembly = create_assembly(path, name="Small", clock=clock)
    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "p.csv", 40), clock)
    set_panel_size(db, 6)
    set_quota(db, "gender", "Woman", 3, 3)
    set_quota(db, "gender", "Man", 3, 3)
    app = AssemblyApp(assembly, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "No draw yet" in text_of(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert count(path, "select count(*) from draws") == 1
        assert count(path, "select algorithm from draws") == "leximin"
        assert "Minimum chance" in text_of(app)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "Jo Bloggs"
        app.screen.query_one("#field-role", Input).value = "Councillor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert count(path, "select name from draw_witnesses") == "Jo Bloggs"
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#field-seed", Input).value = SEED
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert count(path, "select seed from draws") == SEED
        assert count(path, "select count(*) from members") == 6
        assert app.screen.query_one("#panel-member-table", DataTable).row_count == 6
        assert "✓ Drawn" in text_of(app)
        bundle = tmp_path / "bundle.json"
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(bundle)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert SEED in bundle.read_text()


async def test_the_support_editor_says_which_languages_print_cards(demo_path: Path) -> None:
    """Issue 22: the first language is typed freely; the form says which languages cards print
    in, and saving one without printed cards says so (an interpreter may be needed), never
    refusing it."""
    from assembly.ui.dialogs.agenda_form import FormDialog

    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#member-table", DataTable).move_cursor(row=0)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        label = next(f.label for f in app.screen.fields if f.name == "first_language")
        assert "Cards print in English, Arabic, Bengali, Polish, Romanian, Urdu and Welsh" in label
        app.screen.query_one("#field-first_language", Input).value = "Klingon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        toasts = [n.message for n in app._notifications]
        assert any("Klingon has no printed cards" in t for t in toasts), toasts
    assert (
        count(
            demo_path,
            "select first_language from member_support s join members m on m.id = s.member_id "
            "where m.number = 1",
        )
        == "Klingon"
    )


async def test_members_withdraw_replace_support_and_purge(computed, clock) -> None:
    from assembly.organiser.draws import enter_seed

    assembly, draw_id = computed
    enter_seed(assembly.db(), draw_id, SEED, clock)
    path = assembly.path
    app = AssemblyApp(assembly, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#member-table", DataTable)
        assert table.row_count == 22
        table.move_cursor(row=0)
        await pilot.press("i")
        await pilot.pause()
        assert count(path, "select status from members where number = 1") == "invited"
        table.move_cursor(row=2)
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#field-note", Input).value = "moved away"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert count(path, "select status from members where number = 3") == "withdrawn"
        await pilot.press("r")  # asks first, naming who is replaced; No leaves the panel alone
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "3" in app.screen.question and "cannot be undone" in app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
        assert count(path, "select status from members where number = 3") == "withdrawn"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert count(path, "select status from members where number = 3") == "replaced"
        assert count(path, "select replaces_member_id from members where number = 23") == count(
            path, "select id from members where number = 3"
        )
        assert panel_violations(assembly.db()) == []
        table.move_cursor(row=1)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#field-interpreter", Input).value = "BSL"
        app.screen.query_one("#field-honorarium", Input).value = "300"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert count(path, "select interpreter from member_support") == "BSL"
        assert "total £300.00" in text_of(app)
        outsider = count(
            path,
            "select name from respondents where id not in (select respondent_id from members) "
            "order by id limit 1",
        )
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()  # the purge runs in a worker
        await pilot.pause()
        assert count(path, "select count(*) from respondents where name is not null") == 23
        assert count(path, "select count(*) from purges") == 1
    # The app is closed: the purged name is in neither the file nor its write-ahead log.
    wal = Path(f"{path}-wal")
    data = Path(path).read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert outsider.encode() not in data


async def test_browse_ten_thousand_pages_without_loading_all(tmp_path: Path, clock) -> None:
    from assembly.organiser.pool_import import import_file
    from assembly.store import create_assembly

    path = tmp_path / "big.assembly.db"
    assembly = create_assembly(path, name="Big", clock=clock)
    import_file(assembly.db(), write_pool_csv(tmp_path / "p.csv", 10_000), clock)
    app = AssemblyApp(assembly, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("p")  # P browses the pool (B is Budgets)
        await pilot.pause()
        table = app.screen.query_one("#pool-table", DataTable)
        assert table.row_count == 200
        assert "1–200 of 10,000" in text_of(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert "201–400 of 10,000" in text_of(app)
        app.screen.query_one("#pool-filter", Input).value = "area=North"
        await pilot.pause()
        north = count(
            path,
            "select count(*) from respondents where json_extract(features, '$.area') = 'North'",
        )
        assert f"of {north:,}" in text_of(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "descending" in text_of(app)
