"""The room's pages: plain HTML forms that work without JavaScript, large text, WCAG 2.2 AA.

The words and markup are templates in `templates/` (rendered by `assembly.core.html`, which
escapes every value, so topic titles, descriptions and errors quoting them are shown as text);
this module says what each page shows. Pages name no person, and URLs carry nothing but the
page's name. Errors follow the GOV.UK Design System's pattern: "Error: " at the start of the
title, a "There is a problem" summary at the top (focused on load, with no script) linking to
each field, and the message on the field itself with a visually hidden "Error:"
(`templates/forms.html`). Links and buttons are at least 44 px tall.

Every word is in the language the phone chose (`PageContext.translator`, from
`assembly.core.i18n`): the templates mark theirs, and what this module words (a vote's rules)
is whole sentences with named placeholders, so a translator can change the order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from assembly.agenda import voting
from assembly.core.html import render
from assembly.core.i18n import ENGLISH, N_, Translator
from assembly.core.money import Money

STYLESHEET = Path(__file__).with_name("templates") / "room.css"


@cache
def stylesheet() -> str:
    """The room's one stylesheet (`templates/room.css`), read once."""
    return STYLESHEET.read_text(encoding="utf-8")


@dataclass(frozen=True)
class PageContext:
    assembly_name: str
    language: str
    csrf: str
    signed_in: bool  # with a panel member's room code
    visitors_allowed: bool
    card: bool = False  # with a voter card for the budget (a walk-in resident)
    budget_vote: str | None = None  # the title of the PB round open for voting
    budget_proposals: str | None = None  # the title of the PB round taking proposals
    translator: Translator = ENGLISH  # the phone's language (`language` is its tag)
    languages: Sequence[tuple[str, str]] = ()  # (tag, own name) a resident can choose from


@dataclass(frozen=True)
class Problem:
    """Something to put right in a form: the message, and the id of the field it is about."""

    message: str
    field: str | None = None


def _page(template: str, ctx: PageContext, problem: Problem | None = None, **context: Any) -> str:
    """A page in the room's layout (`templates/layout.html`)."""
    return render(
        __package__,
        template,
        translator=ctx.translator,
        ctx=ctx,
        problem=problem,
        languages=ctx.languages,
        **context,
    )


# --- the rules of a vote, in plain words -------------------------------------------------------

HOW_IT_COUNTS = {
    "dot": N_(
        "Spread your %(dots)s dots over the topics that matter most to you. The topics with "
        "the most dots come first."
    ),
    "approval": N_("Tick every topic you support. The topics with the most ticks come first."),
    "borda": N_(
        "Put the topics in order. The higher you place a topic, the more points it gets; "
        "the topics with the most points come first."
    ),
    "schulze": N_(
        "Put the topics in order. Every pair of topics is compared: one beats the other "
        "if more people put it higher. The topic that beats the others comes first."
    ),
    "pairwise": N_(
        "You see two topics at a time: choose the one that matters more to you, or say "
        "you can't decide. Answer as many pairs as you like. The topics chosen most often come "
        "first."
    ),
}
TIES = {
    "earliest": N_("If two topics tie, the one proposed first goes higher."),
    "lot": N_(
        "If two topics tie, their order is drawn by lot, from draw number %(seed)s, fixed "
        "when the vote opened."
    ),
}


def how_it_counts(
    method: str,
    tie_rule: str,
    dots: int | None,
    seed: int | None,
    tr: Translator = ENGLISH,
) -> str:
    """A vote's declared rules as residents read them (no names of counting methods): two
    sentences, each translated whole."""
    counts = tr.gettext(HOW_IT_COUNTS[method], dots=dots or 0)
    ties = tr.gettext(TIES[tie_rule], seed=seed or 0)
    return f"{counts} {ties}"


# --- the pages ---------------------------------------------------------------------------------


def start_page(
    ctx: PageContext,
    *,
    error: str | None = None,
    code: str = "",
    notice: str | None = None,
    vote_title: str | None = None,
) -> str:
    problem = Problem(error, "code") if error and not ctx.signed_in else None
    return _page("start.html", ctx, problem, code=code, notice=notice, vote_title=vote_title)


def propose_page(
    ctx: PageContext,
    *,
    error: Problem | None = None,
    title: str = "",
    description: str = "",
    anonymous: bool = False,
    done: str | None = None,
) -> str:
    closed = not ctx.signed_in and not ctx.visitors_allowed
    return _page(
        "propose.html",
        ctx,
        None if closed else error,
        closed=closed,
        topic_title=title,
        description=description,
        anonymous=anonymous,
        done=done,
    )


class Option(NamedTuple):
    """A topic on the ballot, in the words and the language its proposer wrote it in."""

    id: int
    title: str
    language: str = ""  # '' when not recorded: the page's own language is assumed


@dataclass(frozen=True)
class VoteView:
    round_id: int
    title: str
    question: str
    method: str
    rules: str  # how the vote counts, in plain words (`how_it_counts`)
    dots_per_voter: int | None
    options: Sequence[Option]  # in proposal order
    pair: tuple[Option, Option] | None = None
    already_voted: bool = False
    sent: Mapping[str, str] = field(default_factory=dict)  # the live ballot, as form fields

    @property
    def first_field(self) -> str:
        """The field an error about the whole ballot links to."""
        if self.method == "pairwise":
            return "choice-a"  # not words
        prefix = {"dot": "dots", "approval": "tick"}.get(self.method, "place")
        return f"{prefix}-{self.options[0].id}" if self.options else "round"


def no_vote_page(ctx: PageContext, *, closed: bool = False, error: str | None = None) -> str:
    """No vote to show: none open yet, or `closed`; `error` says what was not done."""
    return _page("no_vote.html", ctx, closed=closed, note=error)


