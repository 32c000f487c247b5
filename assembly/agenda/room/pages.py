"""The room's pages: plain HTML forms that work without JavaScript, large text, WCAG 2.2 AA.

Every value that came from a person (topic titles, descriptions, errors quoting them) goes
through `e()`; pages name no person, and URLs carry nothing but the page's name. Errors follow
the GOV.UK Design System's pattern: "Error: " at the start of the title, a "There is a problem"
summary at the top (focused on load, with no script) linking to each field, and the message on
the field itself with a visually hidden "Error:". Links and buttons are at least 44 px tall.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assembly.agenda import voting

CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
html{font-size:125%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
 line-height:1.5;color:#0b0c0c;background:#fff}
header{background:#0b0c0c;color:#fff;padding:.6rem 1rem}
header p{margin:0;font-weight:bold}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem}
a{color:#1d4ed8;text-decoration:underline;text-underline-offset:.15em}
main a{display:inline-block;min-height:2.2rem;padding:.35rem 0}
.back-link{margin:0 0 .3rem}
a:visited{color:#5b21b6}
fieldset{border:2px solid #0b0c0c;border-radius:.3rem;margin:0 0 1.2rem;padding:.6rem 1rem 1rem}
legend{font-weight:bold;font-size:1.15rem;padding:0 .3rem}
label{display:block;font-weight:bold;margin:.6rem 0 .2rem}
.hint{color:#3f4245;margin:.2rem 0 .6rem}
input[type=text],input[type=number],textarea,select{font:inherit;font-size:1.1rem;width:100%;
 min-height:2.75rem;padding:.35rem .5rem;border:2px solid #0b0c0c;border-radius:.2rem;
 background:#fff;color:#0b0c0c}
input[type=number]{width:7rem}
select{width:auto;min-width:12rem}
textarea{min-height:6rem}
.check{display:flex;align-items:flex-start;gap:.7rem;margin:.7rem 0}
.check input{width:2.2rem;height:2.2rem;margin:0;flex:none}
.check label{margin:0;font-weight:normal;min-height:2.2rem;padding:.3rem 0}
.row{margin:.2rem 0 .9rem}
button{font:inherit;font-weight:bold;font-size:1.15rem;min-height:2.9rem;padding:.5rem 1.2rem;
 margin:.4rem .6rem .4rem 0;border:2px solid #0b0c0c;border-radius:.3rem;background:#00703c;
 color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b0c0c}
button.choice{display:block;width:100%;text-align:left;background:#1d4ed8;margin:.6rem 0}
:focus-visible{outline:4px solid #0b0c0c;outline-offset:2px;box-shadow:0 0 0 7px #ffdd00}
.error-summary{border:5px solid #b10e1e;padding:.8rem 1rem;margin:0 0 1.5rem}
.error-summary:focus{outline:4px solid #ffdd00;outline-offset:0}
.error-summary h2{margin:0 0 .5rem;font-size:1.3rem}
.error-summary ul{list-style:none;padding:0;margin:0}
.error-summary a{color:#b10e1e;font-weight:bold}
.error-message{color:#b10e1e;font-weight:bold;margin:.2rem 0 .4rem}
.field-error{border-left:5px solid #b10e1e;padding-left:.8rem}
.field-error input,.field-error select,.field-error textarea{border-color:#b10e1e}
.visually-hidden{position:absolute;width:1px;height:1px;margin:0;padding:0;overflow:hidden;
 clip:rect(0 0 0 0);clip-path:inset(50%);border:0;white-space:nowrap}
.ok{border-left:6px solid #00703c;padding:.4rem 1rem;margin:0 0 1rem;background:#e8f5ee}
.ok h2{margin:.2rem 0;color:#005a30}
ul.plain{padding-left:1.2rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #6b6f73;text-align:left;padding:.4rem .3rem;vertical-align:top}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
.projector{max-width:none;text-align:center}
.projector .url{font-size:2.4rem;font-weight:bold;word-break:break-all}
.projector h1{font-size:2.4rem}
.stage{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:1rem 3rem}
.qr svg{width:min(70vh,45vw);height:auto;display:block}
"""


