"""The chain's pure rules: a canonical form that ignores storage details, and checks that name
the first broken entry for a change, a gap or a swap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.domain.hashchain import GENESIS, canonical, entry_hash, verify_chain


def make_chain(n: int) -> list[dict]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        row = {
            "seq": seq,
            "item_id": seq % 3 + 1,
            "recorded_at": f"2026-10-{seq % 28 + 1:02d}T09:00:00Z",
            "actor": "Officer",
            "kind": "update",
            "data": {"progress": seq % 101, "response": f"reply {seq} — ✓"},
            "reason": "",
        }
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(prev, row)
        rows.append(row)
    return rows


def test_canonical_form_is_the_same_for_dict_or_stored_text() -> None:
    row = make_chain(1)[0]
    stored = {**row, "data": '{"response": "reply 1 — ✓", "progress": 1}'}
    assert canonical(row) == canonical(stored)
    assert canonical(row).startswith('{"actor":"Officer","data":{"progress":1,')


def test_intact_chain_passes() -> None:
    check = verify_chain(make_chain(20))
    assert check.ok and check.entries == 20
    assert check.describe().startswith("✓")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "Someone else"),
        ("recorded_at", "2026-10-02T09:00:01Z"),
        ("data", {"progress": 99, "response": "reply 6 — ✓"}),
        ("reason", "because"),
        ("kind", "received"),
        ("item_id", 99),
    ],
)
def test_changing_any_field_is_detected_at_that_entry(field: str, value: object) -> None:
    rows = make_chain(10)
    rows[5][field] = value
    check = verify_chain(rows)
    assert not check.ok and check.first_bad_seq == 6
    assert "changed after it was written" in check.problem


def test_deletion_is_detected() -> None:
    rows = make_chain(10)
    del rows[3]
    check = verify_chain(rows)
    assert not check.ok and check.first_bad_seq == 4 and "missing" in check.problem


def test_deletion_with_renumbering_is_detected() -> None:
    rows = make_chain(10)
    del rows[3]
    for row in rows[3:]:
        row["seq"] -= 1
    check = verify_chain(rows)
    assert not check.ok and check.first_bad_seq == 4


def test_reordering_two_is_detected() -> None:
    rows = make_chain(10)
    rows[4], rows[5] = rows[5], rows[4]
    rows[4]["seq"], rows[5]["seq"] = 5, 6  # even with their numbers swapped back into order
    check = verify_chain(rows)
    assert not check.ok and check.first_bad_seq == 5


@given(st.integers(0, 14), st.sampled_from(["actor", "reason", "recorded_at", "prev_hash", "hash"]))
def test_any_single_tamper_is_caught_at_or_before_it(index: int, field: str) -> None:
    rows = make_chain(15)
    rows[index][field] = str(rows[index][field]) + "x"
    check = verify_chain(rows)
    assert not check.ok
    assert check.first_bad_seq == index + 1
