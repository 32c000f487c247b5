"""Officers reach the feedback log from the Organiser home; Scrutiny stays read-only."""

from __future__ import annotations

from pathlib import Path

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


async def test_l_on_organiser_home_opens_the_feedback_log(demo_path: Path) -> None:
    from assembly.feedback.screens.editor import FeedbackLogScreen

    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackLogScreen)
