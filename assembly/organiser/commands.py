"""Organiser commands: `assembly pool`, `assembly quotas`, `assembly draw`, `assembly members`.

Each command opens the assembly file, calls the same domain function the app uses and prints
its result or its message (the same words the app shows), exiting 2 on a refusal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from assembly.core.i18n import Number, _, ngettext
from assembly.core.terminal import echo
from assembly.organiser.reserves import plan_reserves, read_rates
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
    from assembly.core.library_words import refusal
    from assembly.organiser.errors import OrganiserError
    from assembly.organiser.infeasible import explained
    from sortition import BadInput, Infeasible, SortitionError

    assembly = open_or_fail(path)
    try:
        yield assembly
    except OrganiserError as error:
        fail(f"{error.title}: {error}")
    except BadInput as error:
        fail(refusal(error))
    except Infeasible as error:
        fail(explained(error))
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
    from assembly.organiser.pool_import import (
        guess_mapping,
        import_pool,
        plan_import,
        read_source,
        role_word,
    )

    with _opened(assembly_path) as assembly:
        table = read_source(source, encoding=encoding)
        mapping = guess_mapping(table.header)
        for item in columns:
            column, _sep, role = item.partition("=")
            if not role:
                fail(
                    _(
                        "--column %(item)s: write it as COLUMN=ROLE, e.g. --column 'Ward=feature'.",
                        item=repr(item),
                    )
                )
            mapping[column.strip()] = role.strip()
        plan = plan_import(table, mapping)
        sizes = {"rows": Number(len(table.rows)), "columns": len(table.header)}
        if table.sheet:
            echo(
                _(
                    "%(file)s, sheet %(sheet)s: %(rows)s rows, %(columns)s columns",
                    file=table.file_name,
                    sheet=repr(table.sheet),
                    **sizes,
                )
            )
        else:
            echo(_("%(file)s: %(rows)s rows, %(columns)s columns", file=table.file_name, **sizes))
        for column in table.header:
            echo(f"  {column:<24} → {role_word(plan.mapping[column])}")
        for feature in plan.features:
            counts = ", ".join(f"{v} {n}" for v, n in plan.counts[feature].items())
            echo(f"  {feature}: {counts}")
        for problem in plan.problems[:50]:
            echo("  " + _("bad %(problem)s", problem=problem.describe()))
        if preview:
            return
        result = import_pool(assembly.db(), plan, assembly.clock, replace=replace)
        counts = {"count": Number(result.respondents), "features": len(result.features)}
        if result.replaced:
            echo(
                _(
                    "Replaced the pool with %(count)s respondents (%(features)s features).",
                    **counts,
                )
            )
        else:
            echo(_("Imported %(count)s respondents (%(features)s features).", **counts))


@pool.command("show")
@ASSEMBLY
def pool_show(assembly_path: str) -> None:
    """Respondents per feature value, with pool share and target share."""
    from assembly.organiser.overview import overview, pool_counts

    with _opened(assembly_path) as assembly:
        db = assembly.db()
        info = overview(db)
        echo(_("%(count)s respondents in the pool", count=Number(info.respondents)))
        labels = {f.name: f.label for f in info.features}
        for row in pool_counts(db):
            target = _("target %(share)s", share=_percent(row.target_share))
            echo(
                f"  {labels[row.feature]:<28} {row.value:<26} {row.count:>6,} "
                f"{row.share:>6.1%}  {target}"
            )


# ---------------------------------------------------------------- quotas


@click.group()
def quotas() -> None:
    """Panel size and quotas: set them, fill them from target shares, check them."""


def _print_quotas(db) -> None:
    from assembly.organiser.quotas import panel_size, quota_table

    echo(_("Panel size: %(size)s", size=panel_size(db) or _("not set")))
    for row in quota_table(db):
        bounds = _("not set") if row.min is None else f"{row.min}-{row.max}"
        pool = _(
            "pool %(count)s (%(share)s)",
            count=format(row.pool_count, ">6,"),
            share=format(row.pool_share, ".1%"),
        )
        target = _("target %(share)s", share=_percent(row.target_share))
        echo(f"  {row.label:<28} {row.value:<26} {bounds:>8}  {pool}  {target}")


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
        echo(_("Panel size set to %(size)s.", size=size))


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
        echo(
            _(
                "%(feature)s = %(value)s: %(low)s to %(high)s.",
                feature=feature,
                value=value,
                low=low,
                high=high,
            )
        )


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
            if not click.confirm(_("Remove all quotas?"), default=False):
                from assembly.core.cli_support import fail

                fail(_("nothing was changed."), code=1)
            result = import_quotas_csv(db, source, panel_size, encoding=encoding, remove_all=True)
        for warning in result.warnings:
            echo(_("Warning: %(warning)s", warning=warning), err=True)
        # Translators: English says "quotas" for any number, as it always has
        echo(ngettext("Imported %(num)s quotas.", "Imported %(num)s quotas.", result.quotas))
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
        if parsed is None:
            echo(_("%(label)s = %(value)s: target none.", label=label, value=found))
        else:
            echo(
                _(
                    "%(label)s = %(value)s: target %(share)s.",
                    label=label,
                    value=found,
                    share=format(parsed, ".1%"),
                )
            )


@quotas.command("from-targets")
@ASSEMBLY
@click.option("--tolerance", type=float, default=0.1, show_default=True, help="0.1 = ±10%.")
@click.option("--panel-size", type=int, help="Also set the panel size.")
def quotas_from_targets(assembly_path: str, tolerance: float, panel_size: int | None) -> None:
    """Replace the quotas by ones computed from the target shares."""
    from assembly.organiser.quotas import fill_from_targets

    with _opened(assembly_path) as assembly:
        made = fill_from_targets(assembly.db(), tolerance, panel_size)
        echo(
            # Translators: English says "quotas" for any number, as it always has
            ngettext(
                "Set %(num)s quotas from target shares (tolerance %(tolerance)s).",
                "Set %(num)s quotas from target shares (tolerance %(tolerance)s).",
                len(made),
                tolerance=format(tolerance, ".0%"),
            )
        )
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
            echo(
                ngettext(
                    "Applied the relaxation: %(num)s quota changed.",
                    "Applied the relaxation: %(num)s quotas changed.",
                    n,
                    num=Number(n),
                )
            )
            return
    fail(_("the quotas cannot be met (run with --apply to use the relaxation)."), code=1)


# ---------------------------------------------------------------- draw


@click.group()
def draw() -> None:
    """Draws: compute the lottery, enter the public seed, witnesses, audit bundle."""


def _print_draw(summary, timezone: str) -> None:
    from assembly.core.clock import show

    echo(
        _(
            "Draw %(draw)s: %(algorithm)s, panel of %(panel)s from %(pool)s; computed %(when)s "
            "in %(seconds)s s",
            draw=summary.id,
            algorithm=summary.algorithm,
            panel=summary.panel_size,
            pool=Number(summary.pool_size),
            when=show(summary.created_at, timezone),
            seconds=format(summary.seconds, ".1f"),
        )
    )
    probability = f"{summary.min_probability:.2%}"
    echo("  " + _("minimum selection probability %(probability)s", probability=probability))
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
    echo("  " + _("commitment %(commitment)s", commitment=summary.commitment))
    if summary.drawn:
        drawn = _(
            "drawn %(when)s with seed %(seed)s: panel number %(panel)s",
            when=show(summary.drawn_at, timezone),
            seed=repr(summary.seed),
            panel=summary.panel_index,
        )
        echo("  " + drawn)
    else:
        echo("  " + _("not drawn yet: enter the public seed with 'assembly draw seed'"))
    for w in summary.witnesses:
        if w.role:
            echo("  " + _("witnessed by %(name)s (%(role)s)", name=w.name, role=w.role))
        else:
            echo("  " + _("witnessed by %(name)s", name=w.name))


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
    from assembly.core.library_words import shown
    from assembly.organiser.draws import draw_summary, run_draw

    if not math.isfinite(time_limit) or time_limit < 0:
        fail(
            _(
                "--time-limit must be a number of minutes, 0 or more (0: no limit), not %(value)s.",
                value=format(time_limit, "g"),
            )
        )

    def progress(event) -> None:
        echo(f"  {shown(event.message)}", err=True)

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
            echo(_("No draws yet."))
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
            fail(_("no draw has been run."))
        summary = draw_summary(db, draw_id)
        _print_draw(summary, assembly.timezone)
        if summary.drawn:
            echo("  " + _("feature / value: selected (min-max), pool share, target share"))
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
                name, _sep, role = item.partition(":")
                add_witness(db, draw_id, name, role, assembly.clock)
            summary = enter_seed(db, draw_id, seed, assembly.clock)
        _print_draw(summary, assembly.timezone)
        echo(
            # Translators: English says "members" for any number, as it always has
            ngettext(
                "%(num)s members selected: %(members)s",
                "%(num)s members selected: %(members)s",
                len(summary.panel),
                members=", ".join(summary.panel),
            )
        )


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
        echo(_("Recorded %(name)s as a witness of draw %(draw)s.", name=name, draw=draw_id))


@draw.command("bundle")
@ASSEMBLY
@click.argument("draw_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False))
def draw_bundle(assembly_path: str, draw_id: int, path: str) -> None:
    """Export the draw's audit bundle (JSON, no personal data) to PATH."""
    from assembly.organiser.draws import export_bundle

    with _opened(assembly_path) as assembly:
        export_bundle(assembly.db(), draw_id, path)
        echo(_("Wrote the audit bundle of draw %(draw)s to %(file)s.", draw=draw_id, file=path))


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
            echo(
                _(
                    "(estimated from sampled drop-outs, within about ±%(error)s)",
                    error=format(2 * error, ".2f"),
                )
            )


