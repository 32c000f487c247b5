"""Recommendations in Facilitator mode: drafted from members' ideas, voted on with the scale,
threshold and quorum declared before the vote, counts saved as they are typed in, and passed
recommendations sent to the feedback log when the vote closes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from assembly.agenda import recommendations as rec
from assembly.agenda.errors import AgendaError
from assembly.core.i18n import N_, _, pgettext, working
from assembly.ui.dialogs.agenda_form import FormAsker, FormDialog, FormField
from assembly.ui.dialogs.message import ConfirmDialog
from assembly.ui.screens.base import ModeScreen

STATUS_WORDS = {
    "draft": N_("✎ draft"),
    "voting": N_("● voting"),
    "passed": N_("✓ passed"),
    "not_passed": N_("✗ not passed"),
    "withdrawn": N_("– withdrawn"),
}


class RecommendationsScreen(FormAsker, ModeScreen):
    PURPOSE = N_(
        "Recommendations: n draft from ideas · e edit draft · v open a vote (scale, threshold "
        "and quorum declared first) · a add a count · x void last count · c close vote · "
        "s send to the feedback log · Esc back"
    )
    MODE_LABEL = N_("Facilitator — recommendations")

    BINDINGS: ClassVar = [
        Binding("n", "draft", "Draft"),
        Binding("e", "edit", "Edit"),
        Binding("v", "open_vote", "Vote"),
        Binding("a", "add_count", "Count"),
        Binding("x", "void_count", "Void"),
        Binding("c", "close_vote", "Close"),
        Binding("s", "send", "To log"),
        Binding("escape", "back", "Back"),
    ]

    DEFAULT_CSS = """
    RecommendationsScreen #recommendations { width: 3fr; height: 1fr; }
    RecommendationsScreen #side { width: 2fr; }
    RecommendationsScreen #detail { height: auto; max-height: 70%; padding: 0 1; overflow-y: auto; }
    RecommendationsScreen #ideas { height: 1fr; }
    RecommendationsScreen .note { padding: 0 1; color: $text-muted; height: auto; }
    /* on a laptop's 80 columns the list and the detail stack, so titles are readable */
    RecommendationsScreen.narrow #body { layout: vertical; }
    RecommendationsScreen.narrow #recommendations { width: 100%; height: 1fr; }
    RecommendationsScreen.narrow #side { width: 100%; height: 1fr; }
    RecommendationsScreen.narrow #detail { max-height: 50%; }
    """
    NARROW_BELOW = 110

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield DataTable(id="recommendations", zebra_stripes=True, cursor_type="row")
            with Vertical(id="side"):
                yield Static("", id="detail", markup=False)
                yield Static(
                    _("Ideas from sessions (use their numbers when drafting):"), classes="note"
                )
                yield DataTable(id="ideas", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        # the title last: it is shown whole beside the list, and before State and Support it
        # pushed the vote's share past the edge of a 120-column terminal
        self.query_one("#recommendations", DataTable).add_columns(
            _("No."), _("State"), pgettext("the share in favour", "Support"), _("Recommendation")
        )
        ideas = self.query_one("#ideas", DataTable)
        ideas.add_columns(_("Idea"), _("Text"))
        for idea_id, text in rec.ideas_for_drafting(self.db):
            ideas.add_row(str(idea_id), text, key=str(idea_id))
        self.refresh_list()

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW_BELOW, "narrow")

    def refuse(self, error: Exception) -> None:
        self.reopen_form()  # under the message, with what was typed, when a form was refused
        title = getattr(error, "title", N_("Cannot do that"))
        self.assembly_app.show_error(_(title), str(error))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    # --- showing ---------------------------------------------------------------------------

    def current_id(self) -> int | None:
        table = self.query_one("#recommendations", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0) or None

    def refresh_list(self, select: int | None = None) -> None:
        table = self.query_one("#recommendations", DataTable)
        keep = select or self.current_id()
        table.clear()
        items = rec.list_recommendations(self.db)
        for r in items:
            vote = rec.current_vote(self.db, r.id)
            support = ""
            if vote:
                o = rec.vote_outcome(self.db, vote.id)
                share, needed = f"{o.share:.0%}", f"{vote.threshold:.0%}"
                support = _(
                    "%(support)s/%(counted)s (%(share)s, needs %(threshold)s)",
                    support=o.support,
                    counted=o.counted,
                    share=share,
                    threshold=needed,
                )
            title = r.title if len(r.title) <= 40 else r.title[:39] + "…"
            table.add_row(str(r.id), _(STATUS_WORDS[r.status]), support, title, key=str(r.id))
        if items:
            ids = [r.id for r in items]
            table.move_cursor(row=ids.index(keep) if keep in ids else len(ids) - 1)
        self.show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "recommendations":
            self.show_detail()

    def show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        rec_id = self.current_id()
        if rec_id is None:
            detail.update(_("No recommendations yet: press n to draft one from members' ideas."))
            return
        r = rec.get_recommendation(self.db, rec_id)
        lines = [r.title, r.text or _("(no wording yet)")]
        if r.idea_ids:
            lines.append(_("From ideas: %(ideas)s", ideas=", ".join(map(str, r.idea_ids))))
        vote = rec.current_vote(self.db, rec_id)
        if vote:
            lines += [
                "",
                _("Vote %(id)s (open).", id=vote.id)
                if vote.status == "open"
                else _("Vote %(id)s (closed).", id=vote.id),
                vote.declared,
            ]
            lines += rec.outcome_lines(rec.vote_outcome(self.db, vote.id), width=12, label_width=22)
        if r.feedback_item_id:
            lines.append(_("In the feedback log as item %(item)s.", item=r.feedback_item_id))
        elif r.status == "passed":
            lines.append(_("Not yet in the feedback log: press s to send it."))
        detail.update("\n".join(lines))

    # --- actions ---------------------------------------------------------------------------

    def _idea_under_cursor(self) -> str:
        ideas = self.query_one("#ideas", DataTable)
        if not ideas.row_count:
            return ""
        return str(ideas.coordinate_to_cell_key(ideas.cursor_coordinate).row_key.value or "")

    def action_draft(self) -> None:
        fields = [
            FormField("title", _("Recommendation (one line)")),
            FormField("text", _("Full wording")),
            FormField("ideas", _("Grew from ideas (numbers)"), value=self._idea_under_cursor()),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                idea_ids = [int(p) for p in values["ideas"].replace(",", " ").split()]
            except ValueError:
                self.refuse(
                    AgendaError(
                        _("Ideas: %(text)s should be idea numbers.", text=repr(values["ideas"]))
                    )
                )
                return
            try:
                rec_id = rec.draft_recommendation(
                    self.db, self.clock, values["title"], values["text"], idea_ids=idea_ids
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list(select=rec_id)
            self.notify(_("Draft saved."))

        self.ask(FormDialog(_("Draft a recommendation"), fields), save)

    def action_edit(self) -> None:
        rec_id = self.current_id()
        if rec_id is None:
            return
        r = rec.get_recommendation(self.db, rec_id)
        fields = [
            FormField("title", _("Recommendation (one line)"), value=r.title),
            FormField("text", _("Full wording"), value=r.text),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                rec.edit_recommendation(
                    self.db, self.clock, rec_id, title=values["title"], text=values["text"]
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list()

        self.ask(FormDialog(_("Redraft recommendation %(id)s", id=rec_id), fields), save)

    def action_open_vote(self) -> None:
        rec_id = self.current_id()
        if rec_id is None:
            self.notify(_("Draft a recommendation first (n)."), severity="warning")
            return
        fields = [
            FormField(
                "scale",
                _("Scale"),
                kind="select",
                options=tuple((_(s.label), key) for key, s in rec.SCALES.items()),
            ),
            FormField("threshold", _("Passes with at least this support"), value="80%"),
            FormField("quorum", _("Fewest voters for the vote to count"), value="30"),
        ]
        help_text = _(
            "Declared now, before anyone votes; they cannot change once a vote is recorded."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                try:
                    quorum = int(values["quorum"])
                except ValueError as error:
                    raise AgendaError(
                        _(
                            "%(field)s: %(text)s is not a whole number.",
                            field=_("Quorum"),
                            text=repr(values["quorum"]),
                        )
                    ) from error
                rec.open_vote(
                    self.db,
                    self.clock,
                    rec_id,
                    scale=values["scale"],
                    threshold=values["threshold"],
                    quorum=quorum,
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list()
            self.notify(_("Vote open."))

        self.ask(FormDialog(_("Vote on recommendation %(id)s", id=rec_id), fields, help_text), save)

    def _open_vote_or_say(self) -> rec.Vote | None:
        rec_id = self.current_id()
        vote = rec.current_vote(self.db, rec_id) if rec_id else None
        if vote is None or vote.status != "open":
            self.notify(
                _("This recommendation has no open vote (v opens one)."), severity="warning"
            )
            return None
        return vote

    def action_add_count(self) -> None:
        vote = self._open_vote_or_say()
        if vote is None:
            return
        choices = rec.SCALES[vote.scale].choices
        fields = [FormField(f"c{i}", _(choice), value="0") for i, choice in enumerate(choices)]
        fields.append(FormField("note", _("Note (e.g. 'table 3 hand count')")))

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                counts = {}
                for i, choice in enumerate(choices):
                    text = values[f"c{i}"] or "0"
                    try:
                        counts[choice] = int(text)
                    except ValueError as error:
                        raise AgendaError(
                            _(
                                "%(field)s: %(text)s is not a whole number.",
                                field=_(choice),
                                text=repr(text),
                            )
                        ) from error
                rec.record_votes(self.db, self.clock, vote.id, counts, note=values["note"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list()
            self.notify(_("Count saved."))

        self.ask(
            FormDialog(_("Add a count to vote %(id)s", id=vote.id), fields, vote.declared), save
        )

    def action_void_count(self) -> None:
        vote = self._open_vote_or_say()
        if vote is None:
            return
        last = rec.last_count(self.db, vote.id)
        if last is None:
            self.notify(_("This vote has no counts to void."), severity="warning")
            return
        shown = ", ".join(f"{c} {n}" for c, n in last[1].items())
        fields = [FormField("reason", _("Why is it void?"), placeholder=_("e.g. entered twice"))]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                rec.void_last_count(self.db, self.clock, vote.id, reason=values["reason"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list()
            self.notify(_("Count voided."))

        self.ask(
            FormDialog(
                _("Void the last count"),
                fields,
                _(
                    "Last count: %(count)s. It stays in the file, marked void, and no longer "
                    "counts.",
                    count=shown,
                ),
            ),
            save,
        )

    def action_close_vote(self) -> None:
        vote = self._open_vote_or_say()
        if vote is None:
            return
        preview = rec.vote_outcome(self.db, vote.id)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                outcome = rec.close_vote(self.db, self.clock, vote.id)
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_list()
            self.notify(working().text(outcome.summary))

        self.app.push_screen(
            ConfirmDialog(
                _("Close this vote?"),
                "\n".join(
                    [
                        *rec.outcome_lines(preview, width=20, label_width=24),
                        _(
                            "No more votes can be added. A passed recommendation goes to the "
                            "feedback log."
                        ),
                    ]
                ),
            ),
            answer,
        )

    def action_send(self) -> None:
        rec_id = self.current_id()
        if rec_id is None:
            return
        try:
            item = rec.send_to_feedback_log(self.db, self.clock, rec_id)
        except AgendaError as error:
            self.refuse(error)
            return
        self.refresh_list()
        self.notify(_("In the feedback log as item %(item)s.", item=item))
