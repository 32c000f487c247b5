"""Voter codes for residents who walk in on a PB decision day, and the schema phones need.

Panel members sign in to the room with their personal room code; a PB round is usually voted
on by many more residents than the panel. The organiser issues N voter codes for a round and
prints them as cards to hand out at the door. A card carries a number (to stop it if it is
lost, without anyone knowing its code) and the code; the file keeps only a fingerprint of each
code, as it does for room codes, so a copy of the file cannot vote. One code, one ballot: a
card's ballot is recorded as voter `card N` and a second ballot from it replaces the first.

The codes are made by the room's own generator (`assembly.agenda.room.submissions`): the same
alphabet with no look-alike letters, the same length and the same fingerprint, so a card and a
room code are typed into the same box and never collide. The tables are in `phone_schema`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.agenda.room.submissions import CODE_LENGTH, code_hash, new_code, normalise_code
from assembly.budgets.errors import BudgetError
from assembly.budgets.rounds import get_round
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import Number, _
from assembly.store.database import write_transaction

MAX_CODES_AT_ONCE = 5000
CARD_NOT_IN_FORCE = "card stopped"  # not words


@dataclass(frozen=True)
class VoterCard:
    """A card to print: its number in the round and its code (readable only now)."""

    round_id: int
    number: int
    code: str


@dataclass(frozen=True)
class CardSignIn:
    """A phone signed in with a voter card: the code's row and the card's number, never the
    code itself."""

    code_id: int
    round_id: int
    number: int

    @property
    def voter(self) -> str:
        """How the card's ballot is recorded (one ballot per voter in a round)."""
        return f"card {self.number}"


@dataclass(frozen=True)
class CardState:
    number: int
    state: str  # 'in force' or 'stopped: reason', in the working language (shown)
    voted: bool


def _code_taken(db: Database, digest: str) -> bool:
    return bool(
        db.execute(
            "select 1 from pb_voter_codes where code_hash = ? "
            "union all select 1 from room_codes where code_hash = ?",
            [digest, digest],
        ).fetchone()
    )


def issue_voter_codes(
    db: Database,
    round_id: int,
    count: int,
    *,
    clock: Clock,
    token: Callable[[Sequence[str]], str] = secrets.choice,
) -> list[VoterCard]:
    """Make `count` new voter codes for a round not yet closed, numbered on from the last."""
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise BudgetError(
            _(
                "Issue between 1 and %(most)s voter codes at a time.",
                most=Number(MAX_CODES_AT_ONCE),
            )
        )
    at = to_iso(clock.now())
    with write_transaction(db):
        round_ = get_round(db, round_id)
        if round_.status == "closed":
            raise BudgetError(
                _("Voting in round %(round)s has closed: no new voter codes.", round=round_id)
            )
        last = db.execute(
            "select coalesce(max(number), 0) from pb_voter_codes where round_id = ?", [round_id]
        ).fetchone()[0]
        cards = []
        for number in range(last + 1, last + count + 1):
            while True:
                code = new_code(token)
                digest = code_hash(code)
                if not _code_taken(db, digest):
                    break
            db.execute(
                "insert into pb_voter_codes (round_id, number, code_hash, issued_at) "
                "values (?, ?, ?, ?)",
                [round_id, number, digest, at],
            )
            cards.append(VoterCard(round_id, number, code))
    return cards


def revoke_voter_code(
    db: Database, round_id: int, number: int, *, clock: Clock, reason: str = "stopped"
) -> None:
    """Stop card `number` working (a lost card). A ballot it already cast stays counted."""
    with write_transaction(db):
        row = db.execute(
            "select id, revoked_at from pb_voter_codes where round_id = ? and number = ?",
            [round_id, number],
        ).fetchone()
        if row is None:
            raise BudgetError(
                _("Round %(round)s has no voter card %(number)s.", round=round_id, number=number)
            )
        if row[1] is not None:
            raise BudgetError(_("Voter card %(number)s was already stopped.", number=number))
        db.execute(
            "update pb_voter_codes set revoked_at = ?, revoke_reason = ? where id = ?",
            [to_iso(clock.now()), (reason or "").strip() or "stopped", row[0]],
        )


def card_states(db: Database, round_id: int) -> list[CardState]:
    """Every card of a round: in force or stopped, and whether it has voted (never the code)."""
    return [
        CardState(
            number,
            _("in force") if revoked is None else _("stopped: %(reason)s", reason=why),
            bool(voted),
        )
        for number, revoked, why, voted in db.execute(
            "select c.number, c.revoked_at, c.revoke_reason, exists(select 1 from pb_ballots b "
            "where b.round_id = c.round_id and b.voter = 'card ' || c.number) "
            "from pb_voter_codes c where c.round_id = ? order by c.number",
            [round_id],
        )
    ]


def card_sign_in(db: Database, code: str) -> CardSignIn | None:
    """The card a code belongs to, if it is in force and its round is not closed."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    row = db.execute(
        "select c.id, c.round_id, c.number from pb_voter_codes c "
        "join pb_rounds r on r.id = c.round_id "
        "where c.code_hash = ? and c.revoked_at is null and r.status != 'closed'",
        [code_hash(code)],
    ).fetchone()
    return CardSignIn(*row) if row else None


def card_in_force(db: Database, signed: CardSignIn) -> bool:
    """Whether the card a phone signed in with still works. Checked inside the write
    transaction of each ballot and proposal, so a card stopped a moment before always wins."""
    row = db.execute(
        "select revoked_at from pb_voter_codes where id = ? and round_id = ?",
        [signed.code_id, signed.round_id],
    ).fetchone()
    return row is not None and row[0] is None
