"""Command line: `python -m sortition select --quotas Q.csv --people P.csv --panel-size K ...`.

Exit codes: 0 success, 1 the quotas cannot be met, 2 bad input. Messages go to stderr in plain
language; the JSON result holds pseudonymous ids only (no names, contacts or features).
The audit commands (`quotas`, `check`, `verify`, `replace`) live in `sortition.cli_audit` and
are added to this group when that module is present.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
import numpy as np

from sortition.highs import silence_solver_banner
from sortition.model import BadInput, Cancelled, Infeasible, ProgressEvent
from sortition.results import result_document, write_atomically

EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


@click.group()
def main() -> None:
    """Fair selection of citizens' panels (LEXIMIN by default)."""


@main.command("select")
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int, help="How many people sit on the panel.")
@click.option("--id-column", default=None, help="Column with each person's id (default: 'id').")
@click.option(
    "--address-columns",
    default="",
    callback=lambda _ctx, _param, value: tuple(c.strip() for c in value.split(",") if c.strip()),
    help="Comma-separated columns forming a household address; one person per household.",
)
@click.option(
    "--algorithm",
    type=click.Choice(["leximin", "maximin", "legacy"]),
    default="leximin",
    show_default=True,
)
@click.option("--seed", type=int, default=None, help="Seed for the draw (recorded in the output).")
@click.option(
    "--gap",
    type=click.FloatRange(min=0.0, max=0.5, min_open=True),
    default=1e-6,
    show_default=True,
    help="Proof gap: how far below its optimum, in probability, any LEXIMIN level may be.",
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option("--progress/--no-progress", default=False, help="Report progress on stderr.")
def select_command(
    quotas_path: str,
    people_path: str,
    panel_size: int,
    id_column: str | None,
    address_columns: tuple[str, ...],
    algorithm: str,
    seed: int | None,
    gap: float,
    out_path: str,
    progress: bool,
) -> None:
    """Compute the lottery over panels, draw one panel, and write the result as JSON."""
    from sortition.io import read_instance
    from sortition.select import select

    if not out_path:  # the audit extension may make --out optional (it has --bundle)
        raise click.UsageError("--out is required")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))

    def report(event: ProgressEvent) -> None:
        click.echo(f"{event.stage}: {event.message}", err=True)

    try:
        instance = read_instance(
            quotas_path,
            people_path,
            panel_size,
            id_column=id_column,
            address_columns=address_columns,
        )
        silence_solver_banner()
        rng = np.random.default_rng(seed)
        # The panel's own generator, split off first: the solver's use of `rng` depends on its
        # path, which differs between machines.
        draw_rng = rng.spawn(1)[0]
        started = time.perf_counter()
        dist = select(instance, algorithm, rng=rng, progress=report if progress else None, gap=gap)
        dist.stats["seconds"] = time.perf_counter() - started
        panel = dist.draw(draw_rng)
    except BadInput as err:
        click.echo(f"Bad input: {err}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except Infeasible as err:
        click.echo(f"The quotas cannot be met: {err.explanation}", err=True)
        sys.exit(EXIT_INFEASIBLE)
    except Cancelled:
        click.echo("Cancelled.", err=True)
        sys.exit(130)
    problems = instance.violations(panel)
    if problems:  # a guard: every panel in a lottery is checked by the tests
        raise click.ClickException("internal error, drawn panel breaks: " + "; ".join(problems))
    document = result_document(instance, dist, panel, seed)
    write_atomically(Path(out_path), json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    proof = ""
    if "upper_bound" in dist.stats and "gap" in dist.stats:
        proof = (
            f" (proven within {dist.stats['gap']:.1e} of the fairest; no lottery can give "
            f"anyone more than {dist.stats['upper_bound']:.4f})"
        )
    click.echo(
        f"{dist.algorithm}: {len(dist.panels)} panels, smallest chance "
        f"{dist.stats['min_probability']:.4f}{proof}; drawn panel of {instance.panel_size} "
        f"written to {out_path}",
        err=True,
    )


try:  # the audit commands, when that module is installed
    from sortition import cli_audit as _cli_audit
except ImportError:
    _cli_audit = None
if _cli_audit is not None:
    for _command in getattr(_cli_audit, "COMMANDS", ()):
        main.add_command(_command)
    if hasattr(_cli_audit, "extend_select"):
        _cli_audit.extend_select(select_command)