def e(value: object) -> str:
    """Escape for HTML text and attribute values (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


@dataclass(frozen=True)
class PageContext:
    assembly_name: str
    language: str
    csrf: str
    signed_in: bool
    visitors_allowed: bool


@dataclass(frozen=True)
class Problem:
    """Something to put right in a form: the message, and the id of the field it is about."""

    message: str
    field: str | None = None


def page(
    ctx: PageContext,
    title: str,
    body: str,
    *,
    nav: bool = True,
    back: str | None = None,
    error: bool = False,
) -> str:
    """The layout of every page. `back`: where the Back link goes (pages after the first);
    `error`: the page shows a problem, so its title starts "Error: " (read out first)."""
    links = ""
    if nav:
        items = [("/", "Start")]
        if ctx.signed_in:
            items.append(("/vote", "Vote"))
        if ctx.signed_in or ctx.visitors_allowed:
            items.append(("/propose", "Propose a topic"))
        items.append(("/results", "Results"))
        links = (
            '<nav aria-label="Room pages"><ul>'
            + "".join(f'<li><a href="{href}">{e(text)}</a></li>' for href, text in items)
            + "</ul></nav>"
        )
    back_link = f'<a href="{e(back)}" class="back-link">Back</a>' if back else ""
    prefix = "Error: " if error else ""
    return (
        f'<!doctype html>\n<html lang="{e(ctx.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{prefix}{e(title)} – {e(ctx.assembly_name)}</title>"
        '<link rel="stylesheet" href="/room.css"></head><body>'
        f"<header><p>{e(ctx.assembly_name)}</p></header>"
        f"<main>{links}{back_link}<h1>{e(title)}</h1>{body}</main></body></html>\n"
    )


def csrf_field(ctx: PageContext) -> str:
    return f'<input type="hidden" name="csrf" value="{e(ctx.csrf)}">'


def error_summary(problem: Problem | None) -> str:
    """GOV.UK's error summary: focused when the page loads (autofocus on a tabindex=-1 box, no
    script), announced (role=alert), linking to the field to put right."""
    if problem is None:
        return ""
    text = e(problem.message)
    item = f'<a href="#{e(problem.field)}">{text}</a>' if problem.field else text
    return (
        '<div class="error-summary" tabindex="-1" autofocus '
        'aria-labelledby="error-summary-title"><div role="alert">'
        '<h2 id="error-summary-title">There is a problem</h2>'
        f"<ul><li>{item}</li></ul></div></div>"
    )


def field_error(problem: Problem | None, name: str) -> str:
    """The message on the field `name`, if the problem is about it."""
    if problem is None or problem.field != name:
        return ""
    return (
        f'<p class="error-message" id="{e(name)}-error"><span class="visually-hidden">Error:'
        f"</span> {e(problem.message)}</p>"
    )


def _described(problem: Problem | None, name: str, *hints: str) -> str:
    ids = [*hints, f"{name}-error"] if problem and problem.field == name else list(hints)
    return f' aria-describedby="{" ".join(ids)}"' if ids else ""


def _group(problem: Problem | None, name: str, base: str) -> str:
    return f"{base} field-error" if problem and problem.field == name else base


def note_box(title: str, lines: Sequence[str] = ()) -> str:
    items = "".join(f"<p>{e(line)}</p>" for line in lines)
    return f'<div class="ok" role="status"><h2>{e(title)}</h2>{items}</div>'


# --- the rules of a vote, in plain words -------------------------------------------------------

HOW_IT_COUNTS = {
    "dot": "Spread your {dots} dots over the topics that matter most to you. The topics with "
    "the most dots come first.",
    "approval": "Tick every topic you support. The topics with the most ticks come first.",
    "borda": "Put the topics in order. The higher you place a topic, the more points it gets; "
    "the topics with the most points come first.",
    "schulze": "Put the topics in order. Every pair of topics is compared: one beats the other "
    "if more people put it higher. The topic that beats the others comes first.",
    "pairwise": "You see two topics at a time: choose the one that matters more to you, or say "
    "you can't decide. Answer as many pairs as you like. The topics chosen most often come "
    "first.",
}
TIES = {
    "earliest": "If two topics tie, the one proposed first goes higher.",
    "lot": "If two topics tie, their order is drawn by lot, from draw number {seed}, fixed "
    "when the vote opened.",
}


def how_it_counts(method: str, tie_rule: str, dots: int | None, seed: int | None) -> str:
    """A vote's declared rules as residents read them (no names of counting methods)."""
    return HOW_IT_COUNTS[method].format(dots=dots) + " " + TIES[tie_rule].format(seed=seed)


