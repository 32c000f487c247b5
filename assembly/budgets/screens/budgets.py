"""The Budgets screen (Organiser and Facilitator mode, key b): a participatory-budgeting round
from its declared rules to its published result.

Each tab is its own module (round_tab, projects_tab, ballots_tab, results_tab); this screen
lays them out, keeps which round is being worked on, and keeps the keys, each shown only on the
tab where it works and handed to that tab. Every change goes through the area's services
(`assembly.budgets.rounds`, `ballots`, `results`, `publish`); their refusals come up in the
error dialog and nothing is half-saved.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent

from assembly.budgets import rounds
from assembly.budgets.screens.ballots_tab import BallotsTab
from assembly.budgets.screens.projector import ProjectorScreen
from assembly.budgets.screens.projects_tab import ProjectsTab
from assembly.budgets.screens.results_tab import ResultsTab
from assembly.budgets.screens.round_tab import RoundTab
from assembly.core.i18n import N_, _
from assembly.ui.dialogs.agenda_form import FormAsker
from assembly.ui.screens.base import ModeScreen

# the tabs' ids
ROUND = "round-tab"  # not words
PROJECTS = "projects-tab"  # not words
BALLOTS = "ballots-tab"  # not words
RESULTS = "results-tab"  # not words

TAB_KEYS: dict[str, set[str]] = {
    ROUND: {"new_round", "edit_round", "open_voting", "close_voting"},
    PROJECTS: {"add_project", "review_project", "project_history"},
    BALLOTS: {"paper_ballot"},
    RESULTS: {"count", "override", "projector", "deliver", "publish"},
}


class BudgetsScreen(FormAsker, ModeScreen):
    PURPOSE = N_(
        "Participatory budgeting: declare a round, review residents' projects, take ballots, "
        "count and publish. Esc back."
    )
    MODE_LABEL = N_("Budgets — participatory budgeting")

    BINDINGS: ClassVar = [
        Binding("n", "new_round", "New round"),
        Binding("e", "edit_round", "Setup"),
        Binding("o", "open_voting", "Open voting"),
        Binding("c", "close_voting", "Close voting"),
        Binding("a", "add_project", "Add"),
        Binding("v", "review_project", "Review"),
        Binding("h", "project_history", "History"),
        Binding("p", "paper_ballot", "Paper ballot"),
        Binding("r", "count", "Count"),
        Binding("f", "override", "Override"),
        Binding("w", "projector", "Projector"),
        Binding("d", "deliver", "Deliver"),
        Binding("x", "publish", "Publish"),
        Binding("1", "tab('round-tab')", "Round", show=False),
        Binding("2", "tab('projects-tab')", "Projects", show=False),
        Binding("3", "tab('ballots-tab')", "Ballots", show=False),
        Binding("4", "tab('results-tab')", "Results", show=False),
        Binding("escape", "back", "Back"),
    ]
    TAB_HELP: ClassVar[dict[str, str]] = {
        ROUND: N_(
            "The round's declared rules, locked once voting opens: n new round · "
            "e change setup · o open voting · c close voting"
        ),
        PROJECTS: N_(
            "Residents' projects and their feasibility review: a add · "
            "v review (status, reason, revised cost) · h history"
        ),
        BALLOTS: N_(
            "Ballots that count, and paper ballots typed in by two people: p type in a paper ballot"
        ),
        RESULTS: N_(
            "The count and why each project fared as it did: r count · "
            "f fund/unfund (with a reason) · w projector · d deliver to the feedback log · "
            "x publish"
        ),
    }
    """What the purpose line says on each tab: every key that works there."""

    DEFAULT_CSS = """
    BudgetsScreen TabbedContent { height: 1fr; }
    BudgetsScreen TabPane { padding: 0; }
    BudgetsScreen DataTable { height: 1fr; }
    BudgetsScreen #rounds { width: 2fr; }
    BudgetsScreen #declared { width: 3fr; }
    BudgetsScreen .note { padding: 0 1; height: auto; }
    BudgetsScreen #declared { height: 1fr; }
    BudgetsScreen #project-detail, BudgetsScreen #explanation { max-height: 6; }
    BudgetsScreen #count-progress { display: none; padding: 0 1; }
    BudgetsScreen #count-progress.running { display: block; }
    """

    def __init__(self, round_id: int | None = None) -> None:
        super().__init__()
        self.round_id = round_id
        self.round_tab = RoundTab()
        self.projects_tab = ProjectsTab()
        self.ballots_tab = BallotsTab()
        self.results_tab = ResultsTab()

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial=ROUND, id="tabs"):
            yield self.round_tab
            yield self.projects_tab
            yield self.ballots_tab
            yield self.results_tab

    def on_mount(self) -> None:
        super().on_mount()
        if self.round_id is None:
            every = rounds.list_rounds(self.db)
            self.round_id = every[-1].id if every else None
        self.show_tab_help()
        self.refresh_tab()

    def on_screen_resume(self) -> None:
        self.refresh_tab()

    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or ROUND

    def _tab(self):
        return {
            ROUND: self.round_tab,
            PROJECTS: self.projects_tab,
            BALLOTS: self.ballots_tab,
            RESULTS: self.results_tab,
        }[self.active_tab()]

    def refresh_tab(self) -> None:
        self._tab().refresh_view()

    def choose_round(self, round_id: int | None) -> None:
        """Work on `round_id` from now (every tab shows it)."""
        self.round_id = round_id
        self.refresh_tab()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        for tab, actions in TAB_KEYS.items():
            if action in actions:
                return self.is_mounted and self.active_tab() == tab
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_tab_help()
        self.refresh_bindings()
        self.refresh_tab()

    def show_tab_help(self) -> None:
        help_text = self.TAB_HELP.get(self.active_tab(), self.PURPOSE)
        self.query_one(".purpose", Static).update(
            _("%(help)s · 1-4 switch tab · Esc back", help=_(help_text))
        )

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self.refresh_bindings()

    def action_back(self) -> None:
        if self.results_tab.stop_count():
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def refuse(self, error: Exception) -> None:
        self.reopen_form()  # under the message, with what was typed, when a form was refused
        title = getattr(error, "title", _("Cannot do that"))
        self.assembly_app.show_error(title, str(error))

    # --- each key to its tab -------------------------------------------------------------

    def action_new_round(self) -> None:
        self.round_tab.new_round()

    def action_edit_round(self) -> None:
        self.round_tab.edit_round()

    def action_open_voting(self) -> None:
        self.round_tab.open_voting()

    def action_close_voting(self) -> None:
        self.round_tab.close_voting()

    def action_add_project(self) -> None:
        self.projects_tab.add_project()

    def action_review_project(self) -> None:
        self.projects_tab.review_project()

    def action_project_history(self) -> None:
        self.projects_tab.show_history()

    def action_paper_ballot(self) -> None:
        self.ballots_tab.enter_paper()

    def action_count(self) -> None:
        self.results_tab.count()

    def action_override(self) -> None:
        self.results_tab.override()

    def action_projector(self) -> None:
        if self.results_tab.published() is None or self.round_id is None:
            self.notify(_("Count the round first (r)."), severity="warning")
            return
        self.app.push_screen(ProjectorScreen(self.round_id))

    def action_deliver(self) -> None:
        self.results_tab.deliver()

    def action_publish(self) -> None:
        self.results_tab.publish()
