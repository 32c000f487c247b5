"""`assembly topics`, `assembly vote`, `assembly agenda` and `assembly recommendations`: agenda
setting and recommendations from the command line (the same services the Facilitator screens use).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from assembly.core.i18n import N_, Number, _, in_words, ngettext
from assembly.core.terminal import echo

# A vote's and an agenda's state as the commands say them (the file keeps the English word):
# the vote's in the words of the Agenda tab's list of votes.
AGENDA_STATUS_WORDS = {"proposed": N_("proposed"), "final": N_("final")}


def _run(path: str, job: Callable[[Any, Any], Any]) -> Any:
    """Open the file, run `job(db, clock)`, turn refusals into a plain message and exit code 2."""
    from assembly.agenda.errors import AgendaError
    from assembly.core.cli_support import fail, open_or_fail

    assembly = open_or_fail(path)
    try:
        return job(assembly.db(), assembly.clock)
    except AgendaError as error:
        fail(str(error))
    finally:
        assembly.close()


def _ids(text: str, what: str) -> list[int]:
    from assembly.core.cli_support import fail

    out = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        try:
            out.append(int(part))
        except ValueError:
            fail(_("%(what)s: %(part)s is not a topic number.", what=what, part=repr(part)))
    return out


def _pairs(tokens: Sequence[str], what: str) -> dict[Any, int]:
    """'12=3' tokens -> {12: 3}; keys stay text when not numbers (choices like support=20)."""
    from assembly.core.cli_support import fail

    out: dict[Any, int] = {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep:
            fail(
                _(
                    "%(what)s: %(token)s should look like TOPIC=COUNT, e.g. 12=3.",
                    what=what,
                    token=repr(token),
                )
            )
        try:
            n = int(value)
        except ValueError:
            fail(
                _(
                    "%(what)s: in %(token)s, %(value)s is not a whole number.",
                    what=what,
                    token=repr(token),
                    value=repr(value),
                )
            )
        key = key.strip()
        out[int(key) if key.isdigit() else key] = n
    return out


FILE = click.argument("path", type=click.Path(dir_okay=False))


# --- topics --------------------------------------------------------------------------------------


@click.group("topics")
def topics_group() -> None:
    """Topics residents propose for the assembly to discuss."""


@topics_group.command("list")
@FILE
@click.option("--all", "show_all", is_flag=True, help="Include merged and withdrawn topics.")
@click.option("--report", is_flag=True, help="Hide proposers who asked to be anonymous.")
def topics_list(path: str, show_all: bool, report: bool) -> None:
    """List topics in the order they were proposed."""
    from assembly.agenda import topics

    def job(db, clock):
        for t in topics.list_topics(db, include_closed=show_all):
            if t.status == "open":
                state = ""
            elif t.merged_into_id:
                # in the words of the Topics tab
                state = f" [{_('merged into %(number)s', number=t.merged_into_id)}]"
            else:
                state = f" [{topics.status_label(t.status)}]"
            echo(f"{t.id:>4}  {t.title}{state} — {t.proposed_by(for_report=report)}")

    _run(path, job)


@topics_group.command("add")
@FILE
@click.argument("title")
@click.option("--description", default="")
@click.option("--member", type=int, default=None, help="Proposing panel member's number.")
@click.option("--by", "name", default=None, help="Name of a resident who is not a member.")
@click.option("--anonymous", is_flag=True, help="Hide the proposer in reports.")
def topics_add(
    path: str, title: str, description: str, member: int | None, name: str | None, anonymous: bool
) -> None:
    """Record a topic proposed live."""
    from assembly.agenda import topics

    topic_id = _run(
        path,
        lambda db, clock: topics.propose_topic(
            db,
            clock,
            title,
            description=description,
            member_number=member,
            proposer_name=name,
            anonymous=anonymous,
        ),
    )
    echo(_("Added topic %(topic)s.", topic=topic_id))


@topics_group.command("import")
@FILE
@click.argument("csv_path", type=click.Path(dir_okay=False))
def topics_import(path: str, csv_path: str) -> None:
    """Import submissions from a CSV (title; optional description, proposed_by, member_number,
    anonymous, channel). All rows or none."""
    from assembly.agenda import topics

    ids = _run(path, lambda db, clock: topics.import_topics_csv(db, clock, csv_path))
    echo(
        _(
            "Imported %(count)s topics (%(first)s–%(last)s).",
            count=len(ids),
            first=ids[0],
            last=ids[-1],
        )
    )


@topics_group.command("merge")
@FILE
@click.argument("keep", type=int)
@click.argument("duplicates", type=int, nargs=-1, required=True)
@click.option("--note", default="")
def topics_merge(path: str, keep: int, duplicates: tuple[int, ...], note: str) -> None:
    """Merge DUPLICATES into KEEP; every topic and its history stay on record."""
    from assembly.agenda import topics

    _run(path, lambda db, clock: topics.merge_topics(db, clock, keep, list(duplicates), note=note))
    echo(_("Merged %(topics)s into %(keep)s.", topics=", ".join(map(str, duplicates)), keep=keep))


@topics_group.command("report")
@FILE
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="Write here.")
def topics_report(path: str, out: str | None) -> None:
    """A Markdown report of topics (anonymous proposers hidden) and every vote's full counts."""

    from assembly.agenda.report import agenda_report

    def job(db, clock):
        tz = db.execute("select value from assembly_info where key = 'timezone'").fetchone()
        return agenda_report(db, tz[0] if tz else "Europe/London")  # not words

    text = _run(path, job)
    if out:
        from assembly.core.cli_support import write_text_or_fail

        write_text_or_fail(out, text)
        echo(_("Wrote %(path)s.", path=out))
    else:
        echo(text, nl=False)


