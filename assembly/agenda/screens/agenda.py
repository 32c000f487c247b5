"""Agenda setting in Facilitator mode: residents' topics, the votes that rank them, and the
timed agenda built from that ranking.

Each tab is its own module (topics_tab, votes_tab, agenda_tab); this screen lays them out and
keeps the keys, so the footer and the purpose line read the same as the tabs change, each key
shown only on the tab where it works and handed to that tab. Every topic, ballot, tally and
change is saved as it is entered; refusals (a ballot naming an unknown topic, a rule change
after voting began) come up in the error dialog and nothing is half-saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent

from assembly.agenda.errors import AgendaError
from assembly.agenda.report import agenda_report
from assembly.agenda.screens.agenda_tab import TimedAgendaTab
from assembly.agenda.screens.topics_tab import TopicsTab
from assembly.agenda.screens.votes_tab import RANKED_BALLOT_LABEL, VotesTab
from assembly.core.i18n import N_, _
from assembly.ui.dialogs.agenda_form import FormAsker, FormDialog, FormField
from assembly.ui.dialogs.replace import write_unless_kept
from assembly.ui.screens.base import ModeScreen
from sortition.files import PRIVATE, write_atomic

# the ballot label is named here too: it is how the screen speaks of a ranked ballot
__all__ = ["RANKED_BALLOT_LABEL", "AgendaScreen"]

TAB_KEYS: dict[str, set[str]] = {
    "topics-tab": {"new_topic", "import_topics", "merge_topics", "topic_history"},  # not words
    "votes-tab": {  # not words
        "open_vote",
        "record_ballot",
        "record_tally",
        "which_matters",
        "void_ballot",
        "close_vote",
    },
    "agenda-tab": {"build_agenda", "move_up", "move_down", "make_final"},  # not words
}


class AgendaScreen(FormAsker, ModeScreen):
    PURPOSE = N_(
        "Agenda setting: residents' topics, votes to rank them (method declared first), and a "
        "timed agenda. Esc back."
    )
    MODE_LABEL = N_("Facilitator — agenda setting")

    # this tab's keys first, so they are the ones the footer has room for; the purpose line
    # names them all (see TAB_HELP), as the footer of a small screen cannot
    BINDINGS: ClassVar = [
        Binding("n", "new_topic", "New topic"),
        Binding("i", "import_topics", "Import CSV"),
        Binding("m", "merge_topics", "Merge"),
        Binding("h", "topic_history", "History"),
        Binding("o", "open_vote", "Open vote"),
        Binding("b", "record_ballot", "Ballot"),
        Binding("t", "record_tally", "Tally"),
        Binding("w", "which_matters", "Pairs"),
        Binding("x", "void_ballot", "Void"),
        Binding("c", "close_vote", "Close"),
        Binding("g", "build_agenda", "Build agenda"),
        Binding("u", "move_up", "Move up"),
        Binding("d", "move_down", "Move down"),
        Binding("f", "make_final", "Make final"),
        Binding("e", "export_report", "Export report", show=False),
        Binding("1", "tab('topics-tab')", "Topics", show=False),
        Binding("2", "tab('votes-tab')", "Votes", show=False),
        Binding("3", "tab('agenda-tab')", "Agenda", show=False),
        Binding("escape", "back", "Back"),
    ]
    TAB_HELP: ClassVar[dict[str, str]] = {
        "topics-tab": N_(
            "Topics residents raised: n new topic · i import a CSV · m merge duplicates · h history"
        ),
        "votes-tab": N_(
            "Votes to rank topics: o open a vote (method declared first) · "
            "b type in a ballot · t paper tally · w which matters more? · x void last ballot · "
            "c close vote"
        ),
        "agenda-tab": N_(
            "The timed agenda: g build it from a vote · u/d move an item up/down · f make final"
        ),
    }
    """What the purpose line says on each tab: every key that works there."""

    DEFAULT_CSS = """
    AgendaScreen TabbedContent { height: 1fr; }
    AgendaScreen TabPane { padding: 0; }
    AgendaScreen DataTable { height: 1fr; }
    AgendaScreen #rounds { width: 1fr; }
    AgendaScreen #result-side { width: 2fr; }
    AgendaScreen #results { height: auto; padding: 0 1; }
    AgendaScreen #counts { height: auto; }
    AgendaScreen .note { padding: 0 1; color: $text-muted; height: auto; }
    """

    def __init__(self, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.rng = rng or np.random.default_rng()
        self.topics_tab = TopicsTab()
        self.votes_tab = VotesTab()
        self.agenda_tab = TimedAgendaTab()

    # --- layout ---------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="topics-tab", id="tabs"):  # not words
            yield self.topics_tab
            yield self.votes_tab
            yield self.agenda_tab

    def on_mount(self) -> None:
        super().on_mount()
        self.show_tab_help()

    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "topics-tab"  # not words

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        for tab, actions in TAB_KEYS.items():
            if action in actions:
                return self.is_mounted and self.active_tab() == tab
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.show_tab_help()
        self.refresh_bindings()
        if self.active_tab() == "votes-tab":  # the chart fits the pane once it has a size
            self.call_after_refresh(self.votes_tab.show_result)

    def on_resize(self) -> None:
        if self.is_mounted and self.active_tab() == "votes-tab":
            self.votes_tab.show_result()

    def show_tab_help(self) -> None:
        help_text = self.TAB_HELP.get(self.active_tab(), self.PURPOSE)
        self.query_one(".purpose", Static).update(
            _("%(keys)s · e export report · 1/2/3 switch tab · Esc back", keys=_(help_text))
        )

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self.refresh_bindings()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def refuse(self, error: Exception) -> None:
        self.reopen_form()  # under the message, with what was typed, when a form was refused
        title = getattr(error, "title", N_("Cannot do that"))
        self.assembly_app.show_error(_(title), str(error))

    # --- each key to its tab -------------------------------------------------------------

    def action_new_topic(self) -> None:
        self.topics_tab.new_topic()

    def action_import_topics(self) -> None:
        self.topics_tab.import_topics()

    def action_merge_topics(self) -> None:
        self.topics_tab.merge_topics()

    def action_topic_history(self) -> None:
        self.topics_tab.topic_history()

    def action_open_vote(self) -> None:
        self.votes_tab.open_vote()

    def action_record_ballot(self) -> None:
        self.votes_tab.record_ballot()

    def action_record_tally(self) -> None:
        self.votes_tab.record_tally()

    def action_which_matters(self) -> None:
        self.votes_tab.which_matters()

    def action_void_ballot(self) -> None:
        self.votes_tab.void_ballot()

    def action_close_vote(self) -> None:
        self.votes_tab.close_vote()

    def action_build_agenda(self) -> None:
        self.agenda_tab.build_agenda()

    def action_move_up(self) -> None:
        self.agenda_tab.move_up()

    def action_move_down(self) -> None:
        self.agenda_tab.move_down()

    def action_make_final(self) -> None:
        self.agenda_tab.make_final()

    # --- on every tab --------------------------------------------------------------------

    def action_export_report(self) -> None:
        folder = self.assembly_app.assembly.path.parent
        report = str(folder / "agenda-report.md")  # not words
        fields = [FormField("path", _("Write the report to"), value=report)]
        help_text = _(
            "A Markdown report of every topic (proposers who asked are shown as Anonymous) "
            "and every vote's declared rules, full counts and ties."
        )

        def save(values: dict | None) -> None:
            if values:
                target = Path(values["path"]).expanduser()
                write_unless_kept(self.app, [target], lambda: write(target))

        def write(target: Path) -> None:
            try:
                text = agenda_report(self.db, self.assembly_app.timezone)
                write_atomic(target, text, mode=PRIVATE)  # proposers' names
            except OSError as error:
                self.refuse(
                    AgendaError(
                        _(
                            "Could not write %(path)s: %(reason)s.",
                            path=str(target),
                            reason=error.strerror,
                        )
                    )
                )
                return
            self.notify(_("Wrote %(path)s.", path=str(target.resolve())))

        self.ask(FormDialog(_("Export the agenda-setting report"), fields, help_text), save)
