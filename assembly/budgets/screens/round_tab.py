"""The Round tab: the PB rounds in the file, and the one being worked on with what it declares
(budget, currency, rule, ballot form, tie seed). Those can change while the round is set up and
are locked, and shown as locked, once voting opens; voting is opened and closed here."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from assembly.budgets import rounds
from assembly.budgets.errors import BudgetError
from assembly.budgets.rules import RULES
from assembly.budgets.schema import BALLOT_FORMS
from assembly.budgets.screens.tab import BudgetsTab
from assembly.budgets.screens.typed import optional_count
from assembly.core.clock import show
from assembly.core.i18n import N_, _
from assembly.core.money import editable_money
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog

STATE_WORDS = {
    "setup": N_("✎ setting up"),
    "voting": N_("● voting open"),
    "closed": N_("■ voting closed"),
}
SHORT_STATES = {"setup": N_("✎ setup"), "voting": N_("● voting"), "closed": N_("■ closed")}


def _setup_fields(current: rounds.Round | None) -> list[FormField]:
    return [
        FormField("title", _("Title of the round"), value=current.title if current else ""),
        FormField(
            "budget",
            _("Budget (the money to share)"),
            value=editable_money(current.budget_pence) if current else "",
            placeholder=_("e.g. 40000"),
        ),
        FormField(
            "currency", _("Currency"), value=current.currency if current else "GBP", beside=True
        ),
        FormField(
            "rule",
            _("How the count works (declared now, locked once voting opens)"),
            kind="select",
            value=current.rule if current else "mes-add1",  # not words
            options=tuple((_(rounds.RULE_WORDS[rule]), rule) for rule in RULES),
        ),
        FormField(
            "form",
            _("Ballot form"),
            kind="select",
            value=current.ballot_form if current else "approval",
            options=tuple((_(rounds.FORM_LABELS[f]), f) for f in BALLOT_FORMS),
        ),
        FormField(
            "min_projects",
            _("Least projects on a ballot"),
            value=str(current.min_projects or "") if current else "",
            placeholder=_("blank: none"),
        ),
        FormField(
            "max_projects",
            _("Most projects"),
            value=str(current.max_projects or "") if current else "",
            placeholder=_("blank: any"),
            beside=True,
        ),
        FormField(
            "points",
            _("Points each (points form)"),
            value=str(current.points_per_voter or "") if current else "",
            beside=True,
        ),
        FormField(
            "seed",
            _("Public seed for drawing lots on a tie"),
            value=current.tie_seed if current else "0",
        ),
    ]


def _form_values(values: dict) -> dict:
    return {
        "budget_pence": rounds.parse_pence(values["budget"], _("Budget")),
        "currency": values["currency"].strip().upper(),
        "rule": values["rule"],
        "ballot_form": values["form"],
        "min_projects": optional_count(values["min_projects"], _("Least projects")),
        "max_projects": optional_count(values["max_projects"], _("Most projects")),
        "points_per_voter": optional_count(values["points"], _("Points each")),
        "tie_seed": values["seed"].strip() or "0",
    }


class RoundTab(BudgetsTab):
    def __init__(self) -> None:
        super().__init__(_("1 Round"), id="round-tab")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="rounds", zebra_stripes=True, cursor_type="row")
            yield Static("", id="declared", classes="note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#rounds", DataTable).add_columns(_("No."), _("Round"), _("State"))

    def refresh_view(self) -> None:
        table = self.query_one("#rounds", DataTable)
        table.clear()
        every = rounds.list_rounds(self.db)
        for r in every:
            title = r.title if len(r.title) <= 16 else r.title[:15] + "…"
            table.add_row(str(r.id), title, _(SHORT_STATES[r.status]), key=str(r.id))
        ids = [r.id for r in every]
        if self.host.round_id in ids:
            table.move_cursor(row=ids.index(self.host.round_id))
        self.show_declared()

    @on(DataTable.RowHighlighted, "#rounds")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None and int(event.row_key.value) != self.host.round_id:
            self.host.choose_round(int(event.row_key.value))

    def show_declared(self) -> None:
        box = self.query_one("#declared", Static)
        current = self.current_round()
        if current is None:
            box.update(
                _(
                    "No participatory-budgeting round yet. Press n to declare one: its budget, "
                    "the rule that counts it and the ballot form, all fixed before anyone votes."
                )
            )
            return
        tz = self.host.assembly_app.timezone
        projects = rounds.list_projects(self.db, current.id)
        feasible = sum(p.status == "feasible" for p in projects)
        waiting = sum(p.status == "proposed" for p in projects)
        lines = [
            _("Round %(round)s: %(title)s", round=current.id, title=current.title),
            _("State: %(state)s", state=_(STATE_WORDS[current.status])),
            "",
            _(
                "Budget: %(budget)s (%(currency)s)",
                budget=current.budget,
                currency=current.currency,
            ),
            _(
                "Rule: %(rule)s (%(name)s)",
                rule=_(rounds.RULE_WORDS[current.rule]),
                name=current.rule,
            ),
            _("Ballot: %(form)s", form=current.describe_form()),
            _("Tie seed: %(seed)s", seed=repr(current.tie_seed)),
            "",
            _(
                "Projects: %(count)s (%(feasible)s feasible, %(waiting)s waiting for review)",
                count=len(projects),
                feasible=feasible,
                waiting=waiting,
            ),
        ]
        if current.locked:
            lines += [
                "",
                _(
                    "🔒 Locked: voting opened %(when)s. The budget, rule and ballot form can no "
                    "longer change.",
                    when=show(current.voting_opened_at, tz),
                ),
            ]
        else:
            lines += ["", _("Open for changes (e) until voting opens (o).")]
        if current.voting_closed_at:
            lines.append(_("Voting closed %(when)s.", when=show(current.voting_closed_at, tz)))
        box.update("\n".join(lines))

    # --- the keys ------------------------------------------------------------------------

    def new_round(self) -> None:
        help_text = _(
            "Declare the round before projects are added. Everything here is locked once "
            "voting opens, so nobody can move the goalposts after seeing the ballots."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                settings = _form_values(values)
                round_id = rounds.create_round(
                    self.db, title=values["title"], clock=self.clock, **settings
                )
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(
                _(
                    "Round %(round)s declared. Add its projects on the Projects tab (2).",
                    round=round_id,
                )
            )
            self.host.choose_round(round_id)

        self.ask(FormDialog(_("Declare a new PB round"), _setup_fields(None), help_text), save)

    def edit_round(self) -> None:
        current = self.round_or_say()
        if current is None:
            return
        if current.locked:
            self.refuse(BudgetError(_(rounds.LOCKED_ROUND)))
            return

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                settings = _form_values(values)
                rounds.change_rules(self.db, current.id, **settings)
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(_("Round %(round)s's setup saved.", round=current.id))
            self.host.choose_round(current.id)

        fields = [f for f in _setup_fields(current) if f.name != "title"]  # fixed once declared
        self.ask(FormDialog(_("Change round %(round)s's setup", round=current.id), fields), save)

    def open_voting(self) -> None:
        current = self.round_or_say()
        if current is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                rounds.open_voting(self.db, current.id, clock=self.clock)
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(
                _("Voting in round %(round)s is open; its setup is now locked.", round=current.id)
            )
            self.host.choose_round(current.id)

        self.app.push_screen(
            ConfirmDialog(
                _("Open voting?"),
                _(
                    "Round %(round)s: from now the budget (%(budget)s), the rule (%(rule)s), the "
                    "ballot form and the projects are locked.",
                    round=current.id,
                    budget=current.budget,
                    rule=current.rule,
                ),
                yes=_("Open voting"),
                no=_("Not yet"),
            ),
            answer,
        )

    def close_voting(self) -> None:
        current = self.round_or_say()
        if current is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                rounds.close_voting(self.db, current.id, clock=self.clock)
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(
                _(
                    "Voting in round %(round)s is closed. Count it on the Results tab (4).",
                    round=current.id,
                )
            )
            self.host.choose_round(current.id)

        self.app.push_screen(
            ConfirmDialog(
                _("Close voting?"),
                _(
                    "Round %(round)s: no more ballots are taken once voting closes.",
                    round=current.id,
                ),
                yes=_("Close voting"),
                no=_("Not yet"),
            ),
            answer,
        )
