"""The verifier printed in docs/feedback.md is run as written, and agrees with the app's chain
check on the untouched log and on every kind of edit in the tamper table, including data that is
valid JSON but not in canonical form (in both directions)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from assembly.feedback.hashchain import row_hash, verify_chain
from tests.integrity.test_tamper_table import TABLE, _raw, published  # noqa: F401

DOC = Path(__file__).resolve().parents[2] / "docs" / "feedback.md"


def _doc_check():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    code = next(b for b in blocks if "def check(path)" in b)
    space: dict = {}
    exec(compile(code, str(DOC), "exec"), space)
    return space["check"]


def _app_chain(path: Path):
    with sqlite3.connect(path) as conn:
        return verify_chain(
            conn.execute(
                "select seq, item_id, recorded_at, actor, kind, data, reason, prev_hash, hash "
                "from feedback_entries order by seq"
            )
        )


def _doc_ok(path: Path) -> bool:
    try:
        _doc_check()(path)
    except Exception:
        return False
    return True


def _stored_as(text: str, *, rehash: bool):
    """Entry 7's data replaced by `text` (same meaning); its hash kept or recomputed over it."""

    def edit(path: Path) -> None:
        conn = _raw(path)
        conn.execute("update feedback_entries set data = ? where seq = 7", [text])
        if rehash:
            row = conn.execute(
                "select seq, item_id, recorded_at, actor, kind, data, reason, prev_hash "
                "from feedback_entries where seq = 7"
            ).fetchone()
            conn.execute(
                "update feedback_entries set hash = ? where seq = 7",
                [row_hash(row[7], *row[:7])],
            )
        conn.close()

    return edit


NON_CANONICAL = [
    ('{"progress": 40, "status": "in_progress"}', "spaces"),
    ('{"status":"in_progress","progress":40}', "keys out of order"),
    ('{"progress":40.0,"status":"in_progress"}', "40.0 for 40"),
    ('{"progress":40,"status":"in\\u005fprogress"}', "needless escape"),
]
EDITS = [(name, edit) for name, edit, _ in TABLE] + [
    (f"data with {why}, hash {'recomputed' if rehash else 'kept'}", _stored_as(text, rehash=rehash))
    for text, why in NON_CANONICAL
    for rehash in (False, True)
]


def test_doc_verifier_passes_the_intact_log_and_gives_its_head(published) -> None:  # noqa: F811
    path = published[0]
    check = _app_chain(path)
    assert check.ok
    assert _doc_check()(path) == (check.entries, check.head)


@pytest.mark.parametrize(("kind", "edit"), EDITS, ids=[e[0] for e in EDITS])
def test_doc_verifier_agrees_with_the_app(published, tmp_path: Path, kind, edit) -> None:  # noqa: F811
    copy = tmp_path / "edited.assembly.db"
    shutil.copy(published[0], copy)
    edit(copy)
    assert _doc_ok(copy) == _app_chain(copy).ok
