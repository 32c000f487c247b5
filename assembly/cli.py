"""The `assembly` command: make, open and inspect assembly files; each area adds its own commands.

Each area lists its click commands or groups in `COMMANDS` in its own `commands.py`; this file
registers each area's module (`AREA_COMMANDS`), so a new command needs no edit here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from assembly.agenda import commands as agenda_commands
from assembly.agenda.room import commands as room_commands
from assembly.budgets import commands as budgets_commands
from assembly.core.cli_language import (
    NewFileLanguage,
    environment_language,
    new_file_language,
    speak,
)
from assembly.core.cli_support import fail, open_or_fail
from assembly.core.i18n import (
    LanguageError,
    _,
    check_language,
    has_catalogue,
    override_dir,
    use_working_language,
)
from assembly.core.terminal import echo
from assembly.feedback import commands as feedback_commands
from assembly.integrity import commands as integrity_commands
from assembly.invitations import commands as invitations_commands
from assembly.organiser import commands as organiser_commands
from assembly.sessions import commands as sessions_commands
from assembly.store import (
    AssemblyFile,
    StoreError,
    create_assembly,
    language_commands,
    languages,
)
from assembly.store import commands as store_commands
from assembly.tables import commands as tables_commands

AREA_COMMANDS = (
    agenda_commands,
    budgets_commands,
    store_commands,
    feedback_commands,
    integrity_commands,
    language_commands,
    invitations_commands,
    organiser_commands,
    room_commands,
    sessions_commands,
    tables_commands,
)


def _use_assembly_local_time(timezone: str) -> None:
    """The header clock and any naive local time in the UI follow the assembly's time zone, not
    the laptop's (stored times are UTC and converted explicitly either way)."""
    import os
    import time

    if hasattr(time, "tzset"):
        os.environ["TZ"] = timezone
        time.tzset()


def has_terminal() -> bool:
    """Whether the app can be shown: a terminal on both ends, or textual-serve's web driver
    (`assembly serve` runs the app for each browser through pipes)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(
    assembly, *, mode: str | None = None, read_only: bool = False, language: str | None = None
) -> None:
    """The one way a command starts the app on a file (tests replace it to see what a command
    would open, without a terminal). `language`: the screens' language for this sitting, when
    not the file's working language."""
    from assembly.ui.app import AssemblyApp
    from sortition import silence_solver_banner

    if not has_terminal():
        fail(
            _(
                "The app needs a terminal, and this command has none (its input or output is a "
                "file or a pipe). Run `assembly open %(path)s` in a terminal window.",
                path=assembly.path,
            )
        )
    silence_solver_banner()  # before the UI owns the terminal: no solver banner over the screen
    _use_assembly_local_time(assembly.timezone)
    AssemblyApp(assembly, mode=mode, read_only=read_only, language=language).run()


