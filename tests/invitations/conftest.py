"""Invitations fixtures: a small synthetic borough written as files, and a fresh assembly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assembly.cli import main
from assembly.core.clock import FixedClock
from assembly.invitations.synthetic import borough, write_frame
from assembly.store import create_assembly

START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SEED = "27 03 44 18 09 31"


def run(*args, code: int = 0):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="session")
def small_borough():
    return borough(3000, np.random.default_rng(7))


@pytest.fixture
def frame_files(tmp_path: Path, small_borough):
    return write_frame(tmp_path / "frame", small_borough)


@pytest.fixture
def assembly_path(tmp_path: Path) -> Path:
    path = tmp_path / "t.assembly.db"
    create_assembly(path, name="Test assembly", clock=FixedClock(START)).close()
    return path


@pytest.fixture
def framed(assembly_path: Path, frame_files) -> Path:
    """An assembly holding the small borough's frame, joined to postcodes and deciles."""
    addresses, postcodes, deprivation = frame_files
    run(
        "invitations",
        "addresses",
        assembly_path,
        addresses,
        "--postcodes",
        postcodes,
        "--deprivation",
        deprivation,
    )
    return assembly_path
