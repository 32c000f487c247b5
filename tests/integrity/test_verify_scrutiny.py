"""Scrutiny mode runs `assembly verify`'s checks when it opens: an edited member shows at once,
beside the log's own check; an untouched file says the draw and members match their record."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Static

from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.integrity.test_verify_tamper import built, copy, tamper  # noqa: F401 (fixtures)

NOW = FixedClock(datetime(2026, 10, 18, 12, 0, tzinfo=UTC))


async def _chain_line(path: Path) -> tuple[str, set[str]]:
    app = AssemblyApp(open_assembly(path, read_only=True), clock=NOW, mode="scrutiny")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = app.screen.query_one("#chain", Static)
        return str(shown.render()), set(shown.classes)


async def test_scrutiny_says_the_draw_matches_its_record(copy: Path) -> None:  # noqa: F811
    text, classes = await _chain_line(copy)
    assert text.startswith("✓ The feedback log is empty")  # this file has no log entries
    assert "✓ Draw and members match the signed draw record" in text
    assert "ok" in classes


async def test_scrutiny_shows_an_edited_member_when_it_opens(copy: Path) -> None:  # noqa: F811
    tamper(copy, "update members set status = 'withdrawn' where number = 1")
    text, classes = await _chain_line(copy)
    assert text.startswith("✓ The feedback log is empty")  # the log itself is fine, and says so
    assert "✗ members id 1: member 1 is withdrawn" in text
    assert "bad" in classes
