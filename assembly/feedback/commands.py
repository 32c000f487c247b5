"""Commands for the feedback log: verify its chain, import and export responses, write the
"you said, we did" report, and serve the read-only Scrutiny screens to a browser."""

from __future__ import annotations

import shlex
import sys
from datetime import date
from pathlib import Path

import click

from assembly.core.i18n import _
from assembly.core.library_words import refusal
from assembly.core.terminal import echo


def _today(assembly, given: str | None) -> date:
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            from assembly.core.cli_support import fail

            fail(_("--today %(given)s is not a date like 2026-12-31.", given=repr(given)))
    from assembly.core.clock import local

    return local(assembly.clock.now(), assembly.timezone).date()


def _sentence(text: str) -> str:
    """`text` ending in a full stop, so a following sentence does not run into it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        echo(text, nl=not text.endswith("\n"))
    else:
        from assembly.core.cli_support import write_text_or_fail

        write_text_or_fail(output, text)  # owner-only: a report may carry officers' names
        echo(_("Wrote %(path)s.", path=output), err=True)


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
@click.option(
    "--checkpoints",
    "checkpoints_file",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Published signed checkpoints (e.g. minutes): each must be a prefix of today's log.",
)
@click.option(
    "--key-id",
    "key_ids",
    multiple=True,
    metavar="ID",
    help="Accept checkpoints signed only by this key (as 'log new-key' printed it).",
)
def verify_command(
    path: str,
    deep: bool,
    expect: str | None,
    checkpoints_file: str | None,
    key_ids: tuple[str, ...],
) -> None:
    """Check the log's hash chain; exit 1 and name the first broken entry if it fails."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.feedback import checkpoints as cps
    from assembly.feedback.verify import verify_log

    published = None
    if checkpoints_file:
        from sortition.tabular import TableError, read_file

        try:
            raw = read_file(checkpoints_file)  # a regular file only
            text = raw.decode("utf-8-sig")  # not words
            published = cps.parse_checkpoints(text, checkpoints_file)
        except TableError as error:
            fail(_("%(error)s.", error=refusal(error)))
        except UnicodeDecodeError:
            fail(_("%(path)s is not UTF-8 text.", path=checkpoints_file))
        except cps.CheckpointError as error:
            fail(str(error))

    wanted = None
    if expect:
        seq_text, _colon, wanted_hash = expect.replace(",", "").partition(":")
        if not seq_text.strip().isdigit() or len(wanted_hash.strip()) != 64:
            fail(
                _(
                    "--expect %(expect)s should look like 48:e6e73d… (an entry number, a colon, "
                    "64 hex digits).",
                    expect=repr(expect),
                )
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
        verdicts = []
        if published is not None and check.ok:
            pinned = {" ".join(k.split()) for k in key_ids} or None
            verdicts = cps.check_checkpoints(db, check, published, pinned)
    finally:
        assembly.close()
    echo(check.describe())
    if not check.ok:
        sys.exit(1)
    for verdict in verdicts:
        echo(verdict.message if verdict.ok else f"✗ {verdict.message}")
    if any(not v.ok for v in verdicts):
        echo(_("The log is not the one the committee published: it did not only grow."))
        sys.exit(1)
    if wanted and found != wanted[1]:
        if found is None:
            said = _(
                "✗ Entry %(entry)s does not match the published fingerprint (the log has no such "
                "entry). The log was rewritten after the fingerprint was published.",
                entry=wanted[0],
            )
        else:
            said = _(
                "✗ Entry %(entry)s does not match the published fingerprint (it now has hash "
                "%(hash)s). The log was rewritten after the fingerprint was published.",
                entry=wanted[0],
                hash=found,
            )
        echo(said)
        sys.exit(1)
    if wanted:
        echo(_("✓ Entry %(entry)s still matches the published fingerprint.", entry=wanted[0]))
    echo(
        _(
            "Fingerprint: %(fingerprint)s\n"
            "Publish it (reports print it too); later, check the log still holds it with "
            "--expect %(entries)s:%(head)s",
            fingerprint=check.fingerprint(),
            entries=check.entries,
            head=check.head,
        )
    )
    sys.exit(0)


@log_group.command("new-key")
@click.argument("key_path", metavar="KEYFILE", type=click.Path(dir_okay=False))
def new_key_command(key_path: str) -> None:
    """Make the clerk's signing key for checkpoints (a file only its owner can read)."""
    from assembly.core.cli_support import fail
    from assembly.feedback.checkpoints import CheckpointError, new_key

    try:
        ident = new_key(key_path)
    except CheckpointError as error:
        fail(str(error))
    echo(
        _(
            "Wrote the signing key %(path)s (key id %(key)s). Keep it private and backed up; "
            "publish the key id with your first checkpoint.",
            path=key_path,
            key=ident,
        )
    )


@log_group.command("checkpoint")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--key", "key_path", required=True, type=click.Path(dir_okay=False), help="The clerk's key."
)
@click.option("--time", "at", default=None, hidden=True, help="UTC time to sign (tests only).")
@click.option("-o", "--output", default=None, help="File to write (default: standard output).")
def checkpoint_command(path: str, key_path: str, at: str | None, output: str | None) -> None:
    """Sign where the log and the draw record stand now (entries, last hashes, time), to
    publish in the minutes."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.core.clock import to_iso
    from assembly.feedback.checkpoints import CheckpointError, load_key, make_checkpoint
    from assembly.feedback.verify import verify_log

    try:
        key = load_key(key_path)
    except CheckpointError as error:
        fail(str(error))
    from assembly.organiser.draws_record import verify_record

    assembly = open_or_fail(path, read_only=True)
    try:
        check = verify_log(assembly.db(), deep=True)
        record = verify_record(assembly.db())  # one signature covers the draw record too
        name = assembly.name
        when = at or to_iso(assembly.clock.now())
    finally:
        assembly.close()
    try:
        text = make_checkpoint(name, check, when, key, record)
    except CheckpointError as error:
        fail(str(error), code=1 if not (check.ok and record.ok) else 2)
    _write(text, output)


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
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.feedback import csv_exchange as feedback_csv
    from assembly.feedback import decidim
    from assembly.feedback.entries import FeedbackError
    from assembly.store import StoreError
    from sortition.tabular import TableError, read_file

    try:
        text = read_file(source).decode("utf-8-sig")  # not words
    except TableError as error:
        fail(_("%(error)s. Nothing was imported.", error=refusal(error)))
    except UnicodeDecodeError:
        fail(_("%(path)s is not UTF-8 text; save it as 'CSV UTF-8' and try again.", path=source))
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
        fail(_("%(error)s Nothing was imported.", error=_sentence(str(error))))
    finally:
        assembly.close()
    echo(_("Imported %(path)s: %(summary)s", path=source, summary=result.describe()))


@log_group.command("track-ideas")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--actor", required=True, help="Who is recording this (kept in the log).")
def track_ideas_command(path: str, actor: str) -> None:
    """Track every idea from the sessions that the log does not track yet."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.feedback.entries import FeedbackError
    from assembly.feedback.writes import track_ideas
    from assembly.store import StoreError

    assembly = open_or_fail(path)
    try:
        new = track_ideas(assembly.db(), actor=actor, clock=assembly.clock)
    except (FeedbackError, StoreError) as error:
        fail(str(error))
    finally:
        assembly.close()
    echo(_("Now tracking %(count)s more ideas from the sessions.", count=len(new)))


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
    from assembly.core.cli_support import open_or_fail
    from assembly.feedback import csv_exchange as feedback_csv
    from assembly.feedback import decidim

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


