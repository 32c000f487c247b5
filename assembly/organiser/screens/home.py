"""Organiser mode's home: the pool against its targets, where the selection stands, and the keys
to each job (import, browse, quotas, draw, members, and the feedback log of council responses)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from assembly.core.clock import show
from assembly.core.i18n import N_, Number, _
from assembly.organiser.overview import latest_draw_stage, overview, pool_counts, quota_count
from assembly.ui.screens.base import ModeScreen
from assembly.ui.widgets.labels import short_label


class OrganiserScreen(ModeScreen):
    PURPOSE = N_(
        "Organiser: the respondent pool against the population targets. I import, P browse the "
        "pool, Q quotas, D draw, M members, L feedback log, B participatory budgeting, "
        "N invitations and response rates. "
        "F3 Facilitator, F4 Scrutiny, Ctrl+P all commands."
    )
    MODE_LABEL = N_("Organiser")
    BINDINGS = [
        Binding("i", "open('import')", "Import"),
        Binding("p", "open('browse')", "Pool"),
        Binding("q", "open('quotas')", "Quotas"),
        Binding("d", "open('draw')", "Draw"),
        Binding("m", "open('members')", "Members"),
        Binding("l", "open('feedback')", "Feedback log"),
        Binding("b", "app.budgets", "Budgets"),
        # named in the purpose line and the palette: the footer has no room left at 80 columns
        Binding("n", "open('invitations')", "Invitations", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="summary", classes="section-title", markup=False)
        yield Static(id="stage", classes="organiser-stage", markup=False)
        yield DataTable(id="pool-counts", zebra_stripes=True, cursor_type="row")

    DEFAULT_CSS = """
    OrganiserScreen .organiser-stage { padding: 0 1 1 1; height: auto; }
    """

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#pool-counts", DataTable).add_columns(
            _("Category"), _("Value"), _("Respondents"), _("Pool share"), _("Target share")
        )
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        db = self.db
        info = overview(db)
        on_panel = sum(
            n
            for s, n in info.members_by_status.items()
            if s in ("selected", "invited", "confirmed")
        )
        self.query_one("#summary", Static).update(
            _(
                "%(respondents)s respondents in the pool · %(members)s panel members",
                respondents=Number(info.respondents),
                members=Number(on_panel),
            )
        )
        self.query_one("#stage", Static).update(self._stage(db, info.respondents))
        table = self.query_one("#pool-counts", DataTable)
        table.clear()
        labels = {f.name: f.label for f in info.features}
        for row in pool_counts(db):
            target = "—" if row.target_share is None else f"{row.target_share:.0%}"
            table.add_row(  # short labels keep the counts on an 80-column screen
                short_label(labels[row.feature]),
                row.value,
                f"{row.count:,}",
                f"{row.share:.0%}",
                target,
            )

    def _stage(self, db, respondents: int) -> str:
        """Where the selection stands, in one line per step."""
        from assembly.organiser.quotas import panel_size

        if not respondents:
            return _("Next: import the respondent pool (I).")
        k = panel_size(db)
        quotas = quota_count(db)
        draw = latest_draw_stage(db)
        zone = self.assembly_app.timezone
        lines = [
            _("Quotas: %(quotas)s set for a panel of %(k)s", quotas=quotas, k=k)
            if k and quotas
            else _("Quotas: not set (Q)")
        ]
        if draw is None:
            lines.append(_("Draw: none yet (D)"))
        elif draw.seed is None:
            lines.append(
                _(
                    "Draw %(draw)s (%(algorithm)s) computed %(when)s; waiting for the public "
                    "seed (D)",
                    draw=draw.id,
                    algorithm=draw.algorithm,
                    when=show(draw.created_at, zone),
                )
            )
        else:
            lines.append(
                _(
                    "Draw %(draw)s (%(algorithm)s): panel number %(panel)s drawn %(when)s with "
                    "seed %(seed)s",
                    draw=draw.id,
                    algorithm=draw.algorithm,
                    panel=draw.panel_index,
                    when=show(draw.drawn_at, zone),
                    seed=repr(draw.seed),
                )
            )
        return "\n".join(lines)

    def action_open(self, which: str) -> None:
        if which == "import":
            from assembly.organiser.screens.pool_import import PoolImportScreen

            self.app.push_screen(PoolImportScreen())
        elif which == "browse":
            from assembly.organiser.screens.pool import PoolBrowserScreen

            self.app.push_screen(PoolBrowserScreen())
        elif which == "quotas":
            from assembly.organiser.screens.quotas import QuotasScreen

            self.app.push_screen(QuotasScreen())
        elif which == "draw":
            from assembly.organiser.screens.draw import DrawScreen

            self.app.push_screen(DrawScreen())
        elif which == "members":
            from assembly.organiser.screens.members import MembersScreen

            self.app.push_screen(MembersScreen())
        elif which == "feedback":
            # Officers record council responses here; Scrutiny (F4) only reads the log.
            from assembly.feedback.screens.editor import FeedbackLogScreen

            self.app.push_screen(FeedbackLogScreen())
        elif which == "invitations":
            from assembly.invitations.screens.review import RegistrationsScreen

            self.app.push_screen(RegistrationsScreen())
