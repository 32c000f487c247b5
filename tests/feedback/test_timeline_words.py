"""An item's timeline on Scrutiny's screen in the working language (issue 22): the log keeps
each entry as it was written (and hashed), and the screen words it in the officer's language,
its status a label of that language and each changed field a whole message."""

from __future__ import annotations

from assembly.core import i18n
from assembly.feedback.entries import Entry


def _entry(kind: str, data: dict) -> Entry:
    return Entry(
        seq=2,
        item_id=1,
        recorded_at="2026-10-06T09:00:00+00:00",
        actor="Sam Officer",
        kind=kind,
        data=data,
        reason="",
        prev_hash="0" * 64,
        hash="1" * 64,
    )


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


UPDATE = {
    "status": "in_progress",
    "progress": 57,
    "milestone": {"date": "2026-11-01", "text": "Bins ordered"},
    "evidence": {"url": "https://example.org/bins", "label": "Order"},
}
RECEIVED = {"title": "Bins", "responsible_body": "Waste team", "due": "2026-10-20"}


def test_the_timeline_reads_as_it_always_did_in_english() -> None:
    assert _entry("update", UPDATE).describe() == (
        "status → In progress; progress → 57%; milestone 2026-11-01: Bins ordered; "
        "evidence: Order <https://example.org/bins>"
    )
    assert _entry("received", RECEIVED).describe() == (
        "Received: Bins; for Waste team; response due 2026-10-20"
    )
    assert _entry("update", {"response": "Done soon", "due": None}).describe() == (
        "response due → —; public response: Done soon"
    )


def test_the_timeline_is_worded_in_the_working_language() -> None:
    entry = _entry("update", UPDATE)
    stored = dict(entry.data)
    i18n.use_working_language(i18n.PSEUDO)
    assert entry.describe() == "; ".join(
        [
            _pseudo("status → %(status)s", status=i18n.pseudo("In progress")),
            _pseudo("progress → %(progress)s", progress="57%"),
            _pseudo("milestone %(date)s: %(text)s", date="2026-11-01", text="Bins ordered"),
            _pseudo("evidence: %(label)s <%(url)s>", label="Order", url="https://example.org/bins"),
        ]
    )
    assert _entry("received", RECEIVED).describe() == _pseudo(
        "Received: %(title)s; for %(body)s; response due %(due)s",
        title="Bins",
        body="Waste team",
        due="2026-10-20",
    )
    assert _entry("update", {"responsible_body": "Parks"}).describe() == _pseudo(
        "responsible body → %(body)s", body="Parks"
    )
    assert _entry("update", {}).describe() == i18n.pseudo("(no change)")
    assert entry.data == stored  # what the log keeps is untouched


def test_a_published_report_still_words_it_in_its_own_language() -> None:
    i18n.use_working_language(i18n.PSEUDO)  # the officer's screens; the page is English
    assert _entry("update", {"status": "accepted"}).describe(i18n.ENGLISH) == ("status → Accepted")