def _working_report_language(path: str) -> str | None:
    """The file's working language for a report asked for in none; None (the report's own
    English) when it is English or has no catalogue to word a report with."""
    from assembly.core.cli_support import open_or_fail
    from assembly.core.i18n import SOURCE_LANGUAGE, has_catalogue, override_dir
    from assembly.store.languages import working_language

    assembly = open_or_fail(path, read_only=True)
    try:
        language = working_language(assembly.db())
    finally:
        assembly.close()
    if language.split("-")[0] == SOURCE_LANGUAGE or not has_catalogue(language, override_dir(path)):
        return None
    return language


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
@click.option(
    "--lang",
    "language",
    default=None,
    metavar="CODE",
    help="The report's language, e.g. cy, pl, ur, bn, ar or ro (default: the file's working "
    "language).",
)
@click.option(
    "--bilingual",
    type=click.Choice(["first", "side"]),
    default=None,
    help="Also in English: after the --lang report (first), or beside it (side, HTML only).",
)
def report_command(
    path: str,
    form: str,
    output: str | None,
    with_names: bool,
    today: str | None,
    language: str | None,
    bilingual: str | None,
) -> None:
    """Write the "you said, we did" report: every item and what was done about it.

    With --bilingual and no --lang, the report is in Welsh and English."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.core.i18n import LanguageError, check_language, has_catalogue, override_dir
    from assembly.feedback import reports

    if bilingual and language is None:
        language = "cy"
    if form == "csv" and (language or bilingual):
        fail(
            _(
                "--lang and --bilingual are for --format md or html: the CSV's columns are field "
                "names that spreadsheets and the import read back, so they stay in English."
            )
        )
    if bilingual == "side" and form != "html":
        fail(_("--bilingual side needs --format html (Markdown has no columns); use first."))
    if language is None and form != "csv":
        language = _working_report_language(path)
    try:
        if language is not None:
            language = check_language(language)
            if not has_catalogue(language, override_dir(path)):
                fail(
                    _(
                        "--lang %(language)s: there is no catalogue for it. Use a shipped "
                        "language (%(shipped)s) or put %(language)s.po in %(folder)s (see "
                        "docs/languages.md).",
                        language=language,
                        shipped=", ".join(reports.shipped()),
                        folder=override_dir(path),
                    )
                )
        if bilingual and language.split("-")[0] == "en":
            fail(_("--bilingual adds English to another language: give --lang, e.g. --lang cy."))
        tr = reports.report_translator(language, path)
        also = reports.report_translator(None, path) if bilingual else None
    except LanguageError as error:
        fail(f"--lang: {error}")
    assembly = open_or_fail(path, read_only=True)
    try:
        report = reports.build_report(
            assembly.db(), _today(assembly, today), include_names=with_names
        )
    finally:
        assembly.close()
    if form == "csv":
        text = reports.to_csv(report)
    elif form == "md":
        text = (
            reports.bilingual_markdown(report, tr, also)
            if also
            else reports.to_markdown(report, tr)
        )
    else:
        text = reports.to_html(report, tr, also=also, layout=bilingual or "first")
    _write(text, output)


def serve_command_line(path: Path) -> str:
    """The command textual-serve runs for each browser: the app, read-only, on this file."""
    return shlex.join(
        [sys.executable, "-m", "assembly", "open", str(path.resolve()), "--read-only"]
    )


def make_server(path: Path, host: str, port: int, *, max_viewers: int | None = None):
    from assembly.feedback.web import DEFAULT_MAX_VIEWERS, ScrutinyServer

    return ScrutinyServer(
        serve_command_line(path),
        host=host,
        port=port,
        title=_("Scrutiny — %(file)s", file=path.name),
        max_viewers=max_viewers or DEFAULT_MAX_VIEWERS,
    )


@click.command("serve")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--max-viewers",
    default=4,
    show_default=True,
    type=click.IntRange(1, 50),
    help="Browser tabs served at once (each runs the app, about 140 MB).",
)
def serve_command(path: str, host: str, port: int, max_viewers: int) -> None:
    """Open the read-only Scrutiny screens in a web browser (committee members without terminals).

    Only people given the printed link (it holds a random access token) can open them.
    """
    from assembly.core.cli_support import open_or_fail
    from assembly.core.web_security import LOOPBACK

    open_or_fail(path, read_only=True).close()  # fail here, plainly, for a bad file
    server = make_server(Path(path), host, port, max_viewers=max_viewers)
    if host not in LOOPBACK:
        echo(
            _(
                "Warning: listening on %(host)s, so other computers on the network can reach "
                "this server. Only people given the link below can open it, but anyone who sees "
                "the link can read this assembly's feedback log. Use the default 127.0.0.1 to "
                "keep it on this computer.",
                host=host,
            ),
            err=True,
        )
    echo(
        _(
            "Serving %(path)s read-only, for up to %(viewers)s viewers at once (Ctrl+C to "
            "stop).\nOpen this link (it holds the access token; share it only with invited "
            "viewers):\n    %(url)s",
            path=path,
            viewers=max_viewers,
            url=server.url,
        )
    )
    sys.stdout.flush()
    server.serve()


COMMANDS = [log_group, serve_command]
