"""`assembly demo` opens the app at once on the example being built, then its Organiser home.

The build is held at a gate (a part that waits on an event), so each test sees the app while
the build is really still running: the building screen is up, the file is not yet in place,
and only when the gate opens does the Organiser home appear. No timings here: the seconds to
the first screen are measured by bench/bench_demo.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import assembly.demo as demo
from assembly.demo.screens.building import DemoBuildScreen
from assembly.ui.app import AssemblyApp

PART_NAMES = ["pool", "selection", "sessions", "agenda", "tables", "feedback"]


class Gate:
    """Holds the build at the start of one part until `open()`; `reached` says it got there."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self._open = threading.Event()

    def hold(self, build):
        def held(*args) -> None:
            self.reached.set()
            assert self._open.wait(60), "the test never opened the gate"
            build(*args)

        return held

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def gate():
    gate = Gate()
    yield gate
    gate.open()  # never leave the build thread waiting, whatever the test did


def held_parts(monkeypatch, gate: Gate, at: str, parts) -> None:
    """`parts` with the one named `at` held at the gate."""
    held = [
        (order, name, gate.hold(build) if name == f"part_{at}" else build)
        for order, name, build in parts
    ]
    monkeypatch.setattr(demo, "demo_parts", lambda: held)


def quick_parts():
    """Parts that write nothing: for tests about the screen rather than the example."""
    return [(10 * n, f"part_{name}", lambda *a: None) for n, name in enumerate(PART_NAMES, 1)]


async def settle(pilot, done, tries: int = 50) -> None:
    """Let the app handle what the worker posted until `done()` (a bounded number of turns)."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause()
    assert done()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def test_first_screen_shows_while_the_build_runs_then_the_organiser_home(
    tmp_path: Path, monkeypatch, gate: Gate
) -> None:
    from assembly.core.clock import SystemClock
    from assembly.organiser.screens.home import OrganiserScreen

    # the real example up to its draw, held there; the parts after it write nothing (the whole
    # example is built in another process by tests/app/test_cli_foundation.py)
    real = demo.demo_parts()
    at = next(n for n, (_order, name, _build) in enumerate(real) if name == "part_selection")
    parts = real[:at] + [(order, name, lambda *a: None) for order, name, _build in real[at:]]
    held_parts(monkeypatch, gate, "selection", parts)
    path = tmp_path / "example.assembly.db"
    app = AssemblyApp(preparing=DemoBuildScreen(path))
    async with app.run_test(size=(80, 24)) as pilot:
        assert gate.reached.wait(60)
        screen = app.screen
        assert isinstance(screen, DemoBuildScreen)
        step = screen.query_one("#building-step")
        shown = f"Part {at + 1} of {len(parts)}"
        await settle(pilot, lambda: shown in str(step.render()))
        assert "the draw" in str(step.render())
        assert not path.exists()  # nothing at the target until the build is whole
        await pilot.press("f2")  # no mode opens over a file that is not there yet
        assert app.screen is screen

        gate.open()
        await app.workers.wait_for_complete()
        await settle(pilot, lambda: isinstance(app.screen, OrganiserScreen))
        summary = app.screen.query_one("#summary")
        await settle(pilot, lambda: "1,500 respondents in the pool" in str(summary.render()))
        assert path.exists()
        # written on the story's frozen clock, opened on the real one: a live session run on
        # the example must count real minutes
        assert isinstance(app.assembly.clock, SystemClock) and app.clock is app.assembly.clock
    assert leftovers(tmp_path) == ["example.assembly.db"]


@pytest.mark.parametrize("key", ["escape", "ctrl+q"])
async def test_stopping_leaves_no_file_that_looks_like_the_example(
    tmp_path: Path, monkeypatch, gate: Gate, key: str
) -> None:
    held_parts(monkeypatch, gate, "sessions", quick_parts())
    path = tmp_path / "example.assembly.db"
    app = AssemblyApp(preparing=DemoBuildScreen(path))
    async with app.run_test(size=(80, 24)) as pilot:
        assert gate.reached.wait(60)
        await pilot.press(key)
        title = app.screen.query_one("#building-title")
        await settle(pilot, lambda: "Stopping" in str(title.render()))
        assert app.is_running  # it waits for the part under way, then cleans up
        gate.open()  # the part ends, the build sees the stop, removes its file, and the app quits
        await settle(pilot, lambda: not app.is_running)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_building_screen_matches_its_snapshot(
    tmp_path: Path, monkeypatch, gate: Gate, size: tuple[int, int], snapshot
) -> None:
    from pytest_textual_snapshot import SVGImageExtension

    monkeypatch.chdir(tmp_path)  # the screen names the file as the person gave it
    held_parts(monkeypatch, gate, "sessions", quick_parts())
    app = AssemblyApp(preparing=DemoBuildScreen(Path("example.assembly.db")))
    async with app.run_test(size=size) as pilot:
        assert gate.reached.wait(60)
        step = app.screen.query_one("#building-step")
        await settle(pilot, lambda: "Part 3 of 6" in str(step.render()))
        shot = app.export_screenshot()
        gate.open()
        await app.workers.wait_for_complete()
    assert snapshot.use_extension(SVGImageExtension)(name="building") == shot
