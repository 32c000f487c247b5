"""Browsing the pool a page at a time (200 rows): the filter and sort run in SQL, so a pool of
10,000 respondents never freezes the screen."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from assembly.core.i18n import N_, Number, _
from assembly.organiser.members import status_word
from assembly.organiser.overview import features
from assembly.organiser.pool_browse import PAGE_SIZE, browse_pool
from assembly.ui.screens.base import ModeScreen


class PoolBrowserScreen(ModeScreen):
    PURPOSE = N_(
        "Browse the pool: type to filter by id, name or postcode, or feature=value (e.g. "
        "ward=Eastgate). PgDn/PgUp page, Ctrl+S sort by next column (or click a heading), "
        "Ctrl+R reverse, Esc back."
    )
    MODE_LABEL = N_("Organiser · Pool")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("pagedown", "page(1)", "Next page", priority=True),
        Binding("pageup", "page(-1)", "Previous page", priority=True, show=False),
        Binding("ctrl+s", "next_sort", "Sort"),
        Binding("ctrl+r", "reverse", "Reverse"),
    ]
    DEFAULT_CSS = """
    PoolBrowserScreen #pool-filter { margin: 0 1; }
    PoolBrowserScreen #pool-page { padding: 0 1; height: 1; }
    PoolBrowserScreen #pool-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page_offset = 0
        self.sort = "ref"
        self.descending = False
        self.total = 0
        self.feature_names: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=_("filter: text, or feature=value"), id="pool-filter")
        yield Static("", id="pool-page", markup=False)
        yield DataTable(id="pool-table", zebra_stripes=True, cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        db = self.db
        self.feature_names = [f.name for f in features(db)]
        self.labels = {f.name: f.label for f in features(db)}
        self.widths = {
            f.name: min(max([len(f.label) // 2, 6, *(len(v) for v in f.values)]), 24)
            for f in features(db)
        }
        self.load()

    @property
    def sorts(self) -> list[str]:
        return ["ref", "name", "postcode", "status", *self.feature_names]

    def _filter(self) -> dict:
        text = self.query_one("#pool-filter", Input).value.strip()
        if "=" in text:
            name, _sep, value = text.partition("=")
            wanted = name.strip().casefold()
            for feature in self.feature_names:
                if wanted in (feature.casefold(), self.labels[feature].casefold()):
                    return {"feature": feature, "value": value.strip()}
        return {"text": text}

    def load(self) -> None:
        db = self.db
        page = browse_pool(
            db,
            sort=self.sort,
            descending=self.descending,
            offset=self.page_offset,
            **self._filter(),
        )
        self.page_offset, self.total = page.offset, page.total
        table = self.query_one("#pool-table", DataTable)
        table.clear()
        arrow = " ↓" if self.descending else " ↑"
        headings = [
            _("Id"),
            _("Name"),
            _("Postcode"),
            _("Panel"),
            *(self.labels[f] for f in self.feature_names),
        ]
        widths = [10, 22, 9, 14, *(self.widths[f] for f in self.feature_names)]
        if not table.columns:
            for key, heading, width in zip(self.sorts, headings, widths, strict=True):
                table.add_column(heading, key=key, width=width)
        for key, heading in zip(self.sorts, headings, strict=True):
            table.columns[ColumnKey(key)].label = Text(
                heading + (arrow if key == self.sort else "")
            )
        table.refresh()
        sorted_by = dict(zip(self.sorts, headings, strict=True))[self.sort]  # as its heading reads
        for row in page.rows:
            person = json.loads(row["features"])
            panel = (
                _("#%(number)s %(status)s", number=row["number"], status=status_word(row["status"]))
                if row["number"]
                else ""
            )
            name = row["name"] or (_("(removed)") if row["purged_at"] else "")
            table.add_row(
                row["ref"],
                name,
                row["postcode"] or "",
                panel,
                *(person.get(f, "") for f in self.feature_names),
            )
        self.query_one("#pool-page", Static).update(
            _(
                "Respondents %(first)s–%(last)s of %(total)s · sorted by %(sort)s descending",
                first=Number(page.first),
                last=Number(page.last),
                total=Number(page.total),
                sort=sorted_by,
            )
            if self.descending
            else _(
                "Respondents %(first)s–%(last)s of %(total)s · sorted by %(sort)s ascending",
                first=Number(page.first),
                last=Number(page.last),
                total=Number(page.total),
                sort=sorted_by,
            )
        )

    @on(Input.Changed, "#pool-filter")
    def filter_changed(self) -> None:
        self.page_offset = 0
        self.load()

    def action_page(self, step: int) -> None:
        new = self.page_offset + step * PAGE_SIZE
        if 0 <= new < max(self.total, 1):
            self.page_offset = new
            self.load()

    def action_next_sort(self) -> None:
        sorts = self.sorts
        self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)]
        self.page_offset = 0
        self.load()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.page_offset = 0
        self.load()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, False
        self.page_offset = 0
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
