"""Matched registrants become the respondent pool, through the organiser's pool import.

No second importer: the matched registrations are laid out as a table (one row per
registrant) and given to `plan_import` and `import_pool`, which check and store it in one
transaction. A registrant's features are the form's own answers plus the matched address's
area columns (ward, deprivation decile, any other area column of the frame), so quotas can use
them; the household is the matched address, so the panel draw's one-per-household rule holds.
Registrations that need review or were not sent a letter are left out and counted.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.clock import Clock
from assembly.core.i18n import N_, Number, _, ngettext
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED
from assembly.invitations.purged import refuse_if_purged
from assembly.organiser.errors import OrganiserError
from assembly.organiser.pool_import import import_pool, plan_import
from sortition import Table

# Stored as they are: the pool's source, and the value of a form question left blank or of an
# address with no area value.
FILE_NAME = "matched registrations"  # not words
NOT_GIVEN = "not given"  # not words
_ROLES = {
    "registration": "id",
    "name": "name",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "postcode": "postcode",
    "household": "household",
}


@dataclass(frozen=True)
class PoolReport:
    added: int
    needs_review: int
    not_invited: int
    features: tuple[str, ...]
    blanks: int  # answers or area values left blank, stored as NOT_GIVEN

    def message(self) -> str:
        parts = [
            ngettext(
                "%(num)s matched registrant added to the pool",
                "%(num)s matched registrants added to the pool",
                self.added,
                num=Number(self.added),
            )
        ]
        if self.needs_review:
            parts.append(
                ngettext(
                    "%(num)s needs review first (assembly invitations review)",
                    "%(num)s need review first (assembly invitations review)",
                    self.needs_review,
                    num=Number(self.needs_review),
                )
            )
        if self.not_invited:
            parts.append(
                ngettext(
                    "%(num)s was not sent a letter",
                    "%(num)s were not sent a letter",
                    self.not_invited,
                    num=Number(self.not_invited),
                )
            )
        return "; ".join(parts) + "."


def _refuse(message: str) -> InvitationError:
    return InvitationError(message, title=_("Cannot make the pool"))


def registrants_table(db: Database, ignore: Sequence[str] = ()) -> tuple[Table, int]:
    """The matched registrants as a pool file would hold them, and the count of blank values.

    `ignore` names form or area columns that are no feature (a form's timestamp, say)."""
    rows = db.execute(
        "select r.id, r.name, r.email, r.phone, r.answers, a.id, a.lines, a.postcode, a.ward, "
        "a.decile, a.areas from invitation_registrations r "
        "join invitation_addresses a on a.id = r.address_id where r.status = ? order by r.id",
        [MATCHED],
    ).fetchall()
    people = []
    answer_names: dict[str, str] = {}  # casefolded heading -> the first spelling
    area_names: dict[str, str] = {}
    for reg_id, name, email, phone, answers, address_id, lines, pc, ward, decile, areas in rows:
        area = {"ward": ward or "", "decile": "" if decile is None else str(decile)}
        area.update({k: (v or "").strip() for k, v in json.loads(areas or "{}").items()})
        answers = {k: (v or "").strip() for k, v in json.loads(answers or "{}").items()}
        for k in area:
            area_names.setdefault(k.casefold(), k)
        for k in answers:
            answer_names.setdefault(k.casefold(), k)
        people.append((reg_id, name, email, phone, answers, address_id, lines, pc, area))
    # an area column the frame never filled is no feature; the address decides over a form
    # answer of the same name
    dropped = {name.strip().casefold() for name in ignore}
    unknown = sorted(dropped - set(answer_names) - set(area_names))
    if unknown:
        columns = [*answer_names.values(), *area_names.values()]
        raise _refuse(
            _(
                "--ignore %(ignored)s: no such column; the registrants' columns are %(columns)s",
                ignored=", ".join(unknown),
                columns=", ".join(repr(c) for c in columns),
            )
        )
    areas_used = [
        k
        for k in area_names.values()
        if k.casefold() not in dropped and any(p[8].get(k, "") for p in people)
    ]
    taken = {*_ROLES, *dropped, *(k.casefold() for k in areas_used)}
    answers_used = [k for key, k in answer_names.items() if key not in taken]
    features = [*answers_used, *areas_used]
    header = (*_ROLES, *features)
    households: dict[int, str] = {}
    blanks = 0
    out = []
    for n, (reg_id, name, email, phone, answers, address_id, lines, pc, area) in enumerate(
        people, start=2
    ):
        folded = {k.casefold(): v for k, v in answers.items()}
        values = [folded.get(k.casefold(), "") for k in answers_used]
        values += [area.get(k, "") for k in areas_used]
        blanks += sum(1 for v in values if not v)
        values = [v or NOT_GIVEN for v in values]
        # a random token per mailed address, as the pool import makes from an address
        household = households.setdefault(address_id, "h" + secrets.token_hex(8))
        cells = (
            f"reg-{reg_id}",
            name,
            email,
            phone,
            ", ".join(json.loads(lines)),
            pc,
            household,
            *values,
        )
        out.append((n, tuple(cells)))
    digest = hashlib.sha256(
        json.dumps([header, [c for _n, c in out]], ensure_ascii=False).encode()
    ).hexdigest()
    return Table(FILE_NAME, digest, tuple(header), tuple(out)), blanks


def registrants_to_pool(db: Database, clock: Clock, ignore: Sequence[str] = ()) -> PoolReport:
    """Put the matched registrants into the pool (one transaction), or refuse plainly."""
    refuse_if_purged(db, N_("the mailed list was purged on %(day)s, so its registrants are gone"))
    statuses = dict(
        db.execute("select status, count(*) from invitation_registrations group by status")
    )
    matched = statuses.get(MATCHED, 0)
    review, not_invited = statuses.get(NEEDS_REVIEW, 0), statuses.get(NOT_INVITED, 0)
    existing = db.execute("select count(*) from respondents").fetchone()[0]
    if existing:
        raise _refuse(
            _(
                "the assembly already has a pool of %(count)s respondents; matched registrants "
                "are added only to an empty pool. Start a new assembly file, or import the pool "
                "with `assembly pool import --replace`.",
                count=Number(existing),
            )
        )
    if not matched:
        if review:
            raise _refuse(
                _(
                    "no registration is matched to a mailed address yet (%(count)s need review: "
                    "assembly invitations review).",
                    count=Number(review),
                )
            )
        raise _refuse(_("no registration is matched to a mailed address yet."))
    table, blanks = registrants_table(db, ignore)
    mapping = {c: _ROLES.get(c, "feature") for c in table.header}
    if "feature" not in mapping.values():
        raise _refuse(
            _(
                "the registrations have no answers and the addresses no area values, so the pool "
                "would have no features for quotas. Import the frame with --postcodes and "
                "--deprivation, or a form with its questions."
            )
        )
    try:
        plan = plan_import(table, mapping)
        result = import_pool(db, plan, clock)
    except OrganiserError as error:
        raise _refuse(str(error)) from None
    return PoolReport(result.respondents, review, not_invited, result.features, blanks)
