"""Panel members: their status through the assembly, and quota-preserving replacements.

Statuses move selected → invited → confirmed; anyone on the panel may withdraw. A withdrawn
member is replaced through the `sortition` library's replacement draw, which keeps everyone
staying and picks newcomers so the panel meets the quotas of the draw again; the withdrawn
member's status then becomes "replaced" and the newcomer's row names whom they replace.
Every change is also written to `member_events`, so the history survives later changes, and
appended to the draw record (`draws_record`), the hash chain `assembly verify` checks the
members table against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, _, in_words, ngettext
from assembly.core.library_words import refusal, said
from assembly.organiser import draws_record
from assembly.organiser.errors import OrganiserError
from assembly.organiser.history_notes import REPLACED_NOTE, REPLACES_NOTE, written_note
from assembly.store import write_transaction

ON_PANEL = ("selected", "invited", "confirmed")
# A member's status as the screens and commands show it; the file keeps the English word.
STATUS_WORDS = {
    "selected": N_("selected"),
    "invited": N_("invited"),
    "confirmed": N_("confirmed"),
    "withdrawn": N_("withdrawn"),
    "replaced": N_("replaced"),
}


def status_word(status: str) -> str:
    """A stored status in the working language (as stored when it is none of the known)."""
    return in_words(STATUS_WORDS, status)


def status_count(status: str, n: int) -> str:
    """'3 selected': how many members have a status, as the panel's summary counts them."""
    counts = {
        "selected": lambda: ngettext("%(num)s selected", "%(num)s selected", n),
        "invited": lambda: ngettext("%(num)s invited", "%(num)s invited", n),
        "confirmed": lambda: ngettext("%(num)s confirmed", "%(num)s confirmed", n),
        "withdrawn": lambda: ngettext("%(num)s withdrawn", "%(num)s withdrawn", n),
        "replaced": lambda: ngettext("%(num)s replaced", "%(num)s replaced", n),
    }
    return counts[status]() if status in counts else f"{n} {status}"


ALLOWED = {
    "selected": ("invited", "confirmed", "withdrawn"),
    "invited": ("confirmed", "withdrawn", "selected"),
    "confirmed": ("withdrawn", "invited"),
    "withdrawn": ("selected", "invited", "confirmed"),  # a withdrawal reversed before replacing
    "replaced": (),
}


@dataclass(frozen=True)
class PanelMember:
    id: int
    number: int
    name: str | None
    status: str
    features: dict[str, str]


@dataclass(frozen=True)
class MemberRow:
    """A member with what the organiser needs on screen (contacts only where the job needs them)."""

    id: int
    number: int
    ref: str
    name: str | None
    email: str | None
    phone: str | None
    status: str
    status_changed_at: str
    draw_id: int | None
    replaces_number: int | None
    features: dict[str, str]


@dataclass(frozen=True)
class Replacement:
    withdrawn: tuple[int, ...]  # member numbers replaced
    newcomers: tuple[int, ...]  # new member numbers
    seed: int


def panel_members(db: Database) -> list[PanelMember]:
    """Members currently on the panel (selected, invited or confirmed), by number."""
    return [
        PanelMember(r["id"], r["number"], r["name"], r["status"], json.loads(r["features"]))
        for r in db.query(
            "select m.id, m.number, r.name, m.status, r.features from members m "
            "join respondents r on r.id = m.respondent_id "
            "where m.status in ('selected', 'invited', 'confirmed') order by m.number"
        )
    ]


def all_members(db: Database) -> list[MemberRow]:
    """Every member row ever made (including withdrawn and replaced), by number."""
    return [
        MemberRow(
            id=r["id"],
            number=r["number"],
            ref=r["ref"],
            name=r["name"],
            email=r["email"],
            phone=r["phone"],
            status=r["status"],
            status_changed_at=r["status_changed_at"],
            draw_id=r["draw_id"],
            replaces_number=r["replaces_number"],
            features=json.loads(r["features"]),
        )
        for r in db.query(
            "select m.id, m.number, r.ref, r.name, r.email, r.phone, m.status, "
            "m.status_changed_at, m.draw_id, o.number as replaces_number, r.features "
            "from members m join respondents r on r.id = m.respondent_id "
            "left join members o on o.id = m.replaces_member_id order by m.number"
        )
    ]


