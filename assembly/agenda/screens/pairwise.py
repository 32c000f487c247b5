"""'Which matters more?': two topics at a time, for a member at the laptop or a facilitator
typing in answers. Each answer is saved the moment it is given."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assembly.agenda import rounds, topics
from assembly.agenda.errors import AgendaError
from assembly.core.i18n import _
from assembly.ui.translated import InWorkingLanguage


class PairwiseDialog(InWorkingLanguage, ModalScreen[int]):
    """Returns how many answers were recorded."""

    BINDINGS = [
        Binding("1,left", "choose(0)", "First matters more"),
        Binding("2,right", "choose(1)", "Second matters more"),
        Binding("0,space", "cant_decide", "Can't decide"),
        Binding("escape", "done", "Done"),
    ]

    DEFAULT_CSS = """
    PairwiseDialog .dialog-box { width: 90; }
    PairwiseDialog .question { text-style: bold; content-align: center middle; width: 100%; padding: 1; }
    PairwiseDialog .choices { height: auto; }
    PairwiseDialog .choices Button { width: 1fr; height: 5; margin: 0 1; }
    PairwiseDialog #answered { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, round_id: int, rng: np.random.Generator | None = None) -> None:
        super().__init__(classes="dialog")
        self.round_id = round_id
        self.rng = rng or np.random.default_rng()
        self.pair: tuple[int, int] | None = None
        self.answered = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Which matters more?"), classes="question")
            with Horizontal(classes="choices"):
                yield Button("", id="first", variant="primary")
                yield Button("", id="second", variant="primary")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Can't decide (0)"), id="skip")
                yield Button(_("Done (Esc)"), id="done")
            yield Static("", id="answered")

    @property
    def db(self):
        return self.app.assembly.db()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.show_next()

    def show_next(self) -> None:
        titles = {t.id: t.title for t in topics.list_topics(self.db, include_closed=True)}
        self.pair = rounds.next_pair(self.db, self.round_id, self.rng)
        first, second = self.pair
        self.query_one("#first", Button).label = f"1  {titles[first]}"
        self.query_one("#second", Button).label = f"2  {titles[second]}"
        self.query_one("#answered", Static).update(
            _(
                "%(count)s answered so far. Press 1 or 2, 0 if you can't decide, Esc when done.",
                count=self.answered,
            )
        )

    def _record(self, chosen: int | None) -> None:
        assert self.pair is not None
        clock = self.app.clock  # type: ignore[attr-defined]
        try:
            if chosen is None:
                rounds.record_choice(self.db, clock, self.round_id, None, pair=self.pair)
            else:
                other = self.pair[1 - chosen]
                rounds.record_choice(self.db, clock, self.round_id, self.pair[chosen], other)
        except AgendaError as error:
            self.app.show_error(error.title, str(error))  # type: ignore[attr-defined]
            return
        self.answered += 1
        self.show_next()

    def action_choose(self, index: int) -> None:
        self._record(index)

    def action_cant_decide(self) -> None:
        self._record(None)

    def action_done(self) -> None:
        self.dismiss(self.answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        match event.button.id:
            case "first":
                self._record(0)
            case "second":
                self._record(1)
            case "skip":
                self._record(None)
            case _:
                self.action_done()
