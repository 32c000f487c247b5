"""Prioritisation votes ("rounds") on the topics: opening them, ballots, tallies and choices,
and their results.

A round declares its method and tie rule when it opens; once a ballot is in they are fixed.
Every ballot, tally or choice is committed as it is recorded, so nothing is lost if the laptop
dies mid-session.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from assembly.agenda import voting
from assembly.agenda.errors import AgendaError
from assembly.agenda.topics import list_topics, status_label
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Number, Translator, _, in_words, ngettext, working
from assembly.store import write_transaction


@dataclass(frozen=True)
class Round:
    id: int
    title: str
    question: str
    method: str
    tie_rule: str
    tie_seed: int | None
    dots_per_voter: int | None
    session_id: int | None
    status: str
    opened_at: str
    closed_at: str | None
    topic_ids: tuple[int, ...]
    ballots: int

    @property
    def declared(self) -> str:
        """The rules of this vote, as announced before voting."""
        method = _(voting.METHODS[self.method])
        if self.dots_per_voter:
            method = ngettext(
                "%(method)s, %(num)s dot each",
                "%(method)s, %(num)s dots each",
                self.dots_per_voter,
                method=method,
                num=Number(self.dots_per_voter),
            )
        ties = _(voting.TIE_RULES[self.tie_rule])
        if self.tie_rule == "lot":
            ties = _("%(rule)s (draw number %(seed)s)", rule=ties, seed=self.tie_seed)
        return _("Method: %(method)s. Ties: %(ties)s.", method=method, ties=ties)


# A vote's states as stored, and as the screens and commands say them.
STATUS_WORDS = {"open": N_("open"), "closed": N_("closed")}


def status_in_words(status: str) -> str:
    """A vote's state in the working language ('open', 'closed'; anything else as stored)."""
    return in_words(STATUS_WORDS, status)


DEFAULT_QUESTIONS = {
    "dot": N_("Put your dots on the topics that matter most to you."),
    "approval": N_("Tick every topic you think the assembly should discuss."),
    "borda": N_("Number the topics in order: 1 for the one that matters most."),
    "schulze": N_("Number the topics in order: 1 for the one that matters most."),
    "pairwise": N_("Which matters more?"),
}


def question_shown(question: str, tr: Translator | None = None) -> str:
    """A vote's question in `tr`'s language (the working one by default): a default question is
    stored in English and shown translated; a question the organiser wrote is shown as written."""
    if question in DEFAULT_QUESTIONS.values():
        return (tr or working()).gettext(question)
    return question


def open_round(
    db: Database,
    clock: Clock,
    *,
    method: str,
    tie_rule: str,
    title: str = "",
    question: str = "",
    topic_ids: Sequence[int] | None = None,
    dots_per_voter: int | None = None,
    session_id: int | None = None,
    rng: np.random.Generator | None = None,
) -> int:
    """Open a vote, declaring its method and tie rule now, before anyone votes. For the 'lot'
    rule the draw number is fixed and stored now, so the tie-break cannot be chosen afterwards."""
    if method not in voting.METHODS:
        raise AgendaError(
            _(
                "Unknown method %(method)s; choose one of: %(methods)s.",
                method=repr(method),
                methods=", ".join(voting.METHODS),
            )
        )
    if tie_rule not in voting.TIE_RULES:
        raise AgendaError(
            _(
                "Unknown tie rule %(rule)s; choose one of: %(rules)s.",
                rule=repr(tie_rule),
                rules=", ".join(voting.TIE_RULES),
            )
        )
    if method == "dot" and not dots_per_voter:
        raise AgendaError(_("Dot voting needs the number of dots each person has, declared now."))
    if method != "dot" and dots_per_voter:
        raise AgendaError(_("Only dot voting has a number of dots per person."))
    if topic_ids is None:
        topic_ids = [t.id for t in list_topics(db)]
    topics = {t.id: t for t in list_topics(db, include_closed=True)}
    for topic_id in topic_ids:
        if topic_id not in topics:
            raise AgendaError(_("There is no topic %(id)s.", id=topic_id))
        if topics[topic_id].status != "open":
            raise AgendaError(
                _(
                    "Topic %(id)s is %(status)s; it cannot be voted on.",
                    id=topic_id,
                    status=status_label(topics[topic_id].status),
                )
            )
    if len(set(topic_ids)) < 2:
        raise AgendaError(_("A vote needs at least two topics."))
    seed = None
    if tie_rule == "lot":
        seed = int((rng or np.random.default_rng()).integers(1, 1_000_000))
    at = to_iso(clock.now())
    with write_transaction(db):
        number = db.execute("select count(*) + 1 from priority_rounds").fetchone()[0]
        round_id = (
            db["priority_rounds"]
            .insert(
                {
                    # a default name, the organiser's to change: in the working language
                    "title": title.strip() or _("Priorities vote %(number)s", number=number),
                    "question": question.strip() or DEFAULT_QUESTIONS[method],
                    "method": method,
                    "tie_rule": tie_rule,
                    "tie_seed": seed,
                    "dots_per_voter": dots_per_voter,
                    "session_id": session_id,
                    "status": "open",
                    "opened_at": at,
                }
            )
            .last_pk
        )
        db["round_topics"].insert_all(
            {"round_id": round_id, "topic_id": t, "position": i}
            for i, t in enumerate(dict.fromkeys(topic_ids))
        )
    return int(round_id)


