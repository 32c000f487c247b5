"""The equity panel warns only on enough evidence (minutes and speakers), with short labels:
after one 11-second turn it flagged about 20 groups as '2 (Deprivation (IMD quintile ...))'."""

from __future__ import annotations

from assembly.organiser.overview import Feature
from assembly.sessions.equity import compute_equity
from assembly.sessions.screens.equity_widget import equity_text

FEATURES = [
    Feature("imd", "Deprivation (IMD quintile of home area)", ("1", "2", "3"), (None,) * 3, False),
    Feature("gender", "Gender", ("Woman", "Man"), (None, None), False),
]
MEMBERS = {
    1: {"imd": "1", "gender": "Woman"},
    2: {"imd": "2", "gender": "Man"},
    3: {"imd": "3", "gender": "Woman"},
    4: {"imd": "2", "gender": "Man"},
}


def test_one_short_turn_warns_nobody() -> None:
    report = compute_equity(FEATURES, MEMBERS, set(MEMBERS), {1: 11.0})
    text = equity_text(report).plain
    assert "⚠" not in text
    assert "Too early to judge" in text


def test_enough_evidence_warns_with_short_labels() -> None:
    seconds = {1: 200.0, 3: 150.0, 2: 10.0}
    text = equity_text(compute_equity(FEATURES, MEMBERS, set(MEMBERS), seconds)).plain
    assert "⚠ Heard less than half their share: Deprivation 2, Gender Man" in text
    assert "(IMD" not in text.split("\n")[1]
