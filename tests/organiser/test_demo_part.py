"""The example assembly's selection part: quotas, a drawn panel of 40 with its public seed and
witnesses, a withdrawal and its replacement, access support; shown by the Organiser screens."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import DataTable, Static

from assembly.demo.part_selection import PANEL_SIZE, PUBLIC_SEED, WITNESSES
from assembly.organiser.draws import draw_summary, panel_quota_table
from assembly.organiser.members import all_members, panel_members, panel_violations
from assembly.organiser.support import cost_totals
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.waiting import until


def test_demo_has_a_drawn_panel_with_a_replacement(demo_path: Path) -> None:
    assembly = open_assembly(demo_path, read_only=True)
    db = assembly.db()
    assert db.execute("select count(*) from quotas").fetchone()[0] > 0
    summary = draw_summary(db, 1)
    assert summary.seed == PUBLIC_SEED and summary.panel_size == PANEL_SIZE
    assert [w.name for w in summary.witnesses] == [name for name, _ in WITNESSES]
    assert all(row.met for row in panel_quota_table(db, 1))
    assert len(panel_members(db)) == PANEL_SIZE
    statuses = {m.status for m in all_members(db)}
    assert {"confirmed", "invited", "replaced"} <= statuses
    newcomer = next(m for m in all_members(db) if m.replaces_number)
    assert newcomer.status == "confirmed"
    assert panel_violations(db) == []
    totals = cost_totals(db)
    assert totals.honoraria_pence == 30_000 * PANEL_SIZE
    assert totals.expenses_pence and totals.members_with_needs["interpreter"] >= 1
    assembly.close()


async def test_demo_draw_and_members_screens(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "✓ Drawn" in text and PUBLIC_SEED in text
        quota_rows = app.screen.query_one("#panel-quota-table", DataTable)
        assert quota_rows.row_count > 0
        assert app.screen.query_one("#panel-member-table", DataTable).row_count == PANEL_SIZE
        await pilot.press("escape")
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one("#member-table", DataTable).row_count == PANEL_SIZE + 1
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "1 replaced" in text and "Costs: honoraria £12,000.00" in text


def _undrawn_demo(tmp_path: Path) -> Path:
    """The example's pool and quotas before its draw: a new draw is allowed there."""
    from assembly.core.clock import FixedClock
    from assembly.demo import DEMO_NAME, DEMO_SEED, DEMO_START, DEMO_TIMEZONE, part_pool
    from assembly.demo.part_selection import TOLERANCE
    from assembly.organiser import quotas
    from assembly.store import create_assembly

    path = tmp_path / "undrawn.assembly.db"
    clock = FixedClock(DEMO_START)
    assembly = create_assembly(path, name=DEMO_NAME, timezone=DEMO_TIMEZONE, clock=clock)
    part_pool.build(assembly, np.random.default_rng([DEMO_SEED, part_pool.ORDER]), clock)
    quotas.fill_from_targets(assembly.db(), TOLERANCE, PANEL_SIZE)
    assembly.close()
    return path


async def test_a_new_draw_after_the_panel_is_refused_with_a_reason(demo_path: Path) -> None:
    """Issue 25 item 4: Demo, d, r made a draw that waited for a seed for good."""
    import sqlite3

    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        draw_screen = app.screen
        await pilot.press("r")
        await pilot.pause()
        assert not draw_screen.running
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "Panel exists" in text and "has been drawn already" in text
        assert "assembly draw reserves" in text
    conn = sqlite3.connect(demo_path)
    assert conn.execute("select count(*) from draws").fetchone()[0] == 1
    conn.close()


async def test_a_long_draw_can_be_cancelled_and_records_nothing(tmp_path: Path) -> None:
    import sqlite3

    demo_path = _undrawn_demo(tmp_path)
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("r")  # LEXIMIN over 1,500 people: minutes, unless cancelled
        status = app.screen.query_one("#draw-status", Static)
        # the solver's first progress report: the cancel below lands inside the solve
        await until(pilot, lambda: str(status.render()).startswith("LEXIMIN: "), "the solver")
        assert app.screen.running
        running = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "stops at 10 min with the fairest found; Esc cancels" in running
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.running
        text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "cancelled" in text
    conn = sqlite3.connect(demo_path)
    assert conn.execute("select count(*) from draws").fetchone()[0] == 0
    conn.close()


def _recomputed(instance, entry: str) -> None:
    """Recompute a stored lottery from scratch and check what holds on every machine."""
    from assembly.demo import draw_cache

    stored = draw_cache.load(instance, draw_cache.ALGORITHM, draw_cache.GAP)
    assert stored is not None, f"the stored {entry} lottery is for another pool or quotas"
    fresh = draw_cache.compute(instance, draw_cache.ALGORITHM, draw_cache.GAP)
    # Proven, on this machine too: every level of the LEXIMIN within the proof gap.
    assert not fresh.stats.stopped_early and fresh.stats.relaxation_reached
    assert fresh.stats.gap <= draw_cache.GAP
    # The LEXIMIN's chances are unique; the panels reaching them are not (solver versions and
    # CPUs take other paths), so only the chances are compared, never the panels.
    np.testing.assert_allclose(
        fresh.probabilities, stored.probabilities, rtol=0, atol=draw_cache.CHANCE_TOLERANCE
    )


@pytest.mark.slow  # a full LEXIMIN over 1,500 people
def test_recomputing_the_example_lottery_gives_the_same_chances_proven(demo_path: Path) -> None:
    from assembly.organiser import quotas as quota_service

    assembly = open_assembly(demo_path)
    instance = quota_service.build_instance(assembly.db())
    assembly.close()
    _recomputed(instance, "draw")


def test_the_example_draw_is_rebuilt_bit_for_bit_from_its_stored_lottery(demo_path: Path) -> None:
    # Whichever machine built the example (this one, in CI's fresh venv), its draw is derived
    # from the stored lottery alone: the numbered panels, the bundle and its commitment are
    # the ones stored beside the lottery, byte for byte.
    from assembly.demo import draw_cache

    assembly = open_assembly(demo_path, read_only=True)
    summary = draw_summary(assembly.db(), 1)
    assembly.close()
    assert summary.commitment == draw_cache.stored_commitment()


def test_the_example_replacement_comes_from_its_stored_lottery(demo_path: Path) -> None:
    from assembly.demo import draw_cache
    from assembly.organiser.draws import draw_instance
    from sortition.replace import replacement_problem

    assembly = open_assembly(demo_path, read_only=True)
    db = assembly.db()
    instance = draw_instance(db, 1)
    index = {ref: i for i, ref in enumerate(instance.pool.ids)}
    rows = db.execute(
        "select m.status, r.ref from members m join respondents r on r.id = m.respondent_id "
        "order by m.number"
    ).fetchall()
    assembly.close()
    newcomer_refs = {ref for status, ref in rows[PANEL_SIZE:]}
    panel = [index[ref] for status, ref in rows if ref not in newcomer_refs]
    gone = [index[ref] for status, ref in rows if status == "replaced"]
    reduced = replacement_problem(instance, panel, gone).instance
    assert draw_cache.load(reduced, draw_cache.ALGORITHM, draw_cache.GAP) is not None
    _recomputed(reduced, "replacement")
