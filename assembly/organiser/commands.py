"""Organiser commands: `assembly pool`, `assembly quotas`, `assembly draw`, `assembly members`.

Each command opens the assembly file, calls the same domain function the app uses and prints
its result or its message (the same words the app shows), exiting 2 on a refusal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from assembly.core.terminal import echo
from assembly.core.words import counted
from assembly.organiser.reserves import plan_reserves, read_rates
from assembly.organiser.support import first_language_help
from sortition import ALGORITHMS

ASSEMBLY = click.argument("assembly_path", metavar="ASSEMBLY", type=click.Path(dir_okay=False))
ENCODING = click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="The file's text encoding when it is not UTF-8, e.g. cp1252 (never guessed).",
)


@contextlib.contextmanager
def _opened(path: str) -> Iterator:
    """The opened file; OrganiserError and library errors become plain messages, exit 2."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.organiser.errors import OrganiserError
    from sortition import SortitionError

    assembly = open_or_fail(path)
    try:
        yield assembly
    except OrganiserError as error:
        fail(f"{error.title}: {error}")
    except SortitionError as error:
        fail(str(error))
    finally:
        assembly.close()


def quiet_solver() -> None:
    """No HiGHS copyright banner among a solving command's results (it goes to fd 1)."""
    from sortition import silence_solver_banner

    silence_solver_banner()


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


# ---------------------------------------------------------------- pool


@click.group()
def pool() -> None:
    """The respondent pool: import it from .csv, .xlsx or .ods, and see its make-up."""


@pool.command("import")
@ASSEMBLY
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="COLUMN=ROLE",
    help="Set a column's role (id, name, email, phone, address, postcode, household, feature, "
    "ignore); other columns are guessed from their headings.",
)
@click.option(
    "--replace", is_flag=True, help="Replace an existing pool (only while no draw uses it)."
)
@click.option("--preview", is_flag=True, help="Only show the mapping, counts and bad rows.")
@ENCODING
def pool_import(
    assembly_path: str,
    source: str,
    columns: tuple[str, ...],
    replace: bool,
    preview: bool,
    encoding: str | None,
) -> None:
    """Import the respondent pool from SOURCE (.csv, .xlsx or .ods) into ASSEMBLY."""
    from assembly.core.cli_support import fail
    from assembly.organiser.pool_import import guess_mapping, import_pool, plan_import, read_source

    with _opened(assembly_path) as assembly:
        table = read_source(source, encoding=encoding)
        mapping = guess_mapping(table.header)
        for item in columns:
            column, _, role = item.partition("=")
            if not role:
                fail(f"--column {item!r}: write it as COLUMN=ROLE, e.g. --column 'Ward=feature'.")
            mapping[column.strip()] = role.strip()
        plan = plan_import(table, mapping)
        sheet = f", sheet {table.sheet!r}" if table.sheet else ""
        echo(f"{table.file_name}{sheet}: {len(table.rows):,} rows, {len(table.header)} columns")
        for column in table.header:
            echo(f"  {column:<24} → {plan.mapping[column]}")
        for feature in plan.features:
            counts = ", ".join(f"{v} {n}" for v, n in plan.counts[feature].items())
            echo(f"  {feature}: {counts}")
        for problem in plan.problems[:50]:
            echo(f"  bad {problem.describe()}")
        if preview:
            return
        result = import_pool(assembly.db(), plan, assembly.clock, replace=replace)
        verb = "Replaced the pool with" if result.replaced else "Imported"
        echo(f"{verb} {result.respondents:,} respondents ({len(result.features)} features).")


@pool.command("show")
@ASSEMBLY
def pool_show(assembly_path: str) -> None:
    """Respondents per feature value, with pool share and target share."""
    from assembly.organiser.overview import overview, pool_counts

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        info = overview(db)
        echo(f"{info.respondents:,} respondents in the pool")
        labels = {f.name: f.label for f in info.features}
        for row in pool_counts(db):
            echo(
                f"  {labels[row.feature]:<28} {row.value:<26} {row.count:>6,} "
                f"{row.share:>6.1%}  target {_percent(row.target_share)}"
            )


