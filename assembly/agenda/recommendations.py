"""Recommendations: drafted from members' ideas, voted on under rules declared beforehand, and,
when passed, handed to the feedback log so the council's response can be tracked.

A vote declares its scale, threshold and quorum when it opens (say "passes with at least 80%
support of those voting, if at least 30 members vote"); once a vote is recorded they are fixed.
Counts are committed as they are typed in, and the full counts are kept with the outcome.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.agenda.electorate import check_within
from assembly.agenda.errors import AgendaError
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Text, Translator, _, stored_form, working
from assembly.feedback.writes import track
from assembly.store import atomic, write_transaction


@dataclass(frozen=True)
class Scale:
    name: str
    label: str  # English (`N_`), shown with `_()`
    choices: tuple[str, ...]  # stored and typed as they are; shown with `_()`
    support: tuple[str, ...]  # choices that count as support
    not_counted: tuple[str, ...]  # choices left out of the threshold (they still make quorum)


SCALES: dict[str, Scale] = {
    "support_oppose": Scale(
        "support_oppose",
        N_("Support or oppose"),
        (N_("support"), N_("oppose")),
        ("support",),
        (),
    ),
    "support_oppose_abstain": Scale(
        "support_oppose_abstain",
        N_("Support, oppose or abstain (abstentions count towards quorum, not the threshold)"),
        (N_("support"), N_("oppose"), N_("abstain")),
        ("support",),
        ("abstain",),
    ),
    "five_point": Scale(
        "five_point",
        N_("Five points, from strongly support to strongly oppose (support = the top two)"),
        (
            N_("strongly support"),
            N_("support"),
            N_("neutral"),
            N_("oppose"),
            N_("strongly oppose"),
        ),
        ("strongly support", "support"),  # not words
        (),
    ),
}


@dataclass(frozen=True)
class Outcome:
    """A vote's full counts and what they mean under its declared rules."""

    scale: str
    threshold: float
    quorum: int
    counts: dict[str, int]
    cast: int  # every vote, abstentions included (for quorum)
    counted: int  # votes the threshold is measured against
    support: int
    outcome: str  # passed / not_passed / no_quorum

    @property
    def share(self) -> float:
        return self.support / self.counted if self.counted else 0.0

    @property
    def summary(self) -> Text:
        """The outcome in words: English as it is (the record and the feedback log keep it so),
        a message a screen shows in the working language (`working().text`)."""
        return _summary(
            OUTCOME_WORDS[self.outcome],
            {
                "support": self.support,
                "counted": self.counted,
                "share": f"{self.share:.0%}",
                "threshold": f"{self.threshold:.0%}",
                "cast": self.cast,
                "quorum": self.quorum,
            },
        )


# A vote's outcome in words (`Outcome.summary`), and the line a passed recommendation carries
# into the feedback log after its text (`send_to_feedback_log`). The log stores them in English,
# filled in, as it always has: its entries are hash-chained, and old files hold them so. A
# report or a screen shows them in its reader's language (`description_in`). The one place that
# knows their wording.
OUTCOME_WORDS = {
    "passed": N_("✓ Passed"),
    "not_passed": N_("✗ Not passed"),
    "no_quorum": N_("✗ No quorum"),
}
SUMMARY = N_(
    "%(outcome)s: %(support)s of %(counted)s in support (%(share)s; needed "
    "%(threshold)s); %(cast)s voted (quorum %(quorum)s)."
)
VOTE_LINE = N_("Assembly vote: %(summary)s")
_COUNTS = ("support", "counted", "cast", "quorum")  # whole numbers; share and threshold: "94%"


def _summary(word: str, values: Mapping[str, object]) -> Text:
    return Text(SUMMARY, {"outcome": Text(word), **values})


def _stored_pattern() -> re.Pattern[str]:
    """The stored English form of a recommendation's description: its text (if any), a blank
    line, then `VOTE_LINE` with `SUMMARY` in it, each value as the summary writes it."""
    words = "|".join(re.escape(w) for w in OUTCOME_WORDS.values())
    values = {"outcome": words} | {name: r"\d+" for name in _COUNTS}
    summary = stored_form(SUMMARY, values, default=r"\d+%")
    line = stored_form(VOTE_LINE, {"summary": summary})
    return re.compile(f"(?:(?P<text>.*)\n\n)?{line}", re.DOTALL)


_STORED = _stored_pattern()


def stored_description(text: str, outcome: Outcome) -> str:
    """What the feedback log keeps for a passed recommendation: its text, then the vote."""
    return f"{text}\n\n{VOTE_LINE % {'summary': outcome.summary}}".strip()


