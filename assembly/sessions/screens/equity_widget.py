"""The live equity panel: each group's share of speaking time beside its share of the room.

Text bars with numbers, one pair per group; under-heard groups carry a ⚠ and the words
"heard less than half their share". Only group totals are shown, never a person.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assembly.sessions.equity import (
    MIN_EVIDENCE_SECONDS,
    MIN_EVIDENCE_SPEAKERS,
    SENSITIVE_BATCH,
    EquityReport,
)
from assembly.sessions.sessions import clock_text
from assembly.ui.widgets.labels import short_label

BAR_WIDTH = 24


def share_bar(speaking: float, present: float, width: int = BAR_WIDTH) -> str:
    """A bar filled to the speaking share, with ┃ marking the presence share (the fair share)."""
    filled = round(max(0.0, min(1.0, speaking)) * width)
    cells = ["█"] * filled + ["·"] * (width - filled)
    mark = min(width - 1, round(max(0.0, min(1.0, present)) * width))
    cells[mark] = "┃"
    return "".join(cells)


def equity_text(report: EquityReport, *, scope: str = "this session") -> Text:
    """The panel's contents as text (also used by tests and the CLI)."""
    out = Text()
    out.append(
        f"Speaking time {scope}: {clock_text(report.total_seconds)} · "
        f"{report.present} {'member' if report.present == 1 else 'members'} present\n",
        style="bold",
    )
    if report.present == 0:
        out.append("Nobody is marked present yet (m opens attendance).\n")
        return out
    if report.total_seconds == 0:
        out.append("Nobody has spoken yet: shares appear once the first speaker is timed.\n")
    warn = report.enough_evidence
    flagged_names = [
        f"{short_label(c.label)} {g.value}"
        for c in report.categories
        for g in c.groups
        if g.flagged
    ]
    if report.total_seconds and not warn:
        out.append(
            f"Too early to judge: warnings start after {MIN_EVIDENCE_SECONDS // 60} minutes "
            f"of speaking by {MIN_EVIDENCE_SPEAKERS} or more people.\n",
            style="bold",
        )
    elif flagged_names:
        out.append(
            f"⚠ Heard less than half their share: {', '.join(flagged_names)}\n", style="bold"
        )
    elif report.total_seconds:
        out.append("✓ No group is heard at less than half its share\n", style="bold")
    out.append("█ share of speaking time · ┃ share of members present\n", style="dim")
    for category in report.categories:
        note = (
            f" (special category: group totals, updated every {SENSITIVE_BATCH} turns)"
            if category.sensitive
            else ""
        )
        out.append(f"\n{category.label}{note}\n", style="bold underline")
        for group in category.groups:
            out.append(f"  {group.value}")
            if group.flagged and warn:
                out.append(f"  {group.verdict}", style="bold reverse")
            elif group.verdict and report.total_seconds:
                verdict = "heard less than their share" if group.flagged else group.verdict
                out.append(f"  {verdict}", style="dim")
            out.append(
                f"\n    {share_bar(group.speaking_share, group.presence_share)} "
                f"spoke {group.speaking_share:.0%} · present {group.presence_share:.0%}\n"
            )
    return out


class EquityPanel(VerticalScroll):
    """Scrollable equity bars for every category the panel was drawn on."""

    DEFAULT_CSS = """
    EquityPanel { border: round $accent; padding: 0 1; }
    """

    def compose(self):
        yield Static("", id="equity-text")

    def show(self, report: EquityReport, *, scope: str = "this session") -> None:
        self.query_one("#equity-text", Static).update(equity_text(report, scope=scope))