def get_round(db: Database, round_id: int) -> Round:
    rows = list(db.query("select * from priority_rounds where id = ?", [round_id]))
    if not rows:
        raise AgendaError(_("There is no vote %(id)s.", id=round_id))
    row = rows[0]
    topic_ids = tuple(
        r[0]
        for r in db.execute(
            "select topic_id from round_topics where round_id = ? order by position", [round_id]
        )
    )
    ballots = db.execute(
        "select count(*) from ballots where round_id = ? and voided_at is null", [round_id]
    ).fetchone()[0]
    return Round(
        id=row["id"],
        title=row["title"],
        question=row["question"],
        method=row["method"],
        tie_rule=row["tie_rule"],
        tie_seed=row["tie_seed"],
        dots_per_voter=row["dots_per_voter"],
        session_id=row["session_id"],
        status=row["status"],
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
        topic_ids=topic_ids,
        ballots=ballots,
    )


def list_rounds(db: Database) -> list[Round]:
    return [get_round(db, r[0]) for r in db.execute("select id from priority_rounds order by id")]


def change_round(
    db: Database,
    round_id: int,
    *,
    method: str | None = None,
    tie_rule: str | None = None,
    dots_per_voter: int | None = None,
) -> None:
    """Correct a vote's declared rules, allowed only before the first ballot."""
    with write_transaction(db):
        current = get_round(db, round_id)
        recorded = db.execute(
            "select count(*) from ballots where round_id = ?", [round_id]
        ).fetchone()[0]
        if recorded:
            raise AgendaError(
                ngettext(
                    "Vote %(id)s (%(title)s) already has %(num)s ballot recorded: its method and "
                    "tie rule were declared before voting and cannot change now. Open a new vote "
                    "instead.",
                    "Vote %(id)s (%(title)s) already has %(num)s ballots recorded: its method and "
                    "tie rule were declared before voting and cannot change now. Open a new vote "
                    "instead.",
                    recorded,
                    id=round_id,
                    title=current.title,
                    num=Number(recorded),
                )
            )
        changes = {}
        if method is not None:
            if method not in voting.METHODS:
                raise AgendaError(_("Unknown method %(method)s.", method=repr(method)))
            changes["method"] = method
        if tie_rule is not None:
            if tie_rule not in voting.TIE_RULES:
                raise AgendaError(_("Unknown tie rule %(rule)s.", rule=repr(tie_rule)))
            changes["tie_rule"] = tie_rule
        if dots_per_voter is not None:
            changes["dots_per_voter"] = dots_per_voter
        if changes:
            db["priority_rounds"].update(round_id, changes)


def _open_round(db: Database, round_id: int) -> Round:
    current = get_round(db, round_id)
    if current.status != "open":
        raise AgendaError(_("Vote %(id)s is closed: no more ballots can be recorded.", id=round_id))
    return current


def _insert_ballot(
    db: Database,
    round_id: int,
    kind: str,
    marks: Mapping[int, int],
    at: str,
    *,
    voter: str | None = None,
    member_id: int | None = None,
    papers: int | None = None,
) -> int:
    ballot_id = (
        db["ballots"]
        .insert(
            {
                "round_id": round_id,
                "kind": kind,
                "voter": voter,
                "member_id": member_id,
                "papers": papers,
                "recorded_at": at,
            }
        )
        .last_pk
    )
    db["ballot_marks"].insert_all(
        {"ballot_id": ballot_id, "topic_id": t, "value": int(v)} for t, v in marks.items()
    )
    return int(ballot_id)


def _ballot_label(db: Database, round_id: int, voter: str | None) -> str:
    n = db.execute("select count(*) + 1 from ballots where round_id = ?", [round_id]).fetchone()[0]
    if voter:
        return _("Ballot %(n)s (%(voter)s)", n=n, voter=voter)
    return voting.ballot_label(n)


