"""`assembly demo`: says what it is doing from the first moment (it showed a blank terminal for
11-12 s), and asks before replacing an example file that may hold practice work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import assembly.demo as demo
from assembly.cli import main


@pytest.fixture
def quick_parts(monkeypatch):
    """Two trivial parts instead of the real ones: these tests are about the command."""
    parts = [(10, "part_pool", lambda *a: None), (20, "part_sessions", lambda *a: None)]
    monkeypatch.setattr(demo, "demo_parts", lambda: parts)


def test_demo_reports_each_part_as_it_goes(tmp_path: Path, quick_parts) -> None:
    result = CliRunner().invoke(main, ["demo", "--no-open", str(tmp_path / "d.db")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Writing the example assembly")
    assert "1 of 2: the pool of 1,500 respondents" in result.output
    assert "2 of 2: three sessions, speakers and ideas" in result.output
    assert lines[-1].startswith("Wrote the example assembly")


def test_demo_asks_before_replacing_and_keeps_practice_work(
    tmp_path: Path, demo_path: Path, quick_parts
) -> None:
    path = tmp_path / "practice.db"
    shutil.copy(demo_path, path)
    before = path.read_bytes()
    kept = CliRunner().invoke(main, ["demo", "--no-open", str(path)], input="n\n")
    assert kept.exit_code == 0, kept.output
    assert "Replace it" in kept.output and "Kept" in kept.output
    assert path.read_bytes() == before
    quiet = CliRunner().invoke(main, ["demo", "--no-open", str(path)])  # no answer: keep
    assert quiet.exit_code == 0 and path.read_bytes() == before
    replaced = CliRunner().invoke(main, ["demo", "--no-open", str(path)], input="y\n")
    assert replaced.exit_code == 0, replaced.output
    assert path.read_bytes() != before
    forced = CliRunner().invoke(main, ["demo", "--no-open", "--replace", str(path)])
    assert forced.exit_code == 0 and "Replace it" not in forced.output


def test_an_interrupted_build_leaves_nothing_and_the_next_demo_builds_again(
    tmp_path: Path, monkeypatch
) -> None:
    """Killed halfway (here: Ctrl+C in the third part), the build leaves no file that could be
    taken for the example; the next `assembly demo` finds none, asks nothing and builds it."""

    def interrupted(*args) -> None:
        raise KeyboardInterrupt

    built = []
    parts = [
        (10, "part_pool", lambda *a: built.append("pool")),
        (20, "part_selection", lambda *a: built.append("selection")),
        (30, "part_sessions", interrupted),
    ]
    monkeypatch.setattr(demo, "demo_parts", lambda: parts)
    path = tmp_path / "example.assembly.db"
    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(path)
    assert built == ["pool", "selection"]
    assert list(tmp_path.iterdir()) == []

    parts[2] = (30, "part_sessions", lambda *a: built.append("sessions"))
    again = CliRunner().invoke(main, ["demo", "--no-open", str(path)])
    assert again.exit_code == 0, again.output
    assert (
        "Replace it" not in again.output
        and "3 of 3: three sessions, speakers and ideas" in again.output
    )
    assert [p.name for p in tmp_path.iterdir()] == ["example.assembly.db"]


def test_a_stopped_rebuild_keeps_the_old_file_whole(tmp_path: Path, demo_path: Path) -> None:
    """Replacing an example is all or nothing: stopped after its first part, the build leaves
    the old file exactly as it was (the new one appears only whole, in one rename)."""
    before = demo_path.read_bytes()
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 1  # let the first part start, then stop

    with pytest.raises(demo.DemoCancelled):
        demo.build_demo(demo_path, cancelled=cancelled)
    assert demo_path.read_bytes() == before
    assert [p.name for p in demo_path.parent.iterdir()] == [demo_path.name]


@pytest.mark.parametrize("module", ["assembly.demo.draw_cache", "assembly.demo.refresh_draws"])
def test_refreshing_the_stored_lottery_answers_help_without_writing(module, monkeypatch) -> None:
    """Issue 25 item 18: `--help` rewrote the stored example lottery instead of explaining."""
    import runpy

    from assembly.demo import draw_cache

    monkeypatch.setattr(draw_cache, "save", lambda *a, **k: pytest.fail("wrote the cache"))
    monkeypatch.setattr("sys.argv", [module, "--help"])
    with pytest.raises(SystemExit) as stopped:
        runpy.run_module(module, run_name="__main__")
    assert stopped.value.code == 0
