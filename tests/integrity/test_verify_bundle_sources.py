"""The audit bundle names the pool file the draw actually used, after any number of corrections
(issue 26): `pool_imports` keeps a row per import, and the latest is the pool drawn from."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from sortition.cli import main as sortition_main
from tests.organiser.conftest import write_pool_csv

QUOTAS = "feature,value,min,max\ngender,Woman,3,5\ngender,Man,3,5\nage,16-34,2,4\nage,35-59,2,4\nage,60+,2,4\n"


def _ok(command, *args: str) -> str:
    result = CliRunner().invoke(command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_bundle_after_a_corrected_pool_names_the_corrected_file(tmp_path: Path) -> None:
    first = write_pool_csv(tmp_path / "pool-draft.csv", 50, seed=3, households=True)
    pool = write_pool_csv(tmp_path / "pool.csv", 60, households=True)
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    path = str(tmp_path / "a.db")
    _ok(main, "new", path, "--no-open")
    _ok(main, "pool", "import", path, str(first))
    _ok(main, "pool", "import", path, str(pool), "--replace")
    _ok(main, "quotas", "import", path, str(quotas), "--panel-size", "8")
    _ok(main, "draw", "run", path, "--lottery-size", "20", "--rounding-seconds", "0")
    bundle = tmp_path / "b.json"
    _ok(main, "draw", "bundle", path, "1", str(bundle))
    out = _ok(sortition_main, "verify", str(bundle), "--people", str(pool), "--quotas", str(quotas))
    assert "Input files match: people, quotas." in out


def test_the_draft_pool_is_not_taken_for_the_file_drawn_from(tmp_path: Path) -> None:
    first = write_pool_csv(tmp_path / "pool-draft.csv", 50, seed=3, households=True)
    pool = write_pool_csv(tmp_path / "pool.csv", 60, households=True)
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    path = str(tmp_path / "a.db")
    _ok(main, "new", path, "--no-open")
    _ok(main, "pool", "import", path, str(first))
    _ok(main, "pool", "import", path, str(pool), "--replace")
    _ok(main, "quotas", "import", path, str(quotas), "--panel-size", "8")
    _ok(main, "draw", "run", path, "--lottery-size", "20", "--rounding-seconds", "0")
    bundle = tmp_path / "b.json"
    _ok(main, "draw", "bundle", path, "1", str(bundle))
    result = CliRunner().invoke(sortition_main, ["verify", str(bundle), "--people", str(first)])
    assert result.exit_code == 1
    assert "pool-draft.csv is not the file the draw used" in result.output