# ---------------------------------------------------------------- quotas


@click.group()
def quotas() -> None:
    """Panel size and quotas: set them, fill them from target shares, check them."""


def _print_quotas(db) -> None:
    from assembly.organiser.quotas import panel_size, quota_table

    echo(f"Panel size: {panel_size(db) or 'not set'}")
    for row in quota_table(db):
        bounds = "not set" if row.min is None else f"{row.min}-{row.max}"
        echo(
            f"  {row.label:<28} {row.value:<26} {bounds:>8}  pool {row.pool_count:>6,} "
            f"({row.pool_share:.1%})  target {_percent(row.target_share)}"
        )


@quotas.command("show")
@ASSEMBLY
def quotas_show(assembly_path: str) -> None:
    """The quota table."""
    with _opened(assembly_path) as assembly:
        _print_quotas(assembly.db())


@quotas.command("size")
@ASSEMBLY
@click.argument("size", type=int)
def quotas_size(assembly_path: str, size: int) -> None:
    """Set the panel size."""
    from assembly.organiser.quotas import set_panel_size

    with _opened(assembly_path) as assembly:
        set_panel_size(assembly.db(), size)
        echo(f"Panel size set to {size}.")


@quotas.command("set")
@ASSEMBLY
@click.argument("feature")
@click.argument("value")
@click.argument("low", metavar="MIN", type=int)
@click.argument("high", metavar="MAX", type=int)
def quotas_set(assembly_path: str, feature: str, value: str, low: int, high: int) -> None:
    """Set the quota for one feature value."""
    from assembly.organiser.quotas import set_quota

    with _opened(assembly_path) as assembly:
        set_quota(assembly.db(), feature, value, low, high)
        echo(f"{feature} = {value}: {low} to {high}.")


@quotas.command("import")
@ASSEMBLY
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--panel-size", type=int, help="Also set the panel size.")
@click.option("--yes", is_flag=True, help="Do not ask before a file removes every quota.")
@ENCODING
def quotas_import(
    assembly_path: str, source: str, panel_size: int | None, yes: bool, encoding: str | None
) -> None:
    """Replace the quotas from a feature,value,min,max CSV or .xlsx (all or nothing)."""
    from assembly.organiser.quotas import WouldRemoveAllQuotas, import_quotas_csv

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        try:
            result = import_quotas_csv(db, source, panel_size, encoding=encoding, remove_all=yes)
        except WouldRemoveAllQuotas as error:
            echo(str(error), err=True)
            if not click.confirm("Remove all quotas?", default=False):
                from assembly.core.cli_support import fail

                fail("nothing was changed.", code=1)
            result = import_quotas_csv(db, source, panel_size, encoding=encoding, remove_all=True)
        for warning in result.warnings:
            echo(f"Warning: {warning}", err=True)
        echo(f"Imported {result.quotas} quotas.")
        _print_quotas(assembly.db())


@quotas.command("target")
@ASSEMBLY
@click.argument("feature")
@click.argument("value")
@click.argument("share")
def quotas_target(assembly_path: str, feature: str, value: str, share: str) -> None:
    """Set one value's target share (52% or 0.52; none clears it), for `quotas from-targets`."""
    from assembly.organiser.quotas import parse_share, set_target_share

    with _opened(assembly_path) as assembly:
        parsed = parse_share(share)
        db = assembly.db()
        stored, found = set_target_share(db, feature, value, parsed)
        label = db.execute("select label from features where name = ?", [stored]).fetchone()[0]
        echo(f"{label} = {found}: target {'none' if parsed is None else f'{parsed:.1%}'}.")


