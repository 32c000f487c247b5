"""Draws on the peer's pool: compute, the public seed, witnesses, history kept, the bundle."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assembly.organiser.draws import (
    add_witness,
    draw_summary,
    enter_seed,
    export_bundle,
    list_draws,
    panel_quota_table,
    probabilities,
    run_draw,
)
from assembly.organiser.errors import OrganiserError
from assembly.organiser.members import panel_members
from assembly.organiser.pool_import import import_file
from assembly.organiser.quotas import build_instance, set_quota
from tests.organiser.conftest import ALGORITHM, LOTTERY_SIZE, ROUNDING_SECONDS, SEED


def test_draw_is_recorded_with_probabilities_and_snapshot(computed) -> None:
    assembly, draw_id = computed
    db = assembly.db()
    summary = draw_summary(db, draw_id)
    assert summary.algorithm == ALGORITHM and summary.panel_size == 22
    assert summary.pool_size == 150 and not summary.drawn
    probs = probabilities(db, draw_id)
    assert len(probs) == 150
    assert sum(probs.values()) == pytest.approx(22, abs=1e-6)
    assert summary.min_probability == pytest.approx(min(probs.values()))
    assert summary.min_probability > 0
    row = next(db.query("select pool_snapshot, quotas_snapshot, bundle from draws"))
    snapshot = json.loads(row["pool_snapshot"])
    assert len(snapshot["people"]) == 150
    assert "first_name1" not in row["pool_snapshot"] + row["bundle"]  # pseudonymised
    assert len(json.loads(row["quotas_snapshot"])) == 20


def test_public_seed_picks_panel_and_makes_members(computed, clock) -> None:
    assembly, draw_id = computed
    db = assembly.db()
    add_witness(db, draw_id, "Cllr Jo Bloggs", "Chair of the council", clock)
    summary = enter_seed(db, draw_id, SEED, clock)
    expected_index = int(hashlib.sha256(SEED.encode()).hexdigest(), 16) % LOTTERY_SIZE
    assert summary.panel_index == expected_index
    assert summary.seed == SEED and summary.drawn_at == "2026-10-01T09:00:00Z"
    assert [w.name for w in summary.witnesses] == ["Cllr Jo Bloggs"]
    members = panel_members(db)
    assert [m.number for m in members] == list(range(1, 23))
    assert {m.status for m in members} == {"selected"}
    refs = [
        r[0]
        for r in db.execute(
            "select r.ref from members m join respondents r on r.id = m.respondent_id "
            "order by m.number"
        )
    ]
    assert sorted(refs) == sorted(summary.panel)
    table = panel_quota_table(db, draw_id)
    assert all(row.met for row in table), [r for r in table if not r.met]
    assert sum(r.selected for r in table if r.feature == "Gender") == 22
    with pytest.raises(OrganiserError, match="already drawn with seed"):
        enter_seed(db, draw_id, "another seed", clock)


def test_history_cannot_be_rewritten(computed, clock, peer_fixtures: Path) -> None:
    assembly, draw_id = computed
    db = assembly.db()
    before = next(db.query("select * from draws where id = ?", [draw_id]))
    set_quota(db, "Gender", "Female", 10, 12)
    with pytest.raises(OrganiserError, match="changed since draw"):
        enter_seed(db, draw_id, SEED, clock)
    with pytest.raises(OrganiserError, match="draw 1 used this pool"):
        import_file(db, peer_fixtures / "candidates.csv", clock, replace=True)
    after = next(db.query("select * from draws where id = ?", [draw_id]))
    assert after == before
    # A new draw over the edited quotas is kept beside the first.
    assert draw_summary(db, draw_id).seed is None
    second = run_draw(
        db, clock, ALGORITHM, lottery_size=LOTTERY_SIZE, rounding_seconds=ROUNDING_SECONDS
    )
    assert [d.id for d in list_draws(db)] == [draw_id, second]
    assert json.loads(after["quotas_snapshot"])[0]["min"] == 11
    newer = next(db.query("select quotas_snapshot from draws where id = ?", [second]))
    assert json.loads(newer["quotas_snapshot"])[0]["min"] == 10


def test_bundle_exports_and_verifies(computed, clock, tmp_path: Path) -> None:
    from sortition.bundle import load_bundle, verify_bundle

    assembly, draw_id = computed
    db = assembly.db()
    enter_seed(db, draw_id, SEED, clock)
    path = export_bundle(db, draw_id, tmp_path / "draw.json")
    bundle = load_bundle(path)
    assert bundle["draw"]["seed"] == SEED
    assert verify_bundle(bundle) == []
    text = path.read_text()
    assert "first_name" not in text and "email" not in text


def test_infeasible_quotas_refuse_to_draw(peer_assembly, clock) -> None:
    set_quota(peer_assembly.db(), "Gender", "Female", 20, 22)
    with pytest.raises(OrganiserError, match="No panel meets the quotas"):
        run_draw(
            peer_assembly.db(),
            clock,
            ALGORITHM,
            lottery_size=LOTTERY_SIZE,
            rounding_seconds=ROUNDING_SECONDS,
        )
    assert peer_assembly.db().execute("select count(*) from draws").fetchone()[0] == 0


def test_instance_uses_households(assembly, tmp_path: Path, clock) -> None:
    from tests.organiser.conftest import write_pool_csv

    db = assembly.db()
    import_file(db, write_pool_csv(tmp_path / "p.csv", 60, households=True), clock)
    set_quota(db, "gender", "Woman", 0, 10)
    from assembly.organiser.quotas import set_panel_size

    set_panel_size(db, 10)
    instance = build_instance(db)
    assert instance.pool.households[0] == instance.pool.households[1] == "H0"


def test_no_new_draw_once_the_panel_exists(computed, clock) -> None:
    """Issue 25 item 4: a draw made after the panel exists could never be used or removed."""
    assembly, draw_id = computed
    db = assembly.db()
    enter_seed(db, draw_id, SEED, clock)
    before = len(list_draws(db))
    with pytest.raises(OrganiserError, match="panel of 22 members has been drawn already"):
        run_draw(db, clock, ALGORITHM, lottery_size=LOTTERY_SIZE, rounding_seconds=ROUNDING_SECONDS)
    assert len(list_draws(db)) == before
