"""Command-line tools for trustworthy draws: quotas, check, verify, replace, draw and pick.

`sortition.cli` registers every command in `COMMANDS` and may call `extend_select` to give its
`select` command the `--lottery-size`, `--public-seed` and `--bundle` options. Exit codes: 0
success, 1 a check failed (infeasible quotas, a bundle that does not verify, no possible
replacement), 2 bad input or usage.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sortition.highs import silence_solver_banner
from sortition.model import (
    BadInput,
    Distribution,
    Infeasible,
    Instance,
    ProgressEvent,
    Quota,
    SortitionError,
)

if TYPE_CHECKING:
    import numpy as np

    from sortition.lottery import Lottery

ALGORITHM_CHOICES = ("leximin", "maximin", "legacy")


class _Failed(click.ClickException):
    """A check that failed: message printed, exit status 1."""

    exit_code = 1


def _bad(error: SortitionError | ValueError) -> click.ClickException:
    problem = click.ClickException(str(error))
    problem.exit_code = 2
    return problem


def _progress(event: ProgressEvent) -> None:
    share = f" {event.fraction:.0%}" if event.fraction is not None else ""
    click.echo(f"[{event.stage}{share}] {event.message}", err=True)


def _split_ids(values: Sequence[str]) -> list[str]:
    """Ids given as repeated options, or separated by commas or spaces."""
    return [part for value in values for part in value.replace(",", " ").split()]


def _read_instance(
    quotas: str, people: str, panel_size: int, id_column: str | None, address: Sequence[str]
) -> Instance:
    from sortition import io

    return io.read_instance(
        quotas, people, panel_size, id_column=id_column, address_columns=tuple(_columns(address))
    )


def _columns(values: Sequence[str]) -> list[str]:
    """Column names given repeated or comma-separated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _relaxed_path(quotas: str, given: str | None) -> Path:
    if given:
        return Path(given)
    path = Path(quotas)
    return path.with_name(f"{path.stem}-relaxed{path.suffix or '.csv'}")


def _report_infeasible(problem: Infeasible, quotas_out: Path | None) -> str:
    from sortition.loosen import Loosening
    from sortition.targets import write_quotas

    text = problem.explanation
    relaxation = problem.relaxation
    if quotas_out is not None and isinstance(relaxation, Loosening):
        write_quotas(quotas_out, relaxation.quotas)
        text += f"\nRelaxed quotas written to {quotas_out}"
    return text


def _people_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--address-columns",
        "--address-column",
        "address_columns",
        multiple=True,
        help="Column(s) that together identify a household, comma-separated or repeated.",
    )(command)
    return click.option("--id-column", help="Column holding each respondent's id.")(command)


@click.command("quotas")
@click.option("--targets", "targets_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option(
    "--tolerance", default=0.1, show_default=True, type=float, help="Relative, either side."
)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def quotas(targets_path: str, panel_size: int, tolerance: float, out: str) -> None:
    """Quotas for a panel from population shares (CSV: feature,value,share)."""
    from sortition.targets import quotas_from_targets, read_targets, write_quotas

    try:
        result = quotas_from_targets(read_targets(targets_path), panel_size, tolerance)
    except BadInput as error:
        raise _bad(error) from None
    write_quotas(out, result)
    for q in result:
        click.echo(f"{q.feature} = {q.value}: {q.min} to {q.max}")
    click.echo(f"Quotas for a panel of {panel_size} written to {out}")


@click.command("check")
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option(
    "--relaxed-out",
    type=click.Path(dir_okay=False),
    help="Where to write the relaxed quotas (default: QUOTAS-relaxed.csv).",
)
@_people_options
def check(
    quotas_path: str,
    people_path: str,
    panel_size: int,
    relaxed_out: str | None,
    id_column: str | None,
    address_columns: tuple[str, ...],
) -> None:
    """Can any panel meet the quotas? If not, say why and propose the smallest relaxation."""
    from sortition.loosen import explain_infeasible, find_panel

    try:
        instance = _read_instance(quotas_path, people_path, panel_size, id_column, address_columns)
    except BadInput as error:
        raise _bad(error) from None
    if find_panel(instance) is not None:
        click.echo(
            f"Feasible: panels of {panel_size} from {instance.pool.size} respondents can meet "
            f"all {len(instance.quotas)} quotas."
        )
        return
    problem = explain_infeasible(instance)
    raise _Failed(_report_infeasible(problem, _relaxed_path(quotas_path, relaxed_out)))