def record_ballot(
    db: Database,
    clock: Clock,
    round_id: int,
    ballot: Mapping[int, int] | Sequence[int],
    *,
    voter: str | None = None,
    member_id: int | None = None,
) -> int:
    """Record one person's ballot: {topic: dots} for dot voting, the ticked topics for approval,
    the topics best first for Borda and Schulze. Checked, then committed at once."""
    at = to_iso(clock.now())
    with write_transaction(db):
        current = _open_round(db, round_id)
        where = _ballot_label(db, round_id, voter)
        options = list(current.topic_ids)
        if current.method == "pairwise":
            raise AgendaError(
                _("This is a 'Which matters more?' vote: record choices, not ballots.")
            )
        if current.method in voting.RANKED_METHODS:
            if isinstance(ballot, Mapping):
                raise AgendaError(
                    _("%(where)s: a ranked ballot lists topics in order, best first.", where=where)
                )
            ranking = list(ballot)
            try:
                voting.check_ranking(options, ranking, where)
            except voting.BallotError as error:
                raise AgendaError(str(error)) from error
            marks = {t: place for place, t in enumerate(ranking, start=1)}
        else:
            if current.method == "approval" and not isinstance(ballot, Mapping):
                ballot = dict.fromkeys(ballot, 1)
            if not isinstance(ballot, Mapping):
                raise AgendaError(
                    _("%(where)s: a dot ballot gives a number of dots per topic.", where=where)
                )
            marks = {t: v for t, v in ballot.items()}
            try:
                voting.tally_result(
                    current.method,
                    options,
                    [marks],
                    dots_per_voter=current.dots_per_voter,
                    ballot_names=lambda _n: where,
                )
            except voting.BallotError as error:
                raise AgendaError(str(error)) from error
        return _insert_ballot(db, round_id, "ballot", marks, at, voter=voter, member_id=member_id)


def record_tally(
    db: Database, clock: Clock, round_id: int, totals: Mapping[int, int], *, papers: int
) -> int:
    """Record totals counted from paper (dots or ticks per topic, from `papers` sheets)."""
    at = to_iso(clock.now())
    with write_transaction(db):
        current = _open_round(db, round_id)
        if current.method not in voting.TALLY_METHODS:
            raise AgendaError(
                _(
                    "Vote %(id)s uses %(method)s: paper totals only work for dot or approval "
                    "voting. Type in each ranked ballot instead.",
                    id=round_id,
                    method=current.method,
                )
            )
        n = db.execute(
            "select count(*) + 1 from ballots where round_id = ? and kind = 'tally'", [round_id]
        ).fetchone()[0]
        try:
            voting.tally_result(
                current.method,
                list(current.topic_ids),
                [],
                [(totals, papers)],
                tally_names=lambda _n: voting.tally_label(n),
            )
        except voting.BallotError as error:
            raise AgendaError(str(error)) from error
        # Drop-in residents may fill in papers too, so the sheets are not capped by the panel;
        # the marks are capped by the sheets: no more dots than every sheet's dots.
        used = sum(int(v) for v in totals.values())
        if (
            current.method == "dot"
            and current.dots_per_voter
            and used > papers * (current.dots_per_voter)
        ):
            raise AgendaError(
                _(
                    "Paper tally %(n)s: %(used)s dots from %(papers)s papers, but each paper has "
                    "at most %(each)s, so at most %(most)s in all. Check the totals and the "
                    "number of papers.",
                    n=n,
                    used=used,
                    papers=papers,
                    each=current.dots_per_voter,
                    most=papers * current.dots_per_voter,
                )
            )
        return _insert_ballot(db, round_id, "tally", totals, at, papers=papers)


