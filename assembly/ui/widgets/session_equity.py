"""The live equity panel: each group's share of speaking time beside its share of the room.

Text bars with numbers, one pair per group; under-heard groups carry a ⚠ and the words
"heard less than half their share". Only group totals are shown, never a person.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assembly.domain.equity import EquityReport
from assembly.domain.sessions import clock_text

BAR_WIDTH = 16


def _bar(share: float, char: str) -> str:
    filled = round(max(0.0, min(1.0, share)) * BAR_WIDTH)
    return char * filled + "·" * (BAR_WIDTH - filled)


def equity_text(report: EquityReport, *, scope: str = "this session") -> Text:
    """The panel's contents as text (also used by tests and the CLI)."""
    out = Text()
    out.append(
        f"Speaking time {scope}: {clock_text(report.total_seconds)} · "
        f"{report.present} members present\n",
        style="bold",
    )
    if report.present == 0:
        out.append("Nobody is marked present yet (m opens attendance).\n")
        return out
    if report.total_seconds == 0:
        out.append("Nobody has spoken yet: shares appear once the first speaker is timed.\n")
    out.append("█ share of speaking time   ░ share of members present\n", style="dim")
    flagged = 0
    for category in report.categories:
        note = " (special category: group totals only)" if category.sensitive else ""
        out.append(f"\n{category.label}{note}\n", style="bold underline")
        width = max((len(g.value) for g in category.groups), default=8)
        width = min(max(width, 8), 24)
        for group in category.groups:
            name = group.value[:width].ljust(width)
            out.append(f"  {name} speak {_bar(group.speaking_share, '█')} ")
            out.append(f"{group.speaking_share:4.0%}")
            out.append(f"  present {_bar(group.presence_share, '░')} {group.presence_share:4.0%}")
            if group.flagged:
                flagged += 1
                out.append(f"  {group.verdict}", style="bold reverse")
            elif group.verdict and report.total_seconds:
                out.append(f"  {group.verdict}", style="dim")
            out.append("\n")
    if report.total_seconds:
        summary = (
            f"\n⚠ {flagged} group{'s' if flagged != 1 else ''} heard less than half their share"
            if flagged
            else "\n✓ No group is heard at less than half its share"
        )
        out.append(summary + "\n", style="bold")
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
