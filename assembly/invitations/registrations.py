"""Importing the council form's registrations and matching each to the mailed addresses.

The form's export is read through the shared tabular reader and checked whole before anything
is written: a bad cell is named by file, row and column and nothing changes. A form is usually
exported again and again as people sign up, so a row already imported (same cells) is skipped,
and what was resolved in review stays resolved. Registrations taken by phone are typed into the
app by staff (`add_phone_registration`) and go through the same checks, matcher and store.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, _
from assembly.invitations.errors import InvitationError
from assembly.invitations.frame import _fail, _find, _read
from assembly.invitations.matching import (
    MATCHED,
    NEEDS_REVIEW,
    NOT_INVITED,
    Candidate,
    Outcome,
    agrees,
    match_address,
    parse_address,
)
from assembly.invitations.postcodes import looks_like_postcode, postcode_key
from assembly.invitations.purged import refuse_if_purged
from assembly.invitations.references import read_reference
from assembly.invitations.review import printed_address
from assembly.store import write_transaction
from sortition.model import normalise
from sortition.tabular import Table

# The headings looked for, compared with the form's own (names in the file, not words).
_POSTCODE = ("postcode", "post code", "postal code", "your postcode")  # not words
_ADDRESS = (
    "address",
    "full address",  # not words
    "street address",  # not words
    "your address",  # not words
    "address lines",  # not words
)
_LINE = re.compile(r"(address|addr|line)[ _]*(line)?[ _]*([0-9])\Z")
_REFERENCE = (
    "reference",
    "ref",
    "letter reference",  # not words
    "reference number",  # not words
    "code",
    "letter code",  # not words
)
_NAME = ("name", "full name", "your name")  # not words
_EMAIL = ("email", "email address", "e-mail", "e mail")  # not words
_PHONE = ("phone", "telephone", "phone number", "mobile", "telephone number")  # not words


@dataclass(frozen=True)
class FormRow:
    row: int
    name: str
    email: str
    phone: str
    address: str
    postcode: str
    reference: str
    digest: str
    answers: dict[str, str] = field(default_factory=dict)  # the form's other columns


@dataclass(frozen=True)
class RegistrationReport:
    file_name: str
    rows: int
    added: int
    already: int
    statuses: dict[str, int]
    shared_households: int  # mailed addresses with more than one matched registration


def _refuse(message: str) -> InvitationError:
    return InvitationError(message, title=_("Cannot import the registrations"))


def read_form(path: str | Path, *, encoding: str | None = None) -> tuple[Table, list[FormRow]]:
    """The form's rows, or an InvitationError naming every bad cell by row and column."""
    table = _read(path, encoding)
    header = table.header
    pc_at = _find(header, _POSTCODE)
    lines = [i for i, h in enumerate(header) if _LINE.match(normalise(h))]
    single = _find(header, _ADDRESS)
    lines = lines or ([single] if single is not None else [])
    if pc_at is None or not lines:
        missing = (
            N_("%(file)s: no postcode column; its headings are %(headings)s")
            if pc_at is None
            else N_("%(file)s: no address column; its headings are %(headings)s")
        )
        raise _refuse(
            _(
                missing,
                file=table.file_name,
                headings=", ".join(repr(h) for h in header),
            )
        )
    optional = {
        k: _find(header, names)
        for k, names in (
            ("name", _NAME),
            ("email", _EMAIL),
            ("phone", _PHONE),
            ("reference", _REFERENCE),
        )
    }
    known = {pc_at, *lines, *(i for i in optional.values() if i is not None)}
    answer_at = [i for i in range(len(header)) if i not in known]
    problems: list[str] = []
    out: list[FormRow] = []
    for row, cells in table.rows:
        cells = tuple(cells) + ("",) * (len(header) - len(cells))
        address = ", ".join(cells[i].strip() for i in lines if cells[i].strip())
        postcode = cells[pc_at].strip()
        if not address:
            problems.append(
                _(
                    "row %(row)s, column %(column)s: the address is empty",
                    row=row,
                    column=repr(header[lines[0]]),
                )
            )
        if not looks_like_postcode(postcode_key(postcode)):
            problems.append(
                _(
                    "row %(row)s, column %(column)s: %(postcode)s is not a UK postcode",
                    row=row,
                    column=repr(header[pc_at]),
                    postcode=repr(postcode),
                )
            )
        got = {k: (cells[i].strip() if i is not None else "") for k, i in optional.items()}
        used = [
            cells[i]
            for i in sorted({pc_at, *lines, *(i for i in optional.values() if i is not None)})
        ]
        digest = hashlib.sha256("\x1f".join(" ".join(c.split()) for c in used).encode()).hexdigest()
        out.append(
            FormRow(
                row,
                got["name"],
                got["email"],
                got["phone"],
                address,
                postcode,
                got["reference"],
                digest,
                {header[i]: cells[i].strip() for i in answer_at},
            )
        )
    if not out:
        problems.append(_("the file holds no registrations"))
    if problems:
        _fail(table, problems, _("Cannot import the registrations"))
    return table, out


