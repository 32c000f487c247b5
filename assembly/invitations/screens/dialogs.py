"""The invitations' two forms, both the app's one form dialog: settling a registration in review
(the mailed address it is, or no letter went there) and a registration taken by phone. Each
saves through the same service as the command line, and stays open, saying why, when refused."""

from __future__ import annotations

from assembly.core.clock import Clock
from assembly.core.i18n import Number, _, ngettext
from assembly.invitations import review
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NOT_INVITED, shown_reason
from assembly.invitations.registrations import (
    PHONE,
    PhoneRegistration,
    add_phone_registration,
)
from assembly.ui.dialogs.agenda_form import FormDialog, FormField

NOT_SENT = "not-invited"  # not words


def where_from(source: str, row: int) -> str:
    """'form.csv row 61', or 'phone call 2' for a registration typed in the app."""
    if source == PHONE:
        return _("phone call %(call)s", call=row)
    return _("%(file)s row %(row)s", file=source, row=row)


class ResolveDialog(FormDialog):
    """Which mailed address a registration in review is; returns a sentence saying what was done."""

    def __init__(self, household: review.Household, registration: review.Waiting) -> None:
        self.household, self.registration = household, registration
        options = [
            (_("Address %(id)s: %(printed)s", id=address_id, printed=printed), str(address_id))
            for address_id, printed, _reference in household.addresses
        ]
        options.append((_("Not invited: no letter went to this household"), NOT_SENT))
        others = [r for r in household.registrations if r is not registration]
        fields = [
            FormField("choice", _("It is"), kind="select", options=tuple(options)),
            FormField(
                "other",
                _("Or the number of another mailed address (when the right one is not listed)"),
                kind="integer",
            ),
        ]
        if others:
            fields.append(
                FormField(
                    "others",
                    ngettext(
                        "The same for the other %(num)s registration that could be these addresses",
                        "The same for the other %(num)s registrations that could be these "
                        "addresses",
                        len(others),
                        num=Number(len(others)),
                    ),
                    kind="checkbox",
                )
            )
        r = registration
        typed = (
            _(
                "%(address)s, %(postcode)s, reference %(reference)s",
                address=r.address,
                postcode=r.postcode,
                reference=r.reference,
            )
            if r.reference
            else f"{r.address}, {r.postcode}"
        )
        help_text = _(
            "Registration %(id)s (%(where)s): %(typed)s. Why it needs review: %(why)s.",
            id=r.registration_id,
            where=where_from(r.source, r.row),
            typed=typed,
            why=shown_reason(r.reason) or _("nothing near it was mailed"),
        )
        super().__init__(
            _("Settle registration %(id)s", id=r.registration_id),
            fields,
            help_text,
            start_in="choice",
        )

    def accept(self, values: dict) -> str:
        chosen = values["other"] or str(values["choice"])
        if not chosen.isdigit() and chosen != NOT_SENT:
            raise ValueError(_("%(chosen)s is not an address number", chosen=repr(chosen)))
        which = [self.registration]
        if values.get("others"):
            which += [r for r in self.household.registrations if r is not self.registration]
        db = self.app.assembly.db()  # type: ignore[attr-defined]
        ids = ", ".join(str(r.registration_id) for r in which)
        try:
            if chosen == NOT_SENT:
                for r in which:
                    review.mark_not_invited(db, r.registration_id)
                return ngettext(
                    "Registration %(ids)s: not invited.",
                    "Registrations %(ids)s: not invited.",
                    len(which),
                    ids=ids,
                )
            for r in which:
                printed = review.resolve(db, r.registration_id, int(chosen))
            return ngettext(
                "Registration %(ids)s: matched to %(address)s.",
                "Registrations %(ids)s: matched to %(address)s.",
                len(which),
                ids=ids,
                address=printed,
            )
        except InvitationError as error:
            raise ValueError(str(error)) from None


def phone_outcome(got: PhoneRegistration, name: str) -> str:
    """What the matcher made of a phone registration, in a sentence to read out to the caller."""
    who = (
        _("Phone registration %(call)s (%(name)s)", call=got.call, name=name)
        if name
        else _("Phone registration %(call)s", call=got.call)
    )
    reason = shown_reason(got.outcome.reason)
    if got.outcome.status == MATCHED:
        if reason:
            return _(
                "%(who)s is matched to %(address)s: %(reason)s.",
                who=who,
                address=got.matched_to,
                reason=reason,
            )
        return _("%(who)s is matched to %(address)s.", who=who, address=got.matched_to)
    if got.outcome.status == NOT_INVITED:
        return _(
            "%(who)s is not invited: %(reason)s. It is kept, but only households sent a letter "
            "can join the pool.",
            who=who,
            reason=reason,
        )
    return _(
        "%(who)s needs review: %(reason)s. It is in the list below; Enter settles it.",
        who=who,
        reason=reason,
    )


class PhoneRegistrationDialog(FormDialog):
    """A caller's registration typed in by staff; returns the sentence saying how it matched."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        fields = [
            FormField("name", _("Name")),
            FormField("phone", _("Phone number")),
            FormField("email", _("Email (if they have one)")),
            FormField("address", _("Address (house or flat number and street)")),
            FormField("postcode", _("Postcode"), placeholder=_("e.g. KB1 0AA")),
            FormField(
                "reference", _("The letter's reference, if they have it"), placeholder="1K3-F7Q"
            ),
        ]
        help_text = _(
            "Type what the caller says. It is matched to the mailed addresses as a form's "
            "registration is, and the result is said when you save."
        )
        super().__init__(_("A registration by phone"), fields, help_text)

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
