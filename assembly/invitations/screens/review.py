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

from assembly.core.words import counted
from assembly.invitations import review
from assembly.invitations.errors import InvitationError
from assembly.invitations.matching import MATCHED, NEEDS_REVIEW, NOT_INVITED
from assembly.invitations.screens.dialogs import (
    PhoneRegistrationDialog,
    ResolveDialog,
    where_from,
)
from assembly.ui.dialogs.message import ConfirmDialog, InfoDialog
from assembly.ui.screens.base import ModeScreen


class Loaded(Message):
    """What the worker read: the standing and the households waiting for review."""

    def __init__(self, standing: review.Standing, households: list[review.Household]) -> None:
        super().__init__()
        self.standing, self.households = standing, households


class RegistrationsScreen(ModeScreen):
    PURPOSE = (
        "Invitations: registrations needing review, by the household they could be. Enter "
        "(or a second click) settles one, X not invited, T a registration by phone, "
        "H households with several, R response rates, Esc back."
    )
    MODE_LABEL = "Organiser · Invitations"
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
        yield Static("Reading the registrations…", id="standing", markup=False)
        yield Static("", id="said", markup=False)
        yield DataTable(id="waiting", zebra_stripes=True, cursor_type="row")
        yield Static("", id="household", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#waiting", DataTable).add_columns(
            "Household", "Reg.", "From", "Typed address"
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
        if s.purged_on:
            lines = [
                f"The mailed list was purged on {s.purged_on}: only its counts are kept.",
                f"Letters: {s.letters:,} ({counted(s.waves, 'wave')}) · "
                f"{counted(sum(s.statuses.values()), 'registration')}: "
                f"{s.statuses[MATCHED]:,} matched, {s.statuses[NOT_INVITED]:,} not invited, "
                f"{s.statuses[NEEDS_REVIEW]:,} never settled",
            ]
        elif not s.letters:
            lines = ["No letters have been drawn yet (assembly invitations draw)."]
        else:
            registered = sum(s.statuses.values())
            lines = [
                f"Letters: {s.letters:,} ({counted(s.waves, 'wave')}) · "
                f"{counted(registered, 'registration')}: {s.statuses[MATCHED]:,} matched, "
                f"{s.statuses[NOT_INVITED]:,} not invited",
                f"Needs review: {counted(waiting, 'registration')} from "
                f"{counted(len(self.households), 'household')}",
                f"Households with more than one matched registration: {s.shared_households:,} (H)",
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
            box.update("Nothing needs review." if self.rows == [] else "")
            return
        h, r = got
        why = r.reason or "nothing near it was mailed"
        lines = [f"Registration {r.registration_id}: {why}."]
        if h.addresses:
            lines[0] += " It could be:"
            lines += [
                f"  address {address_id}: {printed} (letter {reference})"
                for address_id, printed, reference in h.addresses
            ]
        else:
            lines[0] += " No mailed address is near it."
        if len(h.registrations) > 1:
            ids = ", ".join(str(x.registration_id) for x in h.registrations)
            lines.append(f"Registrations that could be the same household: {ids}")
        box.update("\n".join(lines))

    def say(self, sentence: str | None) -> None:
        """What was just done, on the screen until the next thing is done, and in a notice."""
        if not sentence:
            return
        said = self.query_one("#said", Static)
        said.update(sentence)
        said.display = True
        self.notify(sentence, title="Registrations")
        self.load()

    def action_settle(self) -> None:
        got = self.chosen()
        if got is None:
            self.notify("Nothing needs review.", title="Registrations")
            return
        self.app.push_screen(ResolveDialog(*got), self.say)

    def action_not_invited(self) -> None:
        got = self.chosen()
        if got is None:
            self.notify("Nothing needs review.", title="Registrations")
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
            self.say(f"Registration {r.registration_id}: not invited.")

        question = (
            f"Registration {r.registration_id} ({r.address}, {r.postcode}) is from a household "
            "that was sent no letter. It is kept and counted, but cannot join the pool."
        )
        self.app.push_screen(
            ConfirmDialog("Not invited?", question, yes="Not invited", no="Keep in review"),
            answered,
        )

    def action_phone(self) -> None:
        self.app.push_screen(PhoneRegistrationDialog(self.clock), self.say)

    def action_several(self) -> None:
        several = review.shared(self.db)
        if not several:
            text = "No mailed address has more than one matched registration."
        else:
            text = "\n".join(
                f"{printed}: registrations "
                + ", ".join(f"{i} ({where_from(source, row)})" for i, source, row in regs)
                for printed, regs in several
            )
        title = f"Households with more than one registration: {len(several):,}"
        self.app.push_screen(InfoDialog(title, text))

    def action_rates(self) -> None:
        from assembly.invitations.screens.rates import RatesScreen

        self.app.push_screen(RatesScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
