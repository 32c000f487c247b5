"""Members after a draw: statuses, replacement, access support and costs, exports, purge."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assembly.organiser.errors import OrganiserError
from assembly.organiser.exports import export_invitations, export_profile
from assembly.organiser.members import (
    all_members,
    history,
    panel_members,
    panel_violations,
    replace_withdrawn,
    set_status,
)
from assembly.organiser.privacy import purge_candidates, purge_non_members
from assembly.organiser.support import add_expense, cost_totals, get_support, set_support


def test_status_moves_and_history(panel, clock) -> None:
    db = panel.db()
    set_status(db, 1, "invited", clock)
    clock.advance(days=2)
    set_status(db, 1, "confirmed", clock, "phoned back")
    assert [h["status"] for h in history(db, 1)] == ["selected", "invited", "confirmed"]
    assert history(db, 1)[-1]["at"] == "2026-10-03T09:00:00Z"
    with pytest.raises(OrganiserError, match="member 1 is confirmed; they can move to"):
        set_status(db, 1, "selected", clock)
    with pytest.raises(OrganiserError, match="no member number 99"):
        set_status(db, 99, "invited", clock)


def test_withdrawal_and_replacement_keep_quotas(panel, clock) -> None:
    db = panel.db()
    set_status(db, 3, "withdrawn", clock, "moved away")
    assert len(panel_members(db)) == 21
    result = replace_withdrawn(db, clock, seed=7)
    assert result.withdrawn == (3,) and result.newcomers == (23,)
    members = {m.number: m for m in all_members(db)}
    assert members[3].status == "replaced"
    assert members[23].status == "selected" and members[23].replaces_number == 3
    assert len(panel_members(db)) == 22
    assert panel_violations(db) == []
    with pytest.raises(OrganiserError, match="no member has withdrawn"):
        replace_withdrawn(db, clock, seed=7)


def test_support_and_cost_totals(panel, clock) -> None:
    db = panel.db()
    set_support(db, 2, clock, childcare=True, interpreter="BSL", honorarium_pence=30000)
    set_support(db, 5, clock, step_free=True, first_language="Polish", honorarium_pence=30000)
    set_support(db, 2, clock, travel=True)  # other fields keep their values
    assert get_support(db, 2).needs() == ["childcare", "travel", "BSL interpreter"]
    add_expense(db, 2, "travel", 1250, clock, "bus")
    add_expense(db, 2, "childcare", 4000, clock)
    add_expense(db, 5, "travel", 800, clock)
    totals = cost_totals(db)
    assert totals.honoraria_pence == 60000
    assert totals.expenses_pence == {"childcare": 4000, "travel": 2050}
    assert totals.total_pence == 66050
    assert totals.members_with_needs["interpreter"] == 1
    assert totals.members_with_needs["first language other than English"] == 1
    with pytest.raises(OrganiserError, match="unknown expense kind 'taxi'"):
        add_expense(db, 2, "taxi", 100, clock)


def test_a_welsh_officer_types_the_expense_kind_in_welsh(panel, clock) -> None:
    from assembly.core.i18n import use_working_language

    db = panel.db()
    use_working_language("cy")
    add_expense(db, 2, "Gofal plant", 4000, clock)
    add_expense(db, 2, " teithio ", 800, clock)
    add_expense(db, 2, "travel", 200, clock)  # the English still works
    assert cost_totals(db).expenses_pence == {"childcare": 4000, "travel": 1000}
    with pytest.raises(OrganiserError) as refused:
        add_expense(db, 2, "tacsi", 100, clock)
    assert "teithio, gofal plant" in str(refused.value)


def test_invitation_list_has_only_what_an_invitation_needs(panel, clock, tmp_path) -> None:
    db = panel.db()
    set_support(db, 1, clock, interpreter="BSL")
    n = export_invitations(db, tmp_path / "inv.csv")
    with open(tmp_path / "inv.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert n == len(rows) == 22
    assert list(rows[0]) == [
        "number",
        "name",
        "address",
        "postcode",
        "email",
        "phone",
        "status",
        "language",
        "access_support",
    ]
    assert rows[0]["access_support"] == "BSL interpreter"
    text = (tmp_path / "inv.csv").read_text()
    for feature_value in ("Level 4 and above", "Lothian", "16-29"):
        assert feature_value not in text


def test_profile_is_counts_only(panel, tmp_path: Path) -> None:
    db = panel.db()
    export_profile(db, tmp_path / "profile.csv")
    with open(tmp_path / "profile.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    gender = [r for r in rows if r["feature"] == "Gender"]
    assert sum(int(r["panel_count"]) for r in gender) == 22
    text = (tmp_path / "profile.csv").read_text()
    assert "first_name" not in text and "email" not in text and "p1," not in text


def test_purge_removes_personal_data_bytes_and_keeps_audit(panel, clock) -> None:
    db = panel.db()
    set_status(db, 4, "withdrawn", clock)
    member_refs = {m.ref for m in all_members(db)}
    everyone = list(db.query("select ref, name, email, address from respondents order by id"))
    kept_text = " ".join(
        str(r[k]) for r in everyone if r["ref"] in member_refs for k in ("name", "email", "address")
    )
    # An outsider none of whose details is part of a member's ("email1" is in "email17").
    outsider = next(
        r
        for r in everyone
        if r["ref"] not in member_refs
        and not any(r[k] in kept_text for k in ("name", "email", "address"))
    )
    assert purge_candidates(db) == 150 - 22
    result = purge_non_members(db, clock)
    assert result.respondents == 128
    row = next(db.query("select * from respondents where ref = ?", [outsider["ref"]]))
    assert row["name"] is None and row["email"] is None and row["address"] is None
    assert row["purged_at"] == "2026-10-01T09:00:00Z"
    # Features and household go too; only counts per value stay (issue 11).
    assert row["features"] == "{}" and row["household"] is None
    kept_counts = db.execute("select sum(respondents) from purged_feature_counts").fetchone()[0]
    assert kept_counts == 128 * 4  # 128 purged respondents, 4 features each
    kept = db.execute("select count(*) from respondents where name is not null").fetchone()[0]
    assert kept == 22  # members, the withdrawn one included
    assert db.execute("select count(*) from draws where bundle is not null").fetchone()[0] == 1
    panel.close()
    path = Path(panel.path)
    data = (
        path.read_bytes() + Path(f"{path}-wal").read_bytes()
        if Path(f"{path}-wal").exists()
        else path.read_bytes()
    )
    for secret in (outsider["name"], outsider["email"], outsider["address"]):
        assert secret.encode() not in data, secret
