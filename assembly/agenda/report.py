"""The agenda-setting report: every topic and every vote, in Markdown for residents and the
council."""

from __future__ import annotations

from sqlite_utils import Database

from assembly.agenda import rounds
from assembly.agenda.rounds import count_columns, list_rounds, result_lines, round_result
from assembly.agenda.topics import list_topics, status_label
from assembly.agenda.voting import count_name, rank_label
from assembly.core.i18n import N_, Number, _, ngettext, working
from assembly.core.safe_output import md_cell, md_text

_markdown_cell = md_cell
# The topics table's columns, in the working language like the rest of the report.
TOPIC_COLUMNS = (N_("No."), N_("Topic"), N_("Proposed by"), N_("How"), N_("Status"))


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def agenda_report(db: Database, timezone: str = "Europe/London") -> str:  # not words
    """A Markdown report for residents and the council: every topic with who proposed it
    (Anonymous where they asked), merges, and each vote's declared rules, full counts and ties.
    Proposers who are panel members are named only by their own choice of anonymity."""
    from assembly.core.clock import show

    lines = [_("# Agenda setting: topics and votes"), ""]
    every = list_topics(db, include_closed=True)
    titles = {t.id: t.title for t in every}
    lines += [
        _("## Topics proposed"),
        "",
        _row(_(c) for c in TOPIC_COLUMNS),
        "|---|---|---|---|---|",
    ]
    for t in every:
        how = _("in a session") if t.source == "live" else (t.source_ref or _("submission"))
        if t.status == "merged":
            status = _("merged into %(number)s", number=t.merged_into_id)
        else:
            status = status_label(t.status)
        lines.append(
            f"| {t.id} | {_markdown_cell(t.title)} | {_markdown_cell(t.proposed_by(for_report=True))} "
            f"| {_markdown_cell(how)} | {status} |"
        )
    for r in list_rounds(db):
        result = round_result(db, r.id)
        n = result.ballots
        if r.method == "pairwise":
            count = ngettext("%(num)s answer", "%(num)s answers", n, num=Number(n))
        else:
            count = ngettext("%(num)s ballot", "%(num)s ballots", n, num=Number(n))
        question = md_text(rounds.question_shown(r.question))
        opened = show(r.opened_at, timezone)
        if r.closed_at:
            when = _(
                "*%(question)s* Opened %(opened)s, closed %(closed)s; %(count)s.",
                question=question,
                opened=opened,
                closed=show(r.closed_at, timezone),
                count=count,
            )
        else:
            when = _(
                "*%(question)s* Opened %(opened)s (still open); %(count)s.",
                question=question,
                opened=opened,
                count=count,
            )
        lines += [
            "",
            _("## Vote %(id)s: %(title)s", id=r.id, title=md_text(r.title)),
            "",
            when,
            "",
            md_text(r.declared),
            "",
            "```",
            *(line.replace("`", "'") for line in result_lines(db, result)),
            "```",
            "",
        ]
        columns = count_columns(result)
        lines.append(_row([_("Rank"), _("Topic"), *(count_name(c) for c in columns)]))
        lines.append("|---" * (len(columns) + 2) + "|")
        for s in result.standings:
            cells = " | ".join(
                f"{s.counts.get(c, 0):.3f}"
                if not float(s.counts.get(c, 0)).is_integer()
                else f"{s.counts.get(c, 0):.0f}"
                for c in columns
            )
            lines.append(
                f"| {rank_label(s, result.standings)} | "
                f"{_markdown_cell(titles.get(s.option, s.option))} | {cells} |"
            )
        if "how_scored" in result.extra:
            lines += ["", working().text(result.extra["how_scored"])]
        voided = db.execute(
            "select count(*) from ballots where round_id = ? and voided_at is not null", [r.id]
        ).fetchone()[0]
        if voided:
            if r.method == "pairwise":
                note = _(
                    "%(voided)s answer entered by mistake were voided (kept in the record).",
                    voided=voided,
                )
            else:
                note = _(
                    "%(voided)s ballot entered by mistake were voided (kept in the record).",
                    voided=voided,
                )
            lines += ["", note]
    return "\n".join(lines) + "\n"
