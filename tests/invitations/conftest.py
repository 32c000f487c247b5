"""Invitations fixtures: a small synthetic borough written as files, and a fresh assembly."""

from __future__ import annotations

import json
import shutil
import sqlite3
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


@pytest.fixture(scope="session")
def _framed_master(tmp_path_factory: pytest.TempPathFactory, small_borough) -> Path:
    """The small borough's frame imported once a process (3,000 addresses), then copied."""
    folder = tmp_path_factory.mktemp("framed")
    path = folder / "t.assembly.db"
    create_assembly(path, name="Test assembly", clock=FixedClock(START)).close()
    addresses, postcodes, deprivation = write_frame(folder / "frame", small_borough)
    run(
        "invitations",
        "addresses",
        path,
        addresses,
        "--postcodes",
        postcodes,
        "--deprivation",
        deprivation,
    )
    return path


@pytest.fixture
def framed(assembly_path: Path, _framed_master: Path) -> Path:
    """An assembly holding the small borough's frame, joined to postcodes and deciles."""
    shutil.copy(_framed_master, assembly_path)
    return assembly_path


@pytest.fixture
def two_wards(tmp_path: Path, assembly_path: Path) -> Path:
    """Abbey: 10 addresses, 4 letters (p 0.4); =Bridge: 10 addresses, 5 letters (p 0.5)."""
    rows = ["uprn,address,postcode,ward,parish"]
    for i in range(1, 21):
        ward, parish = ("Abbey", "St Mary") if i <= 10 else ("=Bridge", "St John")
        rows.append(f"{i},{i} Mill Lane,KB1 {i % 10}AA,{ward},{parish}")
    (tmp_path / "a.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "per.csv").write_text("ward,letters\nAbbey,4\n=Bridge,5\n")
    run("invitations", "addresses", assembly_path, tmp_path / "a.csv")
    run("invitations", "draw", assembly_path, "--per-area", tmp_path / "per.csv", "--seed", SEED)
    with sqlite3.connect(assembly_path) as conn:
        letters = conn.execute(
            "select a.ward, a.lines, a.postcode, l.reference from invitation_letters l join "
            "invitation_addresses a on a.id = l.address_id order by a.ward, l.position"
        ).fetchall()
    abbey = [r for r in letters if r[0] == "Abbey"]
    bridge = [r for r in letters if r[0] == "=Bridge"]
    answered = [abbey[0], bridge[0], bridge[1], bridge[1]]  # bridge[1]'s household twice
    form = ["Address,Postcode,Reference"]
    form += [f"{json.loads(lines)[0]},{pc},{ref}" for _, lines, pc, ref in answered]
    form.append(f"{json.loads(bridge[2][1])[0]},KB1 9ZZ,")  # wrong postcode: not matched
    (tmp_path / "form.csv").write_text("\n".join(form) + "\n")
    run("invitations", "registrations", assembly_path, tmp_path / "form.csv")
    return assembly_path
