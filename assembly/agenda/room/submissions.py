"""The room: personal codes, what residents send from their phones, and its audit.

Ballots and topics from phones go through the same services as typed ones (`rounds.record_ballot`,
`rounds.record_choice`, `topics.propose_topic`), so the declared method, the tie rule and the
file's triggers apply unchanged. What the room adds: a member is known only by a personal code
(kept as a hash), a second ballot before the vote closes replaces the first (the first is voided
with the reason, never deleted), and every accepted or refused submission is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from assembly.agenda import rounds, topics
from assembly.agenda.errors import AgendaError
from assembly.core.clock import Clock, to_iso
from assembly.core.html import macros, render
from assembly.core.i18n import N_, NP_, Text, Translator, _, catalogue_language, translator
from assembly.core.safe_output import csv_text
from assembly.store import languages, write_transaction

# No 0/O, 1/I/L, 5/S or 2/Z: codes are read off paper cards and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8  # 27**8, about 2.8e11 codes; with rate limits guessing one is hopeless
ACTIVE_MEMBER_STATUSES = ("selected", "invited", "confirmed")
DEFAULT_LANGUAGE = "en-GB"  # not words


class RoomError(AgendaError):
    """A room submission refused, in words a resident can act on. `field` is the id of the form
    field the message is about (for the page's error summary); `reason` is what the audit
    records, when it should say more than the resident is told. `message` is an English message
    id with named placeholders filled from `params`, so the room shows it in the phone's
    language (`text`); `str()` is the English."""

    title = N_("Not recorded")

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        reason: str | None = None,
        params: Mapping[str, object] | None = None,
    ):
        self.text = message if isinstance(message, Text) else Text(message, params)
        super().__init__(str(self.text))
        self.field = field
        self.reason = reason or str(self.text)


class CodeNotInForce(RoomError):
    """A signed-in phone whose code was revoked or reissued since, or whose member has left the
    panel: the phone's session ends."""


CODE_NOT_IN_FORCE = N_("This code no longer works. Ask a facilitator for help.")


@dataclass(frozen=True)
class SignIn:
    """Who a phone signed in as, and with which code (the code's row, never the code)."""

    member_id: int
    code_id: int


@dataclass(frozen=True)
class IssuedCode:
    member_id: int
    member_number: int
    code: str  # readable only now: the file keeps its hash


@dataclass(frozen=True)
class Receipt:
    """What was recorded, to show back to the resident."""

    round_id: int
    ballot_id: int
    replaced_ballot_id: int | None
    recorded_at: str
    lines: tuple[str, ...]


def _now(clock: Clock) -> str:
    return to_iso(clock.now())


# --- codes ------------------------------------------------------------------------------------


def normalise_code(text: str) -> str:
    """What a person typed, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code(token: Callable[[Sequence[str]], str] = secrets.choice) -> str:
    """A fresh code shown as two groups of four, e.g. 'KM7P-RX3D'."""
    raw = "".join(token(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def _not_active(number: int, status: str) -> str:
    return _(
        "Member %(number)s is %(status)s; only active members get codes.",
        number=number,
        status=status,
    )


def _member(db: Database, number: int) -> tuple[int, str]:
    row = db.execute("select id, status from members where number = ?", [number]).fetchone()
    if row is None:
        raise RoomError(_("There is no panel member number %(number)s.", number=number))
    return row[0], row[1]


def _issue(db: Database, member_id: int, number: int, at: str, token) -> IssuedCode:
    while True:
        code = new_code(token)
        digest = code_hash(code)
        if not db.execute("select 1 from room_codes where code_hash = ?", [digest]).fetchone():
            break
    db["room_codes"].insert({"member_id": member_id, "code_hash": digest, "issued_at": at})
    return IssuedCode(member_id, number, code)


def issue_codes(
    db: Database,
    clock: Clock,
    *,
    numbers: Sequence[int] | None = None,
    token: Callable[[Sequence[str]], str] = secrets.choice,
) -> list[IssuedCode]:
    """Give a code to every active member who has none (or to the members `numbers`).
    Members who already hold a code keep it: to replace a lost card, reissue."""
    at = _now(clock)
    with write_transaction(db):
        if numbers is None:
            marks = ",".join("?" * len(ACTIVE_MEMBER_STATUSES))
            rows = db.execute(
                f"select id, number from members where status in ({marks}) order by number",
                list(ACTIVE_MEMBER_STATUSES),
            ).fetchall()
        else:
            rows = []
            for number in numbers:
                member_id, status = _member(db, number)
                if status not in ACTIVE_MEMBER_STATUSES:
                    raise RoomError(_not_active(number, status))
                rows.append((member_id, number))
        out = []
        for member_id, number in rows:
            if _live_code(db, member_id) is None:
                out.append(_issue(db, member_id, number, at, token))
    return out


def _live_code(db: Database, member_id: int) -> int | None:
    row = db.execute(
        "select id from room_codes where member_id = ? and revoked_at is null", [member_id]
    ).fetchone()
    return row[0] if row else None


def revoke_code(db: Database, clock: Clock, number: int, *, reason: str = "revoked") -> None:
    """Stop a member's code working (a lost card, a member who left). Their ballots stay."""
    at = _now(clock)
    with write_transaction(db):
        member_id, _status = _member(db, number)
        code_id = _live_code(db, member_id)
        if code_id is None:
            raise RoomError(_("Member %(number)s has no code in force.", number=number))
        db["room_codes"].update(
            code_id, {"revoked_at": at, "revoke_reason": reason.strip() or "revoked"}
        )


def reissue_code(
    db: Database,
    clock: Clock,
    number: int,
    *,
    token: Callable[[Sequence[str]], str] = secrets.choice,
) -> IssuedCode:
    """Revoke a member's code (if any) and give them a new one, in one step."""
    at = _now(clock)
    with write_transaction(db):
        member_id, status = _member(db, number)
        if status not in ACTIVE_MEMBER_STATUSES:
            raise RoomError(_not_active(number, status))
        code_id = _live_code(db, member_id)
        if code_id is not None:
            db["room_codes"].update(code_id, {"revoked_at": at, "revoke_reason": "reissued"})
        return _issue(db, member_id, number, at, token)


def sign_in(db: Database, code: str) -> SignIn | None:
    """Who a code signs in, if it is in force and the member still active."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    marks = ",".join("?" * len(ACTIVE_MEMBER_STATUSES))
    row = db.execute(
        "select c.member_id, c.id from room_codes c join members m on m.id = c.member_id "
        f"where c.code_hash = ? and c.revoked_at is null and m.status in ({marks})",
        [code_hash(code), *ACTIVE_MEMBER_STATUSES],
    ).fetchone()
    return SignIn(row[0], row[1]) if row else None


def member_for_code(db: Database, code: str) -> int | None:
    """The member a code belongs to, if it is in force and the member still active."""
    found = sign_in(db, code)
    return found.member_id if found else None


def check_sign_in(db: Database, signed: SignIn) -> None:
    """Refuse a phone whose code is no longer the member's code in force (revoked, or reissued
    to the member on a new card) or whose member is no longer on the panel. Called inside each
    submission's write transaction, so a revocation that lands first always wins."""
    row = db.execute(
        "select c.revoked_at, m.status from room_codes c join members m on m.id = c.member_id "
        "where c.id = ? and c.member_id = ?",
        [signed.code_id, signed.member_id],
    ).fetchone()
    if row is None or row[0] is not None:
        raise CodeNotInForce(CODE_NOT_IN_FORCE, reason="code no longer in force")  # not words
    if row[1] not in ACTIVE_MEMBER_STATUSES:
        raise CodeNotInForce(
            CODE_NOT_IN_FORCE,
            reason="member is no longer on the panel",  # not words
        )