@topics_group.command("history")
@FILE
@click.argument("topic_id", type=int)
def topics_history(path: str, topic_id: int) -> None:
    """What happened to a topic: proposed, edited, merged."""
    from assembly.agenda import topics

    def job(db, clock):
        for entry in topics.topic_history(db, topic_id):
            echo(f"{entry['at']}  {topics.history_in_words(entry)}")

    _run(path, job)


# --- votes ---------------------------------------------------------------------------------------


@click.group("vote")
def vote_group() -> None:
    """Prioritisation votes: method and tie rule declared when the vote opens."""


@vote_group.command("open")
@FILE
@click.option(
    "--method",
    type=click.Choice(["dot", "approval", "borda", "schulze", "pairwise"]),
    required=True,
)
@click.option("--tie-rule", type=click.Choice(["earliest", "lot"]), required=True)
@click.option("--dots", type=int, default=None, help="Dots per person (dot voting).")
@click.option("--topics", "topic_list", default=None, help="Topic numbers (default: all open).")
@click.option("--title", default="")
def vote_open(
    path: str, method: str, tie_rule: str, dots: int | None, topic_list: str | None, title: str
) -> None:
    """Open a vote, declaring its method and tie rule before anyone votes."""
    from assembly.agenda import rounds

    chosen = _ids(topic_list, "--topics") if topic_list else None

    def job(db, clock):
        round_id = rounds.open_round(
            db,
            clock,
            method=method,
            tie_rule=tie_rule,
            title=title,
            topic_ids=chosen,
            dots_per_voter=dots,
        )
        return round_id, rounds.get_round(db, round_id).declared

    round_id, declared = _run(path, job)
    echo(_("Opened vote %(vote)s. %(declared)s", vote=round_id, declared=declared))


@vote_group.command("ballot")
@FILE
@click.argument("round_id", type=int)
@click.argument("marks", nargs=-1, required=True)
@click.option("--voter", default=None, help="Who or which paper (kept with the ballot).")
def vote_ballot(path: str, round_id: int, marks: tuple[str, ...], voter: str | None) -> None:
    """Record one ballot. Ranked: topic numbers best first (3,1,2). Approval: ticked topics
    (1,4). Dots: TOPIC=DOTS (1=2 4=1)."""
    from assembly.agenda import rounds

    def job(db, clock):
        current = rounds.get_round(db, round_id)
        if current.method == "dot":
            ballot: Any = _pairs(marks, _("Vote %(vote)s", vote=round_id))
        else:
            ballot = _ids(",".join(marks), _("Vote %(vote)s", vote=round_id))
        return rounds.record_ballot(db, clock, round_id, ballot, voter=voter)

    _run(path, job)
    echo(_("Ballot recorded."))


