"""An audit bundle is hostile input too: infinite numbers are reported, never a crash.

Found by tests/sortition_audit's hypothesis test (floats include infinity): int(inf) raised
OverflowError out of verify_bundle."""

from __future__ import annotations

import copy

import pytest

from sortition.bundle import build_bundle, verify_bundle
from tests.sortition_audit.test_bundle import SEED, instance_and_lottery


@pytest.mark.parametrize(
    "path", [("panel_size",), ("quotas", 0, "min"), ("draw", "index"), ("lottery", "size")]
)
@pytest.mark.parametrize("junk", [float("inf"), float("-inf"), 1e309])
def test_infinite_numbers_in_a_bundle_are_reported(path: tuple, junk: float) -> None:
    instance, lottery = instance_and_lottery()
    bundle = copy.deepcopy(build_bundle(instance, lottery, seed_text=SEED))
    target = bundle
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    problems = verify_bundle(bundle)
    assert isinstance(problems, list) and problems


def test_replace_refuses_a_bundle_with_an_infinite_panel_size(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from sortition.cli import main

    instance, lottery = instance_and_lottery()
    bundle = copy.deepcopy(build_bundle(instance, lottery, seed_text=SEED))
    bundle["panel_size"] = float("inf")
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    args = ["replace", "--bundle", str(path), "--dropouts", "p1", "--seed", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "malformed" in result.output
