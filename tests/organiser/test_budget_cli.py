"""`assembly draw run --time-limit`: checked before anything runs, stored with the draw, and a
draw stopped at its budget says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.organiser.test_cli import run


def test_negative_time_limit_is_a_clear_error(demo_path: Path) -> None:
    result = run("draw", "run", demo_path, "--time-limit", "-5", ok=False)
    assert result.exit_code == 2
    assert "--time-limit must be a number of minutes, 0 or more" in result.output
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("select count(*) from draws").fetchone()[0] == 1  # nothing ran


def test_time_limit_is_stored_with_the_draw(tmp_path: Path, clock) -> None:
    from assembly.organiser.pool_import import import_file
    from assembly.organiser.quotas import set_panel_size, set_quota
    from assembly.store import create_assembly
    from tests.organiser.conftest import write_pool_csv

    path = tmp_path / "small.assembly.db"
    assembly = create_assembly(path, name="Small", clock=clock)
    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "p.csv", 40), clock)
    set_panel_size(db, 6)
    set_quota(db, "gender", "Woman", 3, 3)
    set_quota(db, "gender", "Man", 3, 3)
    assembly.close()
    out = run(
        "draw", "run", path, "--time-limit", "2", "--rounding-seconds", "0", "--lottery-size", "50"
    ).output
    assert "stopped" not in out  # a small pool finishes well inside the limit
    run("draw", "run", path, "--time-limit", "0", "--rounding-seconds", "0", "--lottery-size", "50")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("select time_limit, stopped_early from draws order by id").fetchall()
    assert rows == [(120.0, 0), (None, 0)]


def test_show_says_the_demo_draw_is_proven(demo_path: Path) -> None:
    # The example's LEXIMIN runs to the end now; `draw show` says what was proven.
    out = run("draw", "show", demo_path).output
    assert "stopped" not in out
    assert (
        "✓ Proven the fairest: no lottery can give the least-chosen respondent more than 2.18%; "
        "this one gives 2.18% (proof gap less than 0.0001 percentage points)."
    ) in out


def test_show_states_the_public_draws_fidelity_in_words(demo_path: Path) -> None:
    # Issue 21: what the numbered panels do to the promised chances, in words.
    from assembly.demo import build_demo  # noqa: F401  (the fixture built it)

    out = run("draw", "show", demo_path).output
    assert "The public draw's 1,000 numbered panels change anyone's chance by at most 0.12 " in out
    assert "percentage points." in out