def drawn_names(db: Database, draw_id: int) -> dict[str, tuple[int, str]]:
    """Respondent ref -> (member number, name or "(removed)") for the members a draw made."""
    rows = db.execute(
        "select r.ref, m.number, coalesce(r.name, '(removed)') from members m "
        "join respondents r on r.id = m.respondent_id where m.draw_id = ?",
        [draw_id],
    )
    return {ref: (number, name) for ref, number, name in rows}


def member_by_number(db: Database, number: int) -> dict:
    rows = list(db.query("select * from members where number = ?", [number]))
    if not rows:
        raise OrganiserError(
            _("there is no member number %(number)s.", number=number), title=_("No such member")
        )
    return rows[0]


def set_status(db: Database, number: int, status: str, clock: Clock, note: str = "") -> None:
    """Move member `number` to `status` (replaced is set only by a replacement)."""
    now = to_iso(clock.now())
    with write_transaction(db):  # the check and the change together: no one moves them between
        member = member_by_number(db, number)
        current = member["status"]
        if status == current:
            return
        if status not in ALLOWED.get(current, ()):
            allowed = ", ".join(ALLOWED.get(current, ()))
            if not allowed:
                message = _(
                    "member %(number)s is %(current)s; they can move to nothing (this is final), "
                    "not %(status)s.",
                    number=number,
                    current=current,
                    status=status,
                )
            else:
                message = _(
                    "member %(number)s is %(current)s; they can move to %(allowed)s, not "
                    "%(status)s.",
                    number=number,
                    current=current,
                    allowed=allowed,
                    status=status,
                )
            if status == "replaced":
                message = _("%(message)s Use replace to draw a replacement.", message=message)
            raise OrganiserError(message, title=_("Status"))
        db["members"].update(member["id"], {"status": status, "status_changed_at": now})
        db["member_events"].insert(
            {"member_id": member["id"], "status": status, "note": note, "at": now}
        )
        if member["draw_id"] is None:
            return  # seated outside the app: no draw's record to extend (`assembly verify` says so)
        ref = db.execute(
            "select ref from respondents where id = ?", [member["respondent_id"]]
        ).fetchone()[0]
        draws_record.append(
            db,
            member["draw_id"],
            "status",
            {"number": number, "ref": ref, "from": current, "to": status},
            at=now,
            reason=note,
        )


def history(db: Database, number: int) -> list[dict]:
    """A member's changes, oldest first, each note as stored (`history_notes.note_in_words` to show one)."""
    member = member_by_number(db, number)
    return list(
        db.query(
            "select status, note, at from member_events where member_id = ? order by id",
            [member["id"]],
        )
    )


