"""Commands for the feedback log: verify its chain, import and export responses, write the
"you said, we did" report, and serve the read-only Scrutiny screens to a browser."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path

import click

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _today(assembly, given: str | None) -> date:
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            from assembly.cli import fail

            fail(f"--today {given!r} is not a date like 2026-12-31.")
    from assembly.domain.clock import local

    return local(assembly.clock.now(), assembly.timezone).date()


def _sentence(text: str) -> str:
    """`text` ending in a full stop, so a following sentence does not run into it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        click.echo(text, nl=not text.endswith("\n"))
    else:
        from assembly.commands.sessions import write_text_or_fail

        write_text_or_fail(output, text)  # owner-only: a report may carry officers' names
        click.echo(f"Wrote {output}.", err=True)


@click.group("log")
def log_group() -> None:
    """The feedback log: verify, import, export and report."""


@log_group.command("verify")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--deep", is_flag=True, help="Also replay every entry and compare each item's whole summary."
)
@click.option(
    "--expect",
    default=None,
    metavar="ENTRY:HASH",
    help="A published fingerprint: entry ENTRY must still have this hash.",
)
def verify_command(path: str, deep: bool, expect: str | None) -> None:
    """Check the log's hash chain; exit 1 and name the first broken entry if it fails."""
    from assembly.cli import fail, open_or_fail
    from assembly.domain.feedback_log import verify_log

    wanted = None
    if expect:
        seq_text, _, wanted_hash = expect.replace(",", "").partition(":")
        if not seq_text.strip().isdigit() or len(wanted_hash.strip()) != 64:
            fail(
                f"--expect {expect!r} should look like 48:e6e73d… (an entry number, a colon, 64 hex digits)."
            )
        wanted = (int(seq_text), wanted_hash.strip().lower())
    assembly = open_or_fail(path, read_only=True)
    try:
        db = assembly.db()
        check = verify_log(db, deep=deep)
        found = None
        if wanted:
            row = db.execute(
                "select hash from feedback_entries where seq = ?", [wanted[0]]
            ).fetchone()
            found = row[0] if row else None
    finally:
        assembly.close()
    click.echo(check.describe())
    if not check.ok:
        sys.exit(1)
    if wanted and found != wanted[1]:
        click.echo(
            f"✗ Entry {wanted[0]} does not match the published fingerprint "
            + ("(the log has no such entry)." if found is None else f"(it now has hash {found}).")
            + " The log was rewritten after the fingerprint was published."
        )
        sys.exit(1)
    if wanted:
        click.echo(f"✓ Entry {wanted[0]} still matches the published fingerprint.")
    click.echo(
        f"Fingerprint: {check.fingerprint()}\n"
        "Publish it (reports print it too); later, check the log still holds it with "
        f"--expect {check.entries}:{check.head}"
    )
    sys.exit(0)


@log_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@click.option("--actor", required=True, help="Who is recording these responses (kept in the log).")
@click.option(
    "--format",
    "form",
    type=click.Choice(["auto", "csv", "decidim"]),
    default="auto",
    show_default=True,
    help="csv: this app's export columns; decidim: a Decidim accountability results file.",
)
@click.option("--locale", default=None, help="Decidim language column to read, e.g. en or cy.")
def import_command(path: str, source: str, actor: str, form: str, locale: str | None) -> None:
    """Record responses from SOURCE (a CSV file) in the log of PATH, all or nothing."""
    from assembly.cli import fail, open_or_fail
    from assembly.domain import decidim, feedback_csv
    from assembly.domain.feedback_log import FeedbackError
    from assembly.store import StoreError

    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{source} is not UTF-8 text; save it as 'CSV UTF-8' and try again.")
    if form == "auto":
        header = text.split("\n", 1)[0]
        own = "item_id" in header  # this app's own columns, whatever the separator
        form = (
            "decidim"
            if not own and ("title/" in header or header.count(";") > header.count(","))
            else "csv"
        )
    assembly = open_or_fail(path)
    try:
        if form == "decidim":
            result = decidim.import_decidim(
                assembly.db(),
                text,
                actor=actor,
                clock=assembly.clock,
                locale=locale,
                source_name=source,
            )
        else:
            result = feedback_csv.import_csv(
                assembly.db(), text, actor=actor, clock=assembly.clock, source_name=source
            )
    except (FeedbackError, StoreError) as error:
        fail(f"{_sentence(str(error))} Nothing was imported.")
    finally:
        assembly.close()
    click.echo(f"Imported {source}: {result.describe()}")


