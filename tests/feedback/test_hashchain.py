"""The chain's pure rules: a canonical form that ignores storage details, and checks that name
the first broken entry for a change, a gap or a swap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assembly.feedback.hashchain import (
    GENESIS,
    HASHED_FIELDS,
    canonical,
    canonical_data,
    canonical_row,
    entry_hash,
    is_canonical_data,
    verify_chain,
)

ROW_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def make_chain(n: int) -> list[dict]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        row = {
            "seq": seq,
            "item_id": seq % 3 + 1,
            "recorded_at": f"2026-10-{seq % 28 + 1:02d}T09:00:00Z",
            "actor": "Officer",
            "kind": "update",
            "data": canonical_data({"progress": seq % 101, "response": f"reply {seq} — ✓"}),
            "reason": "",
        }
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(prev, row)
        rows.append(row)
    return rows


def check(rows: list[dict]):
    return verify_chain(tuple(row[f] for f in ROW_FIELDS) for row in rows)


def test_canonical_form_is_the_same_for_dict_or_stored_text() -> None:
    row = make_chain(1)[0]
    as_dict = {**row, "data": {"response": "reply 1 — ✓", "progress": 1}}
    assert canonical(row) == canonical(as_dict)
    assert canonical(row).startswith('{"actor":"Officer","data":{"progress":1,')


@given(
    st.text(),
    st.text(),
    st.text(),
    st.dictionaries(
        st.sampled_from(["response", "title", "progress"]),
        st.text() | st.integers(-(2**53) + 1, 2**53 - 1),
    ),
    st.integers(1, 10**9),
)
def test_fast_canonical_row_equals_the_reference_form(
    actor: str, reason: str, kind: str, data: dict, seq: int
) -> None:
    entry = {
        "seq": seq,
        "item_id": seq // 2 + 1,
        "recorded_at": "2026-10-01T09:00:00Z",
        "actor": actor,
        "kind": kind,
        "data": data,
        "reason": reason,
    }
    fast = canonical_row(
        seq, seq // 2 + 1, "2026-10-01T09:00:00Z", actor, kind, canonical_data(data), reason
    )
    assert fast == canonical(entry)


def test_intact_chain_passes() -> None:
    result = check(make_chain(20))
    assert result.ok and result.entries == 20
    assert result.describe().startswith("✓")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "Someone else"),
        ("recorded_at", "2026-10-02T09:00:01Z"),
        ("data", '{"progress":99,"response":"reply 6 — ✓"}'),
        ("data", '{"progress": 6, "response": "reply 6 — ✓"}'),
        ("reason", "because"),
        ("kind", "received"),
        ("item_id", 99),
    ],
)
def test_changing_any_field_is_detected_at_that_entry(field: str, value: object) -> None:
    rows = make_chain(10)
    rows[5][field] = value
    result = check(rows)
    assert not result.ok and result.first_bad_seq == 6
    assert "changed after it was written" in result.problem


def test_deletion_is_detected() -> None:
    rows = make_chain(10)
    del rows[3]
    result = check(rows)
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.problem


def test_deletion_with_renumbering_is_detected() -> None:
    rows = make_chain(10)
    del rows[3]
    for row in rows[3:]:
        row["seq"] -= 1
    result = check(rows)
    assert not result.ok and result.first_bad_seq == 4


def test_reordering_two_is_detected() -> None:
    rows = make_chain(10)
    rows[4], rows[5] = rows[5], rows[4]
    rows[4]["seq"], rows[5]["seq"] = 5, 6  # even with their numbers swapped back into order
    result = check(rows)
    assert not result.ok and result.first_bad_seq == 5


@given(st.integers(0, 14), st.sampled_from(["actor", "reason", "recorded_at", "prev_hash", "hash"]))
def test_any_single_tamper_is_caught_at_or_before_it(index: int, field: str) -> None:
    rows = make_chain(15)
    rows[index][field] = str(rows[index][field]) + "x"
    result = check(rows)
    assert not result.ok
    assert result.first_bad_seq == index + 1


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(-1e15, 1e15)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=4))
def test_canonical_data_is_rfc8785_and_nothing_else_passes(data: dict) -> None:
    """The stored form is RFC 8785 exactly; the same data written any other way is refused."""
    import json

    import rfc8785

    text = canonical_data(data)
    assert text == rfc8785.dumps(data).decode()
    assert is_canonical_data(text)
    for other in (
        json.dumps(data),
        json.dumps(data, sort_keys=True, indent=1),
        json.dumps(data, sort_keys=True, separators=(",", ":")),
    ):
        assert is_canonical_data(other) is (other == text)
