"""The Projects tab: residents' proposals with their cost, area, category and proposer (or
Anonymous), each project's feasibility review (status, reason, revised cost) and the history
of every proposal and review, which only grows."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.budgets import rounds
from assembly.budgets.errors import BudgetError
from assembly.budgets.schema import PROJECT_STATUSES
from assembly.budgets.screens.tab import ACTOR, BudgetsTab
from assembly.budgets.screens.typed import optional_pence
from assembly.core.clock import show
from assembly.core.i18n import N_, _
from assembly.core.money import editable_money, show_money, whole_money
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import InfoDialog

STATUS_MARKS = {
    "proposed": N_("? proposed"),
    "feasible": N_("✓ feasible"),
    "not_feasible": N_("✗ not feasible"),
    "withdrawn": N_("– withdrawn"),
}


def change_line(change: rounds.ProjectChange, currency: str, timezone: str) -> str:
    """One entry of a project's history in words."""
    parts = []
    detail = change.detail
    if change.action == "proposed":
        parts.append(_("proposed: %(title)s", title=detail.get("title", "")))
        if "cost_pence" in detail:
            parts.append(_("cost %(cost)s", cost=show_money(detail["cost_pence"], currency)))
    else:
        if "status" in detail:
            status = _(rounds.STATUS_LABELS[detail["status"]]).lower()
            parts.append(_("reviewed: %(status)s", status=status))
        if "revised_cost_pence" in detail:
            cost = show_money(detail["revised_cost_pence"], currency)
            parts.append(_("cost revised to %(cost)s", cost=cost))
        if not parts:
            parts.append(_("review note"))
    reason = f" — {change.reason}" if change.reason else ""
    return f"{show(change.at, timezone)}, {change.actor}: {', '.join(parts)}{reason}"


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