# --- start -------------------------------------------------------------------------------------


def start_page(
    ctx: PageContext,
    *,
    error: str | None = None,
    code: str = "",
    notice: str | None = None,
    vote_title: str | None = None,
) -> str:
    if ctx.signed_in:
        vote = (
            f"<p>The vote now open: <strong>{e(vote_title)}</strong>.</p>"
            '<p><a href="/vote">Go to the vote</a></p>'
            if vote_title
            else "<p>No vote is open right now. This page shows the next one when it opens.</p>"
        )
        body = (
            note_box("You are signed in with your code")
            + vote
            + '<p><a href="/propose">Propose a topic</a></p>'
            + f'<form method="post" action="/leave">{csrf_field(ctx)}'
            '<button type="submit" class="secondary">Sign out on this phone</button></form>'
        )
        return page(ctx, "Welcome to the room", body)
    visitors = (
        '<p>No code? You can still <a href="/propose">propose a topic</a>.</p>'
        if ctx.visitors_allowed
        else ""
    )
    problem = Problem(error, "code") if error else None
    body = (
        error_summary(problem)
        + (note_box(notice) if notice else "")
        + f'<form method="post" action="/code" novalidate>{csrf_field(ctx)}'
        f'<div class="{_group(problem, "code", "row")}">'
        '<label for="code">Your personal code</label>'
        '<p class="hint" id="code-hint">It is on the card you were given, for example '
        "KM7P-RX3D. Capitals or small letters both work.</p>"
        + field_error(problem, "code")
        + '<input type="text" id="code" name="code" autocomplete="off" '
        'autocapitalize="characters" spellcheck="false" maxlength="20" required'
        f'{_described(problem, "code", "code-hint")} value="{e(code)}"></div>'
        '<button type="submit">Continue</button></form>' + visitors
    )
    return page(ctx, "Welcome to the room", body, error=problem is not None)


# --- propose -------------------------------------------------------------------------------------


def propose_page(
    ctx: PageContext,
    *,
    error: Problem | None = None,
    title: str = "",
    description: str = "",
    anonymous: bool = False,
    done: str | None = None,
) -> str:
    if not ctx.signed_in and not ctx.visitors_allowed:
        body = (
            "<p>Only panel members with a code can propose topics right now.</p>"
            '<p><a href="/">Enter your code</a></p>'
        )
        return page(ctx, "Propose a topic", body, back="/")
    problem = error
    ticked = " checked" if anonymous else ""
    anonymous_box = (
        '<div class="check"><input type="checkbox" id="anonymous" name="anonymous" value="yes"'
        f'{ticked}><label for="anonymous">Do not show my name beside this topic in reports'
        "</label></div>"
        if ctx.signed_in
        else ""
    )
    body = (
        (note_box("Your topic was recorded", [done]) if done else "")
        + error_summary(problem)
        + f'<form method="post" action="/propose" novalidate>{csrf_field(ctx)}'
        f'<div class="{_group(problem, "title", "row")}">'
        '<label for="title">Topic</label>'
        '<p class="hint" id="title-hint">A short title, for example "Safer crossings near '
        'schools".</p>'
        + field_error(problem, "title")
        + '<input type="text" id="title" name="title" maxlength="200" required'
        f'{_described(problem, "title", "title-hint")} value="{e(title)}"></div>'
        f'<div class="{_group(problem, "description", "row")}">'
        '<label for="description">Details (optional)</label>'
        + field_error(problem, "description")
        + f'<textarea id="description" name="description" maxlength="2000"'
        f"{_described(problem, 'description')}>{e(description)}</textarea></div>"
        + anonymous_box
        + '<button type="submit">Send the topic</button></form>'
    )
    return page(ctx, "Propose a topic", body, back="/", error=problem is not None)


