"""`assembly budget ...`: count a Pabulib file with no assembly file (`budget count`), and run
a PB round inside an assembly file (`budget round/project/ballot/import/count-round/override/
deliver/publish`), through the same services the Budgets screen uses.

Exit codes: 0 done, 1 a tie the rule refuses to break, 2 bad input or a refusal (a plain
message, never a traceback).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import click

from assembly.core.i18n import _, ngettext
from assembly.core.terminal import echo


@click.group("budget")
def budget_group() -> None:
    """Participatory budgeting: count Pabulib (.pb) files, and run a PB round in an assembly."""


def _amount(text: str, option: str) -> Fraction:
    from assembly.budgets.pbfile import PBFileError, parse_amount
    from assembly.core.cli_support import fail

    try:
        return parse_amount(text, path=option, line=0, column=option)
    except PBFileError:
        fail(_("%(option)s: '%(text)s' is not a number", option=option, text=text))
        raise


@budget_group.command("count")
@click.argument("pb_file", type=click.Path(dir_okay=False))
@click.option(
    "--rule",
    default=None,
    help="greedy, greedy-no-skip, greedy-threshold, "
    "greedy-exclusive, mes, mes-add1, mes-utilitarian, mes-add1-utilitarian "
    "(default: the file's rule).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the result (JSON).",
)
@click.option(
    "--utility",
    type=click.Choice(["cost", "cardinality"]),
    default="cost",
    show_default=True,
    help="MES: a voter's utility from a project.",
)
@click.option(
    "--increment",
    default="1",
    show_default=True,
    help="Add1: how much each voter's share grows per step.",
)
@click.option("--stop-when-exhaustive", is_flag=True, help="Add1: stop at an exhaustive outcome.")
@click.option("--whole-unit-start", is_flag=True, help="Add1: start from B/n rounded down.")
@click.option(
    "--compare-with-greedy",
    is_flag=True,
    help="MES: take greedy's outcome if more voters prefer it.",
)
@click.option("--threshold", default=None, help="Greedy: least score (default: the file's).")
@click.option(
    "--exclusive",
    multiple=True,
    help="Greedy-exclusive: comma-separated ids of "
    "projects of which at most one is funded (repeat for each group).",
)
@click.option(
    "--ties",
    default="cost,votes,lot",
    show_default=True,
    help="Tie order (keys from cost, votes, lot), or 'refuse'.",
)
@click.option("--seed", default="0", show_default=True, help="Public seed for the lot.")
def count_command(
    pb_file: str,
    rule: str | None,
    out: str,
    utility: str,
    increment: str,
    stop_when_exhaustive: bool,
    whole_unit_start: bool,
    compare_with_greedy: bool,
    threshold: str | None,
    exclusive: tuple[str, ...],
    ties: str,
    seed: str,
) -> None:
    """Count PB_FILE and write the selected projects, the money and every project's
    explanation to --out."""
    from assembly.budgets.pbfile import PBFileError, read_pb
    from assembly.budgets.report import outcome_json
    from assembly.budgets.results import count_problem
    from assembly.budgets.rules import RuleError, RuleSpec, count, default_rule
    from assembly.budgets.ties import TIE_KEYS, TieError, TieOrder
    from assembly.core.cli_support import fail, write_text_or_fail

    if ties.strip() == "refuse":
        order = TieOrder(refuse=True, seed=seed)
    else:
        keys = tuple(k.strip() for k in ties.split(",") if k.strip())
        if not keys or any(k not in TIE_KEYS for k in keys):
            fail(
                _(
                    "--ties: '%(ties)s' is not 'refuse' or keys from %(keys)s",
                    ties=ties,
                    keys=", ".join(TIE_KEYS),
                )
            )
        order = TieOrder(keys=keys, seed=seed)
    try:
        election = read_pb(pb_file)
    except PBFileError as error:
        fail(str(error))
        return
    name = rule or default_rule(election).name
    spec = RuleSpec(
        name,
        utility=utility,
        increment=_amount(increment, "--increment"),
        stop_when_exhaustive=stop_when_exhaustive,
        whole_unit_start=whole_unit_start,
        compare_with_greedy=compare_with_greedy,
        threshold=None if threshold is None else _amount(threshold, "--threshold"),
        exclusive=tuple(frozenset(g.split(",")) for g in exclusive),
        ties=order,
    )
    try:
        outcome = count(election, spec)
    except TieError as error:
        fail(
            _(
                "%(path)s: %(error)s. Nothing was written.",
                path=pb_file,
                error=count_problem(error),
            ),
            code=1,
        )
        return
    except RuleError as error:
        fail(count_problem(error))
        return
    write_text_or_fail(out, json.dumps(outcome_json(outcome), indent=2, ensure_ascii=False) + "\n")
    echo(
        _(
            "Counted %(path)s by %(rule)s: %(count)s projects funded, %(spent)s of %(budget)s "
            "spent. Wrote %(out)s.",
            path=pb_file,
            rule=spec.name,
            count=len(outcome.selected),
            spent=format(float(outcome.spent), ",.2f"),
            budget=format(float(outcome.budget), ",.2f"),
            out=out,
        )
    )


# --- a PB round in an assembly file ------------------------------------------------------------

FILE = click.argument("path", type=click.Path(dir_okay=False))
ROUND = click.option(
    "--round", "round_id", type=int, default=None, help="Which round (default: the latest)."
)
ACTOR = click.option(
    "--actor", default="organiser", show_default=True, help="Who is doing this (kept on record)."
)


def _run(path: str, round_id: int | None, job: Callable[[Any, Any, int], Any]) -> Any:
    """Open the file, find the round, run `job(db, clock, round_id)`; a refusal is a plain
    message and exit 2."""
    from assembly.budgets.errors import BudgetError
    from assembly.budgets.rounds import list_rounds
    from assembly.core.cli_support import fail, open_or_fail

    assembly = open_or_fail(path)
    try:
        db = assembly.db()
        if round_id is None:
            existing = list_rounds(db)
            if not existing:
                fail(
                    _(
                        "%(path)s has no PB round yet: make one with 'assembly budget round new'.",
                        path=path,
                    )
                )
            round_id = existing[-1].id
        return job(db, assembly.clock, round_id)
    except BudgetError as error:
        fail(str(error))
    finally:
        assembly.close()


def _pence(text: str, what: str) -> int:
    from assembly.budgets.errors import BudgetError
    from assembly.budgets.rounds import parse_pence
    from assembly.core.cli_support import fail

    try:
        return parse_pence(text, what)
    except BudgetError as error:
        fail(str(error))
        raise


@budget_group.group("round")
def round_group() -> None:
    """A PB round: its budget, counting rule and ballot form."""


@round_group.command("new")
@FILE
@click.option("--title", required=True, help="The round's name, e.g. 'Greenfield 2027'.")
@click.option("--budget", "budget", required=True, help="The money to share, e.g. 50000.")
@click.option("--currency", default="GBP", show_default=True)
@click.option("--rule", required=True, help="How the count works: greedy, mes, mes-add1, ...")
@click.option(
    "--form",
    "ballot_form",
    type=click.Choice(["approval", "points", "knapsack"]),
    default="approval",
    show_default=True,
    help="The ballot: tick projects, share points, or choose within the budget.",
)
@click.option("--min-projects", type=int, default=None, help="Least projects on a ballot.")
@click.option("--max-projects", type=int, default=None, help="Most projects on a ballot.")
@click.option("--points", "points_per_voter", type=int, default=None, help="Points per voter.")
@click.option("--seed", default="0", show_default=True, help="Public seed for the tie lot.")
def round_new(
    path: str,
    title: str,
    budget: str,
    currency: str,
    rule: str,
    ballot_form: str,
    min_projects: int | None,
    max_projects: int | None,
    points_per_voter: int | None,
    seed: str,
) -> None:
    """Declare a new PB round (locked once voting opens)."""
    from assembly.budgets import rounds

    budget_pence = _pence(budget, "--budget")

    def job(db, clock, _round):
        rid = rounds.create_round(
            db,
            title=title,
            budget_pence=budget_pence,
            currency=currency,
            rule=rule,
            ballot_form=ballot_form,
            min_projects=min_projects,
            max_projects=max_projects,
            points_per_voter=points_per_voter,
            tie_seed=seed,
            clock=clock,
        )
        r = rounds.get_round(db, rid)
        echo(
            _(
                "Made PB round %(round)s: %(title)s, %(budget)s, counted by %(rule)s.",
                round=rid,
                title=r.title,
                budget=r.budget,
                rule=r.rule,
            )
        )
        echo(_("Ballot: %(form)s.", form=r.describe_form()))

    _run(path, 0, job)  # a new round: no round to look up


@round_group.command("show")
@FILE
@ROUND
def round_show(path: str, round_id: int | None) -> None:
    """The round's rules, projects, ballots and paper ballots still to resolve."""
    from assembly.budgets import ballots, rounds

    def job(db, clock, rid):
        r = rounds.get_round(db, rid)
        echo(
            _(
                "PB round %(round)s: %(title)s (%(state)s)",
                round=r.id,
                title=r.title,
                state=_(rounds.ROUND_LABELS[r.status]),
            )
        )
        echo(
            _(
                "Budget %(budget)s; counted by %(rule)s; ballot: %(form)s.",
                budget=r.budget,
                rule=r.rule,
                form=r.describe_form(),
            )
        )
        if r.locked:
            echo(_("The budget, rule and ballot form are locked: voting has opened."))
        projects = rounds.list_projects(db, rid)
        echo(
            _(
                "%(projects)s projects, %(ballots)s ballots",
                projects=len(projects),
                ballots=len(ballots.current_ballots(db, rid)),
            )
        )
        replaced = ballots.replaced_count(db, rid)
        if replaced:
            echo(
                _(
                    "%(count)s earlier ballots were replaced by their voters' later ones.",
                    count=replaced,
                )
            )
        waiting = ballots.papers_waiting(db, rid)
        if waiting:
            echo(
                _(
                    "Paper ballots typed once, waiting for a second person: %(papers)s",
                    papers=", ".join(waiting),
                )
            )
        for mismatch in ballots.paper_mismatches(db, rid):
            echo(_("Paper ballot %(paper)s: the entries disagree:", paper=mismatch.paper))
            for entry in mismatch.entries:
                marks = ", ".join(f"{k}={v}" for k, v in entry.marks.items())
                echo(f"  {entry.entered_by}: {marks}")

    _run(path, round_id, job)


