"""The audit bundle the app exports (X on the draw screen) passes `python -m sortition verify`
against the original files, as docs/audit.md section 4 describes: it records each file's name
and SHA-256 and how the people file was read (its id column)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.organiser.draws import enter_seed, export_bundle
from sortition.cli import main as sortition_main

from .conftest import SEED


def test_app_bundle_verifies_against_the_original_files(
    computed, peer_fixtures: Path, tmp_path: Path, clock
) -> None:
    assembly, draw_id = computed
    enter_seed(assembly.db(), draw_id, SEED, clock)
    bundle = export_bundle(assembly.db(), draw_id, tmp_path / "bundle.json")
    result = CliRunner().invoke(
        sortition_main,
        [
            "verify",
            str(bundle),
            "--people",
            str(peer_fixtures / "candidates.csv"),
            "--quotas",
            str(peer_fixtures / "features.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Input files match: people, quotas." in result.output


def test_quotas_changed_after_loading_are_not_claimed_as_the_file(computed) -> None:
    from assembly.organiser.draws import source_inputs
    from assembly.organiser.quotas import current_quotas, set_quota

    assembly, _ = computed
    db = assembly.db()
    inputs, options = source_inputs(db)
    assert set(inputs) == {"people", "quotas"} and options["id_column"] == "nationbuilder_id"
    q = current_quotas(db)[0]
    set_quota(db, q.feature, q.value, q.min, q.max + 1)
    inputs, _ = source_inputs(db)
    assert set(inputs) == {"people"}


def test_verify_takes_the_id_column(computed, peer_fixtures: Path, tmp_path: Path, clock) -> None:
    """A bundle that does not record how the file was read can be told the id column."""
    import json

    from sortition.bundle import commitment_of, write_bundle

    assembly, draw_id = computed
    enter_seed(assembly.db(), draw_id, SEED, clock)
    out = export_bundle(assembly.db(), draw_id, tmp_path / "bundle.json")
    data = json.loads(out.read_text())
    data["read_options"] = {}
    data["commitment"] = commitment_of(data)
    write_bundle(out, data)
    runner = CliRunner()
    args = ["verify", str(out), "--people", str(peer_fixtures / "candidates.csv")]
    assert runner.invoke(sortition_main, args).exit_code == 1
    fixed = runner.invoke(sortition_main, [*args, "--id-column", "nationbuilder_id"])
    assert fixed.exit_code == 0, fixed.output
