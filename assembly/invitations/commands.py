"""`assembly invitations ...`: the mailing frame, the letters' lottery, the letters themselves,
the registrations that come back and the response rates, through the same services the
Invitations screens use.

Each command is one transaction. Exit codes: 0 done, 1 a check that failed (`verify`), 2 bad
input or a refusal (a plain message naming the file, row and column, never a traceback).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from assembly.core.terminal import echo

ASSEMBLY = click.argument("assembly_path", metavar="FILE", type=click.Path(dir_okay=False))
ENCODING = click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="The files' text encoding when it is not UTF-8, e.g. cp1252 (never guessed).",
)


@contextlib.contextmanager
def _opened(path: str, *, read_only: bool = False) -> Iterator:
    """The opened file; an InvitationError becomes a plain message and exit 2."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.invitations.errors import InvitationError

    assembly = open_or_fail(path, read_only=read_only)
    try:
        yield assembly
    except InvitationError as error:
        fail(f"{error.title}: {error}")
    finally:
        assembly.close()


@click.group("invitations")
def invitations() -> None:
    """Invitations by lottery: the address frame, letters, registrations and response rates."""


@invitations.command("addresses")
@ASSEMBLY
@click.argument("addresses", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--postcodes",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A postcode directory extract (ONSPD or NSPL): postcode to LSOA and ward.",
)
@click.option(
    "--deprivation",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A deprivation file: LSOA code to IMD decile (and rank).",
)
@ENCODING
def addresses_command(
    assembly_path: str,
    addresses: str,
    postcodes: str | None,
    deprivation: str | None,
    encoding: str | None,
) -> None:
    """Import the mailing frame ADDRESSES (.csv or .xlsx) into FILE, joined to areas."""
    from assembly.invitations.frame import import_frame

    with _opened(assembly_path) as assembly:
        report = import_frame(
            assembly.db(),
            addresses,
            postcodes_path=postcodes,
            deprivation_path=deprivation,
            encoding=encoding,
        )
        verb = "Replaced the frame with" if report.replaced else "Imported"
        echo(f"{verb} {report.addresses:,} addresses from {report.file_name}.")
        if postcodes:
            n = len(report.unmatched_postcodes)
            echo(f"Postcodes not in the postcode directory: {n:,}")
            for key in report.unmatched_postcodes[:20]:
                echo(f"  {key}")
            if n > 20:
                echo(f"  and {n - 20:,} more")
        echo(f"Addresses without a deprivation decile: {report.without_decile:,}")
        for lsoa in report.lsoas_without_decile[:20]:
            echo(f"  LSOA {lsoa} has no decile in the deprivation file")


COMMANDS = [invitations]
