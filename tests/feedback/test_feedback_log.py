"""The feedback log in a real file: append-only in the database itself, every kind of tampering
caught by `verify_log`, and two processes appending at once losing nothing."""

from __future__ import annotations

import itertools
import multiprocessing
import sqlite3
import time

import pytest

from assembly.core.clock import FixedClock
from assembly.feedback import queries, writes
from assembly.feedback.entries import FeedbackError
from assembly.feedback.verify import verify_log
from assembly.store import AssemblyFile, open_assembly

from .conftest import START, fill_log


def raw(assembly: AssemblyFile) -> sqlite3.Connection:
    """A plain connection with the append-only triggers dropped: what a tamperer would do."""
    conn = sqlite3.connect(assembly.path, isolation_level=None)
    conn.execute("drop trigger feedback_entries_no_update")
    conn.execute("drop trigger feedback_entries_no_delete")
    conn.execute("drop trigger feedback_entries_chain_order")
    return conn


def test_items_state_follows_entries(empty_file: AssemblyFile, clock: FixedClock) -> None:
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    first = queries.get_item(db, ids[0])
    assert first.status == "in_progress" and first.progress == 40
    assert first.response.startswith("We will trial")
    assert first.response_days == 5.0
    assert [m.text for m in first.milestones] == ["First car-free Saturday"]
    assert first.evidence[0].label == "Cabinet decision"
    assert [e.seq for e in queries.timeline(db, ids[0])] == [1, 6, 7, 8]
    refused = queries.get_item(db, ids[1])
    assert refused.status == "not_accepted" and "roof" in refused.status_reason
    assert queries.get_item(db, ids[2]).first_response_at is None
    assert verify_log(db).ok


