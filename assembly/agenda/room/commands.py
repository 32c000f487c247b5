"""`assembly room`, `assembly room-codes` and `assembly room-results`: residents vote and
propose from their own phones, served by this laptop to the room only.
"""

from __future__ import annotations

import signal

import click

from assembly.core.i18n import _
from assembly.core.terminal import echo
from sortition.files import write_atomic

FILE = click.argument("path", type=click.Path(dir_okay=False))


def _write_private(path: str, text: str) -> None:
    """Cards and the mail-merge CSV name members: readable by this user only (0600)."""
    from assembly.core.cli_support import fail

    try:
        write_atomic(path, text)
    except OSError as error:
        fail(
            _(
                "%(path)s: cannot be written (%(reason)s).",
                path=path,
                reason=error.strerror or str(error),
            )
        )


def _run(path: str, job):
    from assembly.agenda.errors import AgendaError
    from assembly.core.cli_support import fail, open_or_fail

    assembly = open_or_fail(path)
    try:
        return job(assembly)
    except AgendaError as error:
        fail(str(error))
    finally:
        assembly.close()


@click.command("room")
@FILE
@click.option(
    "--lan", is_flag=True, help="Let phones on this network in (default: this computer only)."
)
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--visitors/--members-only",
    default=None,
    help="Whether people without a code may propose topics (they never vote).",
)
@click.option("--max-clients", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--rate",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Ballots and topics accepted per code per minute (refused ones do not count).",
)
@click.option(
    "--answer-rate",
    default=60,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="'Which matters more?' answers accepted per code per minute.",
)
def room_command(
    path: str,
    lan: bool,
    port: int,
    visitors: bool | None,
    max_clients: int,
    rate: int,
    answer_rate: int,
) -> None:
    """Open the room: residents vote and propose topics from their phones. Ctrl+C closes it."""
    from assembly.agenda.room import submissions as room
    from assembly.agenda.room.qr import qr_text
    from assembly.agenda.room.server import RoomConfig, RoomServer
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.store import StoreError

    assembly = open_or_fail(path)
    if visitors is not None:
        room.allow_visitors(assembly.db(), visitors)
    assembly.close()
    config = RoomConfig(
        port=port,
        lan=lan,
        max_in_flight=max_clients,
        submissions_per_minute=rate,
        answers_per_minute=answer_rate,
    )
    try:
        server = RoomServer(path, config)
    except StoreError as error:
        fail(str(error))

    def ready(url: str) -> None:
        echo(qr_text(url))
        echo(_("Room open at %(url)s", url=url))
        echo(_("Projector page: %(url)s", url=url + "projector"))
        if not lan:
            echo(_("Only this computer can reach it; add --lan to let phones in the room in."))
        echo(_("Press Ctrl+C to close the room."), nl=True)

    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C, or a service manager
        signal.signal(stop_signal, lambda *_args: server.stop())
    try:
        server.serve(ready)
    except OSError as error:
        fail(
            _(
                "Cannot open the room on port %(port)s: %(reason)s. Try --port.",
                port=port,
                reason=error.strerror or str(error),
            )
        )
    echo(_("Room closed."))


@click.group("room-codes")
def codes_group() -> None:
    """Personal codes for the room: one per panel member, printable cards and a mail-merge CSV."""


def _outputs(assembly, issued, cards: str | None, csv_path: str | None, url: str) -> None:
    from assembly.agenda.room import submissions as room
    from assembly.core.i18n import override_dir

    db = assembly.db()
    language, locale = room.language(db), override_dir(assembly.path)
    if cards:
        _write_private(
            cards,
            room.cards_html(
                db, issued, assembly_name=assembly.name, url=url, language=language, locale=locale
            ),
        )
        echo(
            _(
                "Wrote %(count)s cards to %(path)s (readable by you only).",
                count=len(issued),
                path=cards,
            )
        )
    if csv_path:
        _write_private(csv_path, room.codes_csv(db, issued, url, language, locale))
        echo(_("Wrote the mail-merge CSV to %(path)s (readable by you only).", path=csv_path))


CARDS = click.option("--cards", type=click.Path(dir_okay=False), help="Printable cards (HTML).")
CSV = click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Mail-merge CSV.")
URL = click.option(
    "--url", default="the address shown on the screen", help="Room address printed on cards."
)


@codes_group.command("issue")
@FILE
@CARDS
@CSV
@URL
def codes_issue(path: str, cards: str | None, csv_path: str | None, url: str) -> None:
    """Give a code to every active member without one. Codes are shown only now, in the cards
    and CSV: the file keeps only a fingerprint of each."""
    from assembly.agenda.room import submissions as room
    from assembly.core.cli_support import fail

    if not cards and not csv_path:
        fail(_("Say where to write the codes: --cards FILE.html and/or --csv FILE.csv."))

    def job(assembly):
        issued = room.issue_codes(assembly.db(), assembly.clock)
        if not issued:
            echo(_("Every active member already has a code; use 'reissue' for a lost card."))
            return
        _outputs(assembly, issued, cards, csv_path, url)
        echo(_("Issued %(count)s codes.", count=len(issued)))

    _run(path, job)


@codes_group.command("reissue")
@FILE
@click.argument("number", type=int)
@CARDS
@CSV
@URL
def codes_reissue(
    path: str, number: int, cards: str | None, csv_path: str | None, url: str
) -> None:
    """Revoke member NUMBER's code and give them a new one (a lost card)."""
    from assembly.agenda.room import submissions as room
    from assembly.core.cli_support import fail

    if not cards and not csv_path:
        fail(_("Say where to write the new code: --cards FILE.html and/or --csv FILE.csv."))

    def job(assembly):
        issued = room.reissue_code(assembly.db(), assembly.clock, number)
        _outputs(assembly, [issued], cards, csv_path, url)
        echo(_("Member %(number)s has a new code; the old one no longer works.", number=number))

    _run(path, job)


@codes_group.command("revoke")
@FILE
@click.argument("number", type=int)
@click.option("--reason", default="revoked", show_default=True)
def codes_revoke(path: str, number: int, reason: str) -> None:
    """Stop member NUMBER's code working. Ballots already cast stay counted."""
    from assembly.agenda.room import submissions as room

    _run(path, lambda a: room.revoke_code(a.db(), a.clock, number, reason=reason))
    echo(_("Member %(number)s's code no longer works.", number=number))


@codes_group.command("list")
@FILE
def codes_list(path: str) -> None:
    """Every member's number and whether their code is in force (never the codes themselves)."""
    from assembly.agenda.room import submissions as room

    def job(assembly):
        for number, state in room.code_states(assembly.db()):
            echo(f"{number:>4}  {_(state)}")

    _run(path, job)


@click.command("room-results")
@FILE
@click.argument("round_id", type=int)
@click.option("--withdraw", is_flag=True, help="Take the result off residents' phones again.")
def results_command(path: str, round_id: int, withdraw: bool) -> None:
    """Publish a closed vote's result on residents' phones (or withdraw it)."""
    from assembly.agenda.room import submissions as room

    _run(
        path,
        lambda a: room.publish_results(a.db(), a.clock, round_id, published=not withdraw),
    )
    if withdraw:
        echo(_("Vote %(vote)s: result withdrawn.", vote=round_id))
    else:
        echo(_("Vote %(vote)s: result published.", vote=round_id))


COMMANDS = [room_command, codes_group, results_command]
