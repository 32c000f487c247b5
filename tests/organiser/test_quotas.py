"""Quotas: import, edit, fill from targets, feasibility with explanation and relaxation."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembly.organiser.errors import OrganiserError
from assembly.organiser.quotas import (
    apply_relaxation,
    build_instance,
    check_feasibility,
    current_quotas,
    fill_from_targets,
    import_quotas_csv,
    panel_size,
    quota_table,
    set_panel_size,
    set_quota,
)
from assembly.store import open_assembly


def test_peer_quotas_import_and_are_feasible(peer_assembly) -> None:
    db = peer_assembly.db()
    assert panel_size(db) == 22
    quotas = {(q.feature, q.value): (q.min, q.max) for q in current_quotas(db)}
    assert quotas[("Gender", "Female")] == (11, 12)
    # Values the quota file lists but nobody in the pool has are kept, with no respondents.
    assert quotas[("age_bracket", "0-15")] == (0, 0)
    rows = {(r.feature, r.value): r for r in quota_table(db)}
    assert rows[("Gender", "Female")].pool_count == 77
    assert rows[("age_bracket", "0-15")].pool_count == 0
    instance = build_instance(db)
    assert instance.pool.size == 150 and instance.panel_size == 22
    assert check_feasibility(db).feasible


def test_infeasible_quotas_explained_and_relaxation_applied(peer_assembly) -> None:
    db = peer_assembly.db()
    set_quota(db, "gender", "female", 15, 20)
    result = check_feasibility(db)
    assert not result.feasible
    assert "Gender" in result.explanation and "25" in result.explanation
    assert result.relaxation is not None
    changed = apply_relaxation(db, result.relaxation)
    assert changed >= 1
    assert check_feasibility(db).feasible
    low, high = db.execute(
        "select min, max from quotas where feature='Gender' and value='Female'"
    ).fetchone()
    assert low < 15 and high == 20


def test_fill_from_targets_on_the_example(demo_path: Path) -> None:
    assembly = open_assembly(demo_path)
    db = assembly.db()
    db.execute("delete from quotas")
    made = fill_from_targets(db, 0.2, size=40)
    assert panel_size(db) == 40
    by_feature: dict[str, list] = {}
    for q in made:
        by_feature.setdefault(q.feature, []).append(q)
    for quotas in by_feature.values():
        assert sum(q.min for q in quotas) <= 40 <= sum(q.max for q in quotas)
    stored = db.execute("select count(*) from quotas").fetchone()[0]
    assert stored == len(made) == db.execute("select count(*) from feature_values").fetchone()[0]
    assembly.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("colour", "red", 1, 2), "no feature 'colour'; the pool's features are Gender"),
        (("Gender", "Robot", 1, 2), "Gender has no value 'Robot'; its values are Female, Male"),
        (("Gender", "Male", 5, 2), "minimum (5) must be at least 0 and at most the maximum (2)"),
        (("Gender", "Male", 30, 30), "minimum 30 is more than the panel size 22"),
    ],
)
def test_bad_quota_edits_say_what_is_wrong(peer_assembly, args, message: str) -> None:
    with pytest.raises(OrganiserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        set_quota(peer_assembly.db(), *args)


def test_bad_quota_file_names_file_and_row(peer_assembly, tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("feature,value,min,max\nGender,Female,11,12\nGender,Male,ten,11\n")
    with pytest.raises(OrganiserError, match=r"q.csv, row 3, column 'min': 'ten'"):
        import_quotas_csv(peer_assembly.db(), path)
    # The earlier quotas are untouched: the file is applied whole or not at all.
    assert ("Gender", "Male", 10, 11) in list(
        peer_assembly.db().execute("select feature, value, min, max from quotas")
    )


def test_panel_size_cannot_exceed_pool(peer_assembly) -> None:
    with pytest.raises(OrganiserError, match="larger than the pool of 150"):
        set_panel_size(peer_assembly.db(), 151)
