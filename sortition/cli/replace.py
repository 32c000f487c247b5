"""Replacing members who dropped out, so the panel meets every quota again."""

from __future__ import annotations

import json
import secrets
from dataclasses import replace as with_fields
from pathlib import Path
from typing import Any

import click
import numpy as np

from sortition import (
    ALGORITHMS,
    BadInput,
    Infeasible,
    Instance,
    Quota,
    instance_from_bundle,
    load_bundle,
    normalise,
    read_quotas,
    replace_dropouts,
    seed_digest,
)
from sortition.cli._common import Failed, bad, report_infeasible, split_ids
from sortition.files import write_atomic


def _seeded_rng(seed: str) -> np.random.Generator:
    return np.random.default_rng(int(seed_digest(seed), 16))


@click.command("replace")
@click.option("--bundle", "bundle_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--dropouts",
    multiple=True,
    required=True,
    help="Ids of members who dropped out (a,b or repeat).",
)
@click.option("--seed", help="Text seeding the random choice (printed if not given).")
@click.option("--exclude", multiple=True, help="Ids who may not be asked (declined already).")
@click.option(
    "--after",
    "after_path",
    type=click.Path(dir_okay=False),
    help="An earlier replacement record: start from its panel.",
)
@click.option("--algorithm", type=click.Choice(ALGORITHMS), default="leximin")
@click.option("--allow-dropout-households", is_flag=True, help="Housemates of dropouts may serve.")
@click.option(
    "--quotas",
    "quotas_path",
    type=click.Path(dir_okay=False),
    help="Quotas to meet instead of the bundle's (say, a proposed relaxation).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write a replacement record (JSON).")
@click.option("--relaxed-out", type=click.Path(dir_okay=False), help="Relaxed quotas if needed.")
def replace(
    bundle_path: str,
    dropouts: tuple[str, ...],
    seed: str | None,
    exclude: tuple[str, ...],
    after_path: str | None,
    algorithm: str,
    allow_dropout_households: bool,
    quotas_path: str | None,
    out: str | None,
    relaxed_out: str | None,
) -> None:
    """Choose replacements for members who dropped out, so the panel meets every quota again."""
    try:
        bundle = load_bundle(bundle_path)
        instance = instance_from_bundle(bundle)
        if quotas_path:
            instance = _with_quotas(instance, quotas_path)
        if after_path:
            record = json.loads(Path(after_path).read_text(encoding="utf-8"))
            panel_ids = list(record["panel"])
            excluded_ids = list(record.get("dropouts", [])) + list(record.get("excluded", []))
            if not quotas_path and record.get("quotas"):
                # Keep meeting the quotas the earlier round used (perhaps a relaxation).
                instance = Instance(
                    instance.pool,
                    tuple(
                        Quota(q["feature"], q["value"], int(q["min"]), int(q["max"]))
                        for q in record["quotas"]
                    ),
                    instance.panel_size,
                )
        elif bundle.get("draw"):
            panel_ids = list(bundle["draw"]["panel"])
            excluded_ids = []
        else:
            raise BadInput("the bundle has not been drawn yet", file=bundle_path)
        index = {person: i for i, person in enumerate(instance.pool.ids)}
        wanted = split_ids(dropouts)
        excluded_ids += split_ids(exclude)
        unknown = [p for p in [*panel_ids, *wanted, *excluded_ids] if p not in index]
        if unknown:
            raise BadInput(f"unknown id(s): {', '.join(sorted(set(unknown)))}")
        seed_text = seed if seed is not None else secrets.token_hex(8)
        result = replace_dropouts(
            instance,
            [index[p] for p in panel_ids],
            [index[p] for p in wanted],
            _seeded_rng(seed_text),
            algorithm=algorithm,
            exclude=[index[p] for p in excluded_ids],
            allow_dropout_households=allow_dropout_households,
        )
    except Infeasible as problem:
        path = Path(relaxed_out) if relaxed_out else None
        raise Failed(report_infeasible(problem, path)) from None
    except (BadInput, OSError, KeyError, TypeError, ValueError) as error:
        raise bad(error if isinstance(error, BadInput) else BadInput(repr(error))) from None
    ids = instance.pool.ids
    if seed is None:
        click.echo(f"Seed (keep it to reproduce this choice): {seed_text}")
    click.echo("Replacements: " + ", ".join(ids[i] for i in result.replacements))
    click.echo("Panel: " + ", ".join(ids[i] for i in result.panel))
    if out:
        record = {
            "format": "sortition-replacement",
            "bundle_commitment": bundle.get("commitment"),
            "algorithm": algorithm,
            "quotas": [
                {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max}
                for q in instance.quotas
            ],
            "seed": seed_text,
            "seed_rule": "numpy.random.default_rng(int(sha256(seed text, UTF-8), 16))",
            "dropouts": [ids[i] for i in result.dropouts],
            "excluded": excluded_ids,
            "replacements": [ids[i] for i in result.replacements],
            "panel": [ids[i] for i in result.panel],
            "probabilities": {
                ids[i]: float(result.candidate_probabilities[i])
                for i in result.candidates
                if result.candidate_probabilities[i] > 0
            },
        }
        _write_json(Path(out), record)
        click.echo(f"Replacement record written to {out}")


def _with_quotas(instance: Instance, quotas_path: str) -> Instance:
    """The bundle's instance under other quotas, matched to the pool's features and values."""
    pool = instance.pool
    features = {normalise(f): f for f in pool.features}
    quotas = []
    for q in read_quotas(quotas_path):
        feature = features.get(normalise(q.feature))
        values = {normalise(v): v for v in pool.values.get(feature, ())} if feature else {}
        value = values.get(normalise(q.value))
        if value is None:
            raise BadInput(
                f"{q.feature} = {q.value} is not a feature value of the bundle's pool",
                file=quotas_path,
            )
        quotas.append(with_fields(q, feature=feature, value=value))
    return Instance(pool, tuple(quotas), instance.panel_size)


def _write_json(path: Path, value: Any) -> None:
    """Write a record whole, owner-only (0600) like the bundle: it lists respondents' ids."""
    write_atomic(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


COMMANDS = [replace]
