"""The live equity panel: each group's share of speaking time beside its share of the room.

Text bars with numbers, one pair per group; under-heard groups carry a ⚠ and the words
"heard less than half their share". Only group totals are shown, never a person.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assembly.core.i18n import _, ngettext
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


def equity_text(report: EquityReport, *, item_title: str | None = None) -> Text:
    """The panel's contents as text (also used by tests and the CLI): over the whole session,
    or over the agenda item called `item_title`."""
    out = Text()
    spoken = clock_text(report.total_seconds)
    if item_title is None:
        heading = ngettext(
            "Speaking time this session: %(time)s · %(num)s member present",
            "Speaking time this session: %(time)s · %(num)s members present",
            report.present,
            time=spoken,
        )
    else:
        heading = ngettext(
            "Speaking time in this item (%(item)s): %(time)s · %(num)s member present",
            "Speaking time in this item (%(item)s): %(time)s · %(num)s members present",
            report.present,
            item=item_title,
            time=spoken,
        )
    out.append(heading + "\n", style="bold")
    if report.present == 0:
        out.append(_("Nobody is marked present yet (m opens attendance).") + "\n")
        return out
    if report.total_seconds == 0:
        out.append(
            _("Nobody has spoken yet: shares appear once the first speaker is timed.") + "\n"
        )
    warn = report.enough_evidence
    flagged_names = [
        f"{short_label(c.label)} {g.shown_value}"
        for c in report.categories
        for g in c.groups
        if g.flagged
    ]
    if report.total_seconds and not warn:
        too_early = _(
            "Too early to judge: warnings start after %(minutes)s minutes "
            "of speaking by %(people)s or more people.",
            minutes=MIN_EVIDENCE_SECONDS // 60,
            people=MIN_EVIDENCE_SPEAKERS,
        )
        out.append(too_early + "\n", style="bold")
    elif flagged_names:
        out.append(
            _("⚠ Heard less than half their share: %(groups)s", groups=", ".join(flagged_names))
            + "\n",
            style="bold",
        )
    elif report.total_seconds:
        out.append(_("✓ No group is heard at less than half its share") + "\n", style="bold")
    out.append(_("█ share of speaking time · ┃ share of members present") + "\n", style="dim")
    for category in report.categories:
        heading = (
            _(
                "%(category)s (special category: group totals, updated every %(turns)s turns)",
                category=category.label,
                turns=SENSITIVE_BATCH,
            )
            if category.sensitive
            else category.label
        )
        out.append(f"\n{heading}\n", style="bold underline")  # not words
        for group in category.groups:
            out.append(f"  {group.shown_value}")
            if group.flagged and warn:
                out.append(f"  {group.verdict}", style="bold reverse")  # not words
            elif group.verdict and report.total_seconds:
                verdict = _("heard less than their share") if group.flagged else group.verdict
                out.append(f"  {verdict}", style="dim")
            spoke, present = f"{group.speaking_share:.0%}", f"{group.presence_share:.0%}"
            shares = _("spoke %(spoke)s · present %(present)s", spoke=spoke, present=present)
            bar = share_bar(group.speaking_share, group.presence_share)
            out.append(f"\n    {bar} {shares}\n")
    return out


class EquityPanel(VerticalScroll):
    """Scrollable equity bars for every category the panel was drawn on."""

    DEFAULT_CSS = """
    EquityPanel { border: round $accent; padding: 0 1; }
    """

    def compose(self):
        yield Static("", id="equity-text")

    def show(self, report: EquityReport, *, item_title: str | None = None) -> None:
        """The bars over the whole session, or over the agenda item called `item_title`."""
        self.query_one("#equity-text", Static).update(equity_text(report, item_title=item_title))
