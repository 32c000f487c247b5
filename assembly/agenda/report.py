"""The agenda-setting report: every topic and every vote, in Markdown for residents and the
council."""

from __future__ import annotations

from sqlite_utils import Database

from assembly.agenda.rounds import count_columns, list_rounds, result_lines, round_result
from assembly.agenda.topics import list_topics
from assembly.agenda.voting import rank_label
from assembly.core.safe_output import md_cell, md_text
from assembly.core.words import counted

_markdown_cell = md_cell


def agenda_report(db: Database, timezone: str = "Europe/London") -> str:
    """A Markdown report for residents and the council: every topic with who proposed it
    (Anonymous where they asked), merges, and each vote's declared rules, full counts and ties.
    Proposers who are panel members are named only by their own choice of anonymity."""
    from assembly.core.clock import show

    lines = ["# Agenda setting: topics and votes", ""]
    every = list_topics(db, include_closed=True)
    titles = {t.id: t.title for t in every}
    lines += [
        "## Topics proposed",
        "",
        "| No. | Topic | Proposed by | How | Status |",
        "|---|---|---|---|---|",
    ]
    for t in every:
        how = "in a session" if t.source == "live" else (t.source_ref or "submission")
        status = f"merged into {t.merged_into_id}" if t.status == "merged" else t.status
        lines.append(
            f"| {t.id} | {_markdown_cell(t.title)} | {_markdown_cell(t.proposed_by(for_report=True))} "
            f"| {_markdown_cell(how)} | {status} |"
        )
    for r in list_rounds(db):
        result = round_result(db, r.id)
        noun = "answer" if r.method == "pairwise" else "ballot"
        lines += [
            "",
            f"## Vote {r.id}: {md_text(r.title)}",
            "",
            f"*{md_text(r.question)}* Opened {show(r.opened_at, timezone)}"
            + (f", closed {show(r.closed_at, timezone)}" if r.closed_at else " (still open)")
            + f"; {counted(result.ballots, noun)}.",
            "",
            md_text(r.declared),
            "",
            "```",
            *(line.replace("`", "'") for line in result_lines(db, result)),
            "```",
            "",
        ]
        columns = count_columns(result)
        lines.append("| Rank | Topic | " + " | ".join(columns) + " |")
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
            lines += ["", result.extra["how_scored"]]
        voided = db.execute(
            "select count(*) from ballots where round_id = ? and voided_at is not null", [r.id]
        ).fetchone()[0]
        if voided:
            lines += ["", f"{voided} {noun} entered by mistake were voided (kept in the record)."]
    return "\n".join(lines) + "\n"