@quotas.command("from-targets")
@ASSEMBLY
@click.option("--tolerance", type=float, default=0.1, show_default=True, help="0.1 = ±10%.")
@click.option("--panel-size", type=int, help="Also set the panel size.")
def quotas_from_targets(assembly_path: str, tolerance: float, panel_size: int | None) -> None:
    """Replace the quotas by ones computed from the target shares."""
    from assembly.organiser.quotas import fill_from_targets

    with _opened(assembly_path) as assembly:
        made = fill_from_targets(assembly.db(), tolerance, panel_size)
        echo(f"Set {len(made)} quotas from target shares (tolerance {tolerance:.0%}).")
        _print_quotas(assembly.db())


@quotas.command("check")
@ASSEMBLY
@click.option("--apply", "apply_", is_flag=True, help="Apply the proposed relaxation.")
def quotas_check(assembly_path: str, apply_: bool) -> None:
    """Whether a panel can meet the quotas; if not, why, and the smallest relaxation."""
    quiet_solver()
    from assembly.core.cli_support import fail
    from assembly.organiser.quotas import apply_relaxation, check_feasibility

    with _opened(assembly_path) as assembly:
        result = check_feasibility(assembly.db())
        echo(result.explanation)
        if result.feasible:
            return
        if apply_ and result.relaxation is not None:
            n = apply_relaxation(assembly.db(), result.relaxation)
            echo(f"Applied the relaxation: {counted(n, 'quota')} changed.")
            return
    fail("the quotas cannot be met (run with --apply to use the relaxation).", code=1)


# ---------------------------------------------------------------- draw


@click.group()
def draw() -> None:
    """Draws: compute the lottery, enter the public seed, witnesses, audit bundle."""


def _print_draw(summary, timezone: str) -> None:
    from assembly.core.clock import show

    echo(
        f"Draw {summary.id}: {summary.algorithm}, panel of {summary.panel_size} from "
        f"{summary.pool_size:,}; computed {show(summary.created_at, timezone)} in "
        f"{summary.seconds:.1f} s"
    )
    echo(f"  minimum selection probability {summary.min_probability:.2%}")
    from assembly.organiser.draws import (
        draw_proof_message,
        draw_stopped_message,
        fidelity_message,
    )

    stopped = draw_stopped_message(summary)
    if stopped:
        echo(f"  ⚠ {stopped}")
    proven = draw_proof_message(summary)
    if proven:
        echo(f"  ✓ {proven}")
    echo(f"  {fidelity_message(summary.lottery_size, summary.largest_change)}")
    echo(f"  commitment {summary.commitment}")
    if summary.drawn:
        echo(
            f"  drawn {show(summary.drawn_at, timezone)} with seed {summary.seed!r}: "
            f"panel number {summary.panel_index}"
        )
    else:
        echo("  not drawn yet: enter the public seed with 'assembly draw seed'")
    for w in summary.witnesses:
        echo(f"  witnessed by {w.name}" + (f" ({w.role})" if w.role else ""))


@draw.command("run")
@ASSEMBLY
@click.option(
    "--algorithm",
    type=click.Choice(ALGORITHMS),
    default="leximin",
    show_default=True,
)
@click.option("--lottery-size", type=int, default=1000, show_default=True)
@click.option(
    "--rounding-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="Time allowed to prove the lottery rounding optimal (0: the quick rounding only).",
)
@click.option(
    "--time-limit",
    "time_limit",
    type=float,
    default=10.0,
    show_default=True,
    metavar="MINUTES",
    help="Stop LEXIMIN/MAXIMIN after this many minutes with the fairest lottery found so far "
    "(0: no limit).",
)
def draw_run(
    assembly_path: str,
    algorithm: str,
    lottery_size: int,
    rounding_seconds: float,
    time_limit: float,
) -> None:
    """Compute a new draw over the current pool and quotas."""
    quiet_solver()
    import math

    from assembly.core.cli_support import fail
    from assembly.organiser.draws import draw_summary, run_draw

    if not math.isfinite(time_limit) or time_limit < 0:
        fail(
            f"--time-limit must be a number of minutes, 0 or more (0: no limit), not {time_limit:g}."
        )

    def progress(event) -> None:
        echo(f"  {event.message}", err=True)

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        draw_id = run_draw(
            db,
            assembly.clock,
            algorithm,
            lottery_size=lottery_size,
            progress=progress,
            rounding_seconds=rounding_seconds,
            time_limit=time_limit * 60.0 if time_limit > 0 and algorithm != "legacy" else None,
        )
        _print_draw(draw_summary(db, draw_id), assembly.timezone)


