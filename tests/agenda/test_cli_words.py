"""`assembly topics|vote|agenda|recommendations` say each status in the working language (issue
22): the file keeps the English word, the commands show the word the screens use for it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assembly.agenda import topics
from assembly.cli import main
from assembly.core import i18n

pytestmark = pytest.mark.usefixtures("room_of_40")  # counts need a room to fit in


def _ok(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _a_run(assembly, clock) -> str:
    """Three topics (one merged, one withdrawn), a closed vote, a proposed agenda, and two
    recommendations voted on: one passed, one not."""
    db = assembly.db()
    for title in ("Buses", "Trees", "Shops", "More buses"):
        topics.propose_topic(db, clock, title)
    topics.merge_topics(db, clock, 1, [4])
    topics.withdraw_topic(db, clock, 3)
    path = str(assembly.path)
    assembly.close()
    _ok("vote", "open", path, "--method", "approval", "--tie-rule", "earliest")
    _ok("vote", "ballot", path, "1", "1,2")
    _ok("vote", "close", path, "1")
    _ok("agenda", "build", path, "--round", "1", "--minutes", "120")
    votes = (("Free buses", "9", "1"), ("No trees", "1", "9"))
    for n, (title, support, oppose) in enumerate(votes, start=1):
        _ok("recommendations", "draft", path, title)
        _ok(
            "recommendations",
            "open-vote",
            path,
            str(n),
            "--scale",
            "support_oppose",
            "--threshold",
            "80%",
            "--quorum",
            "5",
        )
        _ok("recommendations", "count", path, str(n), f"support={support}", f"oppose={oppose}")
        _ok("recommendations", "close", path, str(n))
    return path


def test_statuses_read_as_before_in_english(assembly, clock) -> None:
    path = _a_run(assembly, clock)
    listed = _ok("topics", "list", path, "--all")
    assert "More buses [merged into 1]" in listed and "Shops [withdrawn]" in listed
    assert "[closed]" in _ok("vote", "list", path)
    assert "(closed)" in _ok("vote", "results", path, "1")
    assert "Agenda 1 [proposed]," in _ok("agenda", "show", path, "1")
    listed = _ok("recommendations", "list", path)
    assert "[passed] Free buses" in listed and "[not passed] No trees" in listed


def test_statuses_are_shown_in_the_working_language(assembly, clock) -> None:
    path = _a_run(assembly, clock)
    _ok("languages", "set", path, "--working", i18n.PSEUDO)
    merged = _ok("topics", "list", path, "--all")
    assert f"More buses [{i18n.pseudo('merged into %(number)s') % {'number': 1}}]" in merged
    assert f"Shops [{i18n.pseudo('withdrawn')}]" in merged
    assert f"[{i18n.pseudo('closed')}]" in _ok("vote", "list", path)
    assert f"({i18n.pseudo('closed')})" in _ok("vote", "results", path, "1")
    assert f"[{i18n.pseudo('proposed')}]" in _ok("agenda", "show", path, "1")
    listed = _ok("recommendations", "list", path)
    assert f"[{i18n.pseudo('passed')}]" in listed
    assert f"[{i18n.pseudo('not passed')}]" in listed
    for english in (
        "[merged",
        "[withdrawn]",
        "[closed]",
        "(closed)",
        "[proposed]",
        "[passed]",
        "[not passed]",
    ):
        assert english not in merged + listed
