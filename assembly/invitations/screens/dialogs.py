"""The invitations' two forms, both the app's one form dialog: settling a registration in review
(the mailed address it is, or no letter went there) and a registration taken by phone. Each
saves through the same service as the command line, and stays open, saying why, when refused."""

from __future__ import annotations

from assembly.core.clock import Clock
from assembly.core.words import counted
from assembly.invitations import review
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NOT_INVITED
from assembly.invitations.registrations import (
    PHONE,
    PhoneRegistration,
    add_phone_registration,
)
from assembly.ui.dialogs.agenda_form import FormDialog, FormField

NOT_SENT = "not-invited"


def where_from(source: str, row: int) -> str:
    """'form.csv row 61', or 'phone call 2' for a registration typed in the app."""
    return f"phone call {row}" if source == PHONE else f"{source} row {row}"


class ResolveDialog(FormDialog):
    """Which mailed address a registration in review is; returns a sentence saying what was done."""

    def __init__(self, household: review.Household, registration: review.Waiting) -> None:
        self.household, self.registration = household, registration
        options = [
            (f"Address {address_id}: {printed}", str(address_id))
            for address_id, printed, _reference in household.addresses
        ]
        options.append(("Not invited: no letter went to this household", NOT_SENT))
        others = [r for r in household.registrations if r is not registration]
        fields = [
            FormField("choice", "It is", kind="select", options=tuple(options)),
            FormField(
                "other",
                "Or the number of another mailed address (when the right one is not listed)",
                kind="integer",
            ),
        ]
        if others:
            fields.append(
                FormField(
                    "others",
                    f"The same for the other {counted(len(others), 'registration')} "
                    "that could be these addresses",
                    kind="checkbox",
                )
            )
        r = registration
        typed = f"{r.address}, {r.postcode}" + (f", reference {r.reference}" if r.reference else "")
        help_text = (
            f"Registration {r.registration_id} ({where_from(r.source, r.row)}): {typed}. Why it needs review: "
            f"{r.reason or 'nothing near it was mailed'}."
        )
        super().__init__(
            f"Settle registration {r.registration_id}", fields, help_text, start_in="choice"
        )

    def accept(self, values: dict) -> str:
        chosen = values["other"] or str(values["choice"])
        if not chosen.isdigit() and chosen != NOT_SENT:
            raise ValueError(f"{chosen!r} is not an address number")
        which = [self.registration]
        if values.get("others"):
            which += [r for r in self.household.registrations if r is not self.registration]
        db = self.app.assembly.db()  # type: ignore[attr-defined]
        try:
            if chosen == NOT_SENT:
                for r in which:
                    review.mark_not_invited(db, r.registration_id)
                done = "not invited"
            else:
                for r in which:
                    printed = review.resolve(db, r.registration_id, int(chosen))
                done = f"matched to {printed}"
        except InvitationError as error:
            raise ValueError(str(error)) from None
        ids = ", ".join(str(r.registration_id) for r in which)
        noun = "Registration" if len(which) == 1 else "Registrations"
        return f"{noun} {ids}: {done}."


def phone_outcome(got: PhoneRegistration, name: str) -> str:
    """What the matcher made of a phone registration, in a sentence to read out to the caller."""
    who = f"Phone registration {got.call}" + (f" ({name})" if name else "")
    reason = got.outcome.reason
    if got.outcome.status == MATCHED:
        return f"{who} is matched to {got.matched_to}" + (f": {reason}." if reason else ".")
    if got.outcome.status == NOT_INVITED:
        return (
            f"{who} is not invited: {reason}. It is kept, but only households sent a letter "
            "can join the pool."
        )
    return f"{who} needs review: {reason}. It is in the list below; Enter settles it."


class PhoneRegistrationDialog(FormDialog):
    """A caller's registration typed in by staff; returns the sentence saying how it matched."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        fields = [
            FormField("name", "Name"),
            FormField("phone", "Phone number"),
            FormField("email", "Email (if they have one)"),
            FormField("address", "Address (house or flat number and street)"),
            FormField("postcode", "Postcode", placeholder="e.g. KB1 0AA"),
            FormField(
                "reference", "The letter's reference, if they have it", placeholder="1K3-F7Q"
            ),
        ]
        help_text = (
            "Type what the caller says. It is matched to the mailed addresses as a form's "
            "registration is, and the result is said when you save."
        )
        super().__init__("A registration by phone", fields, help_text)

    def accept(self, values: dict) -> str:
        try:
            got = add_phone_registration(
                self.app.assembly.db(),  # type: ignore[attr-defined]
                self.clock,
                address=values["address"],
                postcode=values["postcode"],
                name=values["name"],
                email=values["email"],
                phone=values["phone"],
                reference=values["reference"],
            )
        except InvitationError as error:
            raise ValueError(str(error)) from None
        return phone_outcome(got, values["name"])
