"""`assembly session ...`: list, plan, show and export sessions, and record an idea, from the
command line.

Exports never carry names: ideas are linked to a member number only when asked for
(--member-numbers), and equity figures are group totals.
"""

from __future__ import annotations

import json

import click

from assembly.core.cli_support import write_text_or_fail
from assembly.core.clock import SystemClock
from assembly.core.i18n import _, ngettext
from assembly.core.terminal import echo


def _open(path: str, *, read_only: bool = False):
    from assembly.core.cli_support import open_or_fail

    return open_or_fail(path, read_only=read_only)


def _session_or_fail(db, session_id: int):
    from assembly.core.cli_support import fail
    from assembly.sessions.sessions import SessionError, get_session

    try:
        return get_session(db, session_id)
    except SessionError as error:
        fail(str(error))


@click.group("session")
def session_group() -> None:
    """Plan sessions and look at what happened in them."""


@session_group.command("list")
@click.argument("path", type=click.Path(dir_okay=False))
def list_command(path: str) -> None:
    """List the sessions in the assembly file at PATH."""
    from assembly.core.clock import show
    from assembly.sessions.sessions import agenda, list_sessions, status_word

    assembly = _open(path, read_only=True)
    db = assembly.db()
    sessions = list_sessions(db)
    if not sessions:
        echo(_("No sessions yet. Plan one with: assembly session new FILE --title ..."))
        return
    for x in sessions:
        items = len(agenda(db, x.id))
        when = show(x.starts_at, assembly.timezone)
        # the list has always said "items", even for one: English reads as it did
        counted_items = ngettext("%(num)s items", "%(num)s items", items, num=format(items, ">2"))
        echo(f"{x.id:>3}  {status_word(x.status):<9} {when:<24} {counted_items}  {x.title}")


@session_group.command("new")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--title", required=True, help="The session's title.")
@click.option("--starts", default=None, help="Local start, e.g. '2026-11-26 09:30'.")
@click.option(
    "--item",
    "items",
    multiple=True,
    help="An agenda item as 'minutes title', e.g. '20 Welcome' or '15 break: Tea'. Repeat.",
)
def new_command(path: str, title: str, starts: str | None, items: tuple[str, ...]) -> None:
    """Plan a new session with its agenda."""
    from assembly.core.cli_support import fail
    from assembly.sessions.sessions import (
        SessionError,
        create_session,
        parse_agenda_lines,
        parse_local_start,
    )

    assembly = _open(path)
    try:
        specs = parse_agenda_lines("\n".join(items))
        date, _sep, time = (starts or "").strip().partition(" ")
        starts_at = parse_local_start(date, time, assembly.timezone)
        session_id = create_session(
            assembly.db(),
            title=title,
            clock=SystemClock(),
            starts_at=starts_at,
            planned_minutes=sum(i.minutes for i in specs) or None,
            items=specs,
        )
    except SessionError as error:
        fail(str(error))
    echo(
        ngettext(
            "Planned session %(session)s: %(title)s (%(num)s agenda items).",
            "Planned session %(session)s: %(title)s (%(num)s agenda items).",
            len(specs),
            session=session_id,
            title=title,
        )
    )


@session_group.command("idea")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("session_id", type=int)
@click.argument("text")
@click.option(
    "--lang",
    "language",
    default="",
    help="The language it was said in: a tag (pl, ur) or a name (Polish, Urdu). "
    "Without it, the assembly's working language.",
)
def idea_command(path: str, session_id: int, text: str, language: str) -> None:
    """Record an idea raised in session SESSION_ID, against the agenda item running now (if
    any), in the language it was said in."""
    from assembly.core.cli_support import fail
    from assembly.core.i18n import language_name
    from assembly.sessions.ideas import add_idea, said_in
    from assembly.sessions.sessions import SessionError, current_item

    assembly = _open(path)
    db = assembly.db()
    _session_or_fail(db, session_id)
    try:
        tag = said_in(db, language)
        item = current_item(db, session_id)
        idea_id = add_idea(
            db,
            session_id=session_id,
            text=text,
            clock=SystemClock(),
            agenda_item_id=item.id if item else None,
            language=tag,
        )
    except SessionError as error:
        fail(str(error))
    echo(
        _(
            "Recorded idea %(idea)s in session %(session)s (%(language)s).",
            idea=idea_id,
            session=session_id,
            language=language_name(tag),
        )
    )