@vote_group.command("tally")
@FILE
@click.argument("round_id", type=int)
@click.argument("totals", nargs=-1, required=True)
@click.option("--papers", type=int, required=True, help="How many paper sheets were counted.")
def vote_tally(path: str, round_id: int, totals: tuple[str, ...], papers: int) -> None:
    """Record totals counted from paper: TOPIC=COUNT for each topic (dot or approval votes)."""
    from assembly.agenda import rounds

    counts = _pairs(totals, _("Vote %(vote)s tally", vote=round_id))
    _run(path, lambda db, clock: rounds.record_tally(db, clock, round_id, counts, papers=papers))
    echo(_("Tally recorded."))


@vote_group.command("choose")
@FILE
@click.argument("round_id", type=int)
@click.argument("chosen", type=int)
@click.argument("other", type=int)
def vote_choose(path: str, round_id: int, chosen: int, other: int) -> None:
    """Record one "Which matters more?" answer: CHOSEN over OTHER."""
    from assembly.agenda import rounds

    _run(path, lambda db, clock: rounds.record_choice(db, clock, round_id, chosen, other))
    echo(_("Choice recorded."))


@vote_group.command("void")
@FILE
@click.argument("round_id", type=int)
@click.option("--ballot", "ballot_id", type=int, default=None, help="Default: the last one.")
@click.option("--reason", required=True, help="Why it is void (kept in the record).")
def vote_void(path: str, round_id: int, ballot_id: int | None, reason: str) -> None:
    """Void a ballot entered by mistake: it stays in the file, marked void, and stops counting."""
    from assembly.agenda import rounds
    from assembly.agenda.errors import AgendaError

    def job(db, clock):
        from assembly.store import write_transaction

        with write_transaction(db):  # "the last one" is looked up under the same write lock
            if ballot_id is None:
                last = rounds.last_ballot(db, round_id)
                if last is None:
                    raise AgendaError(_("Vote %(vote)s has no ballots to void.", vote=round_id))
                target = last.id
            else:
                target = ballot_id
            rounds.void_ballot(db, clock, round_id, target, reason=reason)
        return target

    voided = _run(path, job)
    echo(_("Voided ballot %(ballot)s.", ballot=voided))


@vote_group.command("results")
@FILE
@click.argument("round_id", type=int)
def vote_results(path: str, round_id: int) -> None:
    """The count so far (or the final result): full counts, bars and ties with their rule."""
    from assembly.agenda import rounds, voting

    def job(db, clock):
        current = rounds.get_round(db, round_id)
        result = rounds.round_result(db, round_id)
        echo(
            ngettext(
                "Vote %(vote)s: %(title)s (%(status)s), %(num)s ballot",
                "Vote %(vote)s: %(title)s (%(status)s), %(num)s ballots",
                result.ballots,
                vote=round_id,
                title=current.title,
                status=rounds.status_in_words(current.status),
                num=Number(result.ballots),
            )
        )
        echo(current.declared)
        for line in rounds.result_lines(db, result):
            echo(line)
        columns = rounds.count_columns(result)
        echo("")
        echo("\t".join([_("Topic"), *(voting.count_name(c) for c in columns)]))
        for s in result.standings:
            values = "\t".join(f"{s.counts.get(c, 0):g}" for c in columns)
            echo(f"{s.option}\t{values}")

    _run(path, job)


@vote_group.command("close")
@FILE
@click.argument("round_id", type=int)
def vote_close(path: str, round_id: int) -> None:
    """Close the vote and keep its result in the file."""
    from assembly.agenda import rounds

    def job(db, clock):
        result = rounds.close_round(db, clock, round_id)
        return rounds.result_lines(db, result)

    for line in _run(path, job):
        echo(line)


@vote_group.command("list")
@FILE
def vote_list(path: str) -> None:
    """Every prioritisation vote with its declared rules."""
    from assembly.agenda import rounds

    def job(db, clock):
        for r in rounds.list_rounds(db):
            line = ngettext(
                "%(title)s [%(status)s] %(num)s ballot — %(declared)s",
                "%(title)s [%(status)s] %(num)s ballots — %(declared)s",
                r.ballots,
                title=r.title,
                status=rounds.status_in_words(r.status),
                num=Number(r.ballots),
                declared=r.declared,
            )
            echo(f"{r.id:>3}  {line}")

    _run(path, job)


# --- agenda --------------------------------------------------------------------------------------


@click.group("agenda")
def agenda_group() -> None:
    """Timed agendas built from the residents' ranking."""


