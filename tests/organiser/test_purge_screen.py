"""The purge from the Members screen runs in a worker: while another program finishes a read
(the purge waits up to ten seconds for it) the screen still answers and says it is waiting,
where it froze until the read ended."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp
from tests.imports.test_privacy import READER


def _purges(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from purges").fetchone()[0]


async def test_the_screen_answers_while_the_purge_waits_for_a_reader(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        members = app.screen
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, str(demo_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert reader.stdout.readline().strip() == "reading"
            await pilot.press("ctrl+d")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            # the reader holds its read until told: the purge waits, the screen does not (a
            # read held for one second raced a loaded machine's key presses)
            assert _purges(demo_path) == 0
            assert any(w.group == "purge" and w.is_running for w in app.workers)
            assert any("waiting" in str(n.message).lower() for n in app._notifications)
        finally:
            reader.communicate(timeout=30)  # its read ends, and the purge goes on
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is members
        assert _purges(demo_path) == 1
        assert any("Removed the personal data" in str(n.message) for n in app._notifications)
