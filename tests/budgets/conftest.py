"""The shared Pabulib files and a small builder of hand-checked elections."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import shared_dir


def pabulib_dir() -> Path | None:
    shared = shared_dir()
    folder = None if shared is None else shared / "peers" / "pabulib"
    return folder if folder is not None and folder.is_dir() else None


def pabulib_files() -> list[Path]:
    folder = pabulib_dir()
    return sorted(folder.glob("*.pb")) if folder else []


@cache
def read_shared(path: Path):
    """Each shared file read once per test run, when a test first needs it (the big ones take
    a second): never at collection."""
    from assembly.budgets.pbfile import read_pb

    return read_pb(path)


@cache
def pb_head(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A shared file's META and PROJECTS rows, read without its votes: what collection needs
    to choose the files a test runs on (reading whole files there made collection 8 s)."""
    text = path.read_text(encoding="utf-8-sig")
    end = text.find("\nVOTES")
    rows = list(csv.reader(io.StringIO(text[: end if end >= 0 else len(text)]), delimiter=";"))
    meta: dict[str, str] = {}
    projects: list[dict[str, str]] = []
    section, header = "", []
    for row in rows:
        if len(row) == 1 and row[0].strip().upper() in ("META", "PROJECTS"):
            section, header = row[0].strip().upper(), []
        elif not header:
            header = [cell.strip() for cell in row]
        elif section == "META":
            meta[row[0].strip()] = ";".join(row[1:]).strip()
        else:
            projects.append(dict(zip(header, (cell.strip() for cell in row), strict=False)))
    return meta, projects


def pb_text(
    budget: str,
    projects: list[tuple[str, str]],
    votes: list[str],
    *,
    vote_type: str = "approval",
    extra_meta: tuple[str, ...] = (),
    points: list[str] | None = None,
) -> str:
    """A small .pb file: projects as (id, cost), votes as comma-separated ids."""
    lines = ["META", "key;value", f"budget;{budget}", f"vote_type;{vote_type}", *extra_meta]
    lines += ["PROJECTS", "project_id;cost", *[f"{p};{c}" for p, c in projects]]
    if points is None:
        lines += ["VOTES", "voter_id;vote", *[f"v{i};{v}" for i, v in enumerate(votes)]]
    else:
        lines += ["VOTES", "voter_id;vote;points"]
        lines += [f"v{i};{v};{p}" for i, (v, p) in enumerate(zip(votes, points, strict=True))]
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_pb(tmp_path: Path):
    def write(text: str, name: str = "election.pb") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --- PB rounds in an assembly file -------------------------------------------------------------


@pytest.fixture
def clock():
    from datetime import UTC, datetime

    from assembly.core.clock import FixedClock

    return FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


@pytest.fixture
def assembly(tmp_path: Path, clock):
    from assembly.store import create_assembly

    file = create_assembly(tmp_path / "pb.assembly.db", name="PB test", clock=clock)
    yield file
    file.close()


@pytest.fixture
def db(assembly):
    return assembly.db()


@pytest.fixture
def round_id(db, clock) -> int:
    """A round being set up with three feasible projects: £1,000 budget, approval ballots."""
    from assembly.budgets import rounds

    rid = rounds.create_round(
        db,
        title="Greenfield 2027",
        budget_pence=100_000,
        rule="mes",
        ballot_form="approval",
        clock=clock,
    )
    for title, cost in (("Benches", 30_000), ("Library hours", 60_000), ("Bike racks", 40_000)):
        p = rounds.add_project(
            db, rid, title=title, cost_pence=cost, actor="Ann", clock=clock, proposer="Resident"
        )
        rounds.review_project(db, rid, p.ref, status="feasible", actor="Bo", clock=clock)
    return rid
