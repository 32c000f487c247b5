"""MES and MES+Add1 equal pabutools' rules on the shared approval files (pabutools, a test
dependency, as an oracle only).

Kept fast: pabutools needs 15-130 s for each of Warszawa 2022/2024 (three files) and Łódź
2022/2023, and several seconds for the three 10,000-20,000-voter Poznań files, so those eight run only with BUDGETS_ORACLE_ALL=1 (ours matched on all eight when
checked). Add1 is compared on the small files where pabutools' one-unit steps finish quickly.
"""

from __future__ import annotations

import os

import pytest
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares

from assembly.budgets.completion import add1
from assembly.budgets.mes import equal_shares, prepare
from assembly.budgets.profile import profile_of
from assembly.budgets.ties import TieOrder
from tests.budgets.conftest import pabulib_files, pb_head, read_shared

SLOW = {
    "Poland_Warszawa_2022_Bielany.pb",
    "Poland_Warszawa_2024_Bialoleka.pb",
    "Poland_Warszawa_2024_Mokotow.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Lodz_2023.pb",
    "Poland_Poznan_2023_10_-_Swierczewo_Wilda_Zielony_Debiec.pb",
    "Poland_Poznan_2023_3_-_Piatkowo_Polnoc_Piatkowo.pb",
    "Poland_Poznan_2023_5_-_Grunwald_Polnoc_Grunwald_Poludnie_Stary_Grunwald.pb",
}
ADD1_FILES = {
    "Poland_Gdynia_2020_Leszczynki__small.pb",
    "Poland_Gdynia_2025_Orlowo__small.pb",
    "US_Stanford_Dataset_CNYCF_Participatory_Budgeting_Project_2023_vote_approvals.pb",
}


def _approval_files():
    every = os.environ.get("BUDGETS_ORACLE_ALL") == "1"
    files = []
    for path in pabulib_files():
        if pb_head(path)[0].get("vote_type") == "approval" and (every or path.name not in SLOW):
            files.append(path)
    return files


def _theirs(path, add1_step: bool):
    instance, profile = parse_pabulib(str(path))
    merged = profile.as_multiprofile()
    if not add1_step:
        return {p.name for p in method_of_equal_shares(instance, merged, sat_class=Cost_Sat)}
    outcome = exhaustion_by_budget_increase(
        instance,
        merged,
        method_of_equal_shares,
        {"sat_class": Cost_Sat},
        budget_step=profile.num_ballots(),
        exhaustive_stop=False,
    )
    return {p.name for p in outcome}


@pytest.mark.parametrize("path", _approval_files(), ids=lambda p: p.stem[:40])
def test_mes_equals_pabutools(path) -> None:
    profile = profile_of(read_shared(path))
    run = equal_shares(prepare(profile), profile.budget / profile.voters)
    assert {profile.project_ids[i] for i in run.selected} == _theirs(path, False)


@pytest.mark.parametrize(
    "path", [p for p in _approval_files() if p.name in ADD1_FILES], ids=lambda p: p.stem[:40]
)
def test_mes_add1_equals_pabutools_exhaustion_by_budget_increase(path) -> None:
    profile = profile_of(read_shared(path))
    run, _ = add1(prepare(profile), utility="cost", ties=TieOrder())
    assert {profile.project_ids[i] for i in run.selected} == _theirs(path, True)