# ---------------------------------------------------------------- members


@click.group()
def members() -> None:
    """Panel members: statuses, replacements, access support, costs, exports, purge."""


@members.command("list")
@ASSEMBLY
@click.option("--all", "show_all", is_flag=True, help="Include withdrawn and replaced members.")
def members_list(assembly_path: str, show_all: bool) -> None:
    """Members by number with their status."""
    from assembly.organiser.members import ON_PANEL, all_members, status_word

    with _opened(assembly_path) as assembly:
        rows = [m for m in all_members(assembly.db()) if show_all or m.status in ON_PANEL]
        if not rows:
            echo(_("No panel members yet."))
        for m in rows:
            name = m.name or _("(removed)")
            line = f"  {m.number:>3} {m.ref:<10} {name:<28} {status_word(m.status)}"
            if m.replaces_number:
                line += " " + _("(replaces %(number)s)", number=m.replaces_number)
            echo(line)


@members.command("status")
@ASSEMBLY
@click.argument("number", type=int)
@click.argument("status", type=click.Choice(["selected", "invited", "confirmed", "withdrawn"]))
@click.option("--note", default="", help="Why (kept in the member's history).")
def members_status(assembly_path: str, number: int, status: str, note: str) -> None:
    """Change member NUMBER's status."""
    from assembly.organiser.members import set_status, status_word

    with _opened(assembly_path) as assembly:
        set_status(assembly.db(), number, status, assembly.clock, note)
        echo(_("Member %(number)s is now %(status)s.", number=number, status=status_word(status)))