def member_number(db: Database, member_id: int) -> int:
    return db.execute("select number from members where id = ?", [member_id]).fetchone()[0]


def code_states(db: Database) -> list[tuple[int, str]]:
    """Every member's number and code state ('in force', 'revoked', 'none'), for the organiser
    (English, shown with `_()`)."""
    out = []
    for number, live, any_code in db.execute(
        "select m.number, "
        "exists(select 1 from room_codes c where c.member_id = m.id and c.revoked_at is null), "
        "exists(select 1 from room_codes c where c.member_id = m.id) "
        "from members m order by m.number"
    ):
        out.append(
            (number, N_("in force") if live else (N_("revoked") if any_code else N_("none")))
        )
    return out


# --- cards and mail merge -----------------------------------------------------------------------


def _names(db: Database, member_ids: Sequence[int]) -> dict[int, dict]:
    """Each member's name and contact, and the first language recorded with their support
    needs ('' when none is)."""
    out = {}
    for member_id in member_ids:
        row = db.execute(
            "select r.name, r.email, r.address, r.postcode, s.first_language from members m "
            "join respondents r on r.id = m.respondent_id "
            "left join member_support s on s.member_id = m.id where m.id = ?",
            [member_id],
        ).fetchone()
        out[member_id] = dict(
            zip(
                ("name", "email", "address", "postcode", "first_language"),
                row or (),
                strict=False,
            )
        )
    return out