def _candidates(db: Database, where: str, params: list) -> list[tuple[str, Candidate]]:
    rows = db.execute(
        "select a.id, a.lines, a.postcode_key, l.reference from invitation_addresses a "
        f"left join invitation_letters l on l.address_id = a.id where {where}",
        params,
    ).fetchall()
    return [
        (
            key,
            Candidate(id_, parse_address(" ".join(json.loads(lines))), ref is not None, ref or ""),
        )
        for id_, lines, key, ref in rows
    ]


def match_rows(db: Database, rows: list[FormRow]) -> list[Outcome]:
    """Each row's outcome against the frame: the postcode's addresses, then the reference."""
    keys = sorted({postcode_key(r.postcode) for r in rows})
    by_postcode: dict[str, list[Candidate]] = defaultdict(list)
    by_id: dict[int, Candidate] = {}
    for key, c in _candidates(
        db,
        "a.postcode_key in (select value from json_each(?))",  # not words
        [json.dumps(keys)],
    ):
        by_postcode[key].append(c)
        by_id[c.address_id] = c
    refs = sorted({ref for r in rows if (ref := read_reference(r.reference))})
    by_ref: dict[str, Candidate] = {}
    for _key, c in _candidates(
        db,
        "l.reference in (select value from json_each(?))",  # not words
        [json.dumps(refs)],
    ):
        by_ref[c.reference] = c
        by_id.setdefault(c.address_id, c)
    outcomes = []
    for r in rows:
        typed = parse_address(r.address)
        by_address = match_address(typed, by_postcode.get(postcode_key(r.postcode), ()))
        letter = by_ref.get(read_reference(r.reference) or "")
        if letter is None:
            outcomes.append(by_address)
        elif agrees(typed, letter.parsed) and by_address.address_id in (None, letter.address_id):
            outcomes.append(
                Outcome(MATCHED, letter.address_id, N_("matched by the letter's reference"))
            )
        elif by_address.status == MATCHED:
            # a copied code is likelier mistyped than a typed home address: the address decides
            reason = N_("matched by the address; the reference given is for another letter")
            outcomes.append(Outcome(MATCHED, by_address.address_id, reason))
        else:
            others = tuple((a, s) for a, s in by_address.candidates if a != letter.address_id)
            if by_address.address_id is not None:
                others = ((by_address.address_id, 100.0), *others)
            outcomes.append(
                Outcome(
                    NEEDS_REVIEW,
                    None,
                    N_("the letter's reference is for another address than the one typed"),
                    ((letter.address_id, 100.0), *others),
                )
            )
    return outcomes


def import_registrations(
    db: Database, path: str | Path, clock: Clock, *, encoding: str | None = None
) -> RegistrationReport:
    """Read, match and store a form export in one transaction; rows seen before are skipped."""
    refuse_if_purged(
        db, N_("the mailed list was purged on %(day)s, so no registration can be matched to it")
    )
    table, rows = read_form(path, encoding=encoding)
    if db.execute("select not exists(select 1 from invitation_letters)").fetchone()[0]:
        raise _refuse(_("no letters have been drawn yet: run `assembly invitations draw` first"))
    seen = {
        d
        for (d,) in db.execute(
            "select row_sha256 from invitation_registrations where row_sha256 in "
            "(select value from json_each(?))",
            [json.dumps([r.digest for r in rows])],
        )
    }
    new: list[FormRow] = []
    for r in rows:
        if r.digest not in seen:
            seen.add(r.digest)
            new.append(r)
    outcomes = match_rows(db, new)
    now = to_iso(clock.now())
    with write_transaction(db):
        import_id = db.execute(
            "insert into invitation_registration_imports (file_name, sha256, rows, added, "
            "imported_at) values (?, ?, ?, ?, ?)",
            [table.file_name, table.sha256, len(rows), len(new), now],
        ).lastrowid
        for r, o in zip(new, outcomes, strict=True):
            _store(db, table.file_name, r, o, now, import_id)
    statuses = {s: 0 for s in (MATCHED, NOT_INVITED, NEEDS_REVIEW)}
    for o in outcomes:
        statuses[o.status] += 1
    return RegistrationReport(
        table.file_name, len(rows), len(new), len(rows) - len(new), statuses, shared_households(db)
    )


