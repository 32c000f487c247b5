"""ruff is part of the test command, so lint findings fail CI like any other defect."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' brings it)")
    result = subprocess.run(
        [
            ruff,
            "check",
            *[d for d in ("assembly", "sortition", "tests", "bench") if (REPO / d).is_dir()],
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