def codes_csv(
    db: Database,
    issued: Sequence[IssuedCode],
    url: str,
    language: str = DEFAULT_LANGUAGE,
    locale: Path | None = None,
) -> str:
    """A CSV for the organiser's mail merge: member number, name, contact, code, room address
    and the language the member's card prints in (as `cards_html` chooses it), so the covering
    letter can match; written by the one export layer (formulas neutralised)."""
    people = _names(db, [i.member_id for i in issued])
    header = ["member_number", "name", "email", "address", "postcode", "code", "room_url"]
    return csv_text(
        [*header, "card_language"],
        (
            (
                item.member_number,
                people.get(item.member_id, {}).get("name") or "",
                people.get(item.member_id, {}).get("email") or "",
                people.get(item.member_id, {}).get("address") or "",
                people.get(item.member_id, {}).get("postcode") or "",
                item.code,
                url,
                catalogue_language(
                    people.get(item.member_id, {}).get("first_language") or "",
                    fallback=language,
                    folder=locale,
                ),
            )
            for item in issued
        ),
    )


def cards_html(
    db: Database,
    issued: Sequence[IssuedCode],
    *,
    assembly_name: str,
    url: str,
    language: str = DEFAULT_LANGUAGE,
    locale: Path | None = None,
) -> str:
    """Printable cards, eight to an A4 page, one per member: their name (to hand it out), the room
    address and the code (`templates/cards.html`: everything escaped, nothing fetched). The page
    is in the room's `language`; each card in its member's first language when cards print in it
    (`i18n.catalogue_language`), else in the room's. `locale` is the organiser's own catalogues
    (`i18n.override_dir`), whose corrections and languages the cards use as the room does."""
    people = _names(db, [i.member_id for i in issued])
    words: dict[str, Any] = {}

    def card_words(first_language: str) -> tuple[Translator, Any]:
        tag = catalogue_language(first_language, fallback=language, folder=locale)
        if tag not in words:
            card_tr = translator(tag, locale)
            words[tag] = (
                card_tr,
                macros(
                    __package__,
                    "card_parts.html",
                    translator=card_tr,
                    assembly_name=assembly_name,
                    url=url,
                ),
            )
        return words[tag]

    cards = []
    for item in issued:
        person = people.get(item.member_id, {})
        card_tr, card = card_words(person.get("first_language") or "")
        name = person.get("name") or card_tr.gettext("Member %(number)s", number=item.member_number)
        cards.append((card, name, item.member_number, item.code))
    return render(
        __package__,
        "cards.html",
        translator=translator(language, locale),
        cards=cards,
        assembly_name=assembly_name,
        url=url,
        language=language,
    )


# --- settings ---------------------------------------------------------------------------------


def _setting(db: Database, key: str, default: str) -> str:
    row = db.execute("select value from room_settings where key = ?", [key]).fetchone()
    return row[0] if row else default


def _set(db: Database, key: str, value: str) -> None:
    with write_transaction(db):
        db.execute(
            "insert into room_settings (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [key, value],
        )


def visitors_allowed(db: Database) -> bool:
    return _setting(db, "allow_visitors", "no") == "yes"


def allow_visitors(db: Database, allowed: bool) -> None:
    """Whether residents without a code may propose topics (they can never vote)."""
    _set(db, "allow_visitors", "yes" if allowed else "no")