@draw.command("list")
@ASSEMBLY
def draw_list(assembly_path: str) -> None:
    """Every draw kept in the file."""
    from assembly.organiser.draws import list_draws

    with _opened(assembly_path) as assembly:
        found = list_draws(assembly.db())
        if not found:
            echo("No draws yet.")
        for summary in found:
            _print_draw(summary, assembly.timezone)


@draw.command("show")
@ASSEMBLY
@click.argument("draw_id", type=int, required=False)
def draw_show(assembly_path: str, draw_id: int | None) -> None:
    """One draw (the latest by default), with the chosen panel's quota table."""
    from assembly.core.cli_support import fail
    from assembly.organiser.draws import draw_summary, latest_draw_id, panel_quota_table

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        draw_id = draw_id or latest_draw_id(db)
        if draw_id is None:
            fail("no draw has been run.")
        summary = draw_summary(db, draw_id)
        _print_draw(summary, assembly.timezone)
        if summary.drawn:
            echo("  feature / value: selected (min-max), pool share, target share")
            for row in panel_quota_table(db, draw_id):
                mark = "✓" if row.met else "✗"
                echo(
                    f"  {mark} {row.feature} / {row.value}: {row.selected} ({row.min}-{row.max}), "
                    f"{row.pool_share:.1%}, {_percent(row.target_share)}"
                )


@draw.command("seed")
@ASSEMBLY
@click.argument("draw_id", type=int)
@click.argument("seed")
@click.option(
    "--witness", "witnesses", multiple=True, metavar="NAME[:ROLE]", help="Someone who watched."
)
def draw_seed(assembly_path: str, draw_id: int, seed: str, witnesses: tuple[str, ...]) -> None:
    """The public draw: SEED (as read out) picks the panel; its people become members."""
    from assembly.organiser.draws import add_witness, enter_seed
    from assembly.store import write_transaction

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        with write_transaction(db):  # witnesses and the draw together, or neither
            for item in witnesses:
                name, _, role = item.partition(":")
                add_witness(db, draw_id, name, role, assembly.clock)
            summary = enter_seed(db, draw_id, seed, assembly.clock)
        _print_draw(summary, assembly.timezone)
        echo(f"{len(summary.panel)} members selected: " + ", ".join(summary.panel))


@draw.command("witness")
@ASSEMBLY
@click.argument("draw_id", type=int)
@click.argument("name")
@click.option("--role", default="", help="e.g. 'Councillor', 'Independent observer'.")
def draw_witness(assembly_path: str, draw_id: int, name: str, role: str) -> None:
    """Record someone who witnessed the public draw."""
    from assembly.organiser.draws import add_witness

    with _opened(assembly_path) as assembly:
        add_witness(assembly.db(), draw_id, name, role, assembly.clock)
        echo(f"Recorded {name} as a witness of draw {draw_id}.")


