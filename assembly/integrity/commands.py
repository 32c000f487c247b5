"""`assembly verify FILE [--checkpoints FILE]`: check everything in the file, one command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assembly.core.i18n import Number, _, ngettext
from assembly.core.terminal import echo


@click.command("verify")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--checkpoints",
    "checkpoints_file",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Published signed checkpoints (e.g. minutes): each must be a prefix of today's file.",
)
@click.option(
    "--key-id",
    "key_ids",
    multiple=True,
    metavar="ID",
    help="Accept checkpoints signed only by this key (as 'log new-key' printed it).",
)
def verify_command(path: str, checkpoints_file: str | None, key_ids: tuple[str, ...]) -> None:
    """Check the whole file: the feedback log, the draw record, every draw, its witnesses, the
    members and the respondents' features; exit 1 with one line per finding (table and row)."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.feedback import checkpoints as cps
    from assembly.integrity.file_check import verify_file

    published = None
    if checkpoints_file:
        try:
            text = Path(checkpoints_file).read_text(encoding="utf-8-sig")
            published = cps.parse_checkpoints(text, checkpoints_file)
        except OSError as error:
            fail(
                _(
                    "%(file)s: cannot be read (%(reason)s).",
                    file=checkpoints_file,
                    reason=error.strerror or error,
                )
            )
        except UnicodeDecodeError:
            fail(_("%(file)s is not UTF-8 text.", file=checkpoints_file))
        except cps.CheckpointError as error:
            fail(str(error))
    assembly = open_or_fail(path, read_only=True)
    try:
        pinned = {" ".join(k.split()) for k in key_ids} or None
        result = verify_file(assembly.db(), published, pinned)
    finally:
        assembly.close()
    if not result.ok:
        for finding in result.findings:
            echo(finding.line())
        count = len(result.findings)
        echo(
            ngettext(
                "%(num)s finding: the file is not as the app recorded it.",
                "%(num)s findings: the file is not as the app recorded it.",
                count,
            )
        )
        sys.exit(1)
    echo(result.log.describe())
    echo(result.record.describe())
    counts = result.counts
    draws, witnesses, members = counts["draws"], counts["draw_witnesses"], counts["members"]
    echo(
        _(
            "✓ %(draws)s, %(witnesses)s and %(members)s match the draw record; the respondents' "
            "features and households match the pools the draws' fingerprints cover.",
            draws=ngettext("%(num)s draw", "%(num)s draws", draws, num=Number(draws)),
            witnesses=ngettext(
                "%(num)s witness", "%(num)s witnesses", witnesses, num=Number(witnesses)
            ),
            members=ngettext("%(num)s member", "%(num)s members", members, num=Number(members)),
        )
    )
    for verdict in result.checkpoints:
        echo(verdict.message)
    echo(
        _(
            "Fingerprints: log %(log)s; draw record %(record)s",
            log=result.log.fingerprint(),
            record=result.record.fingerprint(),
        )
    )
    if published is None:
        echo(
            _(
                "Checked against the file alone. A rewrite after the last checkpoint published "
                "outside the file shows only with --checkpoints."
            )
        )
    sys.exit(0)


COMMANDS = [verify_command]
