"""The invitations' home: where the letters and registrations stand, and the registrations that
need review, grouped by the household they could be, so several from one household are settled
together. Enter (or a second click on a row) settles one, T types in a registration taken
by phone, R opens the response rates. The list is read in a worker: a form of thousands of
registrations does not hold the screen."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.invitations import review
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED, shown_reason
from assembly.invitations.screens.dialogs import (
    PhoneRegistrationDialog,
    ResolveDialog,
    where_from,
)
from assembly.ui.dialogs.message import ConfirmDialog, InfoDialog
from assembly.ui.screens.base import ModeScreen


def waves(n: int) -> str:
    return ngettext("%(num)s wave", "%(num)s waves", n, num=Number(n))


def registrations(n: int) -> str:
    return ngettext("%(num)s registration", "%(num)s registrations", n, num=Number(n))


def households(n: int) -> str:
    return ngettext("%(num)s household", "%(num)s households", n, num=Number(n))


class Loaded(Message):
    """What the worker read: the standing and the households waiting for review."""

    def __init__(self, standing: review.Standing, households: list[review.Household]) -> None:
        super().__init__()
        self.standing, self.households = standing, households


class RegistrationsScreen(ModeScreen):
    PURPOSE = N_(
        "Invitations: registrations needing review, by the household they could be. Enter "
        "(or a second click) settles one, X not invited, T a registration by phone, "
        "H households with several, R response rates, Esc back."
    )
    MODE_LABEL = N_("Organiser · Invitations")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("enter", "settle", "Settle", show=False),
        Binding("x", "not_invited", "Not invited"),
        Binding("t", "phone", "Phone registration"),
        Binding("h", "several", "Households"),
        Binding("r", "rates", "Rates"),
    ]
    DEFAULT_CSS = """
    RegistrationsScreen #standing { padding: 0 1; height: auto; }
    RegistrationsScreen #said { padding: 0 1; height: auto; text-style: bold; display: none; }
    RegistrationsScreen #waiting { height: 1fr; }
    RegistrationsScreen #household { padding: 0 1; height: auto; max-height: 7; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.households: list[review.Household] = []
        self.rows: list[tuple[review.Household, review.Waiting]] = []

    def compose_body(self) -> ComposeResult:
        yield Static(_("Reading the registrations…"), id="standing", markup=False)
        yield Static("", id="said", markup=False)
        yield DataTable(id="waiting", zebra_stripes=True, cursor_type="row")
        yield Static("", id="household", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#waiting", DataTable).add_columns(
            _("Household"), _("Reg."), _("From"), _("Typed address")
        )
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="registrations")
    def load(self) -> None:
        db = self.db  # this thread's own connection
        self.post_message(Loaded(review.standing(db), review.waiting_for_review(db)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "registrations" and event.state == WorkerState.ERROR:
            self.assembly_app.report(event.worker.error)

    def on_loaded(self, message: Loaded) -> None:
        s = message.standing
        self.households = message.households
        waiting = sum(len(h.registrations) for h in self.households)
        registered = sum(s.statuses.values())
        counts = {
            "letters": Number(s.letters),
            "waves": waves(s.waves),
            "registrations": registrations(registered),
            "matched": Number(s.statuses[MATCHED]),
            "not_invited": Number(s.statuses[NOT_INVITED]),
        }
        if s.purged_on:
            lines = [
                _(
                    "The mailed list was purged on %(purged)s: only its counts are kept.",
                    purged=s.purged_on,
                ),
                _(
                    "Letters: %(letters)s (%(waves)s) · %(registrations)s: %(matched)s matched, "
                    "%(not_invited)s not invited, %(unsettled)s never settled",
                    **counts,
                    unsettled=Number(s.statuses[NEEDS_REVIEW]),
                ),
            ]
        elif not s.letters:
            lines = [_("No letters have been drawn yet (assembly invitations draw).")]
        else:
            lines = [
                _(
                    "Letters: %(letters)s (%(waves)s) · %(registrations)s: %(matched)s matched, "
                    "%(not_invited)s not invited",
                    **counts,
                ),
                _(
                    "Needs review: %(registrations)s from %(households)s",
                    registrations=registrations(waiting),
                    households=households(len(self.households)),
                ),
                _(
                    "Households with more than one matched registration: %(shared)s (H)",
                    shared=Number(s.shared_households),
                ),
            ]
        self.query_one("#standing", Static).update("\n".join(lines))
        table = self.query_one("#waiting", DataTable)
        keep = table.cursor_row
        table.clear()
        self.rows = []
        for number, h in enumerate(self.households, start=1):
            for r in h.registrations:
                self.rows.append((h, r))
                table.add_row(
                    str(number),
                    str(r.registration_id),
                    where_from(r.source, r.row),
                    f"{r.address}, {r.postcode}",
                )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        self.show_household()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_household()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_settle()

    def chosen(self) -> tuple[review.Household, review.Waiting] | None:
        table = self.query_one("#waiting", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_household(self) -> None:
        box = self.query_one("#household", Static)
        got = self.chosen()
        if got is None:
            box.update(_("Nothing needs review.") if self.rows == [] else "")
            return
        h, r = got
        why = shown_reason(r.reason) or _("nothing near it was mailed")
        if h.addresses:
            lines = [_("Registration %(id)s: %(why)s. It could be:", id=r.registration_id, why=why)]
            lines += [
                "  "
                + _(
                    "address %(id)s: %(printed)s (letter %(reference)s)",
                    id=address_id,
                    printed=printed,
                    reference=reference,
                )
                for address_id, printed, reference in h.addresses
            ]
        else:
            lines = [
                _(
                    "Registration %(id)s: %(why)s. No mailed address is near it.",
                    id=r.registration_id,
                    why=why,
                )
            ]
        if len(h.registrations) > 1:
            ids = ", ".join(str(x.registration_id) for x in h.registrations)
            lines.append(_("Registrations that could be the same household: %(ids)s", ids=ids))
        box.update("\n".join(lines))

    def say(self, sentence: str | None) -> None:
        """What was just done, on the screen until the next thing is done, and in a notice."""
        if not sentence:
            return
        said = self.query_one("#said", Static)
        said.update(sentence)
        said.display = True
        self.notify(sentence, title=_("Registrations"))
        self.load()

    def action_settle(self) -> None:
        got = self.chosen()
        if got is None:
            self.notify(_("Nothing needs review."), title=_("Registrations"))
            return
        self.app.push_screen(ResolveDialog(*got), self.say)

    def action_not_invited(self) -> None:
        got = self.chosen()
        if got is None:
            self.notify(_("Nothing needs review."), title=_("Registrations"))
            return
        r = got[1]

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                review.mark_not_invited(self.db, r.registration_id)
            except InvitationError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.say(_("Registration %(id)s: not invited.", id=r.registration_id))

        question = _(
            "Registration %(id)s (%(address)s, %(postcode)s) is from a household that was sent no "
            "letter. It is kept and counted, but cannot join the pool.",
            id=r.registration_id,
            address=r.address,
            postcode=r.postcode,
        )
        self.app.push_screen(
            ConfirmDialog(
                _("Not invited?"), question, yes=_("Not invited"), no=_("Keep in review")
            ),
            answered,
        )

    def action_phone(self) -> None:
        self.app.push_screen(PhoneRegistrationDialog(self.clock), self.say)

    def action_several(self) -> None:
        several = review.shared(self.db)
        if not several:
            text = _("No mailed address has more than one matched registration.")
        else:
            text = "\n".join(
                _(
                    "%(address)s: registrations %(registrations)s",
                    address=printed,
                    registrations=", ".join(
                        f"{i} ({where_from(source, row)})" for i, source, row in regs
                    ),
                )
                for printed, regs in several
            )
        title = _(
            "Households with more than one registration: %(households)s",
            households=Number(len(several)),
        )
        self.app.push_screen(InfoDialog(title, text))

    def action_rates(self) -> None:
        from assembly.invitations.screens.rates import RatesScreen

        self.app.push_screen(RatesScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