class ProjectsTab(BudgetsTab):
    def __init__(self) -> None:
        super().__init__(_("2 Projects"), id="projects-tab")

    def compose(self) -> ComposeResult:
        yield DataTable(id="projects", zebra_stripes=True, cursor_type="row")
        yield Static("", id="project-detail", classes="note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#projects", DataTable).add_columns(
            _("No."),
            _("Project"),
            _("Cost"),
            _("Review"),
            _("Proposed by"),
            _("Area"),
            _("Category"),
        )

    def selected_ref(self) -> str | None:
        table = self.query_one("#projects", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def refresh_view(self, select: str | None = None) -> None:
        table = self.query_one("#projects", DataTable)
        keep = select or self.selected_ref()
        table.clear()
        current = self.current_round()
        if current is None:
            self.show_detail()
            return
        projects = rounds.list_projects(self.db, current.id)
        room, who_room = self.title_room(30, 36), self.title_room(19, 24)
        for p in projects:
            who = p.proposer_shown
            table.add_row(
                p.ref,
                _cut(p.title, room),
                whole_money(p.cost, current.currency),
                _(STATUS_MARKS[p.status]),
                _cut(who, who_room),
                p.area,
                p.category,
                key=p.ref,
            )
        refs = [p.ref for p in projects]
        if keep in refs:
            table.move_cursor(row=refs.index(keep))
        self.show_detail()

    @on(DataTable.RowHighlighted, "#projects")
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        box = self.query_one("#project-detail", Static)
        current = self.current_round()
        ref = self.selected_ref()
        if current is None or ref is None:
            box.update(
                _("No projects yet: press a to add residents' proposals.")
                if current is not None
                else _("No round yet: declare one on the Round tab (1).")
            )
            return
        p = rounds.get_project(self.db, current.id, ref)
        lines = [
            _(
                "%(ref)s. %(title)s — %(status)s. Proposed by %(proposer)s.",
                ref=p.ref,
                title=p.title,
                status=p.status_label,
                proposer=p.proposer_shown,
            )
        ]
        if p.revised_cost_pence:
            lines.append(
                _(
                    "Cost revised from %(old)s to %(new)s.",
                    old=show_money(p.cost_pence, current.currency),
                    new=show_money(p.revised_cost_pence, current.currency),
                )
            )
        if p.reason:
            lines.append(_("Reason: %(reason)s", reason=p.reason))
        changes = rounds.project_changes(self.db, current.id, ref)
        lines.append(
            _(
                "%(count)s entries in its history (h shows them); last: %(last)s",
                count=len(changes),
                last=change_line(changes[-1], current.currency, self.host.assembly_app.timezone),
            )
        )
        box.update("\n".join(lines))

    # --- the keys ------------------------------------------------------------------------

    def add_project(self) -> None:
        current = self.round_or_say()
        if current is None:
            return
        if current.locked:
            self.refuse(BudgetError(_("Projects cannot be added once voting has opened.")))
            return
        fields = [
            FormField("title", _("Project (as residents will read it on the ballot)")),
            FormField("cost", _("Cost"), placeholder=_("e.g. 4500")),
            FormField("area", _("Area"), placeholder=_("e.g. Wharf Green"), beside=True),
            FormField("category", _("Category"), placeholder=_("e.g. parks"), beside=True),
            FormField("proposer", _("Proposed by (blank: anonymous)")),
        ]
        help_text = _("A new project waits for its feasibility review (v) before voting opens.")

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                project = rounds.add_project(
                    self.db,
                    current.id,
                    title=values["title"],
                    cost_pence=rounds.parse_pence(values["cost"], _("Cost")),
                    area=values["area"],
                    category=values["category"],
                    proposer=values["proposer"] or None,
                    actor=ACTOR,
                    clock=self.clock,
                )
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(_("Project %(ref)s added; it waits for review (v).", ref=project.ref))
            self.refresh_view(select=project.ref)

        title = _("Add a project to round %(round)s", round=current.id)
        self.ask(FormDialog(title, fields, help_text), save)

    def review_project(self) -> None:
        current = self.round_or_say()
        ref = self.selected_ref()
        if current is None:
            return
        if ref is None:
            self.notify(_("No project to review: press a to add one."), severity="warning")
            return
        project = rounds.get_project(self.db, current.id, ref)
        fields = [
            FormField(
                "status",
                _("Review"),
                kind="select",
                value="feasible" if project.status == "proposed" else project.status,
                options=tuple((_(rounds.STATUS_LABELS[s]), s) for s in PROJECT_STATUSES),
            ),
            FormField("reason", _("Reason (needed for not feasible, withdrawn and a new cost)")),
            FormField(
                "revised_cost",
                _(
                    "Revised cost (blank: keep %(cost)s)",
                    cost=show_money(project.cost, current.currency),
                ),
                placeholder=editable_money(project.cost),
            ),
            FormField("reviewer", _("Reviewed by"), value=ACTOR),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                rounds.review_project(
                    self.db,
                    current.id,
                    ref,
                    status=values["status"],
                    reason=values["reason"],
                    revised_cost_pence=optional_pence(values["revised_cost"], _("Revised cost")),
                    actor=values["reviewer"],
                    clock=self.clock,
                )
            except BudgetError as error:
                self.refuse(error)
                return
            self.notify(_("Review of project %(ref)s recorded.", ref=ref))
            self.refresh_view(select=ref)

        title = _("Review project %(ref)s: %(title)s", ref=ref, title=project.title)
        self.ask(FormDialog(title, fields), save)

    def show_history(self) -> None:
        current = self.round_or_say()
        ref = self.selected_ref()
        if current is None or ref is None:
            return
        project = rounds.get_project(self.db, current.id, ref)
        tz = self.host.assembly_app.timezone
        lines = [
            change_line(c, current.currency, tz)
            for c in rounds.project_changes(self.db, current.id, ref)
        ]
        self.app.push_screen(
            InfoDialog(
                _("History of project %(ref)s: %(title)s", ref=ref, title=project.title),
                "\n".join(lines),
            )
        )