def record_choice(
    db: Database,
    clock: Clock,
    round_id: int,
    chosen: int | None,
    other: int | None = None,
    *,
    pair: tuple[int, int] | None = None,
    voter: str | None = None,
    member_id: int | None = None,
) -> int:
    """Record one answer to "Which matters more?": `chosen` over `other`, or, with chosen None,
    "can't decide" about `pair` (kept in the counts, not in the scores)."""
    at = to_iso(clock.now())
    with write_transaction(db):
        current = _open_round(db, round_id)
        if current.method != "pairwise":
            raise AgendaError(_("Vote %(id)s is not a 'Which matters more?' vote.", id=round_id))
        options = set(current.topic_ids)
        if chosen is None:
            if pair is None:
                raise AgendaError(
                    _("A 'can't decide' answer needs the two topics that were shown.")
                )
            a, b = pair
            for t in (a, b):
                if t not in options:
                    raise AgendaError(
                        _("Topic %(topic)s is not in vote %(id)s.", topic=t, id=round_id)
                    )
            return _insert_ballot(
                db, round_id, "skip", {a: 0, b: 0}, at, voter=voter, member_id=member_id
            )
        for t in (chosen, other):
            if t not in options:
                raise AgendaError(_("Topic %(topic)s is not in vote %(id)s.", topic=t, id=round_id))
        if chosen == other:
            raise AgendaError(_("A topic cannot be compared with itself."))
        return _insert_ballot(
            db, round_id, "choice", {chosen: 1, other: 0}, at, voter=voter, member_id=member_id
        )


def round_inputs(db: Database, round_id: int) -> tuple[Round, dict]:
    """The stored ballots of a vote, in the shape `voting.count` takes."""
    current = get_round(db, round_id)
    marks: dict[int, dict[int, int]] = {}
    for ballot_id, topic_id, value in db.execute(
        "select m.ballot_id, m.topic_id, m.value from ballot_marks m "
        "join ballots b on b.id = m.ballot_id where b.round_id = ? and b.voided_at is null "
        "order by m.ballot_id",
        [round_id],
    ):
        marks.setdefault(ballot_id, {})[topic_id] = value
    ballots: list = []
    tallies = []
    skipped = 0
    for ballot_id, kind, papers in db.execute(
        "select id, kind, papers from ballots where round_id = ? and voided_at is null order by id",
        [round_id],
    ):
        got = marks.get(ballot_id, {})
        if kind == "tally":
            tallies.append((got, papers or 0))
        elif kind == "skip":
            skipped += 1
        elif kind == "choice":
            winner = next(t for t, v in got.items() if v == 1)
            loser = next(t for t, v in got.items() if v == 0)
            ballots.append((winner, loser))
        elif current.method in voting.RANKED_METHODS:
            ballots.append([t for t, _place in sorted(got.items(), key=lambda kv: kv[1])])
        else:
            ballots.append(got)
    return current, {"ballots": ballots, "tallies": tallies, "skipped": skipped}


@dataclass(frozen=True)
class BallotRecord:
    id: int
    kind: str
    voter: str | None
    papers: int | None
    recorded_at: str
    marks: dict[int, int]

    def describe(self, titles: Mapping[int, str], method: str) -> str:
        """The ballot in words, to check before voiding it."""
        if self.kind == "tally":
            parts = ", ".join(f"{titles.get(t, t)} {v}" for t, v in self.marks.items())
            return _("Paper tally of %(papers)s sheets: %(marks)s", papers=self.papers, marks=parts)
        if self.kind in ("choice", "skip"):
            names = [
                titles.get(t, str(t))
                for t, _value in sorted(self.marks.items(), key=lambda kv: -kv[1])
            ]
            if self.kind == "skip":
                if self.voter:
                    return _(
                        "Can't decide between %(a)s and %(b)s (%(voter)s)",
                        a=names[0],
                        b=names[1],
                        voter=self.voter,
                    )
                return _("Can't decide between %(a)s and %(b)s", a=names[0], b=names[1])
            if self.voter:
                return _("%(a)s over %(b)s (%(voter)s)", a=names[0], b=names[1], voter=self.voter)
            return _("%(a)s over %(b)s", a=names[0], b=names[1])
        if method in voting.RANKED_METHODS:
            order = [
                titles.get(t, str(t))
                for t, _value in sorted(self.marks.items(), key=lambda kv: kv[1])
            ]
            marks = " > ".join(order)
        else:
            marks = ", ".join(f"{titles.get(t, t)} {v}" for t, v in self.marks.items())
        if self.voter:
            return _("Ballot (%(voter)s): %(marks)s", voter=self.voter, marks=marks)
        return _("Ballot: %(marks)s", marks=marks)


def last_ballot(db: Database, round_id: int) -> BallotRecord | None:
    """The most recent ballot, tally or choice still counted in a vote."""
    row = db.execute(
        "select id, kind, voter, papers, recorded_at from ballots "
        "where round_id = ? and voided_at is null order by id desc limit 1",
        [round_id],
    ).fetchone()
    if row is None:
        return None
    marks = {
        r[0]: r[1]
        for r in db.execute(
            "select topic_id, value from ballot_marks where ballot_id = ? order by topic_id",
            [row[0]],
        )
    }
    return BallotRecord(row[0], row[1], row[2], row[3], row[4], marks)


