"""The registrations a person has to decide, shown by the household they could be, and the
decision recorded: the matcher asks rather than guesses, so someone must answer."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.i18n import N_, _
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED
from assembly.invitations.purged import purged_on, refuse_if_purged
from assembly.store import write_transaction


@dataclass(frozen=True)
class Waiting:
    registration_id: int
    source: str
    row: int
    address: str
    postcode: str
    reference: str
    reason: str


@dataclass(frozen=True)
class Household:
    """The mailed addresses some registrations could be (none: nothing near was found)."""

    addresses: tuple[tuple[int, str, str], ...]  # (address id, address as printed, reference)
    registrations: tuple[Waiting, ...]


def printed_address(lines: str, postcode: str) -> str:
    """A frame address as the letter printed it: its lines (JSON) and postcode, on one line."""
    return ", ".join([*json.loads(lines), postcode])


@dataclass(frozen=True)
class Standing:
    """Where the registrations stand: what the review screen says above its list."""

    letters: int
    waves: int
    statuses: dict[str, int]  # every status, 0 when none
    shared_households: int  # mailed addresses with more than one matched registration
    purged_on: str | None = None  # the day the mailed list was purged: these are its counts


def standing(db: Database) -> Standing:
    """Letters sent, registrations by status and households with several registrations (after
    a purge, the counts it kept)."""
    day = purged_on(db)
    statuses = {s: 0 for s in (MATCHED, NOT_INVITED, NEEDS_REVIEW)}
    if day is not None:
        letters, waves = db.execute(
            "select coalesce(sum(letters), 0), count(*) from invitation_waves"
        ).fetchone()
        statuses |= dict(
            db.execute("select status, registrations from invitation_purged_registrations")
        )
        return Standing(letters, waves, statuses, 0, day)
    letters, waves = db.execute(
        "select count(*), count(distinct wave) from invitation_letters"
    ).fetchone()
    for status, n in db.execute(
        "select status, count(*) from invitation_registrations group by status"
    ):
        statuses[status] = n
    return Standing(letters, waves, statuses, len(shared(db)))


def waiting_for_review(db: Database) -> list[Household]:
    """Needs-review registrations grouped by the set of addresses each could be."""
    candidates: dict[int, list[tuple[int, str, str]]] = {}
    for reg_id, address_id, lines, postcode, reference in db.execute(
        "select c.registration_id, a.id, a.lines, a.postcode, coalesce(l.reference, '') "
        "from invitation_registration_candidates c "
        "join invitation_registrations r on r.id = c.registration_id "
        "join invitation_addresses a on a.id = c.address_id "
        "left join invitation_letters l on l.address_id = a.id "
        "where r.status = ? order by c.registration_id, c.score desc, a.id",
        [NEEDS_REVIEW],
    ):
        candidates.setdefault(reg_id, []).append(
            (address_id, printed_address(lines, postcode), reference)
        )
    groups: dict[tuple[tuple[int, str, str], ...], list[Waiting]] = {}
    for reg_id, source, row, address, postcode, reference, reason in db.execute(
        "select id, source, row, address, postcode, reference, reason "
        "from invitation_registrations where status = ? order by id",
        [NEEDS_REVIEW],
    ):
        key = tuple(sorted(candidates.get(reg_id, [])))
        groups.setdefault(key, []).append(
            Waiting(reg_id, source, row, address, postcode, reference, reason)
        )
    return [Household(k, tuple(v)) for k, v in groups.items()]


def shared(db: Database) -> list[tuple[str, list[tuple[int, str, int]]]]:
    """Mailed addresses with several matched registrations: (address, [(id, source, row)])."""
    out: dict[int, tuple[str, list[tuple[int, str, int]]]] = {}
    for address_id, lines, postcode, reg_id, source, row in db.execute(
        "select a.id, a.lines, a.postcode, r.id, r.source, r.row from invitation_registrations r "
        "join invitation_addresses a on a.id = r.address_id where r.status = ? and r.address_id "
        "in (select address_id from invitation_registrations where status = ? "
        "group by address_id having count(*) > 1) order by a.id, r.id",
        [MATCHED, MATCHED],
    ):
        out.setdefault(address_id, (printed_address(lines, postcode), []))[1].append(
            (reg_id, source, row)
        )
    return list(out.values())


# The reason stored when a review settles a registration, by the status it had (stored in
# English, each a message of the catalogue: `matching.shown_reason` shows it).
RESOLVED = {
    MATCHED: N_("resolved in review (was matched)"),
    NOT_INVITED: N_("resolved in review (was not invited)"),
    NEEDS_REVIEW: N_("resolved in review (was needs review)"),
}
MARKED_NOT_INVITED = {
    MATCHED: N_("marked not invited in review (was matched)"),
    NOT_INVITED: N_("marked not invited in review (was not invited)"),
    NEEDS_REVIEW: N_("marked not invited in review (was needs review)"),
}


def resolve(db: Database, registration_id: int, address_id: int) -> str:
    """Match a registration to a mailed address by hand; the address as printed."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so its registrations are gone"))
    found = db.execute(
        "select status from invitation_registrations where id = ?", [registration_id]
    ).fetchone()
    if found is None:
        raise InvitationError(
            _("there is no registration %(registration)s", registration=registration_id),
            title=_("Cannot resolve"),
        )
    mailed = db.execute(
        "select a.lines, a.postcode from invitation_addresses a "
        "join invitation_letters l on l.address_id = a.id where a.id = ?",
        [address_id],
    ).fetchone()
    if mailed is None:
        raise InvitationError(
            _(
                "address %(address)s was sent no letter, so a registration cannot be matched to it",
                address=address_id,
            ),
            title=_("Cannot resolve"),
        )
    with write_transaction(db):
        db.execute(
            "update invitation_registrations set status = ?, address_id = ?, reason = ? "
            "where id = ?",
            [MATCHED, address_id, RESOLVED[found[0]], registration_id],
        )
    return printed_address(*mailed)


def mark_not_invited(db: Database, registration_id: int) -> None:
    """Settle a registration as from a household that was sent no letter: kept and counted,
    never matched, so it stays out of the pool and the rates."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so its registrations are gone"))
    found = db.execute(
        "select status from invitation_registrations where id = ?", [registration_id]
    ).fetchone()
    if found is None:
        raise InvitationError(
            _("there is no registration %(registration)s", registration=registration_id),
            title=_("Cannot resolve"),
        )
    with write_transaction(db):
        db.execute(
            "update invitation_registrations set status = ?, address_id = null, reason = ? "
            "where id = ?",
            [NOT_INVITED, MARKED_NOT_INVITED[found[0]], registration_id],
        )