def _round_state(change: str) -> Callable[..., None]:
    def command(path: str, round_id: int | None) -> None:
        from assembly.budgets import rounds

        def job(db, clock, rid):
            r = (rounds.open_voting if change == "open" else rounds.close_voting)(
                db, rid, clock=clock
            )
            echo(
                _(
                    "PB round %(round)s: %(state)s.",
                    round=r.id,
                    state=_(rounds.ROUND_LABELS[r.status]).lower(),
                )
            )

        _run(path, round_id, job)

    return command


round_group.command("open", help="Open voting: the budget, rule, form and projects lock.")(
    ROUND(FILE(_round_state("open")))
)
round_group.command("close", help="Close voting: no more ballots; the round can be counted.")(
    ROUND(FILE(_round_state("close")))
)


@budget_group.group("project")
def project_group() -> None:
    """Projects proposed for a PB round and their feasibility review."""


@project_group.command("add")
@FILE
@click.argument("title")
@click.option("--cost", required=True, help="What it costs, e.g. 12500.")
@click.option("--area", default="", help="Where (ward, neighbourhood).")
@click.option("--category", default="", help="What kind (parks, transport, ...).")
@click.option("--proposer", default=None, help="Who proposed it (leave out to stay anonymous).")
@ROUND
@ACTOR
def project_add(
    path: str,
    title: str,
    cost: str,
    area: str,
    category: str,
    proposer: str | None,
    round_id: int | None,
    actor: str,
) -> None:
    """Propose a project for the round."""
    from assembly.budgets import rounds
    from assembly.core.money import show_money

    cost_pence = _pence(cost, "--cost")

    def job(db, clock, rid):
        p = rounds.add_project(
            db,
            rid,
            title=title,
            cost_pence=cost_pence,
            area=area,
            category=category,
            proposer=proposer,
            actor=actor,
            clock=clock,
        )
        money = show_money(p.cost, rounds.get_round(db, rid).currency)
        echo(
            _(
                "Added project %(ref)s: %(title)s, %(money)s (proposed).",
                ref=p.ref,
                title=p.title,
                money=money,
            )
        )

    _run(path, round_id, job)