# --- vote ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteView:
    round_id: int
    title: str
    question: str
    method: str
    rules: str  # how the vote counts, in plain words (`how_it_counts`)
    dots_per_voter: int | None
    options: Sequence[tuple[int, str]]  # (topic id, title) in proposal order
    pair: tuple[tuple[int, str], tuple[int, str]] | None = None
    already_voted: bool = False
    sent: Mapping[str, str] = field(default_factory=dict)  # the live ballot, as form fields

    @property
    def first_field(self) -> str:
        """The field an error about the whole ballot links to."""
        if self.method == "pairwise":
            return "choice-a"
        prefix = {"dot": "dots", "approval": "tick"}.get(self.method, "place")
        return f"{prefix}-{self.options[0][0]}" if self.options else "round"


def no_vote_page(ctx: PageContext, *, closed: bool = False, error: str | None = None) -> str:
    text = (
        "This vote has closed, so nothing more can be recorded in it."
        if closed
        else "No vote is open right now. Reload this page when the facilitator opens one."
    )
    body = (note_box(error) if error else "") + f"<p>{e(text)}</p>"
    return page(ctx, "Vote", body, back="/")


def vote_page(
    ctx: PageContext,
    view: VoteView,
    *,
    error: Problem | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    values = values or {}
    problem = error
    if problem is not None and problem.field is None:
        problem = Problem(problem.message, view.first_field)
    intro = (
        error_summary(problem)
        + f"<p>{e(view.rules)}</p>"
        + (
            "<p>You have already voted in this vote. Your vote is shown below: change it and "
            "send it again to replace it.</p>"
            if view.already_voted and view.method != "pairwise"
            else ""
        )
    )
    form = f'<form method="post" action="/vote">{csrf_field(ctx)}'
    form += f'<input type="hidden" name="round" value="{view.round_id}">'
    if view.method == "dot":
        form += (
            f'<fieldset aria-describedby="dots-hint"><legend>{e(view.question)}</legend>'
            f'<p class="hint" id="dots-hint">You have {view.dots_per_voter} dots. Put any number '
            "on a topic, 0 for none.</p>"
        )
        for topic_id, title in view.options:
            name = f"dots-{topic_id}"
            form += (
                f'<div class="{_group(problem, name, "row")}"><label for="{name}">{e(title)}'
                f"</label>{field_error(problem, name)}"
                f'<input type="number" inputmode="numeric" id="{name}" name="{name}" min="0" '
                f'max="{view.dots_per_voter}" step="1" value="{e(values.get(name, "0"))}"'
                f"{_described(problem, name)}></div>"
            )
        form += "</fieldset><button type=submit>Send my vote</button>"
    elif view.method == "approval":
        form += f"<fieldset><legend>{e(view.question)}</legend>"
        ticked = set(values.get("tick", "").split(","))
        for topic_id, title in view.options:
            name = f"tick-{topic_id}"
            checked = " checked" if str(topic_id) in ticked else ""
            form += (
                f'<div class="{_group(problem, name, "")}">{field_error(problem, name)}'
                f'<div class="check"><input type="checkbox" id="{name}" name="tick" '
                f'value="{topic_id}"{checked}{_described(problem, name)}>'
                f'<label for="{name}">{e(title)}</label></div></div>'
            )
        form += "</fieldset><button type=submit>Send my vote</button>"
    elif view.method in voting.RANKED_METHODS:
        n = len(view.options)
        form += (
            f'<fieldset aria-describedby="rank-hint"><legend>{e(view.question)}</legend>'
            '<p class="hint" id="rank-hint">Give each topic a different place: 1 for the one that '
            "matters most, then 2, 3 and so on. You can leave topics unranked.</p>"
        )
        for topic_id, title in view.options:
            name = f"place-{topic_id}"
            chosen = values.get(name, "")
            opts = '<option value="">Not ranked</option>' + "".join(
                f'<option value="{p}"{" selected" if chosen == str(p) else ""}>Place {p}</option>'
                for p in range(1, n + 1)
            )
            form += (
                f'<div class="{_group(problem, name, "row")}"><label for="{name}">{e(title)}'
                f"</label>{field_error(problem, name)}"
                f'<select id="{name}" name="{name}"{_described(problem, name)}>{opts}</select>'
                "</div>"
            )
        form += "</fieldset><button type=submit>Send my ranking</button>"
    else:
        if view.pair is None:
            body = intro + "<p>There is nothing to compare yet.</p>"
            return page(ctx, view.title, body, back="/", error=problem is not None)
        (a, a_title), (b, b_title) = view.pair
        form += (
            f'<input type="hidden" name="a" value="{a}"><input type="hidden" name="b" value="{b}">'
            f"<fieldset><legend>{e(view.question)}</legend>"
            + field_error(problem, "choice-a")
            + f'<button type="submit" class="choice" id="choice-a" name="choice" value="{a}"'
            f"{_described(problem, 'choice-a')}>{e(a_title)}</button>"
            f'<button type="submit" class="choice" name="choice" value="{b}">{e(b_title)}</button>'
            '<button type="submit" class="secondary" name="choice" value="skip">'
            "I can't decide</button></fieldset>"
        )
    form += "</form>"
    return page(ctx, view.title, intro + form, back="/", error=problem is not None)


def recorded_page(
    ctx: PageContext, lines: Sequence[str], *, replaced: bool, at: str, pairwise: bool
) -> str:
    title = "Your answer was recorded" if pairwise else "Your vote was recorded"
    notes = [f"Recorded at {at}."]
    if replaced:
        notes.append("It replaces what you sent before in this vote.")
    body = note_box(title, notes) + '<ul class="plain">'
    body += "".join(f"<li>{e(line)}</li>" for line in lines) + "</ul>"
    if pairwise:
        body += '<p><a href="/vote">Answer another pair</a></p>'
    else:
        body += (
            "<p>You can change your vote until the facilitator closes it.</p>"
            '<p><a href="/vote">Vote again</a></p>'
        )
    return page(ctx, "Recorded", body, back="/vote")


def results_page(ctx: PageContext, results: Sequence[tuple[str, str, Sequence[tuple]]]) -> str:
    """`results`: (vote title, its rules in plain words, rows of (rank, topic, score text))."""
    if not results:
        body = "<p>No results have been published yet. The facilitator publishes them here.</p>"
        return page(ctx, "Results", body, back="/")
    body = ""
    for title, rules, rows in results:
        body += f"<h2>{e(title)}</h2><p>{e(rules)}</p><table><caption class=hint>Ranking, "
        body += "first place first</caption><thead><tr><th scope=col>Place</th>"
        body += "<th scope=col>Topic</th><th scope=col>Score</th></tr></thead><tbody>"
        body += "".join(
            f"<tr><td>{e(rank)}</td><td>{e(topic)}</td><td>{e(score)}</td></tr>"
            for rank, topic, score in rows
        )
        body += "</tbody></table>"
    return page(ctx, "Results", body, back="/")


def message_page(ctx: PageContext, title: str, text: str, *, back: str | None = "/") -> str:
    return page(ctx, title, f"<p>{e(text)}</p>", back=back)


def projector_page(ctx: PageContext, url: str, qr_svg: str, vote: str | None) -> str:
    now = f"<p>Now voting: <strong>{e(vote)}</strong></p>" if vote else ""
    body = (
        '<div class="stage"><div><p>On your phone, open</p>'
        f'<p class="url">{e(url)}</p><p>or scan this code, then type your personal code.</p>'
        f'{now}</div><div class="qr">{qr_svg}</div></div>'
    )
    html_page = page(ctx, "Vote from your phone", body, nav=False)
    return html_page.replace("<main>", '<main class="projector">', 1)