@members.command("history")
@ASSEMBLY
@click.argument("number", type=int)
def members_history(assembly_path: str, number: int) -> None:
    """Member NUMBER's history, oldest first: when, the status it moved to, and why."""
    from assembly.core.clock import show
    from assembly.organiser.history_notes import note_in_words
    from assembly.organiser.members import history, status_word

    with _opened(assembly_path) as assembly:
        for event in history(assembly.db(), number):
            echo(
                _(
                    "%(when)s  %(status)s  %(note)s",
                    when=show(event["at"], assembly.timezone),
                    status=status_word(event["status"]),
                    note=note_in_words(event["note"] or ""),
                ).rstrip()
            )


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
            echo(_("Member %(old)s is replaced by member %(new)s.", old=old, new=new))
        echo(_("Replacement seed: %(seed)s", seed=result.seed))


@members.command("support")
@ASSEMBLY
@click.argument("number", type=int)
@click.option("--childcare/--no-childcare", default=None)
@click.option("--travel/--no-travel", default=None)
@click.option("--interpreter", help="e.g. BSL, or a spoken language ('' for none).")
@click.option(
    "--first-language",
    help="The member's first language, by name or code (Welsh, Cymraeg or cy). Cards print in "
    "English, Arabic, Bengali, Polish, Romanian, Urdu and Welsh, and in any language with a "
    "catalogue beside the file; any other language is recorded too, and the card prints in the "
    "working language.",
)
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
        needs = "; ".join(support.needs()) or _("none recorded")
        echo(
            _(
                "Member %(number)s: %(needs)s; honorarium %(honorarium)s.",
                number=number,
                needs=needs,
                honorarium=show_money(support.honorarium_pence),
            )
        )
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
    """Record an expense (KIND: travel, childcare, care, interpreter, equipment, other; or the
    same words in the working language)."""
    from assembly.core.money import show_money
    from assembly.organiser.support import (
        add_expense,
        expense_word,
        parse_pounds,
        typed_expense_kind,
    )

    with _opened(assembly_path) as assembly:
        pence = parse_pounds(amount)
        add_expense(assembly.db(), number, kind, pence, assembly.clock, description)
        echo(
            _(
                "Recorded %(amount)s %(kind)s for member %(number)s.",
                amount=show_money(pence),
                kind=expense_word(typed_expense_kind(kind) or kind),
                number=number,
            )
        )