@project_group.command("review")
@FILE
@click.argument("project")
@click.option(
    "--status",
    required=True,
    type=click.Choice(["proposed", "feasible", "not_feasible", "withdrawn"]),
)
@click.option("--reason", default="", help="Why (needed for not feasible, withdrawn, a new cost).")
@click.option("--revised-cost", default=None, help="The cost after review.")
@ROUND
@ACTOR
def project_review(
    path: str,
    project: str,
    status: str,
    reason: str,
    revised_cost: str | None,
    round_id: int | None,
    actor: str,
) -> None:
    """Record a project's feasibility review."""
    from assembly.budgets import rounds
    from assembly.core.money import show_money

    revised = None if revised_cost is None else _pence(revised_cost, "--revised-cost")  # not words

    def job(db, clock, rid):
        p = rounds.review_project(
            db,
            rid,
            project,
            status=status,
            reason=reason,
            revised_cost_pence=revised,
            actor=actor,
            clock=clock,
        )
        money = show_money(p.cost, rounds.get_round(db, rid).currency)
        echo(
            _(
                "Project %(ref)s: %(status)s, %(money)s.",
                ref=p.ref,
                status=p.status_label,
                money=money,
            )
        )

    _run(path, round_id, job)


@project_group.command("list")
@FILE
@ROUND
def project_list(path: str, round_id: int | None) -> None:
    """The round's projects, their cost and review."""
    from assembly.budgets import rounds
    from assembly.core.money import show_money

    def job(db, clock, rid):
        r = rounds.get_round(db, rid)
        for p in rounds.list_projects(db, rid):
            where = f" [{p.area}]" if p.area else ""
            why = f": {p.reason}" if p.reason else ""
            echo(
                f"{p.ref}\t{p.title}{where}\t{show_money(p.cost, r.currency)}\t"
                f"{p.status_label}{why}\t{p.proposer_shown}"
            )

    _run(path, round_id, job)