class _PlainErrors(click.Group):
    """Any command: a busy, read-only or damaged file ends in a plain message, never a traceback.
    Its help and messages start in the environment's language (`cli_language`)."""

    def main(self, *args, **kwargs):
        speak(self, environment_language())
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        import sqlite3

        from assembly.store.database import explain_sqlite_error

        try:
            return super().invoke(ctx)
        except StoreError as error:
            fail(str(error))
        except sqlite3.Error as error:
            fail(str(explain_sqlite_error(error)))


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--version` in the language of the moment (click's own option words its line once, in
    English, when the command is declared)."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    echo(
        _(
            "%(prog)s, version %(version)s",
            prog=ctx.find_root().info_name,
            version=version("assembly-toolkit"),  # not words
        )
    )
    ctx.exit()


@click.group(cls=_PlainErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Citizens' assemblies, offline: fair panels, live sessions, and a feedback log to scrutinise."""


@main.command()
@click.argument("path", default="example.assembly.db", type=click.Path(dir_okay=False))
@click.option("--no-open", is_flag=True, help="Only write the example; do not open the app.")
@click.option("--replace", is_flag=True, help="Replace an existing file without asking.")
def demo(path: str, no_open: bool, replace: bool) -> None:
    """Write the ready example assembly to PATH and open it (asks before replacing a file)."""
    from assembly.demo import part_title
    from sortition import silence_solver_banner

    if Path(path).exists() and not replace:
        # it may hold an hour of practice: replace only on a clear yes, else open it as it is
        try:
            answer = click.confirm(
                _(
                    "%(path)s already exists and may hold your practice work. Replace it with a "
                    "fresh example?",
                    path=path,
                ),
                default=False,
            )
        except click.Abort:
            answer = False
            echo()
        if not answer:
            echo(_("Kept %(path)s as it was.", path=path))
            if not no_open:
                run_app(open_or_fail(path))
            return
    silence_solver_banner()  # the solvers run while the app owns the terminal
    if not no_open and has_terminal():
        _build_demo_in_app(path)
        return

    echo(_("Writing the example assembly to %(path)s (a few seconds) …", path=path))

    def progress(done: int, total: int, part: str) -> None:
        echo(
            "  "
            + _("%(done)s of %(total)s: %(part)s", done=done, total=total, part=part_title(part))
        )

    try:
        build_example(path, progress=progress).close()
    except StoreError as error:
        fail(str(error))
    echo(_("Wrote the example assembly to %(path)s.", path=path))
    if not no_open:
        echo(
            _(
                "There is no terminal here to show the app: open it in one with "
                "`assembly open %(path)s`.",
                path=path,
            )
        )


def build_example(path: str | Path, **options) -> AssemblyFile:
    """`build_demo`, its working language the environment's when the app ships a catalogue for
    it (`new_file_language`). Its residents' words are English, as written: residents may
    choose English as well."""
    from assembly.demo import build_demo

    assembly = build_demo(path, **options)
    language = new_file_language()
    if language != languages.DEFAULT_LANGUAGE:
        languages.set_languages(
            assembly.db(), working=language, residents=[language, languages.DEFAULT_LANGUAGE]
        )
    return assembly


def _build_demo_in_app(path: str) -> None:
    """The app at once, on the example being built; the Organiser home when it is ready."""
    from assembly.demo import DEMO_TIMEZONE
    from assembly.demo.screens.building import DemoBuildScreen
    from assembly.ui.app import AssemblyApp

    _use_assembly_local_time(DEMO_TIMEZONE)
    AssemblyApp(preparing=DemoBuildScreen(path, build=build_example)).run()


@main.command("open")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--mode",
    type=click.Choice(["organiser", "facilitator", "scrutiny"]),
    default=None,
    help="Which mode to start in (default: Facilitator if a session is running, else Organiser).",
)
@click.option("--read-only", is_flag=True, help="Review only: nothing can be changed.")
@click.option(
    "--lang",
    "language",
    default=None,
    help="The screens' language for this sitting (a tag such as cy or en-GB; default: the "
    "file's working language).",
)
def open_command(path: str, mode: str | None, read_only: bool, language: str | None) -> None:
    """Open an existing assembly file in the app."""
    if language is not None:
        try:
            language = check_language(language)
        except LanguageError as error:
            fail(str(error))
    assembly = open_or_fail(path, read_only=read_only)
    if language is not None and not has_catalogue(language, override_dir(assembly.path)):
        fail(
            _(
                "There is no catalogue for %(language)s, so the screens cannot be shown in it. "
                "See `assembly languages list %(path)s`.",
                language=repr(language),
                path=path,
            )
        )
    run_app(assembly, mode=mode, read_only=read_only, language=language)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--name", default=None, help="The assembly's name (default: from the file name).")
@click.option("--timezone", default="Europe/London", show_default=True, help="Local time zone.")
@click.option(
    "--lang",
    "language",
    default=NewFileLanguage(),  # en-GB, or the environment's language (LANG=cy_GB.UTF-8)
    show_default=True,
    help="Working language (a tag such as cy or en-GB); the room's pages start in it.",
)
@click.option(
    "--residents-languages",
    default=None,
    help="Languages residents can pick in the room, comma-separated, e.g. cy,en-GB,pl,ur.",
)
@click.option("--no-open", is_flag=True, help="Only create the file; do not open the app.")
def new(
    path: str,
    name: str | None,
    timezone: str,
    language: str,
    residents_languages: str | None,
    no_open: bool,
) -> None:
    """Start a new, empty assembly file at PATH."""
    residents = [t for t in (residents_languages or "").split(",") if t.strip()]
    try:
        # Checked before the file exists, so a bad tag leaves nothing behind.
        checked = languages.checked_languages([language, *residents])
        assembly = create_assembly(
            path, name=name or Path(path).stem, timezone=timezone, languages=tuple(checked)
        )
    except StoreError as error:
        fail(str(error))
    use_working_language(checked[0])
    echo(_("Created %(path)s.", path=path))
    if not no_open:
        run_app(assembly)


def _register_area_commands() -> None:
    for module in AREA_COMMANDS:
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)


_register_area_commands()
