"""Reports, bulk CSV and Decidim files: every item appears, names stay out unless asked for,
exports import back unchanged, and bad cells are named by row and column."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from assembly.core.clock import FixedClock
from assembly.feedback import csv_exchange as feedback_csv
from assembly.feedback import decidim, queries, reports, scrutiny, writes
from assembly.feedback.entries import FeedbackError
from assembly.feedback.verify import verify_log
from assembly.store import AssemblyFile, create_assembly

from .conftest import fill_log

TODAY = date(2026, 10, 18)


def test_dashboard_counts_per_body(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    board = scrutiny.dashboard(empty_file.db(), TODAY)
    rows = {b.body: b for b in board.bodies}
    assert rows["Highways"].count("in_progress") == 1
    assert rows["Highways"].median_days_to_response == 5.0
    assert rows["Climate team"].count("not_accepted") == 1
    assert rows["Transport for Hollowfield"].overdue == 1  # due 10 Oct, never answered
    assert rows["Libraries"].overdue == 0 and rows["Libraries"].unanswered == 1
    assert board.totals.total == 5 and board.totals.unanswered == 3 and board.totals.overdue == 1
    assert board.totals.median_days_to_response == pytest.approx((5 + 17) / 2)
    later = scrutiny.dashboard(empty_file.db(), date(2026, 10, 25))
    assert later.totals.overdue == 2  # the clock decides what is overdue


def test_find_items_filters_and_searches(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    db = empty_file.db()
    found, total = scrutiny.find_items(db, scrutiny.ItemFilter(text="repair"), TODAY)
    assert total == 1 and found[0].title.startswith("Free repair café")
    found, total = scrutiny.find_items(db, scrutiny.ItemFilter(overdue_only=True), TODAY)
    assert [i.title for i in found] == ["Late-night bus to the station"]
    _, total = scrutiny.find_items(db, scrutiny.ItemFilter(status="not_accepted"), TODAY)
    assert total == 1
    _, total = scrutiny.find_items(db, scrutiny.ItemFilter(body="Highways"), TODAY)
    assert total == 1


@pytest.mark.parametrize("form", ["md", "html", "csv"])
def test_reports_contain_every_item_and_no_names(
    empty_file: AssemblyFile, clock: FixedClock, form: str
) -> None:
    fill_log(empty_file, clock)
    db = empty_file.db()
    text = reports.FORMATS[form](reports.build_report(db, TODAY))
    for item in queries.all_items(db):
        assert item.title in text
    assert "Sam Officer" not in text and "Priya Officer" not in text
    assert "roof" in text  # the reason for not accepting is published
    named = reports.FORMATS[form](reports.build_report(db, TODAY, include_names=True))
    assert "Sam Officer" in named


def test_html_report_is_self_contained_and_escaped(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    writes.record(
        db,
        ids[2],
        actor="x",
        clock=clock,
        response="<script>alert(1)</script>",
        evidence=("javascript:alert(1)", "bad link"),
    )
    page = reports.to_html(reports.build_report(db, TODAY))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "src=" not in page and "<link" not in page  # nothing to fetch
    assert "@media print" in page
    assert page.count("<article") == 5


def test_report_csv_has_one_row_per_item(empty_file: AssemblyFile, clock: FixedClock) -> None:
    fill_log(empty_file, clock)
    rows = list(
        csv.DictReader(io.StringIO(reports.to_csv(reports.build_report(empty_file.db(), TODAY))))
    )
    assert [int(r["item_id"]) for r in rows] == [1, 2, 3, 4, 5]
    assert rows[3]["overdue"] == "yes"
    assert "recorded_by" not in rows[0]


def test_csv_export_imports_back_without_change(
    empty_file: AssemblyFile, clock: FixedClock, tmp_path
) -> None:
    fill_log(empty_file, clock)
    db = empty_file.db()
    exported = feedback_csv.export_csv(db)
    before = queries.entry_count(db)
    result = feedback_csv.import_csv(db, exported, actor="Importer", clock=clock)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert queries.entry_count(db) == before
    # into a fresh file it recreates the same current state
    other = create_assembly(tmp_path / "other.db", name="Other", clock=clock)
    rows = list(csv.reader(io.StringIO(exported)))
    for row in rows[1:]:
        row[0] = ""  # no item numbers: every row is a new item
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    result = feedback_csv.import_csv(other.db(), buffer.getvalue(), actor="Importer", clock=clock)
    assert result.created == 5
    mine = {
        i.title: (i.status, i.progress, i.response, i.milestones, i.evidence)
        for i in queries.all_items(db)
    }
    theirs = {
        i.title: (i.status, i.progress, i.response, i.milestones, i.evidence)
        for i in queries.all_items(other.db())
    }
    assert mine == theirs
    assert verify_log(other.db()).ok
    other.close()


def test_csv_import_updates_and_names_bad_cells(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    good = (
        "item_id,status,progress,response,reason,milestones\n"
        f"{ids[2]},accepted,10,We will run a pilot repair café.,,2027-01-09 First café\n"
        f",,,,,\n"  # a blank row: skipped, as by every import (the shared reader's rule)
        f",,,A reply to no item,,\n"
    )
    with pytest.raises(FeedbackError, match="row 4, column title"):
        feedback_csv.import_csv(db, good, actor="Officer", clock=clock, source_name="resp.csv")
    assert queries.get_item(db, ids[2]).status == "received"  # all-or-nothing
    result = feedback_csv.import_csv(
        db, good.rsplit(",,,A reply", 1)[0], actor="Officer", clock=clock
    )
    assert result.updated == 1
    item = queries.get_item(db, ids[2])
    assert (item.status, item.progress, item.milestones[0].text) == ("accepted", 10, "First café")
    for bad, where in [
        (f"item_id,progress\n{ids[3]},lots\n", "row 2, column progress"),
        (f"item_id,status\n{ids[3]},not_accepted\n", "row 2, column reason"),
        (f"item_id,status\n{ids[3]},sort of\n", "row 2, column status"),
        ("item_id,due\n999,2026-01-01\n", "row 2, column item_id"),
        ("item,due\n1,2026-01-01\n", "header"),
    ]:
        with pytest.raises(FeedbackError, match=where):
            feedback_csv.import_csv(db, bad, actor="Officer", clock=clock, source_name="resp.csv")
    assert verify_log(db).ok


DECIDIM = """id;title/en;title/cy;description/en;status;progress;start_date;end_date;proposal_urls
17;Car-free Saturdays;Sadyrnau di-gar;Trial agreed by cabinet;In progress;35.0;2026-10-01;2027-06-30;https://decidim.example/p/4 https://decidim.example/p/9
18;Solar on depot roof;To solar;;Not started;0;2026-10-01;;
19;Leisure centre panels;Paneli;Roof too weak;Discarded;0;2026-10-01;;
"""


def test_decidim_import_then_export_round_trip(empty_file: AssemblyFile, clock: FixedClock) -> None:
    db = empty_file.db()
    result = decidim.import_decidim(db, DECIDIM, actor="Decidim import", clock=clock)
    assert result.created == 3
    items = {i.external_ref: i for i in queries.all_items(db)}
    first = items["decidim:17"]
    assert (first.status, first.progress, first.response) == (
        "in_progress",
        35,
        "Trial agreed by cabinet",
    )
    assert [e.url for e in first.evidence] == [
        "https://decidim.example/p/4",
        "https://decidim.example/p/9",
    ]
    assert first.milestones[0].date == "2027-06-30"
    assert (
        items["decidim:19"].status == "not_accepted"
        and "Discarded" in items["decidim:19"].status_reason
    )
    again = decidim.import_decidim(db, DECIDIM, actor="Decidim import", clock=clock)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    exported = decidim.export_decidim(db)
    rows = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    assert [r["id"] for r in rows] == ["17", "18", "19"]
    assert rows[0]["status"] == "In progress" and rows[0]["end_date"] == "2027-06-30"
    assert rows[0]["proposal_urls"] == "https://decidim.example/p/4 https://decidim.example/p/9"
    third = decidim.import_decidim(db, exported, actor="Decidim import", clock=clock)
    assert third.unchanged == 3


def test_decidim_bad_status_names_the_cell(empty_file: AssemblyFile, clock: FixedClock) -> None:
    bad = DECIDIM.replace("Not started", "Mañana")
    with pytest.raises(FeedbackError, match=r"row 3, column status: unknown status 'Mañana'"):
        decidim.import_decidim(empty_file.db(), bad, actor="x", clock=clock, source_name="r.csv")
    with pytest.raises(FeedbackError, match="not a Decidim results file"):
        decidim.import_decidim(empty_file.db(), "a;b\n1;2\n", actor="x", clock=clock)
    assert queries.entry_count(empty_file.db()) == 0


@pytest.mark.parametrize("answered", [1, 2, 7, 12])
def test_dashboard_medians_match_a_plain_median(
    empty_file: AssemblyFile, clock: FixedClock, answered: int
) -> None:
    import statistics

    import numpy as np

    rng = np.random.default_rng(answered)
    db = empty_file.db()
    ids = [
        writes.track(
            db,
            title=f"Item {n}",
            description="",
            source_kind="other",
            source_id=None,
            actor="O",
            clock=clock,
            responsible_body=["A", "B", None][n % 3],
        )
        for n in range(answered + 2)
    ]
    for item_id in ids[:answered]:
        clock.advance(hours=float(rng.integers(1, 500)))
        writes.record(db, item_id, actor="O", clock=clock, status="accepted")
    items = queries.all_items(db)
    board = scrutiny.dashboard(db, TODAY)
    days = [i.response_days for i in items if i.response_days is not None]
    assert board.totals.median_days_to_response == pytest.approx(statistics.median(days))
    for body in board.bodies:
        mine = [
            i.response_days
            for i in items
            if (i.responsible_body or scrutiny.NO_BODY) == body.body and i.response_days is not None
        ]
        expected = statistics.median(mine) if mine else None
        assert body.median_days_to_response == pytest.approx(expected)


def test_report_headings_use_the_assemblys_own_numbers(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """An item is headed by its log number and the recommendation's own number, so log item 1
    tracking recommendation 7 is never printed as "Recommendation 1"."""
    db = empty_file.db()
    writes.track(
        db,
        title="Trees",
        description="",
        source_kind="recommendation",
        source_id=7,
        actor="o",
        clock=clock,
    )
    report = reports.build_report(db, TODAY)
    for form in ("md", "html"):
        # the page isolates the title in a <bdi>: compare its words, not its tags
        text = re.sub(r"</?bdi>", "", reports.FORMATS[form](report))
        assert "Recommendation 7: Trees" in text and "Recommendation 1" not in text
        assert "1 · Recommendation 7" in text
        assert "1 item," in text and "1 items" not in text


def test_report_warns_when_an_item_summary_was_doctored(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """The report prints each item's summary, so a summary changed behind the log's back
    (the entries untouched) must not be published under "✓ Log intact"."""
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    db.execute("update feedback_items set response = 'All done' where id = ?", [ids[2]])
    db.conn.commit()
    report = reports.build_report(db, TODAY)
    assert not report.chain.ok
    text = reports.to_markdown(report)
    assert "✓ Log intact" not in text and "may not reflect" in text


def test_csv_import_reads_semicolons_and_tabs_and_names_broken_quoting(
    empty_file: AssemblyFile, clock: FixedClock
) -> None:
    """Spreadsheets set to European settings save with semicolons (or tabs); those files are
    read, and an unclosed quotation mark is named as such, not as a strange status."""
    ids = fill_log(empty_file, clock)
    db = empty_file.db()
    for sep, progress in ((";", 20), ("\t", 30)):
        text = f"item_id{sep}status{sep}progress\n{ids[0]}{sep}in_progress{sep}{progress}\n"
        result = feedback_csv.import_csv(db, text, actor="Officer", clock=clock)
        assert result.updated == 1
        assert queries.get_item(db, ids[0]).progress == progress
    broken = f'item_id,status\n{ids[1]},"accepted\n{ids[2]},done\n'
    with pytest.raises(FeedbackError, match=r"resp.csv, row 2: a quotation mark .* never closed"):
        feedback_csv.import_csv(db, broken, actor="Officer", clock=clock, source_name="resp.csv")
    with pytest.raises(FeedbackError, match="is empty"):
        feedback_csv.import_csv(db, "", actor="Officer", clock=clock, source_name="resp.csv")
    assert queries.get_item(db, ids[1]).status == "not_accepted"  # unchanged by the failure


def test_decidim_start_date_is_the_assemblys_local_date(tmp_path) -> None:
    """Stored times are UTC; an item received at 00:30 on 1 June in London (23:30 UTC on 31 May)
    starts on 1 June in the export."""
    from datetime import UTC, datetime

    summer = FixedClock(datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
    assembly = create_assembly(tmp_path / "s.db", name="S", clock=summer)
    db = assembly.db()
    writes.track(
        db,
        title="Trees",
        description="",
        source_kind="other",
        source_id=None,
        actor="o",
        clock=summer,
    )
    rows = list(csv.DictReader(io.StringIO(decidim.export_decidim(db)), delimiter=";"))
    assembly.close()
    assert rows[0]["start_date"] == "2026-06-01"
