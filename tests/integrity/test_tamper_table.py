"""The tamper table: every kind of edit someone with the file and `sqlite3` can make, and which
check catches it.

Columns: `plain` is `assembly log verify`; `deep` adds `--deep`; `expect` adds `--expect N:HASH`
with the fingerprint published at the checkpoint; `checkpoints` adds `--checkpoints FILE` with
the signed checkpoint published then. The log has 9 entries at the checkpoint (20 October) and
one more, legitimately appended on 25 October.

What no check can catch is listed too, so the table is honest: a change to entries appended
after the last published checkpoint, recomputed with a valid chain, looks like ordinary growth
(the checkpoint check names those entries, so the committee knows what is new since).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core.clock import FixedClock
from assembly.feedback import writes
from assembly.feedback.hashchain import canonical_data, row_hash
from assembly.store import create_assembly, open_assembly
from tests.feedback.conftest import START, fill_log

ALL = {"plain", "deep", "expect", "checkpoints"}
DEEP = {"deep"}
PUBLISHED = {"expect", "checkpoints"}
NONE: set[str] = set()
CHECKPOINT_TIME = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for trigger in conn.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        if trigger[0].startswith("feedback_"):
            conn.execute(f"drop trigger {trigger[0]}")
    return conn


def _rechain(conn: sqlite3.Connection, start: int = 1) -> None:
    """What a careful tamperer does after an edit: recompute every hash from `start` on."""
    rows = conn.execute(
        "select seq, item_id, recorded_at, actor, kind, data, reason from feedback_entries "
        "where seq >= ? order by seq",
        [start],
    ).fetchall()
    prev = conn.execute("select hash from feedback_entries where seq = ?", [start - 1]).fetchone()
    prev = prev[0] if prev else "0" * 64
    for row in rows:
        digest = row_hash(prev, *row)
        conn.execute(
            "update feedback_entries set prev_hash = ?, hash = ? where seq = ?",
            [prev, digest, row[0]],
        )
        prev = digest


def _rebuild(path: Path) -> None:
    assembly = open_assembly(path)
    writes.rebuild_items(assembly.db())
    assembly.close()


def _append(
    conn: sqlite3.Connection, at: str, *, item: int = 3, response: str = "Done it."
) -> None:
    """A forged entry after the head, with a valid hash."""
    seq, prev = conn.execute(
        "select seq, hash from feedback_entries order by seq desc limit 1"
    ).fetchone()
    data = canonical_data({"response": response})
    digest = row_hash(prev, seq + 1, item, at, "Forger", "update", data, "")
    conn.execute(
        "insert into feedback_entries values (?, ?, ?, 'Forger', 'update', ?, '', ?, ?)",
        [seq + 1, item, at, data, prev, digest],
    )


def _sql(*statements: str, rechain_from: int | None = None, rebuild: bool = False):
    def edit(path: Path) -> None:
        conn = _raw(path)
        for statement in statements:
            conn.execute(statement)
        if rechain_from is not None:
            _rechain(conn, rechain_from)
        conn.close()
        if rebuild:
            _rebuild(path)

    return edit


def _forged_append(at: str, *, drop_last: bool = False):
    def edit(path: Path) -> None:
        conn = _raw(path)
        if drop_last:
            conn.execute("delete from feedback_entries where seq = 10")
        _append(conn, at)
        conn.close()
        _rebuild(path)

    return edit


def _insert_middle(path: Path) -> None:
    conn = _raw(path)
    conn.execute("update feedback_entries set seq = seq + 100 where seq >= 6")
    conn.execute("update feedback_entries set seq = seq - 99 where seq >= 106")
    conn.execute(
        "insert into feedback_entries select 6, 3, '2026-10-05T09:00:00Z', 'Forger', 'update', "
        "'{\"response\":\"Done\"}', '', hash, 'ab' || substr(hash, 3) from feedback_entries "
        "where seq = 5"
    )
    conn.close()


def _swap(path: Path) -> None:
    conn = _raw(path)
    conn.execute("update feedback_entries set seq = -7 where seq = 7")
    conn.execute("update feedback_entries set seq = 7 where seq = 8")
    conn.execute("update feedback_entries set seq = 8 where seq = -7")
    conn.close()


TABLE: list[tuple[str, Callable[[Path], None], set[str]]] = [
    # edits to each column of an entry
    ("entries.seq renumbered", _sql("update feedback_entries set seq = 42 where seq = 10"), ALL),
    ("entries.item_id", _sql("update feedback_entries set item_id = 2 where seq = 7"), ALL),
    (
        "entries.recorded_at",
        _sql("update feedback_entries set recorded_at = '2026-10-02T09:00:00Z' where seq = 6"),
        ALL,
    ),
    ("entries.actor", _sql("update feedback_entries set actor = 'Mayor' where seq = 6"), ALL),
    ("entries.kind", _sql("update feedback_entries set kind = 'received' where seq = 7"), ALL),
    (
        "entries.data",
        _sql(
            "update feedback_entries set data = replace(data, 'not_accepted', 'accepted') where seq = 9"
        ),
        ALL,
    ),
    ("entries.reason", _sql("update feedback_entries set reason = 'No.' where seq = 9"), ALL),
    ("entries.prev_hash", _sql("update feedback_entries set prev_hash = hash where seq = 7"), ALL),
    (
        "entries.hash",
        _sql("update feedback_entries set hash = substr(hash, 2) || '0' where seq = 7"),
        ALL,
    ),
    (
        "entries.data respaced (same meaning), hash kept",
        _sql("update feedback_entries set data = replace(data, '\":', '\": ') where seq = 7"),
        ALL,
    ),
    (
        "entries.data respaced, its hash recomputed over the new text",
        _sql(
            "update feedback_entries set data = replace(data, '\":', '\": ') where seq = 7",
            rechain_from=7,
        ),
        ALL,
    ),
    (
        "entries.recorded_at in another time zone (same instant), chain recomputed",
        _sql(
            "update feedback_entries set recorded_at = '2026-10-06T10:00:00+01:00' where seq = 6",
            rechain_from=6,
        ),
        ALL,
    ),
    # deletions, insertions, reordering, truncation
    ("delete a middle entry", _sql("delete from feedback_entries where seq = 5"), ALL),
    ("delete the last entry", _sql("delete from feedback_entries where seq = 10"), ALL),
    (
        "truncate the last two entries, summaries rebuilt",
        _sql("delete from feedback_entries where seq >= 9", rebuild=True),
        PUBLISHED,
    ),
    (
        "empty the log: every entry and item deleted",
        _sql("delete from feedback_entries", "delete from feedback_items"),
        PUBLISHED,
    ),
    ("insert a forged entry in the middle", _insert_middle, ALL),
    ("swap two entries", _swap, ALL),
    # forged appends with valid hashes
    ("forged append backdated to 2019", _forged_append("2019-03-01T09:00:00Z"), ALL),
    (
        "forged append dated before the last entry",
        _forged_append("2026-10-24T09:00:00Z"),
        ALL,
    ),
    (
        "last entry replaced by a forged one dated before the checkpoint",
        _forged_append("2026-10-19T09:00:00Z", drop_last=True),
        {"checkpoints"},
    ),
    (
        "forged append dated now (looks like growth; named as new since the checkpoint)",
        _forged_append("2026-10-26T09:00:00Z"),
        NONE,
    ),
    # rewritten past with a recomputed chain
    (
        "entry 3 rewritten, chain recomputed, summaries rebuilt",
        _sql(
            "update feedback_entries set actor = 'Someone else' where seq = 3",
            rechain_from=3,
            rebuild=True,
        ),
        PUBLISHED,
    ),
    (
        "entry 1 rewritten, whole chain recomputed, summaries rebuilt",
        _sql(
            "update feedback_entries set data = replace(data, 'Car-free', 'Car-full') where seq = 1",
            rechain_from=1,
            rebuild=True,
        ),
        PUBLISHED,
    ),
    (
        "entry 10 (after the checkpoint) rewritten, chain recomputed (undetectable)",
        _sql(
            "update feedback_entries set actor = 'Someone else' where seq = 10",
            rechain_from=10,
            rebuild=True,
        ),
        NONE,
    ),
    # edits to each column of an item's summary
    ("items.title", _sql("update feedback_items set title = 'Other' where id = 1"), DEEP),
    ("items.description", _sql("update feedback_items set description = 'x' where id = 1"), DEEP),
    (
        "items.source_kind",
        _sql("update feedback_items set source_kind = 'idea' where id = 1"),
        DEEP,
    ),
    ("items.source_id", _sql("update feedback_items set source_id = 99 where id = 1"), DEEP),
    ("items.external_ref", _sql("update feedback_items set external_ref = 'x' where id = 1"), DEEP),
    (
        "items.responsible_body",
        _sql("update feedback_items set responsible_body = 'Parks' where id = 1"),
        DEEP,
    ),
    ("items.due", _sql("update feedback_items set due = '2027-01-01' where id = 4"), DEEP),
    ("items.status", _sql("update feedback_items set status = 'done' where id = 2"), DEEP),
    (
        "items.status_reason",
        _sql("update feedback_items set status_reason = '' where id = 2"),
        DEEP,
    ),
    ("items.progress", _sql("update feedback_items set progress = 90 where id = 1"), DEEP),
    ("items.response", _sql("update feedback_items set response = 'Yes' where id = 2"), DEEP),
    ("items.milestones", _sql("update feedback_items set milestones = '[]' where id = 1"), DEEP),
    ("items.evidence", _sql("update feedback_items set evidence = '[]' where id = 1"), DEEP),
    (
        "items.created_at",
        _sql("update feedback_items set created_at = '2026-09-01T09:00:00Z' where id = 1"),
        ALL,
    ),
    (
        "items.updated_at",
        _sql("update feedback_items set updated_at = '2026-12-01T09:00:00Z' where id = 1"),
        ALL,
    ),
    (
        "items.first_response_at",
        _sql("update feedback_items set first_response_at = '2026-10-02T09:00:00Z' where id = 1"),
        ALL,
    ),
    ("items.response_days", _sql("update feedback_items set response_days = 0.5"), ALL),
    ("items.entry_count", _sql("update feedback_items set entry_count = 2 where id = 1"), ALL),
    ("items.last_seq", _sql("update feedback_items set last_seq = 6 where id = 1"), ALL),
    ("delete an item's summary", _sql("delete from feedback_items where id = 5"), ALL),
    (
        "insert an item with no entries",
        _sql(
            "insert into feedback_items (title, source_kind, status, created_at, updated_at) "
            "values ('Ghost', 'other', 'done', '2026-10-01T09:00:00Z', '2026-10-01T09:00:00Z')"
        ),
        ALL,
    ),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path, Path]:
    """The log as published: (file, --expect fingerprint, checkpoints file, clerk's key)."""
    folder = tmp_path_factory.mktemp("tamper")
    clock = FixedClock(START)
    assembly = create_assembly(folder / "log.assembly.db", name="Tamper table", clock=clock)
    fill_log(assembly, clock)
    assembly.close()
    runner = CliRunner()
    key = folder / "clerk.key"
    assert runner.invoke(main, ["log", "new-key", str(key)]).exit_code == 0
    path = str(folder / "log.assembly.db")
    expect = runner.invoke(main, ["log", "verify", path]).output.split("--expect ")[1].split()[0]
    checkpoint = runner.invoke(
        main, ["log", "checkpoint", path, "--key", str(key), "--time", "2026-10-20T14:00:00Z"]
    )
    assert checkpoint.exit_code == 0, checkpoint.output
    checkpoints = folder / "minutes.txt"
    checkpoints.write_text("Minutes of 20 October\n\n" + checkpoint.output, encoding="utf-8")
    assembly = open_assembly(path, clock=FixedClock(datetime(2026, 10, 25, 9, 0, tzinfo=UTC)))
    writes.record(
        assembly.db(), 3, actor="Lee Officer", clock=assembly.clock, status="under_consideration"
    )
    assembly.close()
    return Path(path), expect, checkpoints, key


def _verdicts(path: Path, expect: str, checkpoints: Path) -> dict[str, tuple[int, str]]:
    runner = CliRunner()
    options = {
        "plain": [],
        "deep": ["--deep"],
        "expect": ["--expect", expect],
        "checkpoints": ["--checkpoints", str(checkpoints)],
    }
    out = {}
    for name, extra in options.items():
        result = runner.invoke(main, ["log", "verify", str(path), *extra])
        assert result.exit_code in (0, 1), (name, result.output)
        out[name] = (result.exit_code, result.output)
    return out


def test_the_published_log_passes_every_check(published) -> None:
    path, expect, checkpoints, _ = published
    verdicts = _verdicts(path, expect, checkpoints)
    assert all(code == 0 for code, _ in verdicts.values()), verdicts
    text = verdicts["checkpoints"][1]
    assert "✓ Checkpoint of 2026-10-20" in text and "9 entries" in text
    assert "1 entry appended since" in text and "entry 10" in text


def test_table_has_at_least_the_24_kinds_of_edit() -> None:
    assert len(TABLE) >= 24
    assert len({name for name, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("kind", "edit", "caught_by"), TABLE, ids=[t[0] for t in TABLE])
def test_each_edit_is_caught_by_the_checks_the_table_says(
    published, tmp_path: Path, kind: str, edit, caught_by: set[str]
) -> None:
    path, expect, checkpoints, _ = published
    copy = tmp_path / "tampered.assembly.db"
    shutil.copy(path, copy)
    edit(copy)
    verdicts = _verdicts(copy, expect, checkpoints)
    caught = {name for name, (code, _) in verdicts.items() if code == 1}
    assert caught == caught_by, {n: v[1] for n, v in verdicts.items()}
    for name in caught:
        assert "✗" in verdicts[name][1]


def test_the_docs_give_the_table_its_true_size() -> None:
    """Issue 25 item 16: docs/feedback.md said 44 kinds of edit when the table had 46."""
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "feedback.md").read_text()
    said = re.search(r"test_tamper_table\.py` lists (\d+) kinds of edit", doc)
    assert said and int(said.group(1)) == len(TABLE)
