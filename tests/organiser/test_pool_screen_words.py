"""The pool browser and the pool import in the working language (issue 22): a member's status
in the Panel column, the column the list is sorted by as its heading reads, and each column's
role in the import, while the file keeps the English status and the role codes."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from textual.widgets import DataTable, Input, Static

from assembly.core import i18n
from assembly.store import open_assembly
from assembly.store.languages import set_languages
from assembly.ui.app import AssemblyApp


def _in(path: Path, language: str) -> Path:
    db = Database(path)
    set_languages(db, working=language)
    db.close()
    return path


def _shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _panel_cells(app) -> list[str]:
    table = app.screen.query_one("#pool-table", DataTable)
    return [str(table.get_row_at(r)[3]) for r in range(table.row_count) if table.get_row_at(r)[3]]


async def _pool(app, pilot) -> None:
    from assembly.organiser.screens.pool import PoolBrowserScreen

    await pilot.pause()
    app.push_screen(PoolBrowserScreen())
    await pilot.pause()
    # the panel's members first: a name filter that finds one
    db = app.assembly.db()
    member = db.execute(
        "select r.ref, m.number, m.status from members m join respondents r "
        "on r.id = m.respondent_id order by m.number limit 1"
    ).fetchone()
    app.screen.query_one("#pool-filter", Input).value = member[0]
    await pilot.pause()
    return member


async def test_the_pool_browser_in_english(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        _ref, number, status = await _pool(app, pilot)
        assert f"#{number} {status}" in _panel_cells(app)
        assert "sorted by Id ascending" in _shown(app, "#pool-page")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "sorted by Name ascending" in _shown(app, "#pool-page")


async def test_the_pool_browser_in_the_working_language(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(_in(demo_path, i18n.PSEUDO)), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        _ref, number, status = await _pool(app, pilot)
        assert _panel_cells(app) == [
            i18n.pseudo("#%(number)s %(status)s")
            % {"number": number, "status": i18n.pseudo(status)}
        ]
        page = _shown(app, "#pool-page")
        assert i18n.pseudo("Id") in page and "ref" not in page
        app.screen.query_one("#pool-filter", Input).value = ""
        await pilot.pause()
        for _press in range(3):
            await pilot.press("ctrl+s")  # by name, by postcode, by panel status
            await pilot.pause()
        page = _shown(app, "#pool-page")
        assert i18n.pseudo("Panel") in page and "status" not in page


def _pool_file(tmp_path: Path) -> Path:
    path = tmp_path / "pool.csv"
    path.write_text(
        "id,name,email,phone,address,postcode,household,gender,notes\n"
        "1,Ann,a@example.org,0100,1 High St,AB1 2CD,h1,woman,x\n"
        "2,Bo,b@example.org,0101,2 High St,AB1 2CE,h2,man,y\n"
    )
    return path


async def _import(app, pilot, path: Path) -> tuple[dict[str, str], list[str]]:
    from assembly.organiser.screens.pool_import import PoolImportScreen

    await pilot.pause()
    app.push_screen(PoolImportScreen(str(path)))
    await pilot.pause()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    table = app.screen.query_one("#mapping-table", DataTable)
    roles = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
    return dict(app.screen.mapping), roles


async def test_the_import_shows_each_role_in_the_working_language(
    demo_path: Path, tmp_path: Path
) -> None:
    pool = _pool_file(tmp_path)
    app = AssemblyApp(open_assembly(demo_path), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        mapping, roles = await _import(app, pilot, pool)
    codes = ["id", "name", "email", "phone", "address", "postcode", "household", "feature"]
    assert roles == [*codes, "feature"]  # English: the role codes, as typed in --column

    app = AssemblyApp(open_assembly(_in(demo_path, i18n.PSEUDO)), mode="organiser")
    async with app.run_test(size=(120, 36)) as pilot:
        mapping, roles = await _import(app, pilot, pool)
        assert roles == [i18n.pseudo(code) for code in [*codes, "feature"]]
        assert list(mapping.values()) == [*codes, "feature"]  # the codes are what it keeps
        table = app.screen.query_one("#mapping-table", DataTable)
        table.move_cursor(row=8)
        await pilot.press("space")  # the notes column's role changes, by its code
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.mapping["notes"] == "ignore"
        assert str(table.get_row_at(8)[1]) == i18n.pseudo("ignore")


def test_the_import_command_says_each_role_in_the_working_language(
    demo_path: Path, tmp_path: Path
) -> None:
    """`assembly pool import --preview`: 'gender → feature' in English, the role's word in the
    file's working language; `--column` still takes the code."""
    from click.testing import CliRunner

    from assembly.cli import main

    pool = _pool_file(tmp_path)
    args = ["pool", "import", str(demo_path), str(pool), "--preview"]
    english = CliRunner().invoke(main, args)
    assert english.exit_code == 0, english.output
    assert "  gender                   → feature" in english.output.splitlines()
    _in(demo_path, i18n.PSEUDO)
    shown = CliRunner().invoke(main, [*args, "--column", "notes=ignore"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert f"  gender                   → {i18n.pseudo('feature')}" in lines
    assert f"  notes                    → {i18n.pseudo('ignore')}" in lines
    assert f"  id                       → {i18n.pseudo('id')}" in lines