@budget_group.group("ballot")
def ballot_group() -> None:
    """Ballots for a PB round."""


@ballot_group.command("add")
@FILE
@click.argument("marks")
@click.option("--voter", default=None, help="The voter's code.")
@click.option("--member", "member_number", type=int, default=None, help="A panel member's number.")
@click.option("--paper", default=None, help="A paper ballot's number (typed in twice).")
@click.option("--entered-by", default=None, help="Who is typing the paper ballot in.")
@ROUND
def ballot_add(
    path: str,
    marks: str,
    voter: str | None,
    member_number: int | None,
    paper: str | None,
    entered_by: str | None,
    round_id: int | None,
) -> None:
    """Record a ballot. MARKS lists projects ('1,3,5'), or points for a points ballot ('1=40,2=60')."""
    from assembly.budgets import ballots, rounds
    from assembly.core.cli_support import fail

    given = [x is not None for x in (voter, member_number, paper)]
    if sum(given) != 1:
        fail(_("Give exactly one of --voter, --member or --paper."))
    if paper is not None and not entered_by:
        fail(_("A paper ballot needs --entered-by: who is typing it in."))

    def job(db, clock, rid):
        parsed = ballots.parse_marks(marks, rounds.get_round(db, rid).ballot_form)
        if paper is not None:
            done = ballots.enter_paper(
                db, rid, paper=paper, entered_by=entered_by, marks=parsed, clock=clock
            )
            if done.state == "waiting":
                said = _(
                    "Paper ballot %(paper)s typed once; it counts when someone else types it in "
                    "and the two agree.",
                    paper=paper,
                )
            elif done.state == "counted":
                said = _(
                    "Paper ballot %(paper)s agrees with an earlier entry: it counts.", paper=paper
                )
            elif done.state == "mismatch":
                said = _(
                    "Paper ballot %(paper)s does not agree with the earlier entry: check the "
                    "paper and type it in again (see 'budget round show').",
                    paper=paper,
                )
            else:
                raise KeyError(done.state)
            echo(said)
            return
        replaced = ballots.cast_ballot(
            db, rid, voter=voter, member_number=member_number, marks=parsed, clock=clock
        )
        echo(_("Ballot replaced the voter's earlier one.") if replaced else _("Ballot recorded."))

    _run(path, round_id, job)


TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".ods")


@budget_group.command("import")
@FILE
@click.argument("source", type=click.Path(dir_okay=False))
@ROUND
@ACTOR
def import_command(path: str, source: str, round_id: int | None, actor: str) -> None:
    """Put a .pb file's projects and votes into a round being set up, or an online platform's
    ballots (a CSV with one row per voter: voter_id, and vote listing the chosen project ids;
    points for a points ballot) into a round whose voting is open."""
    from pathlib import Path

    from assembly.budgets import ballots
    from assembly.core.cli_support import fail

    suffix = Path(source).suffix.lower()
    if suffix not in (".pb", *TABLE_SUFFIXES):
        fail(
            _(
                "%(path)s: import a Pabulib .pb file or a table of ballots (.csv, .xlsx, .ods).",
                path=source,
            )
        )

    def job(db, clock, rid):
        if suffix == ".pb":
            done = ballots.import_pb(db, rid, source, actor=actor, clock=clock)
            echo(
                _(
                    "Imported %(projects)s projects and %(ballots)s ballots from %(path)s into "
                    "round %(round)s.",
                    projects=done.projects,
                    ballots=done.ballots,
                    path=source,
                    round=rid,
                )
            )
            return
        votes = ballots.import_votes_table(db, rid, source, clock=clock)
        if votes.replaced:
            said = _(
                "Imported %(ballots)s ballots from %(path)s into round %(round)s (%(replaced)s "
                "replaced the same voters' earlier ones).",
                ballots=votes.ballots,
                path=source,
                round=rid,
                replaced=votes.replaced,
            )
        else:
            said = _(
                "Imported %(ballots)s ballots from %(path)s into round %(round)s.",
                ballots=votes.ballots,
                path=source,
                round=rid,
            )
        echo(said)

    _run(path, round_id, job)


@budget_group.group("codes")
def codes_group() -> None:
    """Voter codes for residents who walk in on the decision day: one ballot per code."""


@codes_group.command("issue")
@FILE
@click.option("--count", type=click.IntRange(1, 5000), required=True, help="How many codes.")
@click.option(
    "--cards", type=click.Path(dir_okay=False), default=None, help="Printable cards (HTML)."
)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, help="A CSV.")
@click.option(
    "--url", default="the address shown on the screen", help="Room address printed on cards."
)
@ROUND
def codes_issue(
    path: str, count: int, cards: str | None, csv_path: str | None, url: str, round_id: int | None
) -> None:
    """Make COUNT voter codes for the round and print them as cards. The codes are readable
    only in what is written now: the file keeps a fingerprint of each."""
    from assembly.agenda.room import budget as phones
    from assembly.agenda.room import submissions as room
    from assembly.budgets import codes, rounds
    from assembly.core.cli_support import fail, write_text_or_fail
    from assembly.store.database import write_transaction

    if not cards and not csv_path:
        fail(_("Say where to write the codes: --cards FILE.html and/or --csv FILE.csv."))

    def job(db, clock, rid):
        # the codes are kept only if the cards and CSV were written: one transaction
        with write_transaction(db):
            issued = codes.issue_voter_codes(db, rid, count, clock=clock)
            title = rounds.get_round(db, rid).title
            name = db.execute("select value from assembly_info where key = 'name'").fetchone()
            if cards:
                html = phones.voter_cards_html(
                    issued,
                    assembly_name=name[0] if name else "",
                    round_title=title,
                    url=url,
                    language=room.language(db),
                )
                write_text_or_fail(cards, html)
                echo(
                    _(
                        "Wrote %(count)s voter cards to %(path)s (readable by you only).",
                        count=len(issued),
                        path=cards,
                    )
                )
            if csv_path:
                write_text_or_fail(csv_path, phones.voter_cards_csv(issued, url))
                echo(_("Wrote the codes to %(path)s (readable by you only).", path=csv_path))
            echo(
                _(
                    "Issued voter cards %(first)s to %(last)s for round %(round)s. Keep the "
                    "printout safe until the cards are handed out.",
                    first=issued[0].number,
                    last=issued[-1].number,
                    round=rid,
                )
            )

    _run(path, round_id, job)


