"""Shared fixtures: an example assembly built once per test run and copied for each test that
needs one, and a UI that never blinks, so headless runs are deterministic."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from tests.parsed_once import parse_css_once_per_process
from tests.unpainted import leave_headless_frames_unpainted

# No per-example deadline: on a loaded 2-core machine a property example can take longer than
# hypothesis's default 200 ms for reasons that have nothing to do with the code under test
# (a hash-chain property failed that way once in a full run).
settings.register_profile("assembly", deadline=None)
settings.load_profile("assembly")

REPO = Path(__file__).resolve().parents[1]

# The commands speak the environment's language before a file is open (`LANG=cy_GB.UTF-8`
# gives Welsh help): the tests read English on any machine, and so do the processes they start.
os.environ["ASSEMBLY_LANG"] = "en"

leave_headless_frames_unpainted()
parse_css_once_per_process()

# Slow modules marked from here because they are being changed elsewhere (issue 23): a real
# `assembly serve` process, and thirty phones in Debian's chromium. Their own `pytestmark` can
# replace these lines.
SLOW_MODULES = {
    "tests/integrity/test_serve.py": "a real server process",
    "tests/agenda/test_room_browser.py": "a real browser",
}


def pytest_configure(config: pytest.Config) -> None:
    """Bytecode for the app and the tests' helpers, written once before the workers start.
    With PYTHONDONTWRITEBYTECODE set (as on the project's machines) nothing else writes it,
    so every worker, and every `python -m assembly` a test starts, compiled each module it
    imported again; compiling them all here takes under a second."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    import compileall

    for folder in ("assembly", "sortition", "tests"):
        compileall.compile_dir(REPO / folder, quiet=1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(REPO).as_posix() in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def shared_dir() -> Path | None:
    """The shared reference data: beside the checkout (CI and developers alike), or beside a
    folder further up (a git worktree of the checkout)."""
    for folder in (REPO, *REPO.parents):
        candidate = folder / "shared"
        if (candidate / "peers").is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run, not once per xdist worker: the first worker builds it under a lock
    in the run's shared temporary folder, and the others wait for it and read it."""
    from assembly.demo import build_demo

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every worker's own folder sits in
    path = shared / "demo-master" / "example.assembly.db"
    path.parent.mkdir(exist_ok=True)
    with open(shared / "demo-master.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / "demo-building" / path.name
            building.parent.mkdir(exist_ok=True)
            build_demo(building).close()
            building.replace(path)
    return path


@pytest.fixture
def demo_path(_demo_master: Path, tmp_path: Path) -> Path:
    """A fresh copy of the example assembly for one test to change as it likes."""
    target = tmp_path / "example.assembly.db"
    shutil.copy(_demo_master, target)
    return target


@pytest.fixture(autouse=True)
def _quiet_ui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No cursor blink and no user config leaking into tests."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True)
def _screens_in_english():
    """Each test starts with the screens and messages in English: a test that opened a Welsh
    assembly leaves the process's working language behind it otherwise."""
    from assembly.core.i18n import use_working_language

    use_working_language("en")
    yield
    use_working_language("en")
