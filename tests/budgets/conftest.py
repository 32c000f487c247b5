"""The shared Pabulib files and a small builder of hand-checked elections."""

from __future__ import annotations

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
    """Each shared file read once per test run (the big ones take seconds)."""
    from assembly.budgets.pbfile import read_pb

    return read_pb(path)


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