def _store(
    db: Database, source: str, r: FormRow, o: Outcome, now: str, import_id: int | None
) -> int:
    """One registration and the addresses it could be; the caller holds the transaction."""
    reg_id = db.execute(
        "insert into invitation_registrations (source, row, name, email, phone, address, "
        "postcode, reference, status, address_id, reason, imported_at, import_id, "
        "row_sha256, answers) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source,
            r.row,
            r.name,
            r.email,
            r.phone,
            r.address,
            r.postcode,
            r.reference,
            o.status,
            o.address_id,
            o.reason,
            now,
            import_id,
            r.digest,
            json.dumps(r.answers, ensure_ascii=False),
        ],
    ).lastrowid
    db.conn.executemany(
        "insert or ignore into invitation_registration_candidates "
        "(registration_id, address_id, score) values (?, ?, ?)",
        [(reg_id, a, s) for a, s in o.candidates],
    )
    return reg_id


PHONE = "phone"  # the source of registrations typed in the app; their row is the call's number


@dataclass(frozen=True)
class PhoneRegistration:
    """A registration typed in by staff for a caller, and what the matcher made of it."""

    registration_id: int
    call: int  # the nth phone registration of this assembly
    outcome: Outcome
    matched_to: str  # the mailed address as printed, when matched


def add_phone_registration(
    db: Database,
    clock: Clock,
    *,
    address: str,
    postcode: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    reference: str = "",
) -> PhoneRegistration:
    """Match and store a registration taken by phone, as an imported one would be: the same
    checks (an address and a UK postcode), the same matcher and the same table, so the review,
    the rates and the pool treat it like any other. The same caller typed twice is refused."""
    refuse_if_purged(
        db, N_("the mailed list was purged on %(day)s, so no registration can be matched to it")
    )
    address, postcode = " ".join(address.split()), " ".join(postcode.split())
    problems = []
    if not address:
        problems.append(_("the address is empty"))
    if not looks_like_postcode(postcode_key(postcode)):
        problems.append(
            _("%(postcode)s is not a UK postcode", postcode=repr(postcode))
            if postcode
            else _("the postcode is empty")
        )
    if problems:
        raise InvitationError("; ".join(problems), title=_("Cannot add the registration"))
    if db.execute("select not exists(select 1 from invitation_letters)").fetchone()[0]:
        raise InvitationError(
            _("no letters have been drawn yet: run `assembly invitations draw` first"),
            title=_("Cannot add the registration"),
        )
    fields = [PHONE, name.strip(), email.strip(), phone.strip(), address, postcode, reference]
    digest = hashlib.sha256("\x1f".join(" ".join(c.split()) for c in fields).encode()).hexdigest()
    before = db.execute(
        "select row from invitation_registrations where source = ? and row_sha256 = ?",
        [PHONE, digest],
    ).fetchone()
    if before is not None:
        raise InvitationError(
            _(
                "this caller was typed in before, as phone registration %(call)s",
                call=before[0],
            ),
            title=_("Cannot add the registration"),
        )
    with write_transaction(db):
        call = db.execute(
            "select coalesce(max(row), 0) + 1 from invitation_registrations where source = ?",
            [PHONE],
        ).fetchone()[0]
        row = FormRow(call, *fields[1:4], address, postcode, reference.strip(), digest)
        (outcome,) = match_rows(db, [row])
        reg_id = _store(db, PHONE, row, outcome, to_iso(clock.now()), None)
    matched_to = ""
    if outcome.status == MATCHED:
        lines, pc = db.execute(
            "select lines, postcode from invitation_addresses where id = ?", [outcome.address_id]
        ).fetchone()
        matched_to = printed_address(lines, pc)
    return PhoneRegistration(reg_id, call, outcome, matched_to)


def shared_households(db: Database) -> int:
    """Mailed addresses with more than one matched registration: kept, shown together."""
    return db.execute(
        "select count(*) from (select address_id from invitation_registrations "
        "where status = ? group by address_id having count(*) > 1)",
        [MATCHED],
    ).fetchone()[0]