@members.command("costs")
@ASSEMBLY
def members_costs(assembly_path: str) -> None:
    """Cost totals: honoraria and expenses by kind, and how many members need what."""
    from assembly.core.money import show_money
    from assembly.organiser.support import cost_totals, expense_word

    with _opened(assembly_path) as assembly:
        totals = cost_totals(assembly.db())
        echo(_("Honoraria: %(amount)s", amount=show_money(totals.honoraria_pence)))
        for kind, pence in totals.expenses_pence.items():
            echo(
                _(
                    "Expenses, %(kind)s: %(amount)s",
                    kind=expense_word(kind),
                    amount=show_money(pence),
                )
            )
        echo(_("Total: %(amount)s", amount=show_money(totals.total_pence)))
        for need, n in totals.members_with_needs.items():
            needing = ngettext(
                "%(num)s member needs %(need)s",
                "%(num)s members need %(need)s",
                n,
                num=Number(n),
                need=need,
            )
            echo("  " + needing)


@members.command("export-invitations")
@ASSEMBLY
@click.argument("path", type=click.Path(dir_okay=False))
def members_export_invitations(assembly_path: str, path: str) -> None:
    """Write the invitation list CSV (contacts and support only; no features)."""
    from assembly.organiser.exports import export_invitations

    with _opened(assembly_path) as assembly:
        n = export_invitations(assembly.db(), path)
        # Translators: English says "members" for any number, as it always has
        echo(
            ngettext(
                "Wrote %(num)s members to %(file)s.",
                "Wrote %(num)s members to %(file)s.",
                n,
                file=path,
            )
        )


@members.command("export-profile")
@ASSEMBLY
@click.argument("path", type=click.Path(dir_okay=False))
def members_export_profile(assembly_path: str, path: str) -> None:
    """Write the anonymised panel profile CSV (counts per value against targets)."""
    from assembly.organiser.exports import export_profile

    with _opened(assembly_path) as assembly:
        n = export_profile(assembly.db(), path)
        # Translators: English says "rows" for any number, as it always has
        echo(
            ngettext(
                "Wrote %(num)s rows to %(file)s.", "Wrote %(num)s rows to %(file)s.", n, file=path
            )
        )


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
                _(
                    "Remove the personal data of %(count)s respondents who are not members? "
                    "This cannot be undone.",
                    count=Number(n),
                ),
                abort=True,
            )
        result = purge_non_members(assembly.db(), assembly.clock)
        echo(
            _(
                "Removed the personal data of %(respondents)s respondents; %(members)s members "
                "keep theirs. The file was vacuumed.",
                respondents=Number(result.respondents),
                members=result.kept_members,
            )
        )
        if result.backups:
            echo(result.backups_warning())


COMMANDS = [pool, quotas, draw, members]
