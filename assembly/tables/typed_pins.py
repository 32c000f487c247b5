"""A pin as an officer types it on the table-plan screen ("apart 3 7", "ar wahân 3 7"): its
word in English or in the working language, one or more words long, then member numbers in
figures (and, for an interpreter, who they are)."""

from __future__ import annotations

from dataclasses import dataclass

from assembly.core.i18n import N_, _, typed_code
from assembly.tables.plans import INTERPRETER_LABEL, TablePlanRequestError

# The word before the numbers: a translation may be two words ("gyda'i gilydd").
PIN_WORDS = {
    "apart": N_("apart"),
    "together": N_("together"),
    "interpreter": N_("interpreter"),
    "remove": N_("remove"),
}
# One pin of each kind as typed, in the working language's words: the screen's hint, and what
# a refusal suggests. A test reads every catalogue's wording of it back with `read_pin`.
EXAMPLES = N_("apart 3 7 · together 4 5 · interpreter 3 BSL · remove 2")


@dataclass(frozen=True)
class TypedPin:
    kind: str  # apart, together, interpreter, remove
    numbers: tuple[int, ...]  # members (apart, together, interpreter) or the pin's id (remove)
    label: str | None = None  # the interpreter's, as the file keeps it


def read_pin(typed: str) -> TypedPin:
    """The pin `typed` names; `TablePlanRequestError` saying what to write when it names none."""
    words = typed.split()
    for end in range(len(words), 0, -1):  # the longest run of words that names a pin
        kind = typed_code(" ".join(words[:end]), PIN_WORDS)
        if kind is not None:
            return _pin(kind, words[end:], typed)
    raise _unreadable(typed)


def _pin(kind: str, rest: list[str], typed: str) -> TypedPin:
    if kind in ("apart", "together"):
        if len(rest) != 2:
            raise _unreadable(typed)
        return TypedPin(kind, (_number(rest[0]), _number(rest[1])))
    if kind == "remove":
        if len(rest) != 1:
            raise _unreadable(typed)
        return TypedPin(kind, (_number(rest[0], pin=True),))
    if len(rest) < 2:
        raise _unreadable(typed)
    return TypedPin(kind, (_number(rest[0]),), _label(" ".join(rest[1:])))


def _label(said: str) -> str:
    """'BSL' is kept as 'BSL interpreter' (in English, as the file keeps its pins, and shown
    in the reader's language: `plans.interpreter_label`); a label that already says
    interpreter, in English or in the working language, is kept as typed."""
    folded = said.casefold()
    if "interpreter" in folded or _(PIN_WORDS["interpreter"]).casefold() in folded:
        return said
    return INTERPRETER_LABEL % {"language": said}


def _number(word: str, pin: bool = False) -> int:
    if not word.isdigit():
        raise TablePlanRequestError(
            _("%(word)s is not a pin number: write it in figures.", word=repr(word))
            if pin
            else _("%(word)s is not a member number: write it in figures.", word=repr(word))
        )
    return int(word)


def _unreadable(typed: str) -> TablePlanRequestError:
    return TablePlanRequestError(
        _(
            "%(typed)s: write a pin as %(examples)s (member numbers; the pin's id to remove)",
            typed=repr(typed),
            examples=_(EXAMPLES),
        )
    )
