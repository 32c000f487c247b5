"""Pilot drives the Budgets screen through a whole round: setup (locked once voting opens),
projects added and reviewed (one not feasible, one with a revised cost), paper ballots typed in
twice with a mismatch resolved, the count in a worker (and one stopped, nothing saved), an
override with its reason, the funded projects delivered to the feedback log, and the result
published (asking before a file is replaced)."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from assembly.budgets import ballots, results, rounds
from assembly.budgets.screens.budgets import BudgetsScreen
from assembly.budgets.screens.projector import ProjectorScreen
from assembly.feedback.queries import all_items
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.agenda_form import FormDialog
from assembly.ui.dialogs.message import ConfirmDialog, ErrorDialog, InfoDialog


def text_of(widget) -> str:
    return str(widget.render())


async def fill(pilot, **values: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, FormDialog), type(screen)
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        assert isinstance(widget, (Input, Select))
        widget.value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def close_error(pilot) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, ErrorDialog), type(screen)
    message = screen.message
    await pilot.press("enter")
    await pilot.pause()
    return message


def reader(path: Path):
    return open_assembly(path, read_only=True).db()


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def test_a_whole_round_through_the_screen(assembly, clock, tmp_path: Path) -> None:
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="organiser", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await press(pilot, "b")  # Organiser mode: b opens Budgets
        assert isinstance(app.screen, BudgetsScreen)
        assert "n new round" in text_of(app.screen.query_one(".purpose", Static))

        # setup: a round declared, changed, then locked once voting opens
        await press(pilot, "n")
        await fill(
            pilot,
            title="Riverside Fund",
            budget="1,000",
            rule="mes",
            form="approval",
            max_projects="2",
        )
        db = reader(path)
        (declared,) = rounds.list_rounds(db)
        assert (declared.budget_pence, declared.rule, declared.max_projects) == (100_000, "mes", 2)
        await press(pilot, "e")
        await fill(pilot, max_projects="3")
        assert rounds.get_round(reader(path), declared.id).max_projects == 3

        # projects: added (one anonymous), reviewed, one not feasible and one revised
        await press(pilot, "2")
        for title, cost, proposer in (
            ("Benches", "300", "Ann"),
            ("Library hours", "600", ""),
            ("Bike racks", "400", "Cal"),
            ("Pier", "900", "Dee"),
        ):
            await press(pilot, "a")
            await fill(pilot, title=title, cost=cost, area="Riverside", proposer=proposer)
        projects = rounds.list_projects(reader(path), declared.id)
        assert [p.proposer_shown for p in projects] == ["Ann", "Anonymous", "Cal", "Dee"]
        table = app.screen.query_one("#projects", DataTable)
        assert table.row_count == 4

        # voting cannot open while a project waits for review
        await press(pilot, "1", "o", "y")
        assert "still proposed" in await close_error(pilot)

        await press(pilot, "2")
        for row, review in enumerate(
            [
                {"status": "feasible"},
                {"status": "feasible"},
                {"status": "feasible", "reason": "Quote from supplier", "revised_cost": "450"},
                {"status": "not_feasible", "reason": ""},
            ]
        ):
            table.move_cursor(row=row)
            await press(pilot, "v")
            await fill(pilot, **review)
        # a not-feasible review without a reason is refused, and the form comes back filled in
        assert "reason" in (await close_error(pilot)).lower()
        await fill(pilot, reason="Not council land")
        db = reader(path)
        assert rounds.get_project(db, declared.id, "3").cost == 45_000
        assert rounds.get_project(db, declared.id, "4").status == "not_feasible"
        table.move_cursor(row=2)
        await press(pilot, "h")
        assert isinstance(app.screen, InfoDialog)
        assert "cost revised to £450.00 — Quote from supplier" in app.screen.text
        await press(pilot, "escape")

        # open voting: the setup shows as locked, and changing it is refused
        await press(pilot, "1", "o", "y")
        assert "🔒 Locked" in text_of(app.screen.query_one("#declared", Static))
        await press(pilot, "e")
        assert "locked" in (await close_error(pilot))

        # ballots, then paper ballots typed twice: one mismatch, resolved by a third entry
        for n, marks in enumerate([{"1": 1}, {"1": 1, "3": 1}, {"2": 1}, {"2": 1}]):
            ballots.cast_ballot(
                app.assembly.db(), declared.id, voter=f"V{n}", marks=marks, clock=clock
            )
        await press(pilot, "3")
        for who, marks in (("Ann", "3, 2"), ("Bo", "3, 1")):
            await press(pilot, "p")
            await fill(pilot, paper="P1", entered_by=who, marks=marks)
        papers = app.screen.query_one("#papers", DataTable)
        assert papers.row_count == 1
        assert "readings differ" in str(papers.get_row_at(0)[1])
        assert str(papers.get_row_at(0)[2]) == "Ann: 2, 3 · Bo: 1, 3"
        await press(pilot, "p")  # the paper's number is filled in from the list
        await fill(pilot, entered_by="Cal", marks="2, 3")
        assert papers.row_count == 1  # it counts now, and shows how it was settled
        assert str(papers.get_row_at(0)[1]) == "✓ counts (settled)"
        assert str(papers.get_row_at(0)[2]) == "Ann: 2, 3 · Bo: 1, 3 · Cal: 2, 3"
        assert len(ballots.current_ballots(reader(path), declared.id)) == 5
        assert "5 ballots count" in text_of(app.screen.query_one("#ballot-summary", Static))

        # close and count in the worker
        await press(pilot, "1", "c", "y")
        await press(pilot, "4", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = results.published_result(reader(path), declared.id)
        assert [r.ref for r in result.rows if r.computed] == ["1", "2"]
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count == 4
        table.move_cursor(row=2)
        await pilot.pause()
        explanation = text_of(app.screen.query_one("#explanation", Static))
        assert explanation.startswith("3. Bike racks: Not funded")

        # override: fund the bike racks with a reason, shown beside the computed outcome
        await press(pilot, "f")
        await fill(pilot, reason="Match funding from the cycling charity")
        row = results.published_result(reader(path), declared.id).row("3")
        assert (row.computed, row.final) == (False, True)
        assert str(table.get_row_at(2)[5]) == "✓ yes (override)"
        assert "Override: Funded by organiser — Match funding" in text_of(
            app.screen.query_one("#explanation", Static)
        )

        # the projector view lists what is funded after the override
        await press(pilot, "w")
        assert isinstance(app.screen, ProjectorScreen)
        funded = app.screen.query_one("#funded", DataTable)
        assert [str(funded.get_row_at(i)[0]) for i in range(funded.row_count)] == [
            "Benches",
            "Library hours",
            "Bike racks (by override)",
        ]
        await press(pilot, "escape")

        # delivery to the feedback log
        await press(pilot, "d")
        await fill(pilot, body="Parks team", due="2027-13-01")
        assert "not a date" in await close_error(pilot)
        await fill(pilot, due="2027-06-30")
        items = all_items(reader(path))
        assert sorted(i.title for i in items) == ["Benches", "Bike racks", "Library hours"]
        assert {i.responsible_body for i in items} == {"Parks team"}

        # publish, asking before replacing a file
        out = tmp_path / "result.html"
        await press(pilot, "x")
        await fill(pilot, format="html", path=str(out))
        assert "Match funding from the cycling charity" in out.read_text()
        out.write_text("old")
        await press(pilot, "x")
        await fill(pilot, format="csv", path=str(out))
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert out.read_text() == "old"
        await press(pilot, "x")
        await fill(pilot, format="csv", path=str(out))
        await press(pilot, "y")
        assert out.read_text().startswith("project,title,cost")
        await press(pilot, "x")
        await fill(pilot, format="pb", path=str(tmp_path / "result"))
        assert "selected" in (tmp_path / "result.pb").read_text()


async def test_facilitator_mode_reaches_budgets_too(assembly, clock) -> None:
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="facilitator", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "b")
        assert isinstance(app.screen, BudgetsScreen)
        assert "No participatory-budgeting round yet" in text_of(
            app.screen.query_one("#declared", Static)
        )


async def test_a_count_stopped_with_escape_saves_nothing(
    db, clock, round_id, monkeypatch, assembly
) -> None:
    rounds.open_voting(db, round_id, clock=clock)
    ballots.cast_ballot(db, round_id, voter="V1", marks={"1": 1}, clock=clock)
    rounds.close_voting(db, round_id, clock=clock)
    started, release = threading.Event(), threading.Event()
    real_count = results.count

    def slow_count(*args, **kwargs):
        started.set()
        release.wait(10)
        return real_count(*args, **kwargs)

    monkeypatch.setattr(results, "count", slow_count)
    path = assembly.path
    assembly.close()
    app = AssemblyApp(open_assembly(path), mode="organiser", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(BudgetsScreen())
        await press(pilot, "4", "r")
        assert started.wait(10)
        summary = app.screen.query_one("#result-summary", Static)
        assert "Counting" in text_of(summary)
        assert app.screen.query_one("#count-progress").has_class("running")
        await press(pilot, "escape")  # stops the count; the screen stays
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BudgetsScreen)
        assert "stopped: nothing was saved" in text_of(summary)
    assert reader(path).execute("select count(*) from pb_counts").fetchone()[0] == 0


def test_count_round_reports_each_step_and_stops_before_saving(db, clock, round_id) -> None:
    rounds.open_voting(db, round_id, clock=clock)
    ballots.cast_ballot(db, round_id, voter="V1", marks={"1": 1}, clock=clock)
    rounds.close_voting(db, round_id, clock=clock)
    seen = []
    asked = iter([False, False, True])
    try:
        results.count_round(
            db,
            round_id,
            actor="Ann",
            clock=clock,
            progress=lambda done, total, step: seen.append((done, total, step)),
            should_stop=lambda: next(asked),
        )
    except results.CountStopped:
        pass
    else:
        raise AssertionError("the count should have stopped")
    assert [s[0] for s in seen] == [0, 1]
    assert db.execute("select count(*) from pb_counts").fetchone()[0] == 0
    count_id = results.count_round(
        db, round_id, actor="Ann", clock=clock, progress=lambda *a: seen.append(a)
    )
    assert seen[-1] == (2, 3, results.COUNT_STEPS[2]) and count_id == 1
