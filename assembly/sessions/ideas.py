"""Ideas captured during sessions, linked to the agenda item and optionally to who raised them.

An edit never overwrites: every version (the first included) is kept in `idea_revisions`, so
what was said in the room can always be shown beside what it became. Ideas are withdrawn, not
deleted, because the feedback log may already point at them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import LanguageError, _, language_tag
from assembly.sessions.sessions import SessionError, get_session, log_event
from assembly.store.database import write_transaction
from assembly.store.languages import working_language

MAX_IDEA_CHARS = 4000
_UNSET = object()


@dataclass(frozen=True)
class Idea:
    id: int
    session_id: int | None
    agenda_item_id: int | None
    member_id: int | None
    text: str
    created_at: str
    updated_at: str
    revision: int
    withdrawn_at: str | None
    language: str = ""  # the language it was written in, when known; '' when typed for the room


@dataclass(frozen=True)
class IdeaRevision:
    revision: int
    text: str
    agenda_item_id: int | None
    member_id: int | None
    recorded_at: str


_COLUMNS = (
    "id, session_id, agenda_item_id, member_id, text, created_at, updated_at, revision, "
    "withdrawn_at, language"  # not words
)


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SessionError(_("An idea needs some words."))
    if len(text) > MAX_IDEA_CHARS:
        raise SessionError(_("An idea can be at most %(max)s characters.", max=MAX_IDEA_CHARS))
    return text


def _check_links(
    db: Database, session_id: int | None, agenda_item_id: int | None, member_id: int | None
) -> None:
    if agenda_item_id is not None:
        row = db.execute(
            "select session_id from agenda_items where id = ?", [agenda_item_id]
        ).fetchone()
        if row is None or (session_id is not None and row[0] != session_id):
            raise SessionError(
                _("Agenda item %(item)s is not part of this session.", item=agenda_item_id)
            )
    if (
        member_id is not None
        and not db.execute("select 1 from members where id = ?", [member_id]).fetchone()
    ):
        raise SessionError(_("There is no panel member with id %(id)s.", id=member_id))


def get_idea(db: Database, idea_id: int) -> Idea:
    row = db.execute(f"select {_COLUMNS} from ideas where id = ?", [idea_id]).fetchone()
    if row is None:
        raise SessionError(_("There is no idea number %(idea)s.", idea=idea_id))
    return Idea(*row)


def said_in(db: Database, typed: str) -> str:
    """The language tag to record an idea in, from what the facilitator typed (a tag or a
    name, `i18n.language_tag`); blank is the assembly's working language, which is what a
    facilitator types in. SessionError, in plain words, for what is not a language."""
    if not typed.strip():
        return working_language(db)
    try:
        return language_tag(typed)
    except LanguageError as error:
        raise SessionError(str(error)) from None


def add_idea(
    db: Database,
    *,
    session_id: int | None,
    text: str,
    clock: Clock,
    agenda_item_id: int | None = None,
    member_id: int | None = None,
    language: str = "",
) -> int:
    """Record an idea as it is said; returns its id. `language` is the one a resident wrote it
    in (a tag such as pl), when known; an idea typed by the facilitator records none, so
    reports show it in their own language rather than guess."""
    text = _clean(text)
    if session_id is not None:
        get_session(db, session_id)
    _check_links(db, session_id, agenda_item_id, member_id)
    now = to_iso(clock.now())
    with write_transaction(db):
        cursor = db.execute(
            "insert into ideas (session_id, agenda_item_id, member_id, text, created_at, "
            "updated_at, revision, language) values (?, ?, ?, ?, ?, ?, 1, ?)",
            [session_id, agenda_item_id, member_id, text, now, now, (language or "").strip()],
        )
        idea_id = int(cursor.lastrowid)
        db.execute(
            "insert into idea_revisions (idea_id, revision, text, agenda_item_id, member_id, "
            "recorded_at) values (?, 1, ?, ?, ?, ?)",
            [idea_id, text, agenda_item_id, member_id, now],
        )
        if session_id is not None:
            log_event(db, session_id, "idea_added", now, idea=idea_id)
    return idea_id


def edit_idea(
    db: Database,
    idea_id: int,
    clock: Clock,
    *,
    text: str | None = None,
    agenda_item_id: int | object | None = _UNSET,
    member_id: int | object | None = _UNSET,
) -> Idea:
    """Change an idea's words or links, keeping the earlier version; unchanged edits are ignored."""
    idea = get_idea(db, idea_id)
    new_text = idea.text if text is None else _clean(text)
    new_item = idea.agenda_item_id if agenda_item_id is _UNSET else agenda_item_id
    new_member = idea.member_id if member_id is _UNSET else member_id
    if (new_text, new_item, new_member) == (idea.text, idea.agenda_item_id, idea.member_id):
        return idea
    _check_links(db, idea.session_id, new_item, new_member)  # type: ignore[arg-type]
    now = to_iso(clock.now())
    revision = idea.revision + 1
    with write_transaction(db):
        _keep_first_version(db, idea)
        db.execute(
            "update ideas set text = ?, agenda_item_id = ?, member_id = ?, updated_at = ?, "
            "revision = ? where id = ?",
            [new_text, new_item, new_member, now, revision, idea_id],
        )
        db.execute(
            "insert into idea_revisions (idea_id, revision, text, agenda_item_id, member_id, "
            "recorded_at) values (?, ?, ?, ?, ?, ?)",
            [idea_id, revision, new_text, new_item, new_member, now],
        )
        if idea.session_id is not None:
            log_event(db, idea.session_id, "idea_edited", now, idea=idea_id, revision=revision)
    return get_idea(db, idea_id)