@click.command("verify")
@click.argument("bundle_path", metavar="BUNDLE", type=click.Path(dir_okay=False))
@click.option("--people", "people_path", type=click.Path(dir_okay=False))
@click.option("--quotas", "quotas_path", type=click.Path(dir_okay=False))
@click.option("--commitment", help="The commitment announced before the seed was drawn.")
@click.option(
    "--id-column",
    help="The people file's id column, when the bundle does not record it (default: 'id').",
)
def verify(
    bundle_path: str,
    people_path: str | None,
    quotas_path: str | None,
    commitment: str | None,
    id_column: str | None,
) -> None:
    """Check an audit bundle: the draw, every panel, the probabilities and (given) the files."""
    from sortition.bundle import load_bundle, verify_bundle

    try:
        bundle = load_bundle(bundle_path)
    except BadInput as error:
        raise _Failed(f"MISMATCH: {error}") from None
    problems = verify_bundle(
        bundle, people_path, quotas_path, commitment=commitment, id_column=id_column
    )
    if problems:
        raise _Failed("\n".join(f"MISMATCH: {p}" for p in problems))
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


def _seeded_rng(seed: str) -> np.random.Generator:
    import numpy as np

    from sortition.lottery import seed_digest

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
@click.option("--algorithm", type=click.Choice(ALGORITHM_CHOICES), default="leximin")
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
    from sortition.bundle import instance_from_bundle, load_bundle
    from sortition.replace import replace as replace_members

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
        wanted = _split_ids(dropouts)
        excluded_ids += _split_ids(exclude)
        unknown = [p for p in [*panel_ids, *wanted, *excluded_ids] if p not in index]
        if unknown:
            raise BadInput(f"unknown id(s): {', '.join(sorted(set(unknown)))}")
        seed_text = seed if seed is not None else secrets.token_hex(8)
        result = replace_members(
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
        raise _Failed(_report_infeasible(problem, path)) from None
    except (BadInput, OSError, KeyError, TypeError, ValueError) as error:
        raise _bad(error if isinstance(error, BadInput) else BadInput(repr(error))) from None
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
    from dataclasses import replace as with_fields

    from sortition import io
    from sortition.model import normalise

    pool = instance.pool
    features = {normalise(f): f for f in pool.features}
    quotas = []
    for q in io.read_quotas(quotas_path):
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
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    os.replace(temporary, path)


@dataclass(frozen=True)
class DrawResult:
    """What `run_draw` made: the distribution, its lottery and the audit bundle."""

    distribution: Distribution
    lottery: Lottery
    bundle: dict[str, Any]


def run_draw(
    instance: Instance,
    *,
    algorithm: str,
    lottery_size: int,
    public_seed: str | None,
    bundle_path: str | None,
    input_files: dict[str, str],
    read_options: dict[str, Any],
    rng: np.random.Generator | None = None,
    show_progress: bool = False,
) -> DrawResult:
    """Select, round to a lottery of `lottery_size`, draw from the seed and write the bundle.

    This is what `select --lottery-size M --public-seed TEXT --bundle B.json` runs. `rng` is
    only used by the legacy algorithm (a random one is made if it is needed and not given).
    """
    from sortition.bundle import build_bundle, write_bundle
    from sortition.lottery import round_to_lottery
    from sortition.select import select

    if algorithm == "legacy" and rng is None:
        rng = _seeded_rng(secrets.token_hex(8))
    silence_solver_banner()
    distribution = select(
        instance, algorithm=algorithm, rng=rng, progress=_progress if show_progress else None
    )
    lottery = round_to_lottery(distribution, lottery_size)
    bundle = build_bundle(
        instance,
        lottery,
        seed_text=public_seed,
        algorithm=algorithm,
        input_files=input_files,
        read_options=read_options,
    )
    if bundle_path:
        write_bundle(bundle_path, bundle)
    _summarise(bundle, bundle_path)
    return DrawResult(distribution, lottery, bundle)


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


@click.command("draw")
@click.option("--quotas", "quotas_path", required=True, type=click.Path(dir_okay=False))
@click.option("--people", "people_path", required=True, type=click.Path(dir_okay=False))
@click.option("--panel-size", required=True, type=int)
@click.option("--algorithm", type=click.Choice(ALGORITHM_CHOICES), default="leximin")
@click.option("--lottery-size", default=1000, show_default=True, type=int)
@click.option("--public-seed", help="The public seed text (omit to draw later with `pick`).")
@click.option("--bundle", "bundle_path", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--relaxed-out", type=click.Path(dir_okay=False), help="Relaxed quotas if infeasible."
)
@click.option("--progress/--no-progress", default=False, help="Report progress on stderr.")
@_people_options
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
        instance = _read_instance(quotas_path, people_path, panel_size, id_column, address_columns)
        run_draw(
            instance,
            algorithm=algorithm,
            lottery_size=lottery_size,
            public_seed=public_seed,
            bundle_path=bundle_path,
            input_files={"people": people_path, "quotas": quotas_path},
            read_options={"id_column": id_column, "address_columns": _columns(address_columns)},
            show_progress=progress,
        )
    except Infeasible as problem:
        raise _Failed(
            _report_infeasible(problem, _relaxed_path(quotas_path, relaxed_out))
        ) from None
    except BadInput as error:
        raise _bad(error) from None


@click.command("pick")
@click.option("--bundle", "bundle_path", required=True, type=click.Path(dir_okay=False))
@click.option("--public-seed", required=True, help="The seed text, exactly as drawn.")
def pick(bundle_path: str, public_seed: str) -> None:
    """Draw the panel of an undrawn bundle from the public seed (the bundle is updated)."""
    from sortition.bundle import add_draw, load_bundle, verify_bundle, write_bundle

    try:
        bundle = load_bundle(bundle_path)
        problems = verify_bundle(bundle)
        if problems:
            raise _Failed("\n".join(f"MISMATCH: {p}" for p in problems))
        bundle = add_draw(bundle, public_seed)
    except BadInput as error:
        raise _bad(error) from None
    write_bundle(bundle_path, bundle)
    _summarise(bundle, bundle_path)


COMMANDS = [quotas, check, verify, replace, draw, pick]

_SELECT_OPTIONS = ("lottery_size", "public_seed", "bundle")


def extend_select(command: click.Command) -> click.Command:
    """Give `sortition.cli`'s `select` the --lottery-size, --public-seed and --bundle options.

    Without them the original command runs unchanged (its --out stays required). With any of
    them, the instance is read from select's own --quotas, --people, --panel-size, --id-column
    and --address-columns, and `run_draw` selects with --algorithm, rounds to a lottery of M
    panels (default 1,000), draws from the public seed and writes the bundle. --out is then
    optional; if given, select's usual result document is also written for the drawn panel.
    """
    command.params.extend(
        [
            click.Option(
                ["--lottery-size"], type=int, default=None, help="Round to M panels (1000)."
            ),
            click.Option(["--public-seed"], default=None, help="Public seed text for the draw."),
            click.Option(
                ["--bundle", "bundle_path"],
                type=click.Path(dir_okay=False),
                default=None,
                help="Write the audit bundle here (see docs/audit.md).",
            ),
        ]
    )
    out_names = {"out", "out_path"}
    out_required = False
    for param in command.params:
        if param.name in out_names and getattr(param, "required", False):
            param.required = False  # checked below, only when no bundle is made
            param.help = (param.help or "Where to write the result JSON.") + (
                " Required unless --bundle is given."
            )
            out_required = True
    original = command.callback

    def callback(**kwargs: Any) -> Any:
        lottery_size = kwargs.pop("lottery_size")
        public_seed = kwargs.pop("public_seed")
        bundle_path = kwargs.pop("bundle_path")
        out_path = next((kwargs[n] for n in out_names if kwargs.get(n)), None)
        if lottery_size is None and public_seed is None and bundle_path is None:
            if out_required and out_path is None:
                raise click.UsageError("Missing option '--out' (or give --bundle).")
            return original(**kwargs) if original else None
        if bundle_path is None:
            raise click.UsageError("--lottery-size and --public-seed need --bundle.")
        if lottery_size is not None and lottery_size < 1:
            raise click.UsageError("--lottery-size must be at least 1.")
        quotas_path = kwargs.get("quotas_path") or kwargs.get("quotas")
        people_path = kwargs.get("people_path") or kwargs.get("people")
        panel_size = kwargs.get("panel_size")
        address = kwargs.get("address_columns") or ()
        address = (address,) if isinstance(address, str) else tuple(address)
        id_column = kwargs.get("id_column")
        seed = kwargs.get("seed")
        try:
            import numpy as np

            instance = _read_instance(quotas_path, people_path, panel_size, id_column, address)
            outcome = run_draw(
                instance,
                algorithm=kwargs.get("algorithm") or "leximin",
                lottery_size=lottery_size or 1000,
                public_seed=public_seed,
                bundle_path=bundle_path,
                input_files={"people": people_path, "quotas": quotas_path},
                read_options={"id_column": id_column, "address_columns": _columns(address)},
                rng=np.random.default_rng(seed) if seed is not None else None,
                show_progress=bool(kwargs.get("progress")),
            )
        except Infeasible as problem:
            raise _Failed(_report_infeasible(problem, _relaxed_path(quotas_path, None))) from None
        except BadInput as error:
            raise _bad(error) from None
        if out_path is not None:
            _write_select_result(instance, outcome, out_path, seed)
        return None

    command.callback = callback
    return command


def _write_select_result(
    instance: Instance, outcome: DrawResult, out_path: str, seed: int | None
) -> None:
    """select's own result document, for the panel the public seed chose."""
    from sortition.results import result_document, write_atomically

    draw = outcome.bundle.get("draw")
    if not draw:
        click.echo(f"No seed yet, so no panel: {out_path} not written.", err=True)
        return
    panel = outcome.lottery.panels[draw["index"]]
    document = result_document(instance, outcome.distribution, panel, seed or 0)
    document["lottery"] = {
        "size": outcome.lottery.size,
        "index": draw["index"],
        "public_seed": draw["seed"],
        "largest_change": outcome.lottery.largest_change,
        "commitment": outcome.bundle["commitment"],
    }
    write_atomically(Path(out_path), json.dumps(document, indent=1, ensure_ascii=False) + "\n")
