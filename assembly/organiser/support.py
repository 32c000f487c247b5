"""Access support and costs: what each member needs to take part, and what it costs.

Needs are recorded per member (childcare, travel, an interpreter such as BSL, first language,
step-free access, anything else); money is kept in whole pence so totals add up exactly. The
first language is kept as the organiser typed it, whatever it is; the member's room card prints
in it when the app has its words (`i18n.catalogue_language`), and the organiser is told which.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import (
    N_,
    _,
    catalogue_language,
    in_words,
    language_name,
    printed_languages_in_words,
    typed_code,
)
from assembly.organiser.errors import OrganiserError
from assembly.organiser.members import member_by_number
from assembly.store import atomic, write_transaction

EXPENSE_KINDS = ("travel", "childcare", "care", "interpreter", "equipment", "other")
# Each kind as the screens and commands show it; the file and the command line use the English.
EXPENSE_WORDS = {
    "travel": N_("travel"),
    "childcare": N_("childcare"),
    "care": N_("care"),
    "interpreter": N_("interpreter"),
    "equipment": N_("equipment"),
    "other": N_("other"),
}


def expense_word(kind: str) -> str:
    return in_words(EXPENSE_WORDS, kind)


def expense_kinds_in_words() -> str:
    """The kinds as an officer may type them: 'travel, childcare, …' in the working language."""
    return ", ".join(expense_word(kind) for kind in EXPENSE_KINDS)


def typed_expense_kind(word: str) -> str | None:
    """The kind an officer typed, in English or in the working language, in any case."""
    return typed_code(word, EXPENSE_WORDS)


@dataclass(frozen=True)
class Support:
    childcare: bool = False
    travel: bool = False
    interpreter: str = ""  # "BSL", or a spoken language
    first_language: str = ""
    step_free: bool = False
    other_needs: str = ""
    honorarium_pence: int = 0

    def needs(self) -> list[str]:
        """The needs in words, e.g. ["childcare", "BSL interpreter"]."""
        out = []
        if self.childcare:
            out.append(_("childcare"))
        if self.travel:
            out.append(_("travel"))
        if self.interpreter:
            out.append(_("%(language)s interpreter", language=self.interpreter))
        if self.first_language:
            out.append(_("first language %(language)s", language=self.first_language))
        if self.step_free:
            out.append(_("step-free access"))
        if self.other_needs:
            out.append(self.other_needs)
        return out


@dataclass(frozen=True)
class CostTotals:
    honoraria_pence: int
    expenses_pence: dict[str, int]
    members_with_needs: dict[str, int]

    @property
    def total_pence(self) -> int:
        return self.honoraria_pence + sum(self.expenses_pence.values())


def first_language_help(folder: Path | None = None) -> str:
    """What the support editor says beside the first language: which languages cards print in,
    and that any other is recorded all the same."""
    return _(
        "Cards print in %(languages)s: type the language's name or code (Welsh, Cymraeg or "
        "cy). Type any other language too: it is recorded, and the member's card prints in the "
        "assembly's working language.",
        languages=printed_languages_in_words(folder),
    )


def card_language_note(first_language: str, *, working: str, folder: Path | None = None) -> str:
    """Which language a member's room card prints in, from the first language recorded for them
    ('' when none is). A language with no printed cards is never refused: the member may need
    an interpreter, which the organiser is reminded of."""
    recorded = first_language.strip()
    if not recorded:
        return ""
    printed = catalogue_language(recorded, fallback="", folder=folder)
    if printed:
        return _("Their room card prints in %(language)s.", language=language_name(printed))
    return _(
        "%(recorded)s has no printed cards: their room card prints in %(language)s, the "
        "assembly's working language; an interpreter may still be needed.",
        recorded=recorded,
        language=language_name(working),
    )


def parse_pounds(text: str) -> int:
    """'£12.50', '12.5' or '12' as pence; a clear error otherwise."""
    cleaned = text.strip().replace("£", "").replace(",", "")
    try:
        value = round(float(cleaned) * 100)
    except ValueError:
        raise OrganiserError(
            _("%(text)s is not an amount of money (write it like 12.50).", text=repr(text)),
            title=_("Amount"),
        ) from None
    if value < 0:
        raise OrganiserError(
            _("%(text)s: an amount cannot be negative.", text=repr(text)), title=_("Amount")
        )
    return value


def get_support(db: Database, number: int) -> Support:
    member = member_by_number(db, number)
    rows = list(db.query("select * from member_support where member_id = ?", [member["id"]]))
    if not rows:
        return Support()
    row = rows[0]
    return Support(
        childcare=bool(row["childcare"]),
        travel=bool(row["travel"]),
        interpreter=row["interpreter"],
        first_language=row["first_language"],
        step_free=bool(row["step_free"]),
        other_needs=row["other_needs"],
        honorarium_pence=row["honorarium_pence"],
    )


@atomic
def set_support(db: Database, number: int, clock: Clock, **changes: object) -> Support:
    """Change some of member `number`'s support fields; the others keep their values."""
    names = {f.name for f in fields(Support)}
    unknown = set(changes) - names
    if unknown:
        raise OrganiserError(
            _("unknown support field(s) %(fields)s.", fields=", ".join(sorted(unknown))),
            title=_("Support"),
        )
    member = member_by_number(db, number)
    current = get_support(db, number)
    merged = {f: getattr(current, f) for f in names} | changes
    honorarium = int(merged["honorarium_pence"])  # type: ignore[arg-type]
    if honorarium < 0:
        raise OrganiserError(_("an honorarium cannot be negative."), title=_("Support"))
    with write_transaction(db):
        db["member_support"].insert(
            {
                "member_id": member["id"],
                "childcare": int(bool(merged["childcare"])),
                "travel": int(bool(merged["travel"])),
                "interpreter": str(merged["interpreter"]).strip(),
                "first_language": str(merged["first_language"]).strip(),
                "step_free": int(bool(merged["step_free"])),
                "other_needs": str(merged["other_needs"]).strip(),
                "honorarium_pence": honorarium,
                "updated_at": to_iso(clock.now()),
            },
            replace=True,
        )
    return get_support(db, number)