def language(db: Database) -> str:
    """The assembly's working language, which the room's pages start in, e.g. en-GB."""
    return languages.working_language(db)


def publish_results(db: Database, clock: Clock, round_id: int, *, published: bool = True) -> None:
    """Show a closed vote's result on residents' phones (or take it down again)."""
    current = rounds.get_round(db, round_id)
    with write_transaction(db):
        if not published:
            db.execute("delete from room_published where round_id = ?", [round_id])
            return
        if current.status != "closed":
            raise RoomError(
                _("Vote %(id)s is still open: close it before publishing results.", id=round_id)
            )
        db.execute(
            "insert or ignore into room_published (round_id, published_at) values (?, ?)",
            [round_id, _now(clock)],
        )


def published_rounds(db: Database) -> list[int]:
    return [r[0] for r in db.execute("select round_id from room_published order by published_at")]


def room_round(db: Database) -> rounds.Round | None:
    """The vote residents see: the most recently opened vote still open."""
    row = db.execute(
        "select id from priority_rounds where status = 'open' order by id desc limit 1"
    ).fetchone()
    return rounds.get_round(db, row[0]) if row else None


# --- audit ------------------------------------------------------------------------------------


def audit(
    db: Database,
    clock: Clock,
    action: str,
    outcome: str,
    *,
    reason: str = "",
    member_id: int | None = None,
    round_id: int | None = None,
    ref_id: int | None = None,
) -> None:
    with write_transaction(db):
        db["room_audit"].insert(
            {
                "at": _now(clock),
                "action": action,
                "outcome": outcome,
                "reason": reason,
                "member_id": member_id,
                "round_id": round_id,
                "ref_id": ref_id,
            }
        )


@dataclass(frozen=True)
class AuditEntry:
    at: str
    action: str
    outcome: str
    reason: str
    member_number: int | None
    round_id: int | None


def recent_audit(db: Database, *, limit: int = 10, round_id: int | None = None) -> list[AuditEntry]:
    where = "where a.round_id = ?" if round_id is not None else ""  # not words
    params = [round_id] if round_id is not None else []
    return [
        AuditEntry(*row)
        for row in db.execute(
            "select a.at, a.action, a.outcome, a.reason, m.number, a.round_id from room_audit a "
            f"left join members m on m.id = a.member_id {where} order by a.id desc limit ?",
            [*params, limit],
        )
    ]


def refused(db: Database, clock: Clock, action: str, error: Exception, **where) -> RoomError:
    """Audit a refusal (in its own transaction, after the refused one rolled back). The audit
    keeps the service's own words; a resident is told in plain ones (`plain_refusal`)."""
    reason = error.reason if isinstance(error, RoomError) else str(error)
    audit(db, clock, action, "refused", reason=reason, **where)
    if isinstance(error, RoomError):
        return error
    return RoomError(plain_refusal(action, str(error)), reason=reason)  # a message id


def plain_refusal(action: str, internal: str) -> str:
    """What a resident reads when a service refused something the room's own checks let
    through (a vote closed a moment before, a rule the form cannot show): never the service's
    wording, which names ballots, members and methods."""
    if "closed" in internal:
        return N_("This vote has closed, so nothing more can be recorded in it.")
    return {
        "ballot": N_(
            "Your vote could not be recorded. Check your choices and send it again, "
            "or ask a facilitator for help."
        ),
        "answer": N_(
            "Your answer could not be recorded. Try the next pair, or ask a facilitator for help."
        ),
        "topic": N_(
            "Your topic could not be recorded. Check it and send it again, or ask a "
            "facilitator for help."
        ),
    }.get(action, N_("That could not be recorded. Ask a facilitator for help."))


# --- submissions --------------------------------------------------------------------------------


def _voter(db: Database, member_id: int) -> str:
    # kept with the ballot, as the record names who voted
    return f"member {member_number(db, member_id)}, by phone"  # not words


def _live_ballots(db: Database, round_id: int, member_id: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "select id from ballots where round_id = ? and member_id = ? and voided_at is null "
            "and kind = 'ballot' order by id",
            [round_id, member_id],
        )
    ]