def test_track_does_not_duplicate_a_source(empty_file: AssemblyFile, clock: FixedClock) -> None:
    db = empty_file.db()
    kwargs = dict(
        title="A", description="", source_kind="idea", source_id=7, actor="O", clock=clock
    )
    assert writes.track(db, **kwargs) == writes.track(db, **kwargs)
    assert queries.entry_count(db) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "not_accepted"}, "needs a reason"),
        ({"status": "maybe"}, "Unknown status"),
        ({"progress": 120}, "between 0 and 100"),
        ({"progress": "lots"}, "whole number"),
        ({"due": "next week"}, "not a date"),
        ({"status": "received"}, "nothing would change"),
        ({"milestone": ("2026-13-01", "x")}, "not a date"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(
    empty_file: AssemblyFile, clock: FixedClock, changes: dict, message: str
) -> None:
    db = empty_file.db()
    item = writes.track(
        db, title="A", description="", source_kind="other", source_id=None, actor="O", clock=clock
    )
    with pytest.raises(FeedbackError, match=message):
        writes.record(db, item, actor="O", clock=clock, **changes)
    assert queries.entry_count(db) == 1


def test_database_refuses_update_and_delete(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("update feedback_entries set actor = 'x' where seq = 2")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("delete from feedback_entries where seq = 9")
    with pytest.raises(sqlite3.IntegrityError, match="out of order"):
        conn.execute(
            "insert into feedback_entries (seq, item_id, recorded_at, actor, kind, data, "
            "prev_hash, hash) values (3, 1, 'now', 'x', 'update', '{}', 'abc', 'def')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("delete from feedback_items where id = 1")


@pytest.mark.parametrize(
    ("sql", "bad_seq", "words"),
    [
        ("update feedback_entries set actor = 'Nobody' where seq = 4", 4, "changed after"),
        (
            "update feedback_entries set data = replace(data, 'not_accepted', 'accepted') "
            "where seq = 9",
            9,
            "changed after",
        ),
        (
            "update feedback_entries set recorded_at = '2026-10-02T09:00:00Z' where seq = 6",
            6,
            "changed",
        ),
        ("delete from feedback_entries where seq = 7", 7, "missing"),
        (
            # swap the contents of entries 6 and 7, keeping the numbers in order
            "update feedback_entries set seq = case seq when 6 then 7 else 6 end "
            "where seq in (6, 7)",
            6,
            "",
        ),
        ("delete from feedback_entries where seq = 9", 9, "cut off the end"),
        ("update feedback_items set status = 'done' where id = 3", None, "summary (status)"),
    ],
)
def test_tampering_is_detected(
    empty_file: AssemblyFile, clock: FixedClock, sql: str, bad_seq: int | None, words: str
) -> None:
    fill_log(empty_file, clock)
    assert verify_log(empty_file.db()).ok
    conn = raw(empty_file)
    if "seq = case" in sql:
        conn.execute("update feedback_entries set seq = -6 where seq = 6")
        conn.execute("update feedback_entries set seq = 6 where seq = 7")
        conn.execute("update feedback_entries set seq = 7 where seq = -6")
    else:
        conn.execute(sql)
    conn.close()
    check = verify_log(empty_file.db(), deep=True)
    assert not check.ok
    # the quick check (chain and counts) catches all but a doctored summary, which needs deep
    assert verify_log(empty_file.db()).ok is ("summary (status)" in words)
    if bad_seq is not None:
        assert check.first_bad_seq == bad_seq
    assert words in check.problem
    assert check.describe().startswith("✗ Log broken at entry")


def _append_many(path: str, worker: int, count: int, start) -> None:

    assembly = open_assembly(path)
    start.wait(timeout=30)  # both writers begin together, so their appends really contend
    # One computer's clock, as two programs on one machine share: entries never go back in time
    from assembly.core.clock import SystemClock

    clock = SystemClock()
    db = assembly.db()
    item = writes.track(
        db,
        title=f"Item of writer {worker}",
        description="",
        source_kind="other",
        source_id=None,
        actor=f"writer {worker}",
        clock=clock,
    )
    for n in range(1, count + 1):
        time.sleep(0.002)  # a moment between appends, as real writers have, lets the other in
        writes.record(
            db, item, actor=f"writer {worker}", clock=clock, progress=n % 101, response=f"{n}"
        )
    assembly.close()


def test_two_processes_writing_at_once_lose_nothing(empty_file: AssemblyFile) -> None:
    per_writer = 60
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [
        context.Process(target=_append_many, args=(str(empty_file.path), w, per_writer, start))
        for w in (1, 2)
    ]
    for p in writers:
        p.start()
    for p in writers:
        p.join(timeout=60)
        assert p.exitcode == 0
    db = empty_file.db()
    assert queries.entry_count(db) == 2 * (per_writer + 1)
    check = verify_log(db, deep=True)
    assert check.ok, check.describe()
    items = queries.all_items(db)
    assert sorted(i.entry_count for i in items) == [per_writer + 1, per_writer + 1]
    # the two writers' entries really interleaved, so the test exercised contention
    owners = [e.item_id for e in queries.iter_entries(db)]
    switches = sum(1 for a, b in itertools.pairwise(owners) if a != b)
    assert switches > 2


def test_rebuild_gives_the_same_summaries(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    db = empty_file.db()
    before = queries.all_items(db)
    conn = sqlite3.connect(empty_file.path, isolation_level=None)
    conn.execute("update feedback_items set progress = 0, response = ''")
    conn.close()
    assert not verify_log(db, deep=True).ok
    writes.rebuild_items(db)
    assert queries.all_items(db) == before
    assert START.year == 2026


def test_documented_recipe_verifies_the_file_independently(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """docs/feedback.md tells anyone how to check the chain; its code, run as printed, passes a
    log with quotes, backslashes, accents and newlines in it (the tamper table runs it on edits)."""
    from tests.integrity.test_doc_verifier import _doc_check

    ids = fill_log(empty_file, clock)
    writes.record(
        empty_file.db(),
        ids[4],
        actor="Zoë “quotes” \\ O'Neil",
        clock=clock,
        response="Ça va — ✓\n2",
    )
    check = verify_log(empty_file.db())
    assert _doc_check()(empty_file.path) == (10, check.head)


def test_track_ideas_adds_each_untracked_idea_once(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    from .conftest import add_ideas

    long = "We want " + "really " * 20 + "safe crossings."
    add_ideas(empty_file, ["  Benches\n with shade ", long, "", "Withdrawn one"], withdrawn={4})
    db = empty_file.db()
    new = writes.track_ideas(db, actor="Organiser", clock=clock)
    titles = [queries.get_item(db, i).title for i in new]
    withdrawals_known = "withdrawn_at" in db["ideas"].columns_dict
    assert titles[:2] == ["Benches with shade", writes.idea_title(long)]
    assert len(titles) == (2 if withdrawals_known else 3)  # blank ideas are skipped
    assert titles[1].endswith("…") and len(titles[1]) <= 90
    assert writes.track_ideas(db, actor="Organiser", clock=clock) == []
    assert verify_log(db, deep=True).ok


def test_marking_done_completes_the_progress(empty_file: AssemblyFile, clock: FixedClock) -> None:
    """An officer who picks "Done" without touching progress must not leave a "✓ Done" item at
    40 % on the committee's chart and report; a progress they do give is kept."""
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    writes.record(db, ids[2], actor="o", clock=clock, status="in_progress", progress=40)
    entry = writes.record(db, ids[2], actor="o", clock=clock, status="done")
    assert entry.data == {"status": "done", "progress": 100}
    assert queries.get_item(db, ids[2]).progress == 100
    writes.record(db, ids[3], actor="o", clock=clock, status="done", progress=90)
    assert queries.get_item(db, ids[3]).progress == 90
    assert verify_log(db, deep=True).ok