@codes_group.command("revoke")
@FILE
@click.argument("number", type=int)
@click.option("--reason", default="lost card", show_default=True)
@ROUND
def codes_revoke(path: str, number: int, reason: str, round_id: int | None) -> None:
    """Stop voter card NUMBER working (a lost card). A ballot it cast stays counted."""
    from assembly.budgets import codes

    def job(db, clock, rid):
        codes.revoke_voter_code(db, rid, number, clock=clock, reason=reason)
        echo(
            _("Voter card %(number)s of round %(round)s no longer works.", number=number, round=rid)
        )

    _run(path, round_id, job)


@codes_group.command("list")
@FILE
@ROUND
def codes_list(path: str, round_id: int | None) -> None:
    """Every voter card of the round: in force or stopped, and whether it voted (no codes)."""
    from assembly.budgets import codes

    def job(db, clock, rid):
        states = codes.card_states(db, rid)
        if not states:
            echo(_("Round %(round)s has no voter cards yet ('budget codes issue').", round=rid))
        for card in states:
            voted = "  " + _("voted") if card.voted else ""
            echo(f"{card.number:>5}  {card.state}{voted}")

    _run(path, round_id, job)


@budget_group.group("proposals")
def proposals_group() -> None:
    """Whether residents may propose projects for the round from their phones."""


@proposals_group.command("open")
@FILE
@ROUND
@ACTOR
def proposals_open(path: str, round_id: int | None, actor: str) -> None:
    """Let residents propose projects from the room (`assembly room`) while the round is set up."""
    from assembly.budgets import proposals

    def job(db, clock, rid):
        proposals.open_proposals(db, rid, clock=clock, actor=actor)
        echo(
            _(
                "Round %(round)s takes proposals from phones in the room; each waits for its "
                "feasibility review. Opening voting ends them.",
                round=rid,
            )
        )

    _run(path, round_id, job)


@proposals_group.command("close")
@FILE
@ROUND
def proposals_close(path: str, round_id: int | None) -> None:
    """Stop taking proposals from phones."""
    from assembly.budgets import proposals

    def job(db, clock, rid):
        proposals.close_proposals(db, rid)
        echo(_("Round %(round)s no longer takes proposals from phones.", round=rid))

    _run(path, round_id, job)


@budget_group.command("count-round")
@FILE
@ROUND
@ACTOR
def count_round_command(path: str, round_id: int | None, actor: str) -> None:
    """Count a closed round by its declared rule and keep the result with explanations."""
    from assembly.budgets import results
    from assembly.core.money import show_money

    def job(db, clock, rid):
        count_id = results.count_round(db, rid, actor=actor, clock=clock)
        result = results.published_result(db, rid)
        funded = [r for r in result.rows if r.computed]
        spent = show_money(result.computed_spent_pence, result.round.currency)
        echo(
            _(
                "Count %(count)s of round %(round)s (%(rule)s, %(ballots)s ballots): "
                "%(funded)s projects funded, %(spent)s of %(budget)s.",
                count=count_id,
                round=rid,
                rule=result.rule["name"],
                ballots=result.ballots,
                funded=len(funded),
                spent=spent,
                budget=result.round.budget,
            )
        )
        for row in result.rows:
            echo(f"{row.ref}. {row.title}: {row.explanation}")

    _run(path, round_id, job)