def void_ballot(db: Database, clock: Clock, round_id: int, ballot_id: int, *, reason: str) -> None:
    """Take a ballot entered by mistake out of the count. It stays in the file, marked void
    with the reason and time, so the record shows the correction."""
    reason = reason.strip()
    if not reason:
        raise AgendaError(_("Say why the ballot is void (e.g. 'typed in twice')."))
    at = to_iso(clock.now())
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.status != "open":
            raise AgendaError(
                _("Vote %(id)s is closed; its ballots can no longer change.", id=round_id)
            )
        row = db.execute(
            "select voided_at from ballots where id = ? and round_id = ?", [ballot_id, round_id]
        ).fetchone()
        if row is None:
            raise AgendaError(
                _("Vote %(id)s has no ballot %(ballot)s.", id=round_id, ballot=ballot_id)
            )
        if row[0] is not None:
            raise AgendaError(_("Ballot %(ballot)s was already voided.", ballot=ballot_id))
        db["ballots"].update(ballot_id, {"voided_at": at, "void_reason": reason})


def round_result(db: Database, round_id: int) -> voting.Result:
    """Count a vote from what is stored, by the method and tie rule it declared."""
    current, inputs = round_inputs(db, round_id)
    return voting.count(
        current.method,
        list(current.topic_ids),
        tie_rule=current.tie_rule,
        seed=current.tie_seed,
        dots_per_voter=current.dots_per_voter,
        **inputs,
    )


def close_round(db: Database, clock: Clock, round_id: int) -> voting.Result:
    """Close a vote and keep its counted result in the file beside the ballots."""
    at = to_iso(clock.now())
    with write_transaction(db):
        current = get_round(db, round_id)
        if current.status != "open":
            raise AgendaError(_("Vote %(id)s is already closed.", id=round_id))
        if not current.ballots:
            raise AgendaError(_("Vote %(id)s has no ballots yet; nothing to close.", id=round_id))
        result = round_result(db, round_id)
        db["priority_rounds"].update(
            round_id,
            {"status": "closed", "closed_at": at, "result": json.dumps(result_record(result))},
        )
    return result


def result_record(result: voting.Result) -> dict:
    """A result as plain JSON for the record."""
    return {
        "method": result.method,
        "tie_rule": result.tie_rule,
        "ballots": result.ballots,
        "standings": [
            {
                "topic_id": s.option,
                "rank": s.rank,
                "shared_rank": s.shared_rank,
                "score": s.score,
                "counts": dict(s.counts),
            }
            for s in result.standings
        ],
        "ties": [
            {"topics": list(t.options), "score": t.score, "rule": t.rule} for t in result.ties
        ],
        "extra": dict(result.extra),
    }


def next_pair(db: Database, round_id: int, rng: np.random.Generator) -> tuple[int, int]:
    current, inputs = round_inputs(db, round_id)
    first, second = voting.next_pair(list(current.topic_ids), inputs["ballots"], rng)
    return int(first), int(second)  # topic ids are ints


def result_lines(
    db: Database, result: voting.Result, *, width: int = 30, label_width: int = 34
) -> list[str]:
    """The result as a table with full counts and a bar chart, for the terminal and reports."""
    titles = {t.id: t.title for t in list_topics(db, include_closed=True)}
    rows = []
    pairwise = result.method == "pairwise"
    for s in result.standings:
        # Pairwise: the measure's name heads the chart once, so each bar stays on one line.
        shown = f"{s.score:.0%}" if pairwise else voting.score_text(s.score, result.score_label)
        place = voting.rank_label(s, result.standings)
        rows.append(
            (
                f"{place}{'' if '=' in place else '.'} {titles.get(s.option, s.option)}",
                s.score,
                shown,
            )
        )
    measure = _(result.score_label).capitalize()
    lines = [f"{measure}:"] if pairwise else []
    lines += voting.bar_lines(rows, width=width, label_width=label_width)
    for tie in result.ties:
        names = ", ".join(titles.get(t, str(t)) for t in tie.options)
        score = f"{tie.score:g}"
        lines.append(
            _(
                "Tie on %(score)s: %(topics)s — %(rule)s.",
                score=score,
                topics=names,
                rule=_(tie.rule),
            )
        )
    return lines


def count_columns(result: voting.Result) -> list[str]:
    """The names of the full counts every standing carries, in a stable order."""
    seen: dict[str, None] = {}
    for s in result.standings:
        for key in s.counts:
            seen.setdefault(key, None)
    return list(seen)