@agenda_group.command("build")
@FILE
@click.option("--round", "round_id", type=int, required=True, help="The prioritisation vote.")
@click.option("--minutes", type=int, required=True, help="The session's length.")
@click.option("--session", "session_id", type=int, default=None)
@click.option("--break-every", type=int, default=90, show_default=True)
@click.option("--evidence", type=int, default=15, show_default=True, help="Evidence slot minutes.")
@click.option("--witnesses", type=int, default=1, show_default=True, help="Topics with a witness.")
def agenda_build(
    path: str,
    round_id: int,
    minutes: int,
    session_id: int | None,
    break_every: int,
    evidence: int,
    witnesses: int,
) -> None:
    """Propose and save a timed agenda for a session."""
    from assembly.agenda import builder as ab

    settings = ab.AgendaSettings(
        session_minutes=minutes,
        work_between_breaks=break_every,
        evidence_minutes=evidence,
        witness_topics=witnesses,
    )

    def job(db, clock):
        proposal = ab.propose_agenda(ab.ranked_topics(db, round_id), settings)
        pid = ab.save_proposal(
            db, clock, proposal, settings, session_id=session_id, round_id=round_id
        )
        return pid, proposal

    pid, proposal = _run(path, job)
    echo(
        _(
            "Proposed agenda %(agenda)s (%(minutes)s minutes):",
            agenda=pid,
            minutes=proposal.total_minutes,
        )
    )
    for item in proposal.items:
        rank = (
            "  " + _("(residents' rank %(rank)s)", rank=item.residents_rank)
            if item.residents_rank
            else ""
        )
        minutes = _("%(minutes)s min", minutes=format(item.minutes, ">3"))
        echo(f"  +{item.starts_after:>3}  {minutes}  {item.title}{rank}")
    for topic in proposal.left_out:
        echo(
            "  "
            + _(
                "Not enough time for: %(title)s (rank %(rank)s)",
                title=topic.title,
                rank=topic.rank,
            )
        )


@agenda_group.command("move")
@FILE
@click.argument("proposal_id", type=int)
@click.argument("position", type=int)
@click.argument("to_position", type=int)
def agenda_move(path: str, proposal_id: int, position: int, to_position: int) -> None:
    """Move item POSITION to TO_POSITION (the residents' ranking stays on record)."""
    from assembly.agenda import builder as ab

    _run(path, lambda db, clock: ab.move_item(db, proposal_id, position, to_position))
    echo(_("Moved."))


@agenda_group.command("order")
@FILE
@click.argument("proposal_id", type=int)
@click.argument("order")
def agenda_order(path: str, proposal_id: int, order: str) -> None:
    """Set the whole order at once: current item numbers in their new order, e.g. 1,4,5,2,3,6."""
    from assembly.agenda import builder as ab

    positions = _ids(order, _("Order"))
    _run(path, lambda db, clock: ab.set_order(db, proposal_id, positions))
    echo(_("Reordered."))


@agenda_group.command("show")
@FILE
@click.argument("proposal_id", type=int)
def agenda_show(path: str, proposal_id: int) -> None:
    """The agenda, final order beside the builder's order and the residents' rank."""
    from assembly.agenda import builder as ab

    proposal = _run(path, lambda db, clock: ab.get_proposal(db, proposal_id))
    echo(
        _(
            "Agenda %(agenda)s [%(status)s], %(minutes)s minutes",
            agenda=proposal.id,
            status=in_words(AGENDA_STATUS_WORDS, proposal.status),
            minutes=proposal.session_minutes,
        )
    )
    echo("\t".join([_("Order"), _("Proposed"), _("Residents' rank"), _("Minutes"), _("Item")]))
    for i in proposal.items:
        rank = i.residents_rank if i.residents_rank is not None else "—"
        echo(f"{i.position}\t{i.proposed_position}\t{rank}\t{i.minutes}\t{i.title}")


@agenda_group.command("final")
@FILE
@click.argument("proposal_id", type=int)
@click.option("--session", "session_id", type=int, default=None)
def agenda_final(path: str, proposal_id: int, session_id: int | None) -> None:
    """Make the agenda final: it becomes the session's agenda."""
    from assembly.agenda import builder as ab

    _run(path, lambda db, clock: ab.finalise_proposal(db, clock, proposal_id, session_id))
    echo(_("Agenda %(agenda)s is now the session's agenda.", agenda=proposal_id))


