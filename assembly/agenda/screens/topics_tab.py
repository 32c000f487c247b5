"""The Topics tab: the topics residents raised, typed in or imported from a CSV of
submissions, merged when they repeat each other, each with its history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from assembly.agenda import topics
from assembly.agenda.errors import AgendaError
from assembly.agenda.screens.tab import AgendaScreenTab
from assembly.agenda.screens.typed import numbers, optional_whole, whole
from assembly.core.i18n import _
from assembly.ui.dialogs.agenda_form import FormDialog, FormField
from assembly.ui.dialogs.message import InfoDialog


class TopicsTab(AgendaScreenTab):
    def __init__(self) -> None:
        super().__init__(_("Topics"), id="topics-tab")

    def compose(self) -> ComposeResult:
        yield Static("", id="topics-note", classes="note")
        yield DataTable(id="topics", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        # Status next to the number: after a long title and proposer it fell off 120 columns
        self.query_one("#topics", DataTable).add_columns(
            _("No."), _("Status"), _("Topic"), _("Proposed by"), _("Source")
        )
        self.refresh_topics()

    def refresh_topics(self) -> None:
        table = self.query_one("#topics", DataTable)
        table.clear()
        every = topics.list_topics(self.db, include_closed=True)
        for t in every:
            state = {
                "open": _("open"),
                "merged": _("merged into %(number)s", number=t.merged_into_id),
            }.get(t.status) or topics.status_label(t.status)
            proposer = t.proposed_by()
            table.add_row(
                str(t.id),
                state,
                t.title,
                _("%(proposer)s · anonymous in reports", proposer=proposer)
                if t.anonymous
                else proposer,
                _("typed in") if t.source == "live" else (t.source_ref or "CSV"),
                key=str(t.id),
            )
        open_count = sum(1 for t in every if t.status == "open")
        self.query_one("#topics-note", Static).update(
            _(
                "%(open)s open topics (%(count)s proposed in all). "
                "Anonymous proposers are hidden in reports, shown here for the facilitator.",
                open=open_count,
                count=len(every),
            )
            if every
            else _("No topics yet: press n to type one in, or i to import submissions.")
        )

    def new_topic(self) -> None:
        fields = [
            FormField("title", _("Topic (in the proposer's words)")),
            FormField("description", _("More detail (optional)")),
            FormField("member", _("Proposed by panel member number (optional)")),
            FormField("name", _("Or by a resident, name (optional)")),
            FormField("anonymous", _("Keep the proposer anonymous in reports"), kind="checkbox"),
        ]

        def save(values: dict | None) -> None:
            if values is None:
                return
            try:
                topics.propose_topic(
                    self.db,
                    self.clock,
                    values["title"],
                    description=values["description"],
                    member_number=optional_whole(values["member"], _("Member number")),
                    proposer_name=values["name"],
                    anonymous=values["anonymous"],
                    proposer_kind="resident",
                )
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify(_("Topic saved."))

        self.ask(FormDialog(_("New topic"), fields), save)

    def import_topics(self) -> None:
        fields = [FormField("path", _("CSV file"), placeholder="submissions.csv")]
        help_text = _(
            "Columns: title (required); description, proposed_by, member_number, anonymous "
            "(yes/no), channel (optional). All rows are imported, or none."
        )

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                ids = topics.import_topics_csv(self.db, self.clock, values["path"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify(_("Imported %(count)s topics.", count=len(ids)))

        self.ask(FormDialog(_("Import submissions"), fields, help_text), save)

    def _cursor_topic(self) -> str:
        table = self.query_one("#topics", DataTable)
        if not table.row_count:
            return ""
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value or "")

    def merge_topics(self) -> None:
        fields = [
            FormField("keep", _("Keep topic number"), value=self._cursor_topic()),
            FormField("duplicates", _("Merge these duplicates into it (numbers)")),
            FormField("note", _("Why (optional)")),
        ]

        def save(values: dict | None) -> None:
            if not values:
                return
            try:
                keep = whole(values["keep"], _("Keep topic"))
                dupes = numbers(values["duplicates"], _("Duplicates"))
                topics.merge_topics(self.db, self.clock, keep, dupes, note=values["note"])
            except AgendaError as error:
                self.refuse(error)
                return
            self.refresh_topics()
            self.notify(_("Merged; both topics and their history stay on record."))

        help_text = _("Merged topics stay in the record, marked as merged, with their proposers.")
        self.ask(FormDialog(_("Merge duplicate topics"), fields, help_text), save)

    def topic_history(self) -> None:
        topic_id = self._cursor_topic()
        if not topic_id:
            return
        lines = [
            f"{e['at']}  {topics.history_in_words(e)}"
            for e in topics.topic_history(self.db, int(topic_id))
        ]
        self.app.push_screen(
            InfoDialog(_("History of topic %(number)s", number=topic_id), "\n".join(lines))
        )