def description_in(description: str, tr: Translator) -> str | None:
    """A log item's description as `stored_description` wrote it, in `tr`'s language (the
    recommendation's own text as written); None for any other (someone's words)."""
    found = _STORED.fullmatch(description)
    if found is None:
        return None
    values = found.groupdict()
    values.pop("summary")  # the whole summary: its parts are the other groups
    text, word = values.pop("text"), values.pop("outcome")  # the word: its English message
    counts = {k: int(v) if k in _COUNTS else v for k, v in values.items()}
    line = tr.gettext(VOTE_LINE, summary=_summary(word, counts))
    return line if text is None else f"{text}\n\n{line}"


def decide(scale: str, threshold: float, quorum: int, counts: Mapping[str, int]) -> Outcome:
    """Pure: passes when at least `quorum` voted and support / counted >= threshold."""
    spec = SCALES[scale]
    full = {c: int(counts.get(c, 0)) for c in spec.choices}
    cast = sum(full.values())
    counted = sum(v for c, v in full.items() if c not in spec.not_counted)
    support = sum(full[c] for c in spec.support)
    if cast < quorum:
        outcome = "no_quorum"
    elif counted and support / counted >= threshold - 1e-12:
        outcome = "passed"
    else:
        outcome = "not_passed"
    return Outcome(scale, threshold, quorum, full, cast, counted, support, outcome)


def parse_threshold(text: str | float) -> float:
    """'80%', '80', '0.8' or 0.8 -> 0.8; anything else is refused with the reason."""
    raw = str(text).strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError as error:
        raise AgendaError(
            _("Threshold %(text)s is not a number; write it like 80%%.", text=repr(text))
        ) from error
    if value > 1:
        value /= 100
    if not 0 < value <= 1:
        raise AgendaError(
            _("Threshold %(text)s must be more than 0%% and at most 100%%.", text=repr(text))
        )
    return value


@dataclass(frozen=True)
class Recommendation:
    id: int
    title: str
    text: str
    topic_id: int | None
    status: str
    idea_ids: tuple[int, ...]
    feedback_item_id: int | None
    created_at: str


@dataclass(frozen=True)
class Vote:
    id: int
    recommendation_id: int
    scale: str
    threshold: float
    quorum: int
    status: str
    opened_at: str
    closed_at: str | None
    outcome: str | None

    @property
    def declared(self) -> str:
        return _(
            "Scale: %(scale)s. Passes with at least %(threshold)s support, if at least "
            "%(quorum)s vote.",
            scale=_(SCALES[self.scale].label),
            threshold=f"{self.threshold:.0%}",
            quorum=self.quorum,
        )


# A recommendation's state in running text ('not passed'); the state itself is what is stored.
STATUS_IN_WORDS = {
    "draft": N_("draft"),
    "voting": N_("voting"),
    "passed": N_("passed"),
    "not_passed": N_("not passed"),
    "withdrawn": N_("withdrawn"),
}


def status_words(status: str) -> str:
    """A recommendation's state in the working language, as a sentence says it."""
    return _(STATUS_IN_WORDS[status]) if status in STATUS_IN_WORDS else status.replace("_", " ")


def _now(clock: Clock) -> str:
    return to_iso(clock.now())


def draft_recommendation(
    db: Database,
    clock: Clock,
    title: str,
    text: str = "",
    *,
    idea_ids: Sequence[int] = (),
    topic_id: int | None = None,
) -> int:
    """Draft a recommendation, linked to the ideas it grew from."""
    title = title.strip()
    if not title:
        raise AgendaError(_("A recommendation needs a title."))
    at = _now(clock)
    with write_transaction(db):
        if idea_ids:
            for idea_id in idea_ids:
                if not db.execute("select 1 from ideas where id = ?", [idea_id]).fetchone():
                    raise AgendaError(_("There is no idea %(id)s.", id=idea_id))
        if (
            topic_id is not None
            and not db.execute("select 1 from topics where id = ?", [topic_id]).fetchone()
        ):
            raise AgendaError(_("There is no topic %(id)s.", id=topic_id))
        rec_id = (
            db["recommendations"]
            .insert(
                {
                    "title": title,
                    "text": text.strip(),
                    "topic_id": topic_id,
                    "status": "draft",
                    "created_at": at,
                    "updated_at": at,
                }
            )
            .last_pk
        )
        db["recommendation_ideas"].insert_all(
            {"recommendation_id": rec_id, "idea_id": i} for i in dict.fromkeys(idea_ids)
        )
        db["recommendation_revisions"].insert(
            {"recommendation_id": rec_id, "at": at, "title": title, "text": text.strip()}
        )
    return int(rec_id)


