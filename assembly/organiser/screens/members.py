"""Members: status of each panel member, replacements that keep the quotas, access support,
honoraria and expenses with totals, the exports and the privacy purge."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from assembly.core.clock import show
from assembly.core.i18n import N_, Number, _, ngettext, override_dir
from assembly.core.money import editable_money, show_money
from assembly.organiser.errors import OrganiserError
from assembly.organiser.exports import export_invitations, export_profile
from assembly.organiser.members import (
    all_members,
    replace_withdrawn,
    set_status,
    status_count,
    status_word,
)
from assembly.organiser.privacy import purge_candidates, purge_non_members
from assembly.organiser.support import (
    add_expense,
    card_language_note,
    cost_totals,
    expense_kinds_in_words,
    expense_word,
    first_language_help,
    get_support,
    parse_pounds,
    set_support,
)
from assembly.store.languages import working_language
from assembly.store.scrub import WAIT_FOR_READERS_S
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.dialogs.replace import write_unless_kept
from assembly.ui.screens.base import ModeScreen


class MembersScreen(ModeScreen):
    PURPOSE = N_(
        "Members: I invited, C confirmed, W withdrawn, U back to selected, R replace withdrawn, "
        "A access support, E expense, X export lists, Ctrl+D purge personal data, Esc back."
    )
    MODE_LABEL = N_("Organiser · Members")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("i", "status('invited')", "Invited"),
        Binding("c", "status('confirmed')", "Confirmed"),
        Binding("w", "status('withdrawn')", "Withdrawn"),
        Binding("u", "status('selected')", "Selected", show=False),
        Binding("r", "replace", "Replace"),
        Binding("a", "support", "Support"),
        Binding("e", "expense", "Expense", show=False),
        Binding("x", "export", "Lists", show=False),
        Binding("ctrl+d", "purge", "Purge", show=False),
    ]
    DEFAULT_CSS = """
    MembersScreen #member-summary { padding: 0 1; height: auto; }
    MembersScreen #member-table { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static("", id="member-summary", markup=False)
        yield DataTable(id="member-table", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#member-table", DataTable).add_columns(
            _("No."),
            _("Id"),
            _("Name"),
            _("Status"),
            _("Since"),
            _("Replaces"),
            _("Access support"),
            _("Honorarium"),
        )
        self.refresh_table()
        self.query_one("#member-table", DataTable).focus()

    def refresh_table(self) -> None:
        table = self.query_one("#member-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.members = all_members(self.db)
        tz = self.assembly_app.timezone
        for m in self.members:
            support = get_support(self.db, m.number)
            table.add_row(
                str(m.number),
                m.ref,
                m.name or _("(removed)"),
                status_word(m.status),
                show(m.status_changed_at, tz, date_only=True),
                str(m.replaces_number or ""),
                "; ".join(support.needs()),
                show_money(support.honorarium_pence) if support.honorarium_pence else "",
                key=str(m.number),
            )
        if self.members:
            table.move_cursor(row=min(row, len(self.members) - 1))
        self.query_one("#member-summary", Static).update(self._summary())

    def _summary(self) -> str:
        if not self.members:
            return _("No panel yet: run a draw and enter the public seed (Organiser home, D).")
        counts: dict[str, int] = {}
        for m in self.members:
            counts[m.status] = counts.get(m.status, 0) + 1
        order = ("selected", "invited", "confirmed", "withdrawn", "replaced")
        statuses = " · ".join(status_count(s, counts[s]) for s in order if counts.get(s))
        totals = cost_totals(self.db)
        expenses = ", ".join(
            _("%(kind)s %(amount)s", kind=expense_word(k), amount=show_money(v))
            for k, v in totals.expenses_pence.items()
        )
        needs = ", ".join(f"{n} {k}" for k, n in totals.members_with_needs.items() if n)
        costs = (
            _(
                "Costs: honoraria %(honoraria)s; expenses %(expenses)s; total %(total)s",
                honoraria=show_money(totals.honoraria_pence),
                expenses=expenses,
                total=show_money(totals.total_pence),
            )
            if expenses
            else _(
                "Costs: honoraria %(honoraria)s; total %(total)s",
                honoraria=show_money(totals.honoraria_pence),
                total=show_money(totals.total_pence),
            )
        )
        support = (
            _("Support needed: %(needs)s", needs=needs)
            if needs
            else _("Support needed: none recorded")
        )
        return "\n".join((statuses, costs, support))

    def _current(self):
        if not self.members:
            return None
        return self.members[self.query_one("#member-table", DataTable).cursor_row]

    def _try(self, action, *args, **kwargs) -> bool:
        try:
            action(*args, **kwargs)
        except OrganiserError as error:
            self.assembly_app.show_error(error.title, str(error))
            return False
        return True

    # ------------------------------------------------------------ status and replacement

    def action_status(self, status: str) -> None:
        member = self._current()
        if member is None:
            return
        if status == "withdrawn":

            def done(values: dict[str, str] | None) -> None:
                if values is not None and self._try(
                    set_status,
                    self.db,
                    member.number,
                    "withdrawn",
                    self.clock,
                    values["note"],
                ):
                    self.app.notify(
                        _(
                            "Member %(number)s withdrawn. Press R to draw a replacement.",
                            number=member.number,
                        ),
                        title=_("Members"),
                    )
                self.refresh_table()

            self.app.push_screen(
                FormDialog(
                    _("Member %(number)s withdraws", number=member.number),
                    [FormField("note", _("Reason (kept in their history; optional)"))],
                ),
                done,
            )
            return
        self._try(set_status, self.db, member.number, status, self.clock)
        self.refresh_table()

    def action_replace(self) -> None:
        withdrawn = [m for m in self.members if m.status == "withdrawn"]
        if not withdrawn:
            self.app.notify(_("No member has withdrawn."), severity="warning")
            return
        who = ", ".join(_("no. %(number)s", number=m.number) for m in withdrawn)

        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one("#member-summary", Static).update(_("Drawing replacements …"))
                self.replace_worker()

        # a replacement draws someone from the pool and invites them: it cannot be undone
        self.app.push_screen(
            ConfirmDialog(
                _("Replace withdrawn members?"),
                ngettext(
                    "This draws a replacement from the pool for %(num)s withdrawn member "
                    "(%(who)s), keeping the quotas. It is recorded at once and cannot be undone.",
                    "This draws a replacement from the pool for %(num)s withdrawn members "
                    "(%(who)s), keeping the quotas. It is recorded at once and cannot be undone.",
                    len(withdrawn),
                    who=who,
                ),
                yes=_("Replace"),
                no=_("Not now"),
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="purge")
    def purge_worker(self):
        """The purge waits for other programs' reads to end: off the UI thread, with this
        thread's own connection, so the screen answers meanwhile."""
        return purge_non_members(self.assembly_app.assembly.db(), self.clock)

    def _purged(self, result) -> None:
        self.app.notify(
            _(
                "Removed the personal data of %(count)s respondents.",
                count=Number(result.respondents),
            )
            + " "
            + result.backups_warning(),
            title=_("Purge"),
            severity="warning" if result.backups else "information",
            timeout=30 if result.backups else 5,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="replace")
    def replace_worker(self):
        assembly = self.assembly_app.assembly
        return replace_withdrawn(assembly.db(), self.clock)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group not in ("replace", "purge"):
            return
        if event.state == WorkerState.SUCCESS and event.worker.group == "purge":
            self._purged(event.worker.result)
            self.refresh_table()
        elif event.state == WorkerState.SUCCESS:
            result = event.worker.result
            pairs = ", ".join(
                f"{old} → {new}"
                for old, new in zip(result.withdrawn, result.newcomers, strict=False)
            )
            self.app.notify(
                _("Replaced: %(pairs)s (seed %(seed)s).", pairs=pairs, seed=result.seed),
                title=_("Replacement"),
            )
            self.refresh_table()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.refresh_table()
            if isinstance(error, OrganiserError):
                self.assembly_app.show_error(error.title, str(error))
            else:
                self.assembly_app.report(error)

    # ------------------------------------------------------------ support and costs

    def action_support(self) -> None:
        member = self._current()
        if member is None:
            return
        s = get_support(self.db, member.number)
        locale = override_dir(self.assembly_app.assembly.path)

        def done(values: dict | None) -> None:
            if values is None:
                return
            try:
                honorarium = parse_pounds(values["honorarium"] or "0")
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            saved = self._try(
                set_support,
                self.db,
                member.number,
                self.clock,
                childcare=bool(values["childcare"]),
                travel=bool(values["travel"]),
                interpreter=values["interpreter"],
                first_language=values["first_language"],
                step_free=bool(values["step_free"]),
                other_needs=values["other_needs"],
                honorarium_pence=honorarium,
            )
            self.refresh_table()
            note = card_language_note(
                values["first_language"], working=working_language(self.db), folder=locale
            )
            if saved and note and values["first_language"].strip() != s.first_language:
                self.app.notify(
                    note, title=_("Member %(number)s's first language", number=member.number)
                )

        self.app.push_screen(
            FormDialog(
                _("Access support for member %(number)s", number=member.number),
                [
                    FormField("childcare", _("Childcare"), kind="checkbox", value=s.childcare),
                    FormField("travel", _("Travel arranged"), kind="checkbox", value=s.travel),
                    FormField(
                        "interpreter", _("Interpreter (BSL, or a language)"), value=s.interpreter
                    ),
                    FormField(
                        "first_language",
                        _("First language. %(help)s", help=first_language_help(locale)),
                        value=s.first_language,
                    ),
                    FormField(
                        "step_free", _("Step-free access"), kind="checkbox", value=s.step_free
                    ),
                    FormField("other_needs", _("Other needs"), value=s.other_needs),
                    FormField(
                        "honorarium", _("Honorarium, £"), value=editable_money(s.honorarium_pence)
                    ),
                ],
            ),
            done,
        )

    def action_expense(self) -> None:
        member = self._current()
        if member is None:
            return

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                pence = parse_pounds(values["amount"])
                add_expense(
                    self.db,
                    member.number,
                    values["kind"],
                    pence,
                    self.clock,
                    values["description"],
                )
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.refresh_table()

        self.app.push_screen(
            FormDialog(
                _("Expense for member %(number)s", number=member.number),
                [
                    FormField(
                        "kind",
                        _("Kind (%(kinds)s)", kinds=expense_kinds_in_words()),
                        value=expense_word("travel"),
                    ),
                    FormField("amount", _("Amount, £")),
                    FormField("description", _("Description")),
                ],
            ),
            done,
        )

    # ------------------------------------------------------------ exports and purge

    def action_export(self) -> None:
        base = Path(self.assembly_app.assembly.path)
        stem = base.name.split(".")[0]

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            invitations = Path(values["invitations"].strip())
            profile = Path(values["profile"].strip())
            write_unless_kept(self.app, [invitations, profile], lambda: write(invitations, profile))

        def write(invitations: Path, profile: Path) -> None:
            try:
                n = export_invitations(self.db, str(invitations))
                export_profile(self.db, str(profile))
            except OrganiserError as error:
                self.assembly_app.show_error(error.title, str(error))
                return
            self.app.notify(
                ngettext(
                    "Wrote the invitation list (%(num)s member, %(list)s) and the panel "
                    "profile (%(profile)s) in %(folder)s.",
                    "Wrote the invitation list (%(num)s members, %(list)s) and the panel "
                    "profile (%(profile)s) in %(folder)s.",
                    n,
                    num=Number(n),
                    list=invitations.name,
                    profile=profile.name,
                    folder=invitations.resolve().parent,
                ),
                title=_("Export"),
                timeout=15,
            )

        self.app.push_screen(
            FormDialog(
                _("Export lists"),
                [
                    FormField(
                        "invitations",
                        _("Invitation list (names and contacts: keep it safe)"),
                        value=str(base.with_name(f"{stem}-invitations.csv")),
                    ),
                    FormField(
                        "profile",
                        _("Anonymised panel profile (counts only: for publication)"),
                        value=str(base.with_name(f"{stem}-panel-profile.csv")),  # not words
                    ),
                ],
            ),
            done,
        )

    def action_purge(self) -> None:
        from assembly.ui.dialogs.message import ConfirmDialog

        n = purge_candidates(self.db)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.app.notify(
                _(
                    "Purging: waiting for any other program to finish reading the file (up to "
                    "%(seconds)s seconds), then removing and compacting.",
                    seconds=Number(WAIT_FOR_READERS_S),
                ),
                title=_("Purge"),
            )
            self.purge_worker()

        self.app.push_screen(
            ConfirmDialog(
                _("Purge personal data?"),
                _(
                    "Remove the names, contacts, addresses, households and features of "
                    "%(count)s respondents who are not members? Their ids, counts per feature "
                    "value and the audit bundles are kept. The file is then compacted so the "
                    "data is gone from the disk. This cannot be undone.",
                    count=Number(n),
                ),
                yes=_("Purge"),
            ),
            answered,
        )

    def action_back(self) -> None:
        self.app.pop_screen()