def add_expense(
    db: Database, number: int, kind: str, amount_pence: int, clock: Clock, description: str = ""
) -> int:
    typed = typed_expense_kind(kind)
    if typed is None:
        raise OrganiserError(
            _(
                "unknown expense kind %(kind)s; use one of %(kinds)s.",
                kind=repr(kind),
                kinds=expense_kinds_in_words(),
            ),
            title=_("Expense"),
        )
    kind = typed
    if amount_pence < 0:
        raise OrganiserError(_("an expense cannot be negative."), title=_("Expense"))
    member = member_by_number(db, number)
    with write_transaction(db):
        row = db["member_expenses"].insert(
            {
                "member_id": member["id"],
                "kind": kind,
                "amount_pence": amount_pence,
                "description": description.strip(),
                "recorded_at": to_iso(clock.now()),
            }
        )
    return int(row.last_pk)


def cost_totals(db: Database) -> CostTotals:
    """Honoraria and expenses over every member (withdrawn ones may still be owed money)."""
    honoraria = db.execute(
        "select coalesce(sum(honorarium_pence), 0) from member_support"
    ).fetchone()[0]
    expenses = {
        r[0]: r[1]
        for r in db.execute(
            "select kind, sum(amount_pence) from member_expenses group by kind order by kind"
        )
    }
    needs = {}
    # The labels are shown (the costs summary), never stored: in the working language.
    for label, column in (
        (_("childcare"), "childcare"),
        (_("travel"), "travel"),
        (_("interpreter"), "interpreter != ''"),
        (
            _("first language other than English"),
            "first_language != '' and lower(first_language) != 'english'",  # not words
        ),
        (_("step-free access"), "step_free"),
        (_("other needs"), "other_needs != ''"),
    ):
        needs[label] = db.execute(
            f"select count(*) from member_support s join members m on m.id = s.member_id "
            f"where m.status in ('selected', 'invited', 'confirmed') and {column}"
        ).fetchone()[0]
    return CostTotals(honoraria, expenses, needs)