def edit_recommendation(db: Database, clock: Clock, rec_id: int, *, title: str, text: str) -> None:
    """Redraft; allowed only before a vote opens. Every version is kept."""
    at = _now(clock)
    with write_transaction(db):
        rec = get_recommendation(db, rec_id)
        if rec.status != "draft":
            raise AgendaError(
                _(
                    "Recommendation %(id)s is %(status)s: its wording was fixed when the vote "
                    "opened.",
                    id=rec_id,
                    status=status_words(rec.status),
                )
            )
        if not title.strip():
            raise AgendaError(_("A recommendation needs a title."))
        db["recommendations"].update(
            rec_id, {"title": title.strip(), "text": text.strip(), "updated_at": at}
        )
        db["recommendation_revisions"].insert(
            {"recommendation_id": rec_id, "at": at, "title": title.strip(), "text": text.strip()}
        )


def get_recommendation(db: Database, rec_id: int) -> Recommendation:
    rows = list(db.query("select * from recommendations where id = ?", [rec_id]))
    if not rows:
        raise AgendaError(_("There is no recommendation %(id)s.", id=rec_id))
    row = rows[0]
    ideas = tuple(
        r[0]
        for r in db.execute(
            "select idea_id from recommendation_ideas where recommendation_id = ? order by idea_id",
            [rec_id],
        )
    )
    return Recommendation(
        row["id"],
        row["title"],
        row["text"],
        row["topic_id"],
        row["status"],
        ideas,
        row["feedback_item_id"],
        row["created_at"],
    )


def list_recommendations(db: Database) -> list[Recommendation]:
    return [
        get_recommendation(db, r[0])
        for r in db.execute("select id from recommendations order by id")
    ]


def ideas_for_drafting(db: Database) -> list[tuple[int, str]]:
    """(id, text) of members' ideas still standing."""
    return [
        (r[0], r[1])
        for r in db.execute("select id, text from ideas where withdrawn_at is null order by id")
    ]


def open_vote(
    db: Database, clock: Clock, rec_id: int, *, scale: str, threshold: float | str, quorum: int
) -> int:
    """Open the vote on a recommendation, declaring scale, threshold and quorum now."""
    if scale not in SCALES:
        raise AgendaError(
            _(
                "Unknown scale %(scale)s; choose one of: %(scales)s.",
                scale=repr(scale),
                scales=", ".join(SCALES),
            )
        )
    value = parse_threshold(threshold)
    if not isinstance(quorum, int) or quorum < 0:
        raise AgendaError(
            _("Quorum %(quorum)s must be a whole number of voters, 0 or more.", quorum=repr(quorum))
        )
    at = _now(clock)
    with write_transaction(db):
        rec = get_recommendation(db, rec_id)
        if rec.status != "draft":
            raise AgendaError(
                _(
                    "Recommendation %(id)s is %(status)s; only a draft can go to a vote.",
                    id=rec_id,
                    status=status_words(rec.status),
                )
            )
        vote_id = (
            db["recommendation_votes"]
            .insert(
                {
                    "recommendation_id": rec_id,
                    "scale": scale,
                    "threshold": value,
                    "quorum": quorum,
                    "status": "open",
                    "opened_at": at,
                }
            )
            .last_pk
        )
        db["recommendations"].update(rec_id, {"status": "voting", "updated_at": at})
    return int(vote_id)


def _vote(row: Mapping) -> Vote:
    return Vote(
        row["id"],
        row["recommendation_id"],
        row["scale"],
        row["threshold"],
        row["quorum"],
        row["status"],
        row["opened_at"],
        row["closed_at"],
        row["outcome"],
    )


def get_vote(db: Database, vote_id: int) -> Vote:
    rows = list(db.query("select * from recommendation_votes where id = ?", [vote_id]))
    if not rows:
        raise AgendaError(_("There is no recommendation vote %(id)s.", id=vote_id))
    return _vote(rows[0])


def votes_for(db: Database, rec_id: int) -> list[Vote]:
    return [
        _vote(r)
        for r in db.query(
            "select * from recommendation_votes where recommendation_id = ? order by id", [rec_id]
        )
    ]


def current_vote(db: Database, rec_id: int) -> Vote | None:
    votes = votes_for(db, rec_id)
    return votes[-1] if votes else None


