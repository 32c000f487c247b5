"""Checks before and after a draw: quotas from population shares, feasibility, bundles."""

from __future__ import annotations

import click

from sortition import (
    BadInput,
    explain_infeasible,
    find_panel,
    load_bundle,
    quotas_from_targets,
    read_targets,
    verify_bundle,
    write_quotas,
)
from sortition.cli._common import (
    Failed,
    OnceOnly,
    bad,
    columns,
    people_options,
    read,
    relaxed_path,
    report_infeasible,
)


@click.command("quotas", cls=OnceOnly)
@click.option("--targets", "targets_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option(
    "--tolerance", default=0.1, show_default=True, type=float, help="Relative, either side."
)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def quotas(targets_path: str, panel_size: int, tolerance: float, out: str) -> None:
    """Quotas for a panel from population shares (CSV: feature,value,share)."""
    try:
        result = quotas_from_targets(read_targets(targets_path), panel_size, tolerance)
    except BadInput as error:
        raise bad(error) from None
    write_quotas(out, result)
    for q in result:
        click.echo(f"{q.feature} = {q.value}: {q.min} to {q.max}")
    click.echo(f"Quotas for a panel of {panel_size} written to {out}")


@click.command("check", cls=OnceOnly)
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option(
    "--relaxed-out",
    type=click.Path(dir_okay=False),
    help="Where to write the relaxed quotas (default: QUOTAS-relaxed.csv).",
)
@people_options
def check(
    quotas_path: str,
    people_path: str,
    panel_size: int,
    relaxed_out: str | None,
    id_column: str | None,
    address_columns: tuple[str, ...],
) -> None:
    """Can any panel meet the quotas? If not, say why and propose the smallest relaxation."""
    try:
        instance = read(quotas_path, people_path, panel_size, id_column, address_columns)
    except BadInput as error:
        raise bad(error) from None
    if find_panel(instance) is not None:
        click.echo(
            f"Feasible: panels of {panel_size} from {instance.pool.size} respondents can meet "
            f"all {len(instance.quotas)} quotas."
        )
        return
    problem = explain_infeasible(instance)
    raise Failed(report_infeasible(problem, relaxed_path(quotas_path, relaxed_out)))


@click.command("verify", cls=OnceOnly)
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(dir_okay=False))
@click.option("--people", "people_path", type=click.Path(dir_okay=False))
@click.option("--quotas", "quotas_path", type=click.Path(dir_okay=False))
@click.option("--commitment", help="The commitment announced before the seed was drawn.")
@people_options
def verify(
    bundle_path: str,
    people_path: str | None,
    quotas_path: str | None,
    commitment: str | None,
    id_column: str | None,
    address_columns: tuple[str, ...],
) -> None:
    """Check an audit bundle: the draw, every panel, the probabilities and (given) the files.

    The people file is read as the bundle records (`read_options`); --id-column and
    --address-columns, as `select` takes them, read it otherwise.
    """
    try:
        bundle = load_bundle(bundle_path)
    except BadInput as error:
        raise Failed(f"MISMATCH: {error}") from None
    problems = verify_bundle(
        bundle,
        people_path,
        quotas_path,
        commitment=commitment,
        id_column=id_column,
        address_columns=tuple(columns(address_columns)) or None,
    )
    if problems:
        raise Failed("\n".join(f"MISMATCH: {p}" for p in problems))
    lottery = bundle["lottery"]
    click.echo(f"Commitment {bundle['commitment']}")
    click.echo(
        f"{lottery['size']} panels checked against {len(bundle['quotas'])} quotas; "
        f"probabilities follow from the panels (largest change {lottery['largest_change']:.6f})."
    )
    draw = bundle.get("draw")
    if draw:
        click.echo(f"Seed {draw['seed']!r} selects panel {draw['index']}: verified.")
    else:
        click.echo("Not drawn yet: no seed in the bundle.")
    checked = [n for n, p in (("people", people_path), ("quotas", quotas_path)) if p]
    if checked:
        click.echo(f"Input files match: {', '.join(checked)}.")
    click.echo("OK")


COMMANDS = [quotas, check, verify]