def live_ballot(db: Database, round_id: int, member_id: int) -> dict[int, int]:
    """The marks ({topic: value}) of the member's ballot that counts in this vote, if any."""
    live = _live_ballots(db, round_id, member_id)
    if not live:
        return {}
    return dict(
        db.execute(
            "select topic_id, value from ballot_marks where ballot_id = ?", [live[-1]]
        ).fetchall()
    )


def _describe(db: Database, round_id: int, ballot_id: int) -> tuple[str, ...]:
    current = rounds.get_round(db, round_id)
    titles = {t.id: t.title for t in topics.list_topics(db, include_closed=True)}
    marks = dict(
        db.execute(
            "select topic_id, value from ballot_marks where ballot_id = ? order by topic_id",
            [ballot_id],
        ).fetchall()
    )
    if current.method in ("borda", "schulze"):
        order = sorted(marks, key=lambda t: marks[t])
        return tuple(
            Text(N_("%(place)s. %(topic)s"), {"place": marks[t], "topic": titles.get(t, t)})
            for t in order
        )
    if current.method == "approval":
        return tuple(
            Text(N_("Ticked: %(topic)s"), {"topic": titles.get(t, t)})
            for t in current.topic_ids
            if marks.get(t)
        )
    if current.method == "dot":
        return tuple(
            NP_(
                "%(topic)s: %(num)s dot",
                "%(topic)s: %(num)s dots",
                marks[t],
                {"topic": titles.get(t, t)},
            )
            for t in current.topic_ids
            if marks.get(t)
        ) or (Text(N_("No dots placed.")),)
    chosen = [t for t, v in marks.items() if v == 1]
    if chosen:
        other = next(t for t in marks if t != chosen[0])
        return (
            Text(
                N_("%(chosen)s matters more than %(other)s"),
                {"chosen": titles.get(chosen[0]), "other": titles.get(other)},
            ),
        )
    a, b = list(marks)
    return (
        Text(N_("Can't decide between %(a)s and %(b)s"), {"a": titles.get(a), "b": titles.get(b)}),
    )


def submit_ballot(
    db: Database,
    clock: Clock,
    member_id: int,
    round_id: int,
    ballot: Mapping[int, int] | Sequence[int],
    *,
    signed: SignIn | None = None,
) -> Receipt:
    """A member's ballot from their phone. A second ballot in the same open vote replaces the
    first: the earlier one is voided with 'replaced by ballot N from the room', in the same
    transaction, so one member never counts twice. `signed`: the phone's sign-in, checked
    still in force inside the transaction."""
    try:
        with write_transaction(db):
            if signed is not None:
                check_sign_in(db, signed)
            earlier = _live_ballots(db, round_id, member_id)
            new_id = rounds.record_ballot(
                db, clock, round_id, ballot, voter=_voter(db, member_id), member_id=member_id
            )
            replaced = _replace_earlier(db, clock, round_id, member_id, earlier, new_id, "ballot")
    except AgendaError as error:
        raise refused(db, clock, "ballot", error, member_id=member_id, round_id=round_id) from None
    return Receipt(round_id, new_id, replaced, _now(clock), _describe(db, round_id, new_id))


def _replace_earlier(
    db: Database,
    clock: Clock,
    round_id: int,
    member_id: int,
    earlier: list[int],
    new_id: int,
    word: str,
) -> int | None:
    """Void a member's `earlier` ballots in favour of `new_id` and audit the accepted `word`
    ('ballot' or 'answer'); returns the one replaced, if any. Runs inside the caller's write
    transaction, so one member never counts twice."""
    for old in earlier:
        rounds.void_ballot(
            db,
            clock,
            round_id,
            old,
            reason=f"replaced by {word} {new_id} from the room",  # not words
        )
    replaced = earlier[-1] if earlier else None
    db["room_audit"].insert(
        {
            "at": _now(clock),
            "action": f"{word} replaced" if replaced else word,
            "outcome": "accepted",
            "reason": f"replaces {word} {replaced}" if replaced else "",
            "member_id": member_id,
            "round_id": round_id,
            "ref_id": new_id,
        }
    )
    return replaced