def change_vote(
    db: Database,
    vote_id: int,
    *,
    scale: str | None = None,
    threshold: float | str | None = None,
    quorum: int | None = None,
) -> None:
    """Correct a vote's declared rules: only before anyone has voted."""
    with write_transaction(db):
        vote = get_vote(db, vote_id)
        marks = db.execute(
            "select count(*) from recommendation_marks where vote_id = ?", [vote_id]
        ).fetchone()[0]
        if marks:
            raise AgendaError(
                _(
                    "Vote %(id)s already has votes recorded: its scale, threshold and quorum "
                    "were declared before voting and cannot change now.",
                    id=vote_id,
                )
            )
        if vote.status != "open":
            raise AgendaError(_("Vote %(id)s is closed.", id=vote_id))
        changes: dict[str, object] = {}
        if scale is not None:
            if scale not in SCALES:
                raise AgendaError(_("Unknown scale %(scale)s.", scale=repr(scale)))
            changes["scale"] = scale
        if threshold is not None:
            changes["threshold"] = parse_threshold(threshold)
        if quorum is not None:
            if quorum < 0:
                raise AgendaError(_("Quorum cannot be negative."))
            changes["quorum"] = quorum
        if changes:
            db["recommendation_votes"].update(vote_id, changes)


def record_votes(
    db: Database,
    clock: Clock,
    vote_id: int,
    counts: Mapping[str, int],
    *,
    member_id: int | None = None,
    note: str = "",
) -> None:
    """Record votes as they are counted: a hand count {choice: n}, or one member's choice
    ({choice: 1} with `member_id`). All the counts go in together or none do."""
    at = _now(clock)
    with write_transaction(db):
        vote = get_vote(db, vote_id)
        if vote.status != "open":
            raise AgendaError(
                _("Vote %(id)s is closed: no more votes can be recorded.", id=vote_id)
            )
        spec = SCALES[vote.scale]
        if not counts:
            raise AgendaError(_("Enter at least one count."))
        for choice, n in counts.items():
            if choice not in spec.choices:
                raise AgendaError(
                    _(
                        "Vote %(id)s: %(choice)s is not on the scale (%(choices)s).",
                        id=vote_id,
                        choice=repr(choice),
                        choices=", ".join(spec.choices),
                    )
                )
            if isinstance(n, bool) or not isinstance(n, int):
                raise AgendaError(
                    _(
                        "Vote %(id)s, %(choice)s: %(n)s is not a whole number.",
                        id=vote_id,
                        choice=choice,
                        n=repr(n),
                    )
                )
            if n < 0:
                raise AgendaError(
                    _(
                        "Vote %(id)s, %(choice)s: %(n)s — a count cannot be negative.",
                        id=vote_id,
                        choice=choice,
                        n=n,
                    )
                )
        if member_id is not None:
            if sum(counts.values()) != 1:
                raise AgendaError(_("One member casts exactly one vote."))
            if db.execute(
                "select 1 from recommendation_marks "
                "where vote_id = ? and member_id = ? and voided_at is null",
                [vote_id, member_id],
            ).fetchone():
                raise AgendaError(
                    _(
                        "Member %(member)s has already voted in vote %(id)s.",
                        member=member_id,
                        id=vote_id,
                    )
                )
        already = db.execute(
            "select coalesce(sum(count), 0) from recommendation_marks "
            "where vote_id = ? and voided_at is null",
            [vote_id],
        ).fetchone()[0]
        check_within(
            db,
            already=already,
            adding=sum(counts.values()),
            what=_("Vote %(id)s", id=vote_id),
        )
        entry = db.execute(
            "select coalesce(max(entry), 0) + 1 from recommendation_marks where vote_id = ?",
            [vote_id],
        ).fetchone()[0]
        db["recommendation_marks"].insert_all(
            {
                "vote_id": vote_id,
                "entry": entry,
                "choice": choice,
                "count": n,
                "member_id": member_id,
                "note": note,
                "recorded_at": at,
            }
            for choice, n in counts.items()
            if n or member_id is None
        )


def last_count(db: Database, vote_id: int) -> tuple[int, dict[str, int]] | None:
    """(entry, {choice: n}) of the most recent count still in a vote, if any: one entry is
    everything typed in at once (a table's hand count, or one member's vote)."""
    row = db.execute(
        "select entry from recommendation_marks where vote_id = ? and voided_at is null "
        "order by entry desc limit 1",
        [vote_id],
    ).fetchone()
    if row is None:
        return None
    counts = {
        r[0]: r[1]
        for r in db.execute(
            "select choice, count from recommendation_marks "
            "where vote_id = ? and entry = ? and voided_at is null order by id",
            [vote_id, row[0]],
        )
    }
    return row[0], counts


