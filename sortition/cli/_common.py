"""What the command modules share: exit codes, reading the instance, reporting failures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from sortition import Infeasible, Instance, ProgressEvent, SortitionError, read_instance

EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2


class Failed(click.ClickException):
    """A check that failed: message printed, exit status 1."""

    exit_code = EXIT_INFEASIBLE


def bad(error: SortitionError | ValueError) -> click.ClickException:
    """Bad input: message printed, exit status 2."""
    problem = click.ClickException(str(error))
    problem.exit_code = EXIT_BAD_INPUT
    return problem


def echo_progress(event: ProgressEvent) -> None:
    share = f" {event.fraction:.0%}" if event.fraction is not None else ""
    click.echo(f"[{event.stage}{share}] {event.message}", err=True)


def split_ids(values: Sequence[str]) -> list[str]:
    """Ids given as repeated options, or separated by commas or spaces."""
    return [part for value in values for part in value.replace(",", " ").split()]


def columns(values: Sequence[str]) -> list[str]:
    """Column names given repeated or comma-separated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def read(
    quotas: str, people: str, panel_size: int, id_column: str | None, address: Sequence[str]
) -> Instance:
    """The instance from the quotas and people files, as the options name them."""
    return read_instance(
        quotas, people, panel_size, id_column=id_column, address_columns=tuple(columns(address))
    )


def relaxed_path(quotas: str, given: str | None) -> Path:
    if given:
        return Path(given)
    path = Path(quotas)
    return path.with_name(f"{path.stem}-relaxed{path.suffix or '.csv'}")


def report_infeasible(problem: Infeasible, quotas_out: Path | None) -> str:
    """Why the quotas cannot be met; the proposed relaxation written to `quotas_out`."""
    from sortition import Loosening, write_quotas

    text = problem.explanation
    relaxation = problem.relaxation
    if quotas_out is not None and isinstance(relaxation, Loosening):
        write_quotas(quotas_out, relaxation.quotas)
        text += f"\nRelaxed quotas written to {quotas_out}"
    return text


class OnceOnly(click.Command):
    """A command whose single-valued options may each be given once: a second `--id-column`
    is refused (exit 2) rather than silently replacing the first, as click would. Options that
    may be repeated (`--address-columns`) accumulate."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        single: dict[str, click.Option] = {}
        takes_value: set[str] = set()
        for param in self.params:
            if not isinstance(param, click.Option) or param.is_flag or param.count:
                continue
            for name in param.opts:
                takes_value.add(name)
                if not param.multiple:
                    single[name] = param
        seen: dict[str, str] = {}
        tokens = iter(args)
        for token in tokens:
            if token == "--":
                break
            name, has_value, _ = token.partition("=")
            if name not in takes_value:
                continue
            if not has_value:
                next(tokens, None)  # the option's value, whatever it looks like
            param = single.get(name)
            if param is None:
                continue
            if param.name in seen:
                raise click.UsageError(
                    f"{name} was given more than once (first as {seen[param.name]}); it takes "
                    "one value, so give it once.",
                    ctx,
                )
            seen[str(param.name)] = name
        return super().parse_args(ctx, args)


def people_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--id-column and --address-columns, as every command reading a people file has them."""
    command = click.option(
        "--address-columns",
        "--address-column",
        "address_columns",
        multiple=True,
        help="Column(s) that together identify a household, comma-separated or repeated; "
        "one person per household.",
    )(command)
    return click.option("--id-column", help="Column holding each respondent's id (default: 'id').")(
        command
    )