def _same_pair(db: Database, round_id: int, member_id: int, pair: set[int]) -> list[int]:
    out = []
    for (ballot_id,) in db.execute(
        "select id from ballots where round_id = ? and member_id = ? and voided_at is null "
        "and kind in ('choice', 'skip')",
        [round_id, member_id],
    ).fetchall():
        got = {
            r[0]
            for r in db.execute(
                "select topic_id from ballot_marks where ballot_id = ?", [ballot_id]
            )
        }
        if got == pair:
            out.append(ballot_id)
    return out


def submit_choice(
    db: Database,
    clock: Clock,
    member_id: int,
    round_id: int,
    pair: tuple[int, int],
    chosen: int | None,
    *,
    signed: SignIn | None = None,
) -> Receipt:
    """One "Which matters more?" answer about `pair`: `chosen`, or None for "can't decide".
    Answering the same pair again replaces the earlier answer, as a ballot does."""
    a, b = pair
    try:
        with write_transaction(db):
            if signed is not None:
                check_sign_in(db, signed)
            if chosen is not None and chosen not in pair:
                raise RoomError(
                    N_("That answer does not match the two topics shown."),
                    field="choice-a",  # not words
                )
            earlier = _same_pair(db, round_id, member_id, {a, b})
            voter = _voter(db, member_id)
            if chosen is None:
                new_id = rounds.record_choice(
                    db, clock, round_id, None, pair=(a, b), voter=voter, member_id=member_id
                )
            else:
                other = b if chosen == a else a
                new_id = rounds.record_choice(
                    db, clock, round_id, chosen, other, voter=voter, member_id=member_id
                )
            replaced = _replace_earlier(db, clock, round_id, member_id, earlier, new_id, "answer")
    except AgendaError as error:
        raise refused(db, clock, "answer", error, member_id=member_id, round_id=round_id) from None
    return Receipt(round_id, new_id, replaced, _now(clock), _describe(db, round_id, new_id))


def submit_topic(
    db: Database,
    clock: Clock,
    member_id: int | None,
    title: str,
    *,
    description: str = "",
    anonymous: bool = False,
    signed: SignIn | None = None,
    language: str = "",
) -> int:
    """A topic proposed from a phone, by a member (known by their code) or, when the facilitator
    allows it, a visitor, in the phone's `language`. The proposer's name is never asked for on
    the page."""
    try:
        if member_id is None and not visitors_allowed(db):
            raise RoomError(N_("Only panel members with a code can propose topics right now."))
        if not title.strip():
            raise RoomError(N_("Enter a title for your topic"), field="title")
        if len(title) > 200:
            raise RoomError(N_("The title must be 200 characters or fewer"), field="title")
        if len(description) > 2000:
            raise RoomError(
                N_("The details must be 2,000 characters or fewer"), field="description"
            )
        with write_transaction(db):
            if signed is not None:
                check_sign_in(db, signed)
            topic_id = topics.propose_topic(
                db,
                clock,
                title,
                description=description,
                proposer_kind="member" if member_id is not None else "resident",
                member_number=member_number(db, member_id) if member_id is not None else None,
                anonymous=anonymous,
                source="live",
                source_ref="room (phone)",
                language=language,
            )
            db["room_audit"].insert(
                {
                    "at": _now(clock),
                    "action": "topic",
                    "outcome": "accepted",
                    "member_id": member_id,
                    "ref_id": topic_id,
                }
            )
    except AgendaError as error:
        raise refused(db, clock, "topic", error, member_id=member_id) from None
    return topic_id


# --- what the facilitator sees ------------------------------------------------------------------


def not_voted(db: Database, round_id: int) -> list[int]:
    """Numbers of active members with nothing counted in this vote yet (typed or by phone)."""
    marks = ",".join("?" * len(ACTIVE_MEMBER_STATUSES))
    return [
        r[0]
        for r in db.execute(
            f"select m.number from members m where m.status in ({marks}) and not exists "
            "(select 1 from ballots b where b.round_id = ? and b.member_id = m.id "
            "and b.voided_at is null) order by m.number",
            [*ACTIVE_MEMBER_STATUSES, round_id],
        )
    ]


def voters(db: Database, round_id: int) -> int:
    """How many members have something counted in this vote."""
    return db.execute(
        "select count(distinct member_id) from ballots where round_id = ? "
        "and member_id is not null and voided_at is null",
        [round_id],
    ).fetchone()[0]