def void_last_count(db: Database, clock: Clock, vote_id: int, *, reason: str) -> dict[str, int]:
    """Take the last count entered (all its choices) out of the vote, keeping it marked void
    with the reason, so the record shows the correction. Returns what was voided."""
    reason = reason.strip()
    if not reason:
        raise AgendaError(_("Say why the count is void (e.g. 'entered twice')."))
    at = _now(clock)
    with write_transaction(db):
        vote = get_vote(db, vote_id)
        if vote.status != "open":
            raise AgendaError(
                _("Vote %(id)s is closed; its counts can no longer change.", id=vote_id)
            )
        last = last_count(db, vote_id)
        if last is None:
            raise AgendaError(_("Vote %(id)s has no counts to void.", id=vote_id))
        db.execute(
            "update recommendation_marks set voided_at = ?, void_reason = ? "
            "where vote_id = ? and entry = ? and voided_at is null",
            [at, reason, vote_id, last[0]],
        )
    return last[1]


def vote_outcome(db: Database, vote_id: int) -> Outcome:
    vote = get_vote(db, vote_id)
    counts = {
        r[0]: r[1]
        for r in db.execute(
            "select choice, sum(count) from recommendation_marks "
            "where vote_id = ? and voided_at is null group by choice",
            [vote_id],
        )
    }
    return decide(vote.scale, vote.threshold, vote.quorum, counts)


def close_vote(db: Database, clock: Clock, vote_id: int, *, actor: str = "facilitator") -> Outcome:
    """Close the vote, keep the full counts with the outcome, and, if it passed, put the
    recommendation into the feedback log in the same transaction."""
    at = _now(clock)
    with write_transaction(db):
        vote = get_vote(db, vote_id)
        if vote.status != "open":
            raise AgendaError(_("Vote %(id)s is already closed.", id=vote_id))
        outcome = vote_outcome(db, vote_id)
        record = {
            "counts": outcome.counts,
            "cast": outcome.cast,
            "counted": outcome.counted,
            "support": outcome.support,
            "share": outcome.share,
            "summary": outcome.summary,
        }
        db["recommendation_votes"].update(
            vote_id,
            {
                "status": "closed",
                "closed_at": at,
                "outcome": outcome.outcome,
                "result": json.dumps(record),
            },
        )
        status = "passed" if outcome.outcome == "passed" else "not_passed"
        db["recommendations"].update(vote.recommendation_id, {"status": status, "updated_at": at})
        if status == "passed":
            send_to_feedback_log(db, clock, vote.recommendation_id, actor=actor)
    return outcome


@atomic
def send_to_feedback_log(
    db: Database, clock: Clock, rec_id: int, *, actor: str = "facilitator"
) -> int:
    """Track a passed recommendation in the feedback log (once); the log item's id."""
    rec = get_recommendation(db, rec_id)
    if rec.status != "passed":
        raise AgendaError(
            _("Recommendation %(id)s has not passed; only passed ones are sent.", id=rec_id)
        )
    if rec.feedback_item_id is not None:
        return rec.feedback_item_id
    vote = current_vote(db, rec_id)
    assert vote is not None  # a passed recommendation had a vote
    outcome = vote_outcome(db, vote.id)
    # The log keeps the outcome as the record words it (English): its entries are hash-chained.
    description = stored_description(rec.text, outcome)
    with write_transaction(db):
        item_id = track(
            db,
            title=rec.title,
            description=description,
            source_kind="recommendation",
            source_id=rec.id,
            actor=actor,
            clock=clock,
        )
        db["recommendations"].update(rec_id, {"feedback_item_id": item_id})
    return int(item_id)


def outcome_lines(outcome: Outcome, *, width: int = 30, label_width: int = 30) -> list[str]:
    """Full counts as a bar chart that reads without colour, then the outcome in words."""
    from assembly.agenda.voting import bar_lines

    spec = SCALES[outcome.scale]
    rows = []
    for choice in spec.choices:
        n = outcome.counts.get(choice, 0)
        if choice in spec.not_counted:
            label = _("%(choice)s (not counted)", choice=_(choice))
        else:
            label = _(choice)
        rows.append((label, float(n), str(n)))
    lines = bar_lines(rows, width=width, label_width=label_width)
    # Which choices count as support goes on its own line: a "(support)" after "support" read
    # as a stutter, and after "strongly support" it pushed the bar chart's labels past their width.
    if spec.support != ("support",):
        lines.append(
            _(
                "Counted as support: %(choices)s.",
                choices=" + ".join(_(choice) for choice in spec.support),
            )
        )
    return [*lines, working().text(outcome.summary)]
