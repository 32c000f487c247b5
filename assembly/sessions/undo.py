"""Undo the live session's last step: the next item, a speaker stopped, an idea withdrawn.

Keys pressed in a hurry at the front of a room go wrong; one key puts the last of these steps
back as if it had not been taken. The session's event log says what the last step was; the undo
is logged too ("undone"), so a second undo finds nothing to take back and the record stays true.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, _
from assembly.sessions.sessions import SessionError, get_session, log_event
from assembly.store.database import write_transaction

UNDOABLE = {"item_started", "item_ended", "speaker_stopped", "idea_withdrawn"}

STEP_WORDS = {
    "queue_added": N_("adding someone to the queue (d removes them)"),
    "queue_removed": N_("removing someone from the queue (a adds them again)"),
    "speaker_started": N_("starting a speaker (s stops them)"),
    "idea_added": N_("adding an idea (w on the ideas screen withdraws it)"),
    "paused": N_("pausing (p resumes)"),
    "resumed": N_("resuming (p pauses again)"),
    "item_extended": N_("adding time to the item"),
    "queue_order": N_("changing the queue order (o switches back)"),
    "session_finished": N_("finishing the session"),
}


NEXT_ITEM_PARTS = ("session_started", "speaker_stopped", "item_ended", "item_started")


def _last_events(db: Database, session_id: int) -> list[tuple[int, str, str, dict]]:
    """The last step, oldest event first: the last event, and for the next-item key every part
    that key logged at the same moment (stopping the speaker, ending and starting items)."""
    rows = [
        (r[0], r[1], r[2], json.loads(r[3]))
        for r in db.execute(
            "select id, at, kind, detail from session_events where session_id = ? "
            "order by id desc limit 6",
            [session_id],
        )
    ]
    if not rows:
        return []
    step = [rows[0]]
    if rows[0][2] in ("item_started", "item_ended"):
        for row in rows[1:]:
            earlier = NEXT_ITEM_PARTS.index(step[-1][2])
            if row[1] != rows[0][1] or row[2] not in NEXT_ITEM_PARTS[:earlier]:
                break
            step.append(row)
    return list(reversed(step))


def undo_last_step(
    db: Database, session_id: int, clock: Clock, *, only: set[str] | None = None
) -> str:
    """Take back the session's last step; returns what was undone, in words.

    `only` limits which kinds of step may be taken back (the ideas screen undoes only a
    withdrawal). Raises SessionError, saying why, when the last step is not one to undo.
    """
    session = get_session(db, session_id)
    if session.status == "finished":
        raise SessionError(
            _("Session '%(title)s' has finished: nothing can be undone.", title=session.title)
        )
    step = _last_events(db, session_id)
    if not step:
        raise SessionError(_("Nothing has happened in this session yet."))
    kinds = [kind for _id, _at, kind, _detail in step]
    last = kinds[-1]
    if last == "undone":
        raise SessionError(_("The last step was already undone; only one step can be taken back."))
    if last not in (UNDOABLE if only is None else UNDOABLE & only):
        words = _(STEP_WORDS[last]) if last in STEP_WORDS else last.replace("_", " ")
        raise SessionError(_("The last step, %(step)s, cannot be undone with u.", step=words))
    at = step[-1][1]
    now = to_iso(clock.now())
    with write_transaction(db):
        if last == "idea_withdrawn":
            idea = step[-1][3]["idea"]
            db.execute("update ideas set withdrawn_at = null where id = ?", [idea])
            done = _("idea %(idea)s is back", idea=idea)
        elif last == "speaker_stopped" and "item_ended" not in kinds:
            done = _reopen_turn(db, session_id, step[-1][3]["turn"])
        else:  # the next item (n): every part of that one key, at one moment
            done = _("the previous item is running again")
            for _id, _at, kind, detail in step:
                if kind == "item_started":
                    db.execute(
                        "update agenda_items set started_at = null where id = ?", [detail["item"]]
                    )
                elif kind == "item_ended":
                    db.execute(
                        "update agenda_items set ended_at = null where id = ?", [detail["item"]]
                    )
                elif kind == "speaker_stopped":
                    _reopen_turn(db, session_id, detail["turn"])
                elif kind == "session_started":
                    db.execute(
                        "update sessions set status = 'planned', started_at = null where id = ?",
                        [session_id],
                    )
                    done = _("the session is back to not started")
            if "item_ended" not in kinds and "session_started" not in kinds:
                done = _("no item is running again")
        log_event(db, session_id, "undone", now, step=last, of=at)
    return done


def _reopen_turn(db: Database, session_id: int, turn_id: int) -> str:
    db.execute("update speaking_turns set ended_at = null where id = ?", [turn_id])
    return _("the speaker's turn carries on")
