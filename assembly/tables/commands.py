"""`assembly tables ...`: small-group table plans from the command line (plan, show, pins)."""

from __future__ import annotations

import time

import click

from assembly.core.i18n import _, working
from assembly.core.terminal import echo


@click.group("tables")
def tables_group() -> None:
    """Seat the members present at small tables for several rounds."""


@tables_group.command("plan")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--tables", "tables", type=int, required=True, help="How many tables.")
@click.option("--rounds", type=int, required=True, help="How many rounds (table changes).")
@click.option(
    "--session",
    "session_id",
    type=int,
    default=None,
    help="Seat those present at this session (default: all panel members).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed for the search (default: a fresh one, printed and saved).",
)
@click.option(
    "--features", default=None, help="Comma-separated features to balance (default: all)."
)
@click.option(
    "--repeat-weight",
    type=float,
    default=2.0,
    show_default=True,
    help="Cost of one repeat meeting against one unit of mix gap.",
)
@click.option(
    "--iterations", type=int, default=None, help="Search steps (default: scaled to the room)."
)
@click.option("--title", default=None, help="A name for the plan.")
def plan_command(
    path: str,
    tables: int,
    rounds: int,
    session_id: int | None,
    seed: int | None,
    features: str | None,
    repeat_weight: float,
    iterations: int | None,
    title: str | None,
) -> None:
    """Make a table plan and save it in the assembly file PATH."""
    import numpy as np

    from assembly.core.cli_support import fail, open_or_fail
    from assembly.tables.plans import TablePlanRequestError, make_plan, save_plan

    assembly = open_or_fail(path)
    db = assembly.db()
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    names = [f.strip() for f in features.split(",") if f.strip()] if features else None
    started = time.perf_counter()
    try:
        result = make_plan(
            db,
            tables=tables,
            rounds=rounds,
            seed=seed,
            session_id=session_id,
            features=names,
            repeat_weight=repeat_weight,
            iterations=iterations,
        )
        plan_id = save_plan(db, result, assembly.clock, title)
    except TablePlanRequestError as error:
        fail(f"{path}: {error}")
    took = time.perf_counter() - started
    score = result.plan.score
    echo(
        _(
            "Saved table plan %(plan)s: %(people)s people (%(source)s), %(tables)s tables, "
            "%(rounds)s rounds, seed %(seed)s, in %(seconds)s s.",
            plan=plan_id,
            people=len(result.room.people),
            source=result.room.source,
            tables=tables,
            rounds=rounds,
            seed=seed,
            seconds=format(took, ".1f"),
        )
    )
    echo(
        _(
            "Pairs meeting more than once: %(pairs)s. Mix gap: %(gap)s people in all (0 is "
            "best: every table mirrors the room).",
            pairs=score.repeat_pairs,
            gap=format(score.diversity_l1, ".1f"),
        )
    )
    for pin in result.skipped_pins:
        echo(_("Pin set aside (someone is not in the room): %(pin)s", pin=pin.describe()))
    echo(_("Show it with: assembly tables show %(path)s --plan %(plan)s", path=path, plan=plan_id))


@tables_group.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--plan", "plan_id", type=int, default=None, help="Plan id (default: the newest).")
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "csv"]), default="markdown", show_default=True
)
@click.option("--no-names", is_flag=True, help="Member numbers only (for a plan put up on a wall).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to a file instead of the screen.",
)
def show_command(
    path: str, plan_id: int | None, fmt: str, no_names: bool, output: str | None
) -> None:
    """Show (or export) a saved table plan: each round's tables, repeats marked ↻."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.tables.plans import (
        TablePlanRequestError,
        export_csv,
        export_markdown,
        list_plans,
        load_plan,
    )

    assembly = open_or_fail(path, read_only=True)
    db = assembly.db()
    try:
        saved = load_plan(db, plan_id)
    except TablePlanRequestError as error:
        fail(f"{path}: {error}")
    text = (export_csv if fmt == "csv" else export_markdown)(saved, names=not no_names)
    if output:
        from assembly.core.cli_support import write_text_or_fail

        write_text_or_fail(output, text)
        echo(_("Wrote table plan %(plan)s to %(file)s.", plan=saved.id, file=output))
    else:
        echo(text, nl=False)
        others = [p for p in list_plans(db) if p.id != saved.id]
        if others and fmt == "markdown":
            ids = ", ".join(str(p.id) for p in others)
            echo("\n" + _("Other plans in this file: %(plans)s", plans=ids))


@tables_group.command("pin")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--together",
    "together",
    nargs=2,
    type=int,
    default=None,
    help="Two member numbers to seat together.",
)
@click.option(
    "--apart", "apart", nargs=2, type=int, default=None, help="Two member numbers to keep apart."
)
@click.option(
    "--interpreter",
    "interpreter",
    default=None,
    help="Interpreter's name or language, with --member.",
)
@click.option(
    "--member",
    "members",
    type=int,
    multiple=True,
    help="Member number who needs the interpreter (repeatable).",
)
def pin_command(
    path: str,
    together: tuple[int, int] | None,
    apart: tuple[int, int] | None,
    interpreter: str | None,
    members: tuple[int, ...],
) -> None:
    """Add a pin: seat two members together or apart, or members with an interpreter."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.tables.plans import TablePlanRequestError, add_pin

    chosen = [x for x in (together, apart, interpreter) if x]
    if len(chosen) != 1:
        fail(_("give exactly one of --together A B, --apart A B or --interpreter NAME --member N"))
    if interpreter and not members:
        fail(_("--interpreter needs at least one --member N"))
    assembly = open_or_fail(path)
    db = assembly.db()
    try:
        if together:
            add_pin(db, "together", together[0], assembly.clock, other_number=together[1])
        elif apart:
            add_pin(db, "apart", apart[0], assembly.clock, other_number=apart[1])
        else:
            for number in members:
                add_pin(db, "interpreter", number, assembly.clock, label=interpreter)
    except TablePlanRequestError as error:
        fail(f"{path}: {error}")
    echo(_("Pin saved."))


@tables_group.command("pins")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--remove", "remove", type=int, default=None, help="Remove the pin with this id.")
def pins_command(path: str, remove: int | None) -> None:
    """List the pins (or remove one with --remove ID)."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.tables.plans import TablePlanRequestError, list_pins, remove_pin

    assembly = open_or_fail(path, read_only=remove is None)
    db = assembly.db()
    if remove is not None:
        try:
            remove_pin(db, remove)
        except TablePlanRequestError as error:
            fail(f"{path}: {error}")
        echo(_("Removed pin %(pin)s.", pin=remove))
        return
    pins = list_pins(db)
    if not pins:
        echo(_("No pins."))
    for pin in pins:
        echo(f"{pin.id}: {working().text(pin.describe())}")


COMMANDS = [tables_group]