def replace_withdrawn(
    db: Database,
    clock: Clock,
    *,
    seed: int | None = None,
    algorithm: str = "leximin",
    progress=None,
    cancel=None,
    select_fn=None,
) -> Replacement:
    """Replace every withdrawn member so the panel again meets the draw's quotas.

    Candidates come from the pool exactly as the draw saw it; people who were ever members,
    or whose personal data has been purged, are not asked. `seed` makes the choice repeatable
    (a fresh one is chosen and recorded when not given). `select_fn` is the selection to draw
    the replacements from (`sortition.select` by default; the example passes its stored
    lotteries).
    """
    from assembly.organiser.draws import draw_instance
    from assembly.organiser.infeasible import explained
    from sortition import BadInput, Infeasible, replace_dropouts

    rows = list(
        db.query(
            "select m.id, m.number, m.status, m.draw_id, r.ref from members m "
            "join respondents r on r.id = m.respondent_id order by m.number"
        )
    )
    gone = [r for r in rows if r["status"] == "withdrawn"]
    if not gone:
        raise OrganiserError(
            _("no member has withdrawn, so nobody needs replacing."), title=_("Replace")
        )
    draw_id = gone[0]["draw_id"]
    instance = draw_instance(db, draw_id)
    index = {ref: i for i, ref in enumerate(instance.pool.ids)}
    panel = [index[r["ref"]] for r in rows if r["status"] in (*ON_PANEL, "withdrawn")]
    dropouts = [index[r["ref"]] for r in gone]
    exclude = {index[r["ref"]] for r in rows if r["status"] == "replaced" and r["ref"] in index}
    exclude |= {
        index[r[0]]
        for r in db.execute("select ref from respondents where purged_at is not null")
        if r[0] in index
    }
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    try:
        result = replace_dropouts(
            instance,
            panel,
            dropouts,
            np.random.default_rng(seed),
            algorithm=algorithm,
            exclude=sorted(exclude),
            select_fn=select_fn,
            progress=progress,
            cancel=cancel,
        )
    except Infeasible as error:
        raise OrganiserError(
            _(
                "No replacement keeps the panel within the quotas.\n%(why)s",
                why=explained(error),
            ),
            title=_("Cannot replace"),
        ) from None
    except BadInput as error:
        raise OrganiserError(refusal(error), title=_("Cannot replace")) from None
    ref_to_id = {r[0]: r[1] for r in db.execute("select ref, id from respondents")}
    now = to_iso(clock.now())
    newcomers = []
    with write_transaction(db):
        # The replacement was computed outside the write lock (it can take seconds); if another
        # replacement, status change or purge landed meanwhile, it no longer applies.
        _check_unchanged(db, gone, [instance.pool.ids[p] for p in result.replacements])
        number = db.execute("select coalesce(max(number), 0) from members").fetchone()[0]
        replaced = []
        for old, person in zip(gone, result.replacements, strict=False):
            number += 1
            ref = instance.pool.ids[person]
            new = db["members"].insert(
                {
                    "respondent_id": ref_to_id[ref],
                    "number": number,
                    "status": "selected",
                    "draw_id": draw_id,
                    "replaces_member_id": old["id"],
                    "status_changed_at": now,
                }
            )
            db["member_events"].insert(
                {
                    "member_id": new.last_pk,
                    "status": "selected",
                    "note": written_note(REPLACES_NOTE, old=old["number"], seed=seed),
                    "at": now,
                }
            )
            db["members"].update(old["id"], {"status": "replaced", "status_changed_at": now})
            db["member_events"].insert(
                {
                    "member_id": old["id"],
                    "status": "replaced",
                    "note": written_note(REPLACED_NOTE, new=number, seed=seed),
                    "at": now,
                }
            )
            newcomers.append(number)
            replaced.append([old["number"], number, ref])
        draws_record.append(
            db,
            draw_id,
            "replacement",
            {"seed": str(seed), "algorithm": algorithm, "replaced": replaced},
            at=now,
            reason="withdrawn members replaced so the panel meets the draw's quotas again",  # not words
        )
    return Replacement(tuple(r["number"] for r in gone), tuple(newcomers), seed)


def _check_unchanged(db: Database, gone: list[dict], newcomers: list[str]) -> None:
    """Inside the write: the withdrawn are still withdrawn, the newcomers still free to seat."""
    for old in gone:
        row = db.execute("select status from members where id = ?", [old["id"]]).fetchone()
        if row is None or row[0] != "withdrawn":
            raise OrganiserError(
                _(
                    "member %(number)s is %(status)s now, not withdrawn: another replacement or "
                    "change was saved while this one was being worked out. Nothing was changed; "
                    "look at the panel and run replace again if needed.",
                    number=old["number"],
                    status=row[0],
                )
                if row
                else _(
                    "member %(number)s is gone now, not withdrawn: another replacement or change "
                    "was saved while this one was being worked out. Nothing was changed; look at "
                    "the panel and run replace again if needed.",
                    number=old["number"],
                ),
                title=_("Panel changed"),
            )
    for ref in newcomers:
        row = db.execute(
            "select r.purged_at, m.id from respondents r left join members m "
            "on m.respondent_id = r.id where r.ref = ?",
            [ref],
        ).fetchone()
        if row is None or row[0] is not None or row[1] is not None:
            raise OrganiserError(
                _(
                    "a person chosen as a replacement was seated or had their personal data "
                    "purged while the replacement was being worked out. Nothing was changed; run "
                    "replace again."
                ),
                title=_("Panel changed"),
            )


def panel_violations(db: Database) -> list[str]:
    """How the current panel breaks its draw's quotas or household rule (empty when it
    doesn't), in the working language."""
    from assembly.organiser.draws import draw_instance

    rows = list(
        db.query(
            "select m.draw_id, r.ref from members m join respondents r on r.id = m.respondent_id "
            "where m.status in ('selected', 'invited', 'confirmed')"
        )
    )
    if not rows:
        return []
    instance = draw_instance(db, rows[0]["draw_id"])
    index = {ref: i for i, ref in enumerate(instance.pool.ids)}
    return [said(v) for v in instance.violations([index[r["ref"]] for r in rows])]