@draw.command("bundle")
@ASSEMBLY
@click.argument("draw_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False))
def draw_bundle(assembly_path: str, draw_id: int, path: str) -> None:
    """Export the draw's audit bundle (JSON, no personal data) to PATH."""
    from assembly.organiser.draws import export_bundle

    with _opened(assembly_path) as assembly:
        export_bundle(assembly.db(), draw_id, path)
        echo(f"Wrote the audit bundle of draw {draw_id} to {path}.")


@draw.command("reserves")
@ASSEMBLY
@click.option("--count", type=click.IntRange(min=1), required=True, help="Reserves to list.")
@click.option(
    "--rates",
    "rates_path",
    type=click.Path(dir_okay=False),
    help="A feature,value,rate file of drop-out rates (else learnt from the members so far).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the scenarios.")
def draw_reserves(assembly_path: str, count: int, rates_path: str | None, seed: int) -> None:
    """List reserves, in the order to call them, for the current panel's drop-outs."""
    with _opened(assembly_path) as assembly:
        rates = read_rates(rates_path) if rates_path else None
        found = plan_reserves(assembly.db(), count, rates=rates, seed=seed)
        for place, (ref, name) in enumerate(zip(found.refs, found.names, strict=True), start=1):
            echo(f"{place:>3}. {ref}  {name}")
        echo(found.summary())
        error = max(found.plan.without.error, found.plan.with_reserves.error)
        if error:
            echo(f"(estimated from sampled drop-outs, within about ±{2 * error:.2f})")


# ---------------------------------------------------------------- members


@click.group()
def members() -> None:
    """Panel members: statuses, replacements, access support, costs, exports, purge."""


@members.command("list")
@ASSEMBLY
@click.option("--all", "show_all", is_flag=True, help="Include withdrawn and replaced members.")
def members_list(assembly_path: str, show_all: bool) -> None:
    """Members by number with their status."""
    from assembly.organiser.members import ON_PANEL, all_members

    with _opened(assembly_path) as assembly:
        rows = [m for m in all_members(assembly.db()) if show_all or m.status in ON_PANEL]
        if not rows:
            echo("No panel members yet.")
        for m in rows:
            extra = f" (replaces {m.replaces_number})" if m.replaces_number else ""
            echo(f"  {m.number:>3} {m.ref:<10} {m.name or '(removed)':<28} {m.status}{extra}")


@members.command("status")
@ASSEMBLY
@click.argument("number", type=int)
@click.argument("status", type=click.Choice(["selected", "invited", "confirmed", "withdrawn"]))
@click.option("--note", default="", help="Why (kept in the member's history).")
def members_status(assembly_path: str, number: int, status: str, note: str) -> None:
    """Change member NUMBER's status."""
    from assembly.organiser.members import set_status

    with _opened(assembly_path) as assembly:
        set_status(assembly.db(), number, status, assembly.clock, note)
        echo(f"Member {number} is now {status}.")


@members.command("replace")
@ASSEMBLY
@click.option("--seed", type=int, help="Random seed for the replacement draw (recorded).")
@click.option(
    "--algorithm",
    type=click.Choice(ALGORITHMS),
    default="leximin",
    show_default=True,
)
def members_replace(assembly_path: str, seed: int | None, algorithm: str) -> None:
    """Replace every withdrawn member, keeping the panel within the quotas."""
    quiet_solver()
    from assembly.organiser.members import replace_withdrawn

    with _opened(assembly_path) as assembly:
        result = replace_withdrawn(assembly.db(), assembly.clock, seed=seed, algorithm=algorithm)
        for old, new in zip(result.withdrawn, result.newcomers, strict=False):
            echo(f"Member {old} is replaced by member {new}.")
        echo(f"Replacement seed: {result.seed}")


@members.command("support")
@ASSEMBLY
@click.argument("number", type=int)
@click.option("--childcare/--no-childcare", default=None)
@click.option("--travel/--no-travel", default=None)
@click.option("--interpreter", help="e.g. BSL, or a spoken language ('' for none).")
@click.option("--first-language", help=first_language_help())
@click.option("--step-free/--no-step-free", default=None)
@click.option("--other-needs")
@click.option("--honorarium", help="Amount in pounds, e.g. 300.")
def members_support(assembly_path: str, number: int, honorarium: str | None, **fields) -> None:
    """Set member NUMBER's access support and honorarium."""
    from assembly.core.i18n import override_dir
    from assembly.core.money import show_money
    from assembly.organiser.support import (
        card_language_note,
        get_support,
        parse_pounds,
        set_support,
    )
    from assembly.store.languages import working_language

    changes = {k: v for k, v in fields.items() if v is not None}
    if honorarium is not None:
        changes["honorarium_pence"] = parse_pounds(honorarium)
    with _opened(assembly_path) as assembly:
        db = assembly.db()
        support = (
            set_support(db, number, assembly.clock, **changes)
            if changes
            else get_support(db, number)
        )
        needs = "; ".join(support.needs()) or "none recorded"
        echo(f"Member {number}: {needs}; honorarium {show_money(support.honorarium_pence)}.")
        note = card_language_note(
            support.first_language,
            working=working_language(db),
            folder=override_dir(assembly.path),
        )
        if note:
            echo(note)


@members.command("expense")
@ASSEMBLY
@click.argument("number", type=int)
@click.argument("kind")
@click.argument("amount")
@click.option("--description", default="")
def members_expense(
    assembly_path: str, number: int, kind: str, amount: str, description: str
) -> None:
    """Record an expense (KIND: travel, childcare, care, interpreter, equipment, other)."""
    from assembly.core.money import show_money
    from assembly.organiser.support import add_expense, parse_pounds

    with _opened(assembly_path) as assembly:
        pence = parse_pounds(amount)
        add_expense(assembly.db(), number, kind, pence, assembly.clock, description)
        echo(f"Recorded {show_money(pence)} {kind} for member {number}.")


@members.command("costs")
@ASSEMBLY
def members_costs(assembly_path: str) -> None:
    """Cost totals: honoraria and expenses by kind, and how many members need what."""
    from assembly.core.money import show_money
    from assembly.organiser.support import cost_totals

    with _opened(assembly_path) as assembly:
        totals = cost_totals(assembly.db())
        echo(f"Honoraria: {show_money(totals.honoraria_pence)}")
        for kind, pence in totals.expenses_pence.items():
            echo(f"Expenses, {kind}: {show_money(pence)}")
        echo(f"Total: {show_money(totals.total_pence)}")
        for need, n in totals.members_with_needs.items():
            echo(f"  {counted(n, 'member')} {'needs' if n == 1 else 'need'} {need}")


@members.command("export-invitations")
@ASSEMBLY
@click.argument("path", type=click.Path(dir_okay=False))
def members_export_invitations(assembly_path: str, path: str) -> None:
    """Write the invitation list CSV (contacts and support only; no features)."""
    from assembly.organiser.exports import export_invitations

    with _opened(assembly_path) as assembly:
        n = export_invitations(assembly.db(), path)
        echo(f"Wrote {n} members to {path}.")


@members.command("export-profile")
@ASSEMBLY
@click.argument("path", type=click.Path(dir_okay=False))
def members_export_profile(assembly_path: str, path: str) -> None:
    """Write the anonymised panel profile CSV (counts per value against targets)."""
    from assembly.organiser.exports import export_profile

    with _opened(assembly_path) as assembly:
        n = export_profile(assembly.db(), path)
        echo(f"Wrote {n} rows to {path}.")


@members.command("purge")
@ASSEMBLY
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def members_purge(assembly_path: str, yes: bool) -> None:
    """Remove names, contacts, addresses, households and features of respondents who were never
    members (features are kept only as counts per value). Refused while another program reads
    the file."""
    from assembly.organiser.privacy import purge_candidates, purge_non_members

    with _opened(assembly_path) as assembly:
        n = purge_candidates(assembly.db())
        if not yes:
            click.confirm(
                f"Remove the personal data of {n:,} respondents who are not members? "
                "This cannot be undone.",
                abort=True,
            )
        result = purge_non_members(assembly.db(), assembly.clock)
        echo(
            f"Removed the personal data of {result.respondents:,} respondents; "
            f"{result.kept_members} members keep theirs. The file was vacuumed."
        )
        if result.backups:
            echo(result.backups_warning())


COMMANDS = [pool, quotas, draw, members]
