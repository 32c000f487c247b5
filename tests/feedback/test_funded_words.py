"""A funded PB project in the "you said, we did" report (issue 22): the feedback log keeps the
app's English ("Funded in the participatory budget '…' (£6,500.00). …") as it was hashed, and
the report words that sentence in its own language; the budget's name, the amount and the
count's explanation are shown as stored, an officer's reason as written."""

from __future__ import annotations

import re
from datetime import date

from markupsafe import escape

from assembly.budgets import results
from assembly.core import i18n
from assembly.feedback import reports, writes
from assembly.store import AssemblyFile

PB = "Hollowfield Neighbourhood Fund 2026"
WHY = "Ariannwyd yn rownd 2: cafodd 103 pleidlais."  # the count's words, in its language
REASON = "The ward's fund adds £4,800.00 (see the minutes)."
# As the audit's Welsh example file holds them.
COUNTED = f"Funded in the participatory budget '{PB}' (£6,500.00). {WHY}"
OVERRIDDEN = (
    f"Funded in the participatory budget '{PB}' (£9,600.00). Funded after the count: {REASON}"
)


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


FUNDED = "Funded in the participatory budget '%(title)s' (%(cost)s). %(how)s"


def test_a_funded_project_is_worded_in_the_readers_language() -> None:
    pseudo = i18n.translator(i18n.PSEUDO)
    for stored in (COUNTED, OVERRIDDEN):
        assert results.delivery_in(stored, i18n.ENGLISH) == stored  # as it always read
    assert results.delivery_in(COUNTED, pseudo) == _pseudo(
        FUNDED, title=PB, cost="£6,500.00", how=WHY
    )
    assert results.delivery_in(OVERRIDDEN, pseudo) == _pseudo(
        FUNDED,
        title=PB,
        cost="£9,600.00",
        how=_pseudo("Funded after the count: %(reason)s", reason=REASON),
    )
    for typed in ("Funded in the participatory budget, we hear.", "A new bench"):
        assert results.delivery_in(typed, pseudo) is None  # someone's words: as written


def test_the_report_words_a_funded_project_in_its_language(empty_file: AssemblyFile, clock):
    db = empty_file.db()
    for title, stored in (("Benches", COUNTED), ("Bus shelter", OVERRIDDEN)):
        writes.track(
            db,
            title=title,
            description=stored,
            source_kind="other",
            source_id=None,
            actor="A",
            clock=clock,
        )
    report = reports.build_report(db, date(2026, 12, 1))
    english = reports.to_html(report)
    assert "<bdi>" + COUNTED.replace("'", "&#39;") + "</bdi>" in english  # as it always read
    pseudo = reports.to_html(report, i18n.translator(i18n.PSEUDO))
    said = re.findall(r'<p class="said">.*?</p>', pseudo)
    assert len(said) == 2 and not any("Funded" in p for p in said), said
    assert all(PB in p for p in said)
    assert any(WHY in p for p in said) and any(escape(REASON) in p for p in said)
    welsh = reports.to_markdown(report, reports.report_translator("cy"))
    assert "Ariannwyd yn y gyllideb gyfranogol" in welsh and "Funded" not in welsh
    assert "Ariannwyd ar ôl y cyfrif: " in welsh