# --- recommendations -----------------------------------------------------------------------------


@click.group("recommendations")
def recommendations_group() -> None:
    """Recommendations and their votes (scale, threshold and quorum declared first)."""


@recommendations_group.command("draft")
@FILE
@click.argument("title")
@click.option("--text", default="")
@click.option("--idea", "ideas", type=int, multiple=True, help="An idea it grew from (repeat).")
def recommendations_draft(path: str, title: str, text: str, ideas: tuple[int, ...]) -> None:
    """Draft a recommendation from members' ideas."""
    from assembly.agenda import recommendations as rec

    rec_id = _run(
        path, lambda db, clock: rec.draft_recommendation(db, clock, title, text, idea_ids=ideas)
    )
    echo(_("Drafted recommendation %(recommendation)s.", recommendation=rec_id))


@recommendations_group.command("list")
@FILE
def recommendations_list(path: str) -> None:
    """Every recommendation and where it stands."""
    from assembly.agenda import recommendations as rec

    def job(db, clock):
        for r in rec.list_recommendations(db):
            vote = rec.current_vote(db, r.id)
            status = rec.status_words(r.status)
            if vote:
                line = _(
                    "[%(status)s] %(title)s — vote %(vote)s: %(summary)s",
                    status=status,
                    title=r.title,
                    vote=vote.id,
                    summary=rec.vote_outcome(db, vote.id).summary,
                )
            else:
                line = f"[{status}] {r.title}"
            echo(f"{r.id:>3}  {line}")

    _run(path, job)


@recommendations_group.command("open-vote")
@FILE
@click.argument("rec_id", type=int)
@click.option(
    "--scale",
    type=click.Choice(["support_oppose", "support_oppose_abstain", "five_point"]),
    required=True,
)
@click.option("--threshold", required=True, help="Support needed to pass, e.g. 80%.")
@click.option("--quorum", type=int, required=True, help="Fewest voters for a valid vote.")
def recommendations_open_vote(
    path: str, rec_id: int, scale: str, threshold: str, quorum: int
) -> None:
    """Open the vote, declaring scale, threshold and quorum before anyone votes."""
    from assembly.agenda import recommendations as rec

    def job(db, clock):
        vote_id = rec.open_vote(db, clock, rec_id, scale=scale, threshold=threshold, quorum=quorum)
        return vote_id, rec.get_vote(db, vote_id).declared

    vote_id, declared = _run(path, job)
    echo(_("Opened vote %(vote)s. %(declared)s", vote=vote_id, declared=declared))


@recommendations_group.command("count")
@FILE
@click.argument("vote_id", type=int)
@click.argument("counts", nargs=-1, required=True)
def recommendations_count(path: str, vote_id: int, counts: tuple[str, ...]) -> None:
    """Add a hand count: CHOICE=N for each choice (e.g. support=20 oppose=3)."""
    from assembly.agenda import recommendations as rec

    parsed = {str(k): v for k, v in _pairs(counts, _("Vote %(vote)s", vote=vote_id)).items()}
    _run(path, lambda db, clock: rec.record_votes(db, clock, vote_id, parsed))
    echo(_("Counted."))


@recommendations_group.command("void")
@FILE
@click.argument("vote_id", type=int)
@click.option("--reason", required=True, help="Why it is void (kept in the record).")
def recommendations_void(path: str, vote_id: int, reason: str) -> None:
    """Void the last count entered (it stays in the file, marked void)."""
    from assembly.agenda import recommendations as rec

    voided = _run(path, lambda db, clock: rec.void_last_count(db, clock, vote_id, reason=reason))
    echo(_("Voided: %(counts)s", counts=", ".join(f"{c} {n}" for c, n in voided.items())))


@recommendations_group.command("close")
@FILE
@click.argument("vote_id", type=int)
def recommendations_close(path: str, vote_id: int) -> None:
    """Close the vote; a passed recommendation goes into the feedback log."""
    from assembly.agenda import recommendations as rec

    def job(db, clock):
        return rec.outcome_lines(rec.close_vote(db, clock, vote_id))

    for line in _run(path, job):
        echo(line)


COMMANDS = [topics_group, vote_group, agenda_group, recommendations_group]
