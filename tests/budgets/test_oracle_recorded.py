"""MES and MES+Add1 equal pabutools' recorded outcomes on every shared approval file, on any
machine: `record_oracle.py` stored them (file hash, pabutools version) where pabutools ran,
so this runs in CI too, without pabutools. `test_oracle.py` re-asks pabutools live."""

from __future__ import annotations

import hashlib
import json

import pytest

from assembly.budgets.completion import add1
from assembly.budgets.mes import equal_shares, prepare
from assembly.budgets.profile import profile_of
from assembly.budgets.ties import TieOrder
from tests.budgets.conftest import pabulib_files, read_shared
from tests.budgets.record_oracle import OUT

RECORD = json.loads(OUT.read_text(encoding="utf-8"))
SHARED = {path.name: path for path in pabulib_files()}
pytestmark = pytest.mark.skipif(
    not SHARED, reason="the shared Pabulib files (../shared/peers/pabulib) are not here"
)


def _recorded(rule: str) -> list[str]:
    return sorted(n for n, entry in RECORD["files"].items() if entry[rule] is not None)


def _profile(name: str):
    path = SHARED.get(name)
    if path is None:
        pytest.skip(f"{name} is not among the shared files here")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == RECORD["files"][name]["sha256"], f"{name} differs from the one recorded"
    return profile_of(read_shared(path))


def test_the_record_covers_every_shared_approval_file() -> None:
    from tests.budgets.conftest import pb_head

    approval = {n for n, p in SHARED.items() if pb_head(p)[0].get("vote_type") == "approval"}
    assert approval <= set(RECORD["files"]), sorted(approval - set(RECORD["files"]))
    assert set(_recorded("mes")) == set(RECORD["files"]), "every file has pabutools' MES"


@pytest.mark.parametrize("name", _recorded("mes"), ids=lambda n: n[:40])
def test_mes_equals_the_recorded_pabutools_outcome(name: str) -> None:
    profile = _profile(name)
    run = equal_shares(prepare(profile), profile.budget / profile.voters)
    assert sorted(profile.project_ids[i] for i in run.selected) == RECORD["files"][name]["mes"]


@pytest.mark.parametrize("name", _recorded("add1"), ids=lambda n: n[:40])
def test_mes_add1_equals_the_recorded_pabutools_outcome(name: str) -> None:
    profile = _profile(name)
    run, _ = add1(prepare(profile), utility="cost", ties=TieOrder())
    assert sorted(profile.project_ids[i] for i in run.selected) == RECORD["files"][name]["add1"]
