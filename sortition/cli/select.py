"""Making a draw: `select` (a lottery and one panel, or a public draw with --bundle), `draw`
(the public draw, always bundled) and `pick` (the seed drawn after the commitment)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import numpy as np

from sortition import (
    ALGORITHMS,
    DEFAULT_GAP,
    DEFAULT_LOTTERY_SIZE,
    BadInput,
    Cancelled,
    Distribution,
    Infeasible,
    Instance,
    ProgressEvent,
    PublicDraw,
    add_draw,
    load_bundle,
    public_draw,
    select,
    silence_solver_banner,
    verify_bundle,
    write_bundle,
)
from sortition.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    Failed,
    OnceOnly,
    bad,
    columns,
    echo_progress,
    people_options,
    read,
    relaxed_path,
    report_infeasible,
)
from sortition.cli.results import result_document, result_json, write_atomically


def _bundled_draw(
    instance: Instance,
    *,
    algorithm: str,
    lottery_size: int,
    public_seed: str | None,
    bundle_path: str,
    people_path: str,
    quotas_path: str,
    id_column: str | None,
    address_columns: tuple[str, ...],
    rng: np.random.Generator | None = None,
    gap: float = DEFAULT_GAP,
    show_progress: bool = False,
) -> PublicDraw:
    """`public_draw` with the files it read recorded, the bundle written and summarised."""
    silence_solver_banner()
    drawn = public_draw(
        instance,
        algorithm,
        lottery_size=lottery_size,
        seed_text=public_seed,
        rng=rng,
        progress=echo_progress if show_progress else None,
        gap=gap,
        input_files={"people": people_path, "quotas": quotas_path},
        read_options={"id_column": id_column, "address_columns": columns(address_columns)},
    )
    write_bundle(bundle_path, drawn.bundle)
    _summarise(drawn.bundle, bundle_path)
    return drawn


def _summarise(bundle: dict[str, Any], bundle_path: str | None) -> None:
    lottery = bundle["lottery"]
    probabilities = lottery["probabilities"].values()
    click.echo(
        f"Lottery of {lottery['size']} panels; lowest chance of selection "
        f"{min(probabilities):.4f}; largest change from rounding {lottery['largest_change']:.6f}"
        + ("" if lottery.get("rounding_optimal", True) else " (not proved optimal)")
    )
    click.echo(f"Commitment: {bundle['commitment']}")
    draw = bundle.get("draw")
    if draw:
        click.echo(f"Seed {draw['seed']!r} selects panel {draw['index']} (numbered from 0):")
        click.echo("  " + ", ".join(draw["panel"]))
    else:
        click.echo("Announce the commitment, draw the public seed, then run `pick`.")
    if bundle_path:
        click.echo(f"Audit bundle written to {bundle_path}")


def _write(path: str, document: dict[str, Any]) -> None:
    write_atomically(Path(path), result_json(document))


@click.command("select", cls=OnceOnly)
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int, help="How many people sit on the panel.")
@people_options
@click.option("--algorithm", type=click.Choice(ALGORITHMS), default="leximin", show_default=True)
@click.option("--seed", type=int, default=None, help="Seed for the draw (recorded in the output).")
@click.option(
    "--gap",
    type=click.FloatRange(min=0.0, max=0.5, min_open=True),
    default=DEFAULT_GAP,
    show_default=True,
    help="Proof gap: how far below its optimum, in probability, any LEXIMIN level may be.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False),
    help="Where to write the result JSON. Required unless --bundle is given.",
)
@click.option("--progress/--no-progress", default=False, help="Report progress on stderr.")
@click.option(
    "--lottery-size", type=int, default=None, help=f"Round to M panels ({DEFAULT_LOTTERY_SIZE})."
)
@click.option("--public-seed", default=None, help="Public seed text for the draw.")
@click.option(
    "--bundle",
    "bundle_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the audit bundle here (see docs/audit.md).",
)
def select_command(
    quotas_path: str,
    people_path: str,
    panel_size: int,
    id_column: str | None,
    address_columns: tuple[str, ...],
    algorithm: str,
    seed: int | None,
    gap: float,
    out_path: str | None,
    progress: bool,
    lottery_size: int | None,
    public_seed: str | None,
    bundle_path: str | None,
) -> None:
    """Compute the lottery over panels, draw one panel, and write the result as JSON.

    With --bundle (and --lottery-size, --public-seed), the lottery is rounded to M numbered
    panels (default 1,000), drawn from the public seed and the audit bundle written, as by
    `draw`; --out then also gets the result document for the panel the seed chose.
    """
    if lottery_size is None and public_seed is None and bundle_path is None:
        if out_path is None:
            raise click.UsageError("Missing option '--out' (or give --bundle).")
        _select_one(
            quotas_path, people_path, panel_size, id_column, address_columns,
            algorithm, seed, gap, out_path, progress,
        )  # fmt: skip
        return
    if bundle_path is None:
        raise click.UsageError("--lottery-size and --public-seed need --bundle.")
    if lottery_size is not None and lottery_size < 1:
        raise click.UsageError("--lottery-size must be at least 1.")
    try:
        instance = read(quotas_path, people_path, panel_size, id_column, address_columns)
        drawn = _bundled_draw(
            instance,
            algorithm=algorithm,
            lottery_size=lottery_size or DEFAULT_LOTTERY_SIZE,
            public_seed=public_seed,
            bundle_path=bundle_path,
            people_path=people_path,
            quotas_path=quotas_path,
            id_column=id_column,
            address_columns=address_columns,
            rng=np.random.default_rng(seed) if seed is not None else None,
            gap=gap,
            show_progress=progress,
        )
    except Infeasible as problem:
        raise Failed(report_infeasible(problem, relaxed_path(quotas_path, None))) from None
    except BadInput as error:
        raise bad(error) from None
    if out_path is None:
        return
    if drawn.panel is None:
        click.echo(f"No seed yet, so no panel: {out_path} not written.", err=True)
        return
    document = result_document(instance, drawn.distribution, drawn.panel, seed or 0)
    document["lottery"] = {
        "size": drawn.lottery.size,
        "index": drawn.index,
        "public_seed": public_seed,
        "largest_change": drawn.lottery.largest_change,
        "commitment": drawn.bundle["commitment"],
    }
    _write(out_path, document)


def _select_one(
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
    """`select` without a bundle: the lottery, and one panel drawn from it with `seed`."""
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))

    def report(event: ProgressEvent) -> None:
        click.echo(f"{event.stage}: {event.message}", err=True)

    try:
        instance = read(quotas_path, people_path, panel_size, id_column, address_columns)
        silence_solver_banner()
        rng = np.random.default_rng(seed)
        # The panel's own generator, split off first: the solver's use of `rng` depends on its
        # path, which differs between machines.
        draw_rng = rng.spawn(1)[0]
        dist = select(instance, algorithm, rng=rng, progress=report if progress else None, gap=gap)
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
        raise click.ClickException(
            "internal error, drawn panel breaks: " + "; ".join(map(str, problems))
        )
    _write(out_path, result_document(instance, dist, panel, seed))
    stats = dist.stats
    proof = ""
    if stats.upper_bound is not None and stats.gap is not None:
        proof = (
            f" (proven within {stats.gap:.1e} of the fairest; no lottery can give "
            f"anyone more than {stats.upper_bound:.4f})"
        )
    click.echo(
        f"{dist.algorithm}: {_panels_in_words(dist)}, smallest chance "
        f"{stats.min_probability:.4f}{proof}; drawn panel of {instance.panel_size} "
        f"written to {out_path}",
        err=True,
    )


def _panels_in_words(dist: Distribution) -> str:
    """'1 panel', '2,930 type panels': what the lottery chooses between."""
    n = len(dist.support_weights)
    kind = "type panel" if dist.types is not None else "panel"
    return f"{n:,} {kind}{'' if n == 1 else 's'}"


@click.command("draw", cls=OnceOnly)
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option("--algorithm", type=click.Choice(ALGORITHMS), default="leximin")
@click.option("--lottery-size", default=DEFAULT_LOTTERY_SIZE, show_default=True, type=int)
@click.option("--public-seed", help="The public seed text (omit to draw later with `pick`).")
@click.option("--bundle", "bundle_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--relaxed-out", type=click.Path(dir_okay=False), help="Relaxed quotas if infeasible."
)
@click.option("--progress/--no-progress", default=False, help="Report progress on stderr.")
@people_options
def draw(
    quotas_path: str,
    people_path: str,
    panel_size: int,
    algorithm: str,
    lottery_size: int,
    public_seed: str | None,
    bundle_path: str,
    relaxed_out: str | None,
    progress: bool,
    id_column: str | None,
    address_columns: tuple[str, ...],
) -> None:
    """Select, round to a transparent lottery of M panels, draw from the seed, write the bundle."""
    try:
        instance = read(quotas_path, people_path, panel_size, id_column, address_columns)
        _bundled_draw(
            instance,
            algorithm=algorithm,
            lottery_size=lottery_size,
            public_seed=public_seed,
            bundle_path=bundle_path,
            people_path=people_path,
            quotas_path=quotas_path,
            id_column=id_column,
            address_columns=address_columns,
            show_progress=progress,
        )
    except Infeasible as problem:
        raise Failed(report_infeasible(problem, relaxed_path(quotas_path, relaxed_out))) from None
    except BadInput as error:
        raise bad(error) from None


@click.command("pick", cls=OnceOnly)
@click.option("--bundle", "bundle_path", required=True, type=click.Path(dir_okay=False))
@click.option("--public-seed", required=True, help="The seed text, exactly as drawn.")
def pick(bundle_path: str, public_seed: str) -> None:
    """Draw the panel of an undrawn bundle from the public seed (the bundle is updated)."""
    try:
        bundle = load_bundle(bundle_path)
        problems = verify_bundle(bundle)
        if problems:
            raise Failed("\n".join(f"MISMATCH: {p}" for p in problems))
        bundle = add_draw(bundle, public_seed)
    except BadInput as error:
        raise bad(error) from None
    write_bundle(bundle_path, bundle)
    _summarise(bundle, bundle_path)


COMMANDS = [select_command, draw, pick]
