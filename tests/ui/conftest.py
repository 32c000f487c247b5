"""The example with a live session under way, shared by the screen walks of one module."""

from __future__ import annotations

from pathlib import Path

import pytest

from .screens import start_live_session


@pytest.fixture(scope="module")
def live_example(tmp_path_factory: pytest.TempPathFactory, _demo_master: Path) -> Path:
    import shutil

    from assembly.core.clock import FixedClock

    from .screens import CLOCK_AT

    path = tmp_path_factory.mktemp("walk") / "live.assembly.db"
    shutil.copy(_demo_master, path)
    start_live_session(path, FixedClock(CLOCK_AT))
    return path
