"""After the laptop dies (kill -9) mid-session, opening the file goes straight back to the
running session, as docs/facilitator.md promises, whichever mode was asked for by default."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.core.clock import FixedClock

from .screens import CLOCK_AT, make_app, start_live_session


async def test_open_without_a_mode_goes_to_the_running_session(demo_path: Path) -> None:
    start_live_session(demo_path, FixedClock(CLOCK_AT))
    app = make_app(demo_path, mode=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "facilitator"
        assert type(app.screen).__name__ == "SessionRunScreen"


async def test_open_without_a_live_session_starts_in_organiser(demo_path: Path) -> None:
    app = make_app(demo_path, mode=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.current_mode == "organiser"


def test_the_open_command_leaves_the_mode_to_the_file(demo_path: Path, monkeypatch) -> None:
    import assembly.cli as cli

    seen = {}
    monkeypatch.setattr(cli, "run_app", lambda assembly, **kw: seen.update(kw))
    result = CliRunner().invoke(cli.main, ["open", str(demo_path)])
    assert result.exit_code == 0, result.output
    assert seen["mode"] is None
