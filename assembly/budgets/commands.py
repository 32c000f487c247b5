"""`assembly budget count`: count a Pabulib file from the command line, no assembly file needed.

Exit codes: 0 counted, 1 a tie the rule refuses to break, 2 bad input (a plain message, never
a traceback).
"""

from __future__ import annotations

import json
from fractions import Fraction

import click


@click.group("budget")
def budget_group() -> None:
    """Participatory budgeting: count Pabulib (.pb) files."""


def _amount(text: str, option: str) -> Fraction:
    from assembly.budgets.pbfile import PBFileError, parse_amount
    from assembly.core.cli_support import fail

    try:
        return parse_amount(text, path=option, line=0, column=option)
    except PBFileError:
        fail(f"{option}: '{text}' is not a number")
        raise


@budget_group.command("count")
@click.argument("pb_file", type=click.Path(dir_okay=False))
@click.option(
    "--rule",
    default=None,
    help="greedy, greedy-no-skip, greedy-threshold, "
    "greedy-exclusive, mes, mes-add1, mes-utilitarian, mes-add1-utilitarian "
    "(default: the file's rule).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the result (JSON).",
)
@click.option(
    "--utility",
    type=click.Choice(["cost", "cardinality"]),
    default="cost",
    show_default=True,
    help="MES: a voter's utility from a project.",
)
@click.option(
    "--increment",
    default="1",
    show_default=True,
    help="Add1: how much each voter's share grows per step.",
)
@click.option("--stop-when-exhaustive", is_flag=True, help="Add1: stop at an exhaustive outcome.")
@click.option("--whole-unit-start", is_flag=True, help="Add1: start from B/n rounded down.")
@click.option(
    "--compare-with-greedy",
    is_flag=True,
    help="MES: take greedy's outcome if more voters prefer it.",
)
@click.option("--threshold", default=None, help="Greedy: least score (default: the file's).")
@click.option(
    "--exclusive",
    multiple=True,
    help="Greedy-exclusive: comma-separated ids of "
    "projects of which at most one is funded (repeat for each group).",
)
@click.option(
    "--ties",
    default="cost,votes,lot",
    show_default=True,
    help="Tie order (keys from cost, votes, lot), or 'refuse'.",
)
@click.option("--seed", default="0", show_default=True, help="Public seed for the lot.")
def count_command(
    pb_file: str,
    rule: str | None,
    out: str,
    utility: str,
    increment: str,
    stop_when_exhaustive: bool,
    whole_unit_start: bool,
    compare_with_greedy: bool,
    threshold: str | None,
    exclusive: tuple[str, ...],
    ties: str,
    seed: str,
) -> None:
    """Count PB_FILE and write the selected projects, the money and every project's
    explanation to --out."""
    from assembly.budgets.pbfile import PBFileError, read_pb
    from assembly.budgets.report import outcome_json
    from assembly.budgets.rules import RuleError, RuleSpec, count, default_rule
    from assembly.budgets.ties import TIE_KEYS, TieError, TieOrder
    from assembly.core.cli_support import fail, write_text_or_fail

    if ties.strip() == "refuse":
        order = TieOrder(refuse=True, seed=seed)
    else:
        keys = tuple(k.strip() for k in ties.split(",") if k.strip())
        if not keys or any(k not in TIE_KEYS for k in keys):
            fail(f"--ties: '{ties}' is not 'refuse' or keys from {', '.join(TIE_KEYS)}")
        order = TieOrder(keys=keys, seed=seed)
    try:
        election = read_pb(pb_file)
    except PBFileError as error:
        fail(str(error))
        return
    name = rule or default_rule(election).name
    spec = RuleSpec(
        name,
        utility=utility,
        increment=_amount(increment, "--increment"),
        stop_when_exhaustive=stop_when_exhaustive,
        whole_unit_start=whole_unit_start,
        compare_with_greedy=compare_with_greedy,
        threshold=None if threshold is None else _amount(threshold, "--threshold"),
        exclusive=tuple(frozenset(g.split(",")) for g in exclusive),
        ties=order,
    )
    try:
        outcome = count(election, spec)
    except TieError as error:
        fail(f"{pb_file}: {error}. Nothing was written.", code=1)
        return
    except RuleError as error:
        fail(str(error))
        return
    write_text_or_fail(out, json.dumps(outcome_json(outcome), indent=2, ensure_ascii=False) + "\n")
    click.echo(
        f"Counted {pb_file} by {spec.name}: {len(outcome.selected)} projects funded, "
        f"{float(outcome.spent):,.2f} of {float(outcome.budget):,.2f} spent. Wrote {out}."
    )


COMMANDS = [budget_group]