def _keep_first_version(db: Database, idea: Idea) -> None:
    """An idea written straight into the table (not through `add_idea`) has no stored version
    yet; store the words as they stand before they change."""
    if not db.execute("select 1 from idea_revisions where idea_id = ?", [idea.id]).fetchone():
        db.execute(
            "insert into idea_revisions (idea_id, revision, text, agenda_item_id, member_id, "
            "recorded_at) values (?, ?, ?, ?, ?, ?)",
            [
                idea.id,
                idea.revision,
                idea.text,
                idea.agenda_item_id,
                idea.member_id,
                idea.created_at,
            ],
        )


def withdraw_idea(db: Database, idea_id: int, clock: Clock) -> None:
    idea = get_idea(db, idea_id)
    if idea.withdrawn_at:
        return
    now = to_iso(clock.now())
    with write_transaction(db):
        db.execute("update ideas set withdrawn_at = ? where id = ?", [now, idea_id])
        if idea.session_id is not None:
            log_event(db, idea.session_id, "idea_withdrawn", now, idea=idea_id)


def history(db: Database, idea_id: int) -> list[IdeaRevision]:
    """Every version of an idea, first to latest."""
    idea = get_idea(db, idea_id)
    found = [
        IdeaRevision(*r)
        for r in db.execute(
            "select revision, text, agenda_item_id, member_id, recorded_at from idea_revisions "
            "where idea_id = ? order by revision",
            [idea_id],
        )
    ]
    if not found:  # written straight into the table and never edited: one version
        found = [
            IdeaRevision(
                idea.revision, idea.text, idea.agenda_item_id, idea.member_id, idea.created_at
            )
        ]
    return found


def session_ideas(
    db: Database,
    session_id: int,
    *,
    agenda_item_id: int | None = None,
    include_withdrawn: bool = False,
) -> list[Idea]:
    where = "session_id = ?"
    params: list = [session_id]
    if agenda_item_id is not None:
        where += " and agenda_item_id = ?"  # not words
        params.append(agenda_item_id)
    if not include_withdrawn:
        where += " and withdrawn_at is null"  # not words
    return [
        Idea(*r)
        for r in db.execute(f"select {_COLUMNS} from ideas where {where} order by id", params)
    ]