def vote_page(
    ctx: PageContext,
    view: VoteView,
    *,
    error: Problem | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    """The vote's form, filled with `values` (what was sent, or the live ballot)."""
    problem = error
    if problem is not None and problem.field is None:
        problem = Problem(problem.message, view.first_field)
    return _page(
        "vote.html",
        ctx,
        problem,
        view=view,
        values=values or {},
        ranked_methods=voting.RANKED_METHODS,
    )


def recorded_page(
    ctx: PageContext, lines: Sequence[str], *, replaced: bool, at: str, pairwise: bool
) -> str:
    return _page("recorded.html", ctx, lines=lines, replaced=replaced, at=at, pairwise=pairwise)


def results_page(
    ctx: PageContext, results: Sequence[tuple[str, str, Sequence[tuple[int, Option, str]]]]
) -> str:
    """`results`: (vote title, its rules in plain words, rows of (rank, topic, score text)),
    each topic in the words and the language its proposer wrote it in."""
    return _page("results.html", ctx, results=results)


def message_page(ctx: PageContext, title: str, text: str, *, back: str | None = "/") -> str:
    return _page("message.html", ctx, title=title, text=text, back=back)


def projector_page(ctx: PageContext, url: str, qr_svg: Markup, vote: str | None) -> str:
    """The screen at the front of the room; `qr_svg` is the room's own QR code (`qr.qr_svg`)."""
    return _page("projector.html", ctx, url=url, qr_svg=qr_svg, vote=vote)


# --- participatory budgeting ---------------------------------------------------------------------

BUDGET_FORMS = {
    "approval": N_("Tick every project you support."),
    "points": N_(
        "Share your %(points)s points between the projects you support: the more points "
        "you give a project, the more you support it."
    ),
    "knapsack": N_(
        "Choose the projects you would pay for, as long as their costs together fit "
        "within the budget of %(budget)s."
    ),
}
BUDGET_RULES = {
    "greedy": N_(
        "The projects with the most support are paid for first, then the next, as long "
        "as the money lasts."
    ),
    "mes": N_(
        "The money is shared fairly: every voter starts with an equal share of the budget, "
        "and a project is paid for when the people who chose it can pay for it together. So "
        "people who want different things each get some of what they chose."
    ),
}


def budget_rules(
    ballot_form: str,
    rule: str,
    *,
    budget: Money | str,
    points: int | None,
    least: int | None,
    most: int | None,
    tr: Translator = ENGLISH,
) -> str:
    """A PB ballot's rules as residents read them (no names of counting methods), sentence by
    sentence, each translated whole."""
    words = [tr.gettext(BUDGET_FORMS[ballot_form], points=points or 0, budget=budget)]
    if least and most:
        words.append(
            tr.gettext(
                "Choose at least %(least)s and no more than %(most)s projects.",
                least=least,
                most=most,
            )
        )
    elif least:
        words.append(
            tr.ngettext(
                "Choose at least %(num)s project.", "Choose at least %(num)s projects.", least
            )
        )
    elif most:
        words.append(
            tr.ngettext(
                "Choose no more than %(num)s project.",
                "Choose no more than %(num)s projects.",
                most,
            )
        )
    if ballot_form != "knapsack":  # the knapsack's own sentence names it
        words.append(tr.gettext("The budget is %(budget)s.", budget=budget))
    words.append(tr.gettext(BUDGET_RULES["mes" if rule.startswith("mes") else "greedy"]))
    return " ".join(words)


@dataclass(frozen=True)
class BudgetProject:
    field: str  # the form field's name and id (by row id, never the project's own ref)
    title: str
    cost: str  # as people read it, e.g. £12,500.00
    details: str  # area and kind of project, for the hint under it

    @property
    def value(self) -> str:
        """A tick box's value: the project's row id (the field is `project-<id>`)."""
        return self.field.rpartition("-")[2]


@dataclass(frozen=True)
class BudgetView:
    round_id: int
    title: str
    form: str  # approval, points or knapsack
    rules: str
    projects: Sequence[BudgetProject]
    already_voted: bool = False


@dataclass(frozen=True)
class Total:
    """The running total of a ballot as filled in so far (knapsack: money; points: points)."""

    lines: Sequence[str]
    over: bool = False


def budget_page(
    ctx: PageContext,
    view: BudgetView,
    *,
    values: Mapping[str, str],
    total: Total | None = None,
    error: Problem | None = None,
) -> str:
    problem = error
    if problem is not None and problem.field is None and view.projects:
        problem = Problem(problem.message, view.projects[0].field)
    ticked = set(values.get("project", "").split(","))
    return _page("budget.html", ctx, problem, view=view, values=values, ticked=ticked, total=total)


def budget_recorded_page(
    ctx: PageContext, round_title: str, lines: Sequence[str], *, replaced: bool, at: str
) -> str:
    return _page(
        "budget_recorded.html",
        ctx,
        round_title=round_title,
        lines=lines,
        replaced=replaced,
        at=at,
    )


def budget_propose_page(
    ctx: PageContext,
    *,
    round_title: str | None,
    budget: Money | str = "",
    currency: str = "GBP",
    allowed: bool = True,
    error: Problem | None = None,
    values: Mapping[str, str] | None = None,
    done: str | None = None,
) -> str:
    """The form to propose a project; `round_title` None: no round is taking proposals."""
    return _page(
        "budget_propose.html",
        ctx,
        error if allowed and round_title else None,
        round_title=round_title,
        budget=budget,
        currency=currency,
        allowed=allowed,
        values=values or {},
        done=done,
    )
