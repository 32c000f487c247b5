"""Organiser fixtures: the peer project's candidates and quotas, fresh assembly files, a clock."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from assembly.core.clock import FixedClock
from assembly.store import create_assembly
from tests.conftest import shared_dir

PANEL_SIZE = 22  # the peer fixture's panel size
ALGORITHM = "leximin"
LOTTERY_SIZE = 100
ROUNDING_SECONDS = 0.0  # the quick rounding: tests check the record, not the rounding's optimum
SEED = "14 27 33 41 48 09"
START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _peer_folder() -> Path | None:
    shared = shared_dir()
    folder = shared / "peers" / "sortition-algorithms" / "tests" / "fixtures" if shared else None
    if folder is None or not (folder / "candidates.csv").exists():
        return None
    return folder


@pytest.fixture
def peer_fixtures() -> Path:
    folder = _peer_folder()
    if folder is None:
        pytest.skip("peer fixtures not found (expected shared/ beside the checkout)")
    return folder


@pytest.fixture
def assembly(tmp_path: Path, clock: FixedClock):
    made = create_assembly(tmp_path / "t.assembly.db", name="Test assembly", clock=clock)
    yield made
    made.close()


@pytest.fixture
def peer_assembly(assembly, peer_fixtures: Path, clock: FixedClock):
    """An assembly holding the peer's 150 candidates and its quotas for a panel of 22."""
    from assembly.organiser.pool_import import import_file
    from assembly.organiser.quotas import import_quotas_csv

    db = assembly.db()
    import_file(db, peer_fixtures / "candidates.csv", clock)
    import_quotas_csv(db, peer_fixtures / "features.csv", PANEL_SIZE)
    return assembly


@pytest.fixture(scope="session")
def _drawn_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The peer assembly with one LEXIMIN draw computed (not yet drawn), built once per run."""
    from assembly.organiser.draws import run_draw
    from assembly.organiser.pool_import import import_file
    from assembly.organiser.quotas import import_quotas_csv

    folder = _peer_folder()
    if folder is None:
        pytest.skip("peer fixtures not found (expected shared/ beside the checkout)")
    clock = FixedClock(START)
    path = tmp_path_factory.mktemp("drawn") / "peer.assembly.db"
    made = create_assembly(path, name="Peer assembly", clock=clock)
    db = made.db()
    import_file(db, folder / "candidates.csv", clock)
    import_quotas_csv(db, folder / "features.csv", PANEL_SIZE)
    run_draw(db, clock, ALGORITHM, lottery_size=LOTTERY_SIZE, rounding_seconds=ROUNDING_SECONDS)
    made.close()
    return path


@pytest.fixture
def computed(_drawn_master: Path, tmp_path: Path, clock: FixedClock):
    """A fresh copy of the peer assembly with draw 1 computed: (assembly, draw id)."""
    from assembly.store import open_assembly

    target = tmp_path / "drawn.assembly.db"
    shutil.copy(_drawn_master, target)
    opened = open_assembly(target, clock=clock)
    yield opened, 1
    opened.close()


@pytest.fixture
def panel(computed, clock: FixedClock):
    """The peer assembly with the public seed entered: 22 members."""
    from assembly.organiser.draws import enter_seed

    assembly, draw_id = computed
    enter_seed(assembly.db(), draw_id, SEED, clock)
    return assembly


def write_pool_csv(path: Path, n: int, seed: int = 1, *, households: bool = False) -> Path:
    """A synthetic pool: id, name, email, postcode, (household,) gender, age, area."""
    rng = np.random.default_rng(seed)
    header = ["id", "name", "email", "postcode", "gender", "age", "area"]
    if households:
        header.insert(4, "household")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(n):
            row = [
                f"P{i:05d}",
                f"Person {i}",
                f"person{i}@example.org",
                f"HF{i % 9} 1AA",
                ["Woman", "Man"][int(rng.integers(2))],
                ["16-34", "35-59", "60+"][int(rng.integers(3))],
                ["North", "South", "East", "West"][int(rng.integers(4))],
            ]
            if households:
                row.insert(4, f"H{i // 2 if i < 20 else i}")
            writer.writerow(row)
    return path