@session_group.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("session_id", type=int)
def show_command(path: str, session_id: int) -> None:
    """Show a session: its agenda with timings, attendance, speaking time and equity."""
    from assembly.core.clock import show
    from assembly.sessions.attendance import attendance
    from assembly.sessions.ideas import session_ideas
    from assembly.sessions.sessions import (
        agenda,
        clock_text,
        item_timer,
        kind_word,
        state_word,
        status_word,
    )
    from assembly.sessions.speakers import session_equity

    assembly = _open(path, read_only=True)
    db = assembly.db()
    clock = SystemClock()
    session = _session_or_fail(db, session_id)
    tz = assembly.timezone
    echo(f"{session.title} — {status_word(session.status)}")
    echo(
        _(
            "Planned %(planned)s; ran %(started)s to %(ended)s",
            planned=show(session.starts_at, tz),
            started=show(session.started_at, tz),
            ended=show(session.ended_at, tz),
        )
    )
    echo("\n" + _("Agenda (planned → actual):"))
    for item in agenda(db, session_id):
        timer = item_timer(db, item, clock)
        fields = {
            "position": f"{item.position:>2}",
            "title": item.title,
            "kind": kind_word(item.kind),
            "minutes": item.minutes,
            "actual": clock_text(timer.elapsed_seconds) if timer else "—",
            "state": state_word(item.state),
        }
        if item.extended_minutes:
            line = _(
                "%(position)s. %(title)s [%(kind)s] %(minutes)s min +%(extended)s min → "
                "%(actual)s (%(state)s)",
                extended=item.extended_minutes,
                **fields,
            )
        else:
            line = _(
                "%(position)s. %(title)s [%(kind)s] %(minutes)s min → %(actual)s (%(state)s)",
                **fields,
            )
        echo("  " + line)
    record = attendance(db, session_id)
    counts = {k: list(record.values()).count(k) for k in ("present", "apologies", "absent")}
    echo(
        "\n"
        + _(
            "Attendance: %(present)s present, %(apologies)s apologies, %(absent)s absent",
            present=counts["present"],
            apologies=counts["apologies"],
            absent=counts["absent"],
        )
    )
    echo(_("Ideas: %(count)s", count=len(session_ideas(db, session_id))))
    report = session_equity(db, session_id, clock)
    echo(_("Speaking time: %(time)s", time=clock_text(report.total_seconds)))
    for category in report.categories:
        for group in category.flagged:
            warning = _(
                "⚠ %(category)s: %(group)s heard less than half their share "
                "(%(speaking)s of speaking, %(present)s of those present)",
                category=category.label,
                group=group.shown_value,
                speaking=format(group.speaking_share, ".0%"),
                present=format(group.presence_share, ".0%"),
            )
            echo("  " + warning)


def session_record(db, session_id: int, clock, *, member_numbers: bool = False) -> dict:
    """Everything about one session that may leave the file: no names, group totals only."""
    from assembly.sessions.ideas import history, session_ideas
    from assembly.sessions.sessions import agenda, events, get_session, item_timer
    from assembly.sessions.speakers import session_equity

    session = get_session(db, session_id)
    numbers = dict(db.execute("select id, number from members").fetchall())
    report = session_equity(db, session_id, clock)
    items = []
    for item in agenda(db, session_id):
        timer = item_timer(db, item, clock)
        items.append(
            {
                "position": item.position,
                "title": item.title,
                "kind": item.kind,
                "planned_minutes": item.minutes,
                "extended_minutes": item.extended_minutes,
                "started_at": item.started_at,
                "ended_at": item.ended_at,
                "actual_seconds": round(timer.elapsed_seconds) if timer else None,
                "topic_id": item.topic_id,
            }
        )
    ideas = []
    for idea in session_ideas(db, session_id, include_withdrawn=True):
        row = {
            "id": idea.id,
            "agenda_item_id": idea.agenda_item_id,
            "text": idea.text,
            "created_at": idea.created_at,
            "withdrawn_at": idea.withdrawn_at,
            "versions": [
                {"revision": r.revision, "text": r.text, "recorded_at": r.recorded_at}
                for r in history(db, idea.id)
            ],
        }
        if member_numbers:
            row["member_number"] = numbers.get(idea.member_id)
        ideas.append(row)
    return {
        "session": {
            "id": session.id,
            "title": session.title,
            "status": session.status,
            "starts_at": session.starts_at,
            "started_at": session.started_at,
            "ended_at": session.ended_at,
        },
        "agenda": items,
        "ideas": ideas,
        "equity": {
            "present": report.present,
            "speaking_seconds": round(report.total_seconds),
            "groups": [
                {
                    "category": c.label,
                    "group": g.value,
                    "present": g.present,
                    "presence_share": round(g.presence_share, 4),
                    "speaking_share": round(g.speaking_share, 4),
                    "flagged": g.flagged,
                }
                for c in report.categories
                for g in c.groups
            ],
        },
        "timeline": [
            {"at": at, "event": kind}
            for at, kind, _detail in events(db, session_id)
            if kind not in ("attendance", "queue_added", "queue_removed")
        ],
    }


@session_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("session_id", type=int)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write here instead of to the screen.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: the whole session; csv: its ideas only.",
)
@click.option("--member-numbers", is_flag=True, help="Link ideas to member numbers (never names).")
def export_command(
    path: str, session_id: int, out: str | None, fmt: str, member_numbers: bool
) -> None:
    """Export a session's agenda timings, ideas (with history) and equity totals, without names."""
    assembly = _open(path, read_only=True)
    db = assembly.db()
    _session_or_fail(db, session_id)
    record = session_record(db, session_id, SystemClock(), member_numbers=member_numbers)
    if fmt == "json":
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    else:
        from assembly.core.safe_output import csv_dict_text

        fields = ["id", "agenda_item_id", "text", "created_at", "withdrawn_at", "versions"]
        if member_numbers:
            fields.append("member_number")
        text = csv_dict_text(
            fields, ({**idea, "versions": len(idea["versions"])} for idea in record["ideas"])
        )
    if out:
        write_text_or_fail(out, text)
        echo(_("Wrote session %(session)s to %(file)s.", session=session_id, file=out))
    else:
        echo(text, nl=False)


COMMANDS = [session_group]