@log_group.command("track-ideas")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--actor", required=True, help="Who is recording this (kept in the log).")
def track_ideas_command(path: str, actor: str) -> None:
    """Track every idea from the sessions that the log does not track yet."""
    from assembly.cli import fail, open_or_fail
    from assembly.domain.feedback_log import FeedbackError, track_ideas
    from assembly.store import StoreError

    assembly = open_or_fail(path)
    try:
        new = track_ideas(assembly.db(), actor=actor, clock=assembly.clock)
    except (FeedbackError, StoreError) as error:
        fail(str(error))
    finally:
        assembly.close()
    click.echo(f"Now tracking {len(new)} more ideas from the sessions.")


@log_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--format", "form", type=click.Choice(["csv", "decidim"]), default="csv", show_default=True
)
@click.option(
    "--locale", default="en", show_default=True, help="Language code for Decidim columns."
)
@click.option("-o", "--output", default=None, help="File to write (default: standard output).")
def export_command(path: str, form: str, locale: str, output: str | None) -> None:
    """Export every item's current state, to edit and import back, or to publish in Decidim."""
    from assembly.cli import open_or_fail
    from assembly.domain import decidim, feedback_csv

    assembly = open_or_fail(path, read_only=True)
    try:
        db = assembly.db()
        text = (
            decidim.export_decidim(db, locale=locale)
            if form == "decidim"
            else feedback_csv.export_csv(db)
        )
    finally:
        assembly.close()
    _write(text, output)


@log_group.command("report")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--format", "form", type=click.Choice(["md", "html", "csv"]), default="md", show_default=True
)
@click.option("-o", "--output", default=None, help="File to write (default: standard output).")
@click.option(
    "--with-names", is_flag=True, help="Include who recorded each change (personal names)."
)
@click.option("--today", default=None, help="Judge overdue responses as of this date (YYYY-MM-DD).")
def report_command(
    path: str, form: str, output: str | None, with_names: bool, today: str | None
) -> None:
    """Write the "you said, we did" report: every item and what was done about it."""
    from assembly.cli import open_or_fail
    from assembly.domain import reports

    assembly = open_or_fail(path, read_only=True)
    try:
        report = reports.build_report(
            assembly.db(), _today(assembly, today), include_names=with_names
        )
    finally:
        assembly.close()
    _write(reports.FORMATS[form](report), output)


def serve_command_line(path: Path) -> str:
    """The command textual-serve runs for each browser: the app, read-only, on this file."""
    return shlex.join(
        [sys.executable, "-m", "assembly", "open", str(path.resolve()), "--read-only"]
    )


def make_server(path: Path, host: str, port: int):
    from textual_serve.server import Server

    return Server(serve_command_line(path), host=host, port=port, title=f"Scrutiny — {path.name}")


@click.command("serve")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve_command(path: str, host: str, port: int) -> None:
    """Open the read-only Scrutiny screens in a web browser (committee members without terminals)."""
    from assembly.cli import open_or_fail

    open_or_fail(path, read_only=True).close()  # fail here, plainly, for a bad file
    if host not in LOOPBACK:
        click.echo(
            f"Warning: listening on {host}, so other computers on the network can read this "
            "assembly's feedback log. Use the default 127.0.0.1 to keep it on this computer.",
            err=True,
        )
    click.echo(f"Serving {path} read-only at http://{host}:{port} (Ctrl+C to stop).", err=True)
    make_server(Path(path), host, port).serve()


COMMANDS = [log_group, serve_command]
