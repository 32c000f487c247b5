"""Options of `python -m sortition` that read a people file (issue 26): a repeated
`--address-columns` accumulates in every command, `verify` takes the same people-file options as
`select`, and a single-valued option given twice is refused rather than silently overridden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition import public_draw, read_instance, write_bundle
from sortition.cli import main

QUOTAS = "feature,value,min,max\ngender,F,2,4\ngender,M,2,4\n"


def _people(path: Path) -> Path:
    """30 people; the households are (street, postcode) pairs: by postcode alone there are two
    households, too few for a panel of 6; by street and postcode together, 27."""
    lines = ["id,gender,street,postcode"]
    for i in range(30):
        street = f"{i // 2} High St" if i < 6 else f"{i} Road"
        lines.append(f"p{i},{'FM'[i % 2]},{street},{'AB1' if i % 3 == 0 else 'AB2'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(QUOTAS, encoding="utf-8")
    return quotas, _people(tmp_path / "people.csv")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    "given",
    [
        ("--address-columns", "street", "--address-columns", "postcode"),
        ("--address-column", "street", "--address-columns", "postcode"),
        ("--address-columns", "street,postcode"),
    ],
    ids=["repeated", "alias-repeated", "comma"],
)
def test_select_keeps_every_address_column(
    files: tuple[Path, Path], tmp_path: Path, given: tuple[str, ...]
) -> None:
    quotas, people = files
    bundle = tmp_path / "b.json"
    result = run(
        "select", "--quotas", str(quotas), "--people", str(people), "--panel-size", "6",
        *given, "--bundle", str(bundle), "--lottery-size", "20", "--public-seed", "x",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    recorded = json.loads(bundle.read_text(encoding="utf-8"))["read_options"]
    assert recorded["address_columns"] == ["street", "postcode"]


def test_select_with_the_last_column_alone_is_another_problem(files: tuple[Path, Path]) -> None:
    """What 'the last one wins' would give: two households, no panel of 6."""
    quotas, people = files
    result = run(
        "select", "--quotas", str(quotas), "--people", str(people), "--panel-size", "6",
        "--address-columns", "postcode", "--out", "unused.json",
    )  # fmt: skip
    assert result.exit_code == 1 and "household" in result.output


@pytest.mark.parametrize("command", ["select", "check"])
def test_a_single_valued_option_given_twice_is_refused(
    files: tuple[Path, Path], command: str
) -> None:
    quotas, people = files
    extra = ["--out", "unused.json"] if command == "select" else []
    result = run(
        command, "--quotas", str(quotas), "--people", str(people), "--panel-size", "6",
        "--id-column", "id", "--id-column", "ident", *extra,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--id-column" in result.output and "more than once" in result.output


def _bundle_without_read_options(quotas: Path, people: Path, path: Path) -> Path:
    """A bundle (from another tool, or the library) that records no read options."""
    instance = read_instance(quotas, people, 6, address_columns=("street", "postcode"))
    drawn = public_draw(
        instance,
        "leximin",
        lottery_size=20,
        seed_text="x",
        input_files={"people": people, "quotas": quotas},
    )
    write_bundle(path, drawn.bundle)
    return path


def test_verify_reads_the_people_file_with_the_given_address_columns(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    quotas, people = files
    bundle = _bundle_without_read_options(quotas, people, tmp_path / "b.json")
    plain = run("verify", str(bundle), "--people", str(people))
    assert plain.exit_code == 1 and "households differ" in plain.output
    result = run(
        "verify", str(bundle), "--people", str(people),
        "--address-columns", "street", "--address-columns", "postcode",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Input files match: people." in result.output


def test_verify_and_select_take_the_same_people_options() -> None:
    def people_options(name: str) -> set[str]:
        command = main.commands[name]
        return {
            opt
            for p in command.params
            for opt in p.opts
            if opt in ("--id-column", "--address-columns", "--address-column")
        }

    assert (
        people_options("verify")
        == people_options("select")
        == {
            "--id-column",
            "--address-columns",
            "--address-column",
        }
    )
