"""A passed recommendation's vote in the "you said, we did" report and on Scrutiny's item
screen (issue 22): the feedback log keeps "Assembly vote: ✓ Passed: …" in English after the
recommendation's text (its entries are hash-chained), and where it is shown the app's words are
in the reader's language, the recommendation's own text as written."""

from __future__ import annotations

from datetime import date

import pytest

from assembly.agenda import recommendations as rec
from assembly.core import i18n
from assembly.feedback import reports
from assembly.feedback.queries import get_item

pytestmark = pytest.mark.usefixtures("room_of_40")

TEXT = "Run more buses on Marsh Lane."
# As old files hold it (the audit's Welsh example): recognised whatever app wrote it.
STORED = f"{TEXT}\n\nAssembly vote: ✓ Passed: 33 of 35 in support (94%; needed 80%); 39 voted (quorum 30)."


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


def _passed(db, clock) -> int:
    """A recommendation passed and sent to the log: its item's id."""
    rec_id = rec.draft_recommendation(db, clock, "Buses", text=TEXT)
    vote_id = rec.open_vote(db, clock, rec_id, scale="support_oppose", threshold=0.8, quorum=10)
    rec.record_votes(db, clock, vote_id, {"support": 9, "oppose": 1})
    rec.close_vote(db, clock, vote_id)
    return rec.get_recommendation(db, rec_id).feedback_item_id


def _summary_in_pseudo() -> str:
    return _pseudo(
        "%(outcome)s: %(support)s of %(counted)s in support (%(share)s; needed "
        "%(threshold)s); %(cast)s voted (quorum %(quorum)s).",
        outcome=i18n.pseudo("✓ Passed"),
        support=33,
        counted=35,
        share="94%",
        threshold="80%",
        cast=39,
        quorum=30,
    )


def test_the_log_keeps_the_vote_in_english(db, clock) -> None:
    item = get_item(db, _passed(db, clock))
    assert item.description == (
        f"{TEXT}\n\nAssembly vote: ✓ Passed: 9 of 10 in support (90%; needed 80%); "
        "10 voted (quorum 10)."
    )


def test_a_stored_vote_is_worded_in_the_readers_language() -> None:
    assert rec.description_in(STORED, i18n.ENGLISH) == STORED  # English as it always read
    pseudo = i18n.translator(i18n.PSEUDO)
    assert rec.description_in(STORED, pseudo) == (
        f"{TEXT}\n\n" + _pseudo("Assembly vote: %(summary)s", summary=_summary_in_pseudo())
    )
    alone = STORED.removeprefix(f"{TEXT}\n\n")  # a recommendation with no text
    assert rec.description_in(alone, pseudo) == _pseudo(
        "Assembly vote: %(summary)s", summary=_summary_in_pseudo()
    )
    for typed in (TEXT, "Assembly vote: we liked it.", f"{STORED} Edited."):
        assert rec.description_in(typed, pseudo) is None  # someone's words: shown as written


def test_the_report_words_the_vote_in_its_language(db, clock) -> None:
    item_id = _passed(db, clock)
    db.execute("update feedback_items set description = ? where id = ?", [STORED, item_id])
    report = reports.build_report(db, date(2026, 12, 1))
    pseudo = i18n.translator(i18n.PSEUDO)
    worded = _pseudo("Assembly vote: %(summary)s", summary=_summary_in_pseudo())
    markdown = reports.to_markdown(report, pseudo)
    assert "Assembly vote" not in markdown and "Passed" not in markdown
    assert TEXT in markdown
    page = reports.to_html(report, pseudo)
    assert "Assembly vote" not in page and "✓ Passed" not in page
    assert f"<bdi>{TEXT}\n\n{worded}</bdi>" in page
    english = reports.to_html(report)
    assert f"<bdi>{STORED}</bdi>" in english  # English as it always read
    welsh = reports.to_markdown(report, reports.report_translator("cy"))
    assert "✓ Pasiwyd: 33 o 35 o blaid" in welsh and "✓ Passed" not in welsh


async def test_scrutinys_item_screen_words_the_vote_in_the_working_language(
    assembly, db, clock
) -> None:
    from textual.widgets import Static

    from assembly.feedback.screens.scrutiny_item import ItemTimelineScreen
    from assembly.store import languages, open_assembly
    from assembly.ui.app import AssemblyApp

    item_id = _passed(db, clock)
    languages.set_languages(db, working="cy")
    app = AssemblyApp(open_assembly(assembly.path, read_only=True), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.push_screen(ItemTimelineScreen(item_id))
        await pilot.pause()
        shown = str(app.screen.query_one("#item-text", Static).render())
    assert TEXT in shown
    assert "✓ Pasiwyd: 9 o 10 o blaid" in shown and "✓ Passed" not in shown