@budget_group.command("override")
@FILE
@click.argument("project")
@click.argument("action", type=click.Choice(["fund", "unfund"]))
@click.option("--reason", required=True, help="Why (published beside the result).")
@ROUND
@ACTOR
def override_command(
    path: str, project: str, action: str, reason: str, round_id: int | None, actor: str
) -> None:
    """Fund or unfund a project after the count, on the record."""
    from assembly.budgets import results

    def job(db, clock, rid):
        results.override(db, rid, project, action, reason=reason, actor=actor, clock=clock)
        if action == "fund":
            said = _(
                "Recorded: project %(project)s funded after the count, because: %(reason)s",
                project=project,
                reason=reason,
            )
        else:
            said = _(
                "Recorded: project %(project)s unfunded after the count, because: %(reason)s",
                project=project,
                reason=reason,
            )
        echo(said)

    _run(path, round_id, job)


@budget_group.command("deliver")
@FILE
@click.option("--body", required=True, help="Who delivers the funded projects.")
@click.option("--due", required=True, help="When a response is due (YYYY-MM-DD).")
@click.option(
    "--project",
    "projects",
    multiple=True,
    help="Only this funded project (repeat the option); the others can go to another body.",
)
@ROUND
@ACTOR
def deliver_command(
    path: str, body: str, due: str, projects: tuple[str, ...], round_id: int | None, actor: str
) -> None:
    """Track the funded projects in the feedback log, each with the body that delivers it."""
    from assembly.budgets import results

    def job(db, clock, rid):
        new = results.deliver(
            db,
            rid,
            responsible_body=body,
            due=due,
            projects=list(projects) or None,
            actor=actor,
            clock=clock,
        )
        echo(
            ngettext(
                "%(num)s funded project is now tracked in the feedback log, delivered by %(body)s.",
                "%(num)s funded projects are now tracked in the feedback log, delivered by "
                "%(body)s.",
                len(new),
                body=body,
            )
        )

    _run(path, round_id, job)


@budget_group.command("publish")
@FILE
@click.option("--format", "form", type=click.Choice(["pb", "csv", "html"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Where to write it.")
@ROUND
@click.option(
    "--lang",
    "language",
    default=None,
    metavar="CODE",
    help="The page's language, e.g. cy, pl, ur, bn, ar or ro (default: the working language).",
)
def publish_command(
    path: str, form: str, out: str, round_id: int | None, language: str | None
) -> None:
    """Write the result: the count, each override and its reason, side by side.

    The HTML page is in the assembly's working language, or in --lang; the CSV and the .pb
    file are read by machines and stay as they are, in English."""
    from assembly.budgets.publish import publish
    from assembly.core.cli_support import fail, write_text_or_fail
    from assembly.core.i18n import (
        LanguageError,
        check_language,
        has_catalogue,
        override_dir,
        shipped_languages,
        translator,
        working,
    )

    if language is not None and form != "html":
        fail(
            _(
                "--lang is for --format html: the CSV's columns and the .pb file are read by "
                "machines, so they stay in English."
            )
        )
    if language is not None:
        try:
            language = check_language(language)
        except LanguageError as error:
            fail(f"--lang: {error}")
        if not has_catalogue(language, override_dir(path)):
            fail(
                _(
                    "--lang %(language)s: there is no catalogue for it. Use a shipped "
                    "language (%(shipped)s) or put %(language)s.po in %(folder)s (see "
                    "docs/languages.md).",
                    language=language,
                    shipped=", ".join(shipped_languages()),
                    folder=override_dir(path),
                )
            )

    def job(db, clock, rid):
        try:
            tr = working() if language is None else translator(language, override_dir(path))
        except LanguageError as error:
            fail(f"--lang: {error}")
        write_text_or_fail(out, publish(db, rid, form, translator=tr))
        echo(_("Wrote the result of round %(round)s to %(path)s.", round=rid, path=out))

    _run(path, round_id, job)


COMMANDS = [budget_group]
