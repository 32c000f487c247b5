"""Exports and reports ask before replacing files of the same name, and say which folder they
wrote to (issue 25 item 13: they replaced files without asking; the Members toast named no
folder)."""

from __future__ import annotations

from pathlib import Path

from assembly.feedback.screens.scrutiny import ScrutinyScreen
from assembly.organiser.screens.members import MembersScreen
from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ConfirmDialog
from tests.waiting import notices


async def test_members_export_names_its_folder_and_asks_before_replacing(demo_path: Path) -> None:
    invitations = demo_path.with_name("example-invitations.csv")
    app = AssemblyApp(open_assembly(demo_path))
    toasts = notices(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(MembersScreen())
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert invitations.exists()
        assert any(str(demo_path.parent.resolve()) in t for t in toasts), toasts
        invitations.write_text("kept\n")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "example-invitations.csv" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert invitations.read_text() == "kept\n"


async def test_the_scrutiny_report_asks_before_replacing(demo_path: Path) -> None:
    report = demo_path.with_name("example-you-said-we-did.md")
    report.write_text("kept\n")
    app = AssemblyApp(open_assembly(demo_path), mode="scrutiny")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, ScrutinyScreen):
            app.push_screen(ScrutinyScreen())
            await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        # one file in the way: the dialog says "file" and "it", not "files" and "them"
        assert (app.screen.title_text, app.screen.no) == ("Replace the existing file?", "Keep it")
        await pilot.press("n")
        await pilot.pause()
        assert report.read_text() == "kept\n"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert report.read_text() != "kept\n"
