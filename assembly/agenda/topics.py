"""Topics residents propose: typed in live or imported, merged, withdrawn and edited.

Residents set the priorities: topics come from members and other residents, typed in live or
imported from a CSV of paper or online submissions. Merging duplicates keeps both topics and a
history entry on each. The votes that prioritise them are `assembly.agenda.rounds`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assembly.agenda.errors import AgendaError
from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, _, in_words
from assembly.core.library_words import refusal
from assembly.store import write_transaction
from sortition import TableError, read_table, whole_number

# A topic's state as people read it; the state itself (the key) is what the file stores.
STATUS_WORDS = {"open": N_("open"), "merged": N_("merged"), "withdrawn": N_("withdrawn")}


def status_label(status: str) -> str:
    """A topic's state in the working language ('open', 'merged', 'withdrawn')."""
    return in_words(STATUS_WORDS, status)


@dataclass(frozen=True)
class Topic:
    id: int
    title: str
    description: str
    proposer_kind: str
    member_id: int | None
    member_number: int | None
    proposer_name: str | None
    anonymous: bool
    source: str
    source_ref: str | None
    status: str
    merged_into_id: int | None
    created_at: str
    language: str = ""  # the language it was written in, when the room recorded it

    def proposed_by(self, *, for_report: bool = False) -> str:
        """Who proposed it, as a report shows it: 'Anonymous' when they asked for that."""
        if self.anonymous and for_report:
            return _("Anonymous")
        if self.proposer_kind == "member":
            if self.member_number:
                if self.proposer_name:
                    return _(
                        "%(name)s (member %(number)s)",
                        name=self.proposer_name,
                        number=self.member_number,
                    )
                return _("member %(number)s", number=self.member_number)
            if self.proposer_name:
                return _("%(name)s (a member)", name=self.proposer_name)
            return _("a member")
        if self.proposer_kind == "facilitator":
            return _("facilitator")
        return self.proposer_name or _("a resident")


def _now(clock: Clock) -> str:
    return to_iso(clock.now())


def _history(db: Database, topic_id: int, at: str, action: str, **detail: object) -> None:
    db["topic_history"].insert(
        {"topic_id": topic_id, "at": at, "action": action, "detail": json.dumps(detail)}
    )


def member_id_for_number(db: Database, number: int) -> int | None:
    row = db.execute("select id from members where number = ?", [number]).fetchone()
    return row[0] if row else None


def member_name(db: Database, member_id: int) -> str | None:
    row = db.execute(
        "select r.name from members m join respondents r on r.id = m.respondent_id where m.id = ?",
        [member_id],
    ).fetchone()
    return row[0] if row else None


def _topic_row(
    db: Database,
    *,
    title: str,
    description: str,
    proposer_kind: str,
    member_number: int | None,
    proposer_name: str | None,
    anonymous: bool,
    source: str,
    source_ref: str | None,
    at: str,
    where: str,
) -> dict:
    title = (title or "").strip()
    if not title:
        raise AgendaError(_("%(where)s: the topic has no title.", where=where))
    if proposer_kind not in ("member", "resident", "facilitator"):
        raise AgendaError(
            _(
                "%(where)s: proposer must be member, resident or facilitator, not %(kind)s.",
                where=where,
                kind=repr(proposer_kind),
            )
        )
    member_id = None
    if member_number is not None:
        member_id = member_id_for_number(db, member_number)
        if member_id is None:
            raise AgendaError(
                _(
                    "%(where)s: there is no panel member number %(number)s.",
                    where=where,
                    number=member_number,
                )
            )
        proposer_kind = "member"
    return {
        "title": title,
        "description": (description or "").strip(),
        "proposer_kind": proposer_kind,
        "member_id": member_id,
        "proposer_name": (proposer_name or "").strip() or None,
        "anonymous": int(bool(anonymous)),
        "source": source,
        "source_ref": source_ref,
        "status": "open",
        "created_at": at,
    }


def propose_topic(
    db: Database,
    clock: Clock,
    title: str,
    *,
    description: str = "",
    proposer_kind: str = "resident",
    member_number: int | None = None,
    proposer_name: str | None = None,
    anonymous: bool = False,
    source: str = "live",
    source_ref: str | None = None,
    language: str = "",
) -> int:
    """Record one topic as it is proposed (typed in live); `language` is the one it was
    written in, when known (the room's phone language)."""
    at = _now(clock)
    row = _topic_row(
        db,
        title=title,
        description=description,
        proposer_kind=proposer_kind,
        member_number=member_number,
        proposer_name=proposer_name,
        anonymous=anonymous,
        source=source,
        source_ref=source_ref,
        at=at,
        where=_("New topic"),
    )
    row["language"] = language
    with write_transaction(db):
        topic_id = db["topics"].insert(row).last_pk
        _history(db, topic_id, at, "proposed", title=row["title"], source=source)
    return int(topic_id)


CSV_REQUIRED = ("title",)
CSV_OPTIONAL = ("description", "proposed_by", "member_number", "anonymous", "channel")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def import_topics_csv(db: Database, clock: Clock, path: str | Path) -> list[int]:
    """Import submissions (paper or online) from a CSV with a `title` column and optional
    description, proposed_by, member_number, anonymous (yes/no) and channel columns.
    All rows go in, or none do: the first bad row is reported by file, row and column."""
    path = Path(path)
    if not path.exists():  # anything else there is refused, or read, by the shared reader
        raise AgendaError(_("There is no file at %(path)s.", path=str(path)))
    try:
        table = read_table(path, display_name=path.name, line_breaks=True, encoding_option=None)
    except TableError as error:
        raise AgendaError(_("%(error)s.", error=refusal(error))) from None
    header = [h.lower() for h in table.header]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise AgendaError(
            _(
                "%(file)s has no %(missing)s column (its columns are: %(columns)s). Required: "
                "%(required)s; optional: %(optional)s.",
                file=path.name,
                missing=", ".join(missing),
                columns=", ".join(header) or _("none"),
                required=", ".join(CSV_REQUIRED),
                optional=", ".join(CSV_OPTIONAL),
            )
        )
    at = _now(clock)
    rows = []
    for line, cells in table.rows:
        record = dict(zip(header, cells, strict=True))
        where = _("%(file)s, row %(row)s", file=path.name, row=line)
        if not record.get("title"):
            raise AgendaError(_("%(where)s, column title: the title is empty.", where=where))
        number = None
        if record.get("member_number"):
            try:
                number = whole_number(
                    record["member_number"], file=path.name, row=line, column="member_number"
                )
            except TableError:
                raise AgendaError(
                    _(
                        "%(where)s, column member_number: %(value)s is not a number (digits 0-9).",
                        where=where,
                        value=repr(record["member_number"][:30]),
                    )
                ) from None
        anonymous_text = record.get("anonymous", "").lower()
        if anonymous_text not in YES | NO:
            raise AgendaError(
                _(
                    "%(where)s, column anonymous: %(value)s should be yes or no.",
                    where=where,
                    value=repr(record["anonymous"]),
                )
            )
        channel = record.get("channel") or "submission"
        rows.append(
            _topic_row(
                db,
                title=record["title"],
                description=record.get("description", ""),
                proposer_kind="member" if number is not None else "resident",
                member_number=number,
                proposer_name=record.get("proposed_by"),
                anonymous=anonymous_text in YES,
                source="csv",
                source_ref=f"{path.name} row {line} ({channel})",
                at=at,
                where=where,
            )
        )
    if not rows:
        raise AgendaError(_("%(file)s has no topics in it.", file=path.name))
    ids = []
    with write_transaction(db):
        for row in rows:
            topic_id = int(db["topics"].insert(row).last_pk)
            _history(db, topic_id, at, "imported", title=row["title"], source=row["source_ref"])
            ids.append(topic_id)
    return ids


def _topics_query(where: str = "", params: Sequence = ()) -> tuple[str, Sequence]:
    return (
        "select t.*, m.number as member_number, "
        "coalesce(t.proposer_name, r.name) as shown_name from topics t "
        "left join members m on m.id = t.member_id "
        f"left join respondents r on r.id = m.respondent_id {where} order by t.id",
        params,
    )


def _topic(row: Mapping) -> Topic:
    return Topic(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        proposer_kind=row["proposer_kind"],
        member_id=row["member_id"],
        member_number=row["member_number"],
        proposer_name=row["shown_name"],
        anonymous=bool(row["anonymous"]),
        source=row["source"],
        source_ref=row["source_ref"],
        status=row["status"],
        merged_into_id=row["merged_into_id"],
        created_at=row["created_at"],
        language=row["language"],
    )


def list_topics(db: Database, *, include_closed: bool = False) -> list[Topic]:
    """Topics in the order they were proposed; merged and withdrawn ones only if asked."""
    sql, params = _topics_query("" if include_closed else "where t.status = 'open'")  # not words
    return [_topic(r) for r in db.query(sql, params)]


def get_topic(db: Database, topic_id: int) -> Topic:
    sql, params = _topics_query("where t.id = ?", [topic_id])  # not words
    rows = list(db.query(sql, params))
    if not rows:
        raise AgendaError(_("There is no topic %(id)s.", id=topic_id))
    return _topic(rows[0])


def topic_history(db: Database, topic_id: int) -> list[dict]:
    return [
        {**r, "detail": json.loads(r["detail"])}
        for r in db.query(
            "select at, action, detail from topic_history where topic_id = ? order by id",
            [topic_id],
        )
    ]


def history_in_words(event: Mapping) -> str:
    """One event of `topic_history` as the History dialog and `assembly topics history` show
    it, in the working language. The file keeps the event's action and details as recorded;
    the titles, notes and reasons in them are people's own words, shown as written."""
    action, detail = event["action"], event["detail"]
    if action == "proposed":
        title = detail.get("title", "")
        if detail.get("source") == "live":
            return _("Proposed in a session: %(title)s", title=title)
        if detail.get("source") == "csv":
            return _("Proposed from a submission: %(title)s", title=title)
        return _("Proposed: %(title)s", title=title)
    if action == "imported":
        if detail.get("source"):
            return _(
                "Imported from %(source)s: %(title)s",
                source=detail["source"],
                title=detail.get("title", ""),
            )
        return _("Imported: %(title)s", title=detail.get("title", ""))
    if action == "merged":
        if detail.get("note"):
            return _(
                "Merged into topic %(topic)s: %(note)s",
                topic=detail.get("into"),
                note=detail["note"],
            )
        return _("Merged into topic %(topic)s", topic=detail.get("into"))
    if action == "absorbed":
        merged = {"topic": detail.get("topic"), "title": detail.get("title", "")}
        if detail.get("note"):
            return _(
                "Topic %(topic)s (%(title)s) merged into this one: %(note)s",
                note=detail["note"],
                **merged,
            )
        return _("Topic %(topic)s (%(title)s) merged into this one", **merged)
    if action == "withdrawn":
        if detail.get("reason"):
            return _("Withdrawn: %(reason)s", reason=detail["reason"])
        return _("Withdrawn")
    if action == "edited":
        title = detail.get("old_title", "")
        if detail.get("old_description"):
            return _(
                "Edited; before: %(title)s — %(description)s",
                title=title,
                description=detail["old_description"],
            )
        return _("Edited; before: %(title)s", title=title)
    # an event this version does not know (a later version wrote it): its record as it is
    return "; ".join([action, *(f"{key}: {value}" for key, value in detail.items() if value)])


def _topics_in_voted_rounds(db: Database, topic_ids: Sequence[int]) -> list[tuple[int, int]]:
    marks = ",".join("?" * len(topic_ids))
    return [
        (r[0], r[1])
        for r in db.execute(
            f"select distinct rt.topic_id, rt.round_id from round_topics rt "
            f"join priority_rounds p on p.id = rt.round_id where p.status = 'open' "
            f"and rt.topic_id in ({marks}) "
            f"and exists (select 1 from ballots b where b.round_id = rt.round_id)",
            list(topic_ids),
        )
    ]


def merge_topics(
    db: Database, clock: Clock, keep_id: int, merge_ids: Sequence[int], *, note: str = ""
) -> None:
    """Fold duplicates into one topic. The duplicates stay in the file, marked merged into the
    kept one, and both sides' history says so; proposers of all of them remain on record."""
    if not merge_ids:
        raise AgendaError(_("Choose at least one topic to merge into the one you keep."))
    if keep_id in merge_ids:
        raise AgendaError(_("A topic cannot be merged into itself."))
    at = _now(clock)
    with write_transaction(db):
        kept = get_topic(db, keep_id)
        if kept.status != "open":
            raise AgendaError(
                _(
                    "Topic %(id)s is %(status)s; merge into an open topic.",
                    id=keep_id,
                    status=status_label(kept.status),
                )
            )
        busy = _topics_in_voted_rounds(db, [keep_id, *merge_ids])
        if busy:
            topic_id, round_id = busy[0]
            raise AgendaError(
                _(
                    "Topic %(id)s is in vote %(vote)s, which already has ballots; close that "
                    "vote before merging.",
                    id=topic_id,
                    vote=round_id,
                )
            )
        for other_id in merge_ids:
            other = get_topic(db, other_id)
            if other.status != "open":
                raise AgendaError(
                    _(
                        "Topic %(id)s is already %(status)s.",
                        id=other_id,
                        status=status_label(other.status),
                    )
                )
            db["topics"].update(other_id, {"status": "merged", "merged_into_id": keep_id})
            db["topic_merges"].insert(
                {
                    "kept_topic_id": keep_id,
                    "merged_topic_id": other_id,
                    "merged_at": at,
                    "note": note,
                }
            )
            _history(db, other_id, at, "merged", into=keep_id, note=note)
            _history(db, keep_id, at, "absorbed", topic=other_id, title=other.title, note=note)


def withdraw_topic(db: Database, clock: Clock, topic_id: int, *, reason: str = "") -> None:
    at = _now(clock)
    with write_transaction(db):
        topic = get_topic(db, topic_id)
        if topic.status != "open":
            raise AgendaError(
                _(
                    "Topic %(id)s is already %(status)s.",
                    id=topic_id,
                    status=status_label(topic.status),
                )
            )
        db["topics"].update(topic_id, {"status": "withdrawn"})
        _history(db, topic_id, at, "withdrawn", reason=reason)


def edit_topic(db: Database, clock: Clock, topic_id: int, *, title: str, description: str) -> None:
    title = title.strip()
    if not title:
        raise AgendaError(_("Topic %(id)s: the title cannot be empty.", id=topic_id))
    at = _now(clock)
    with write_transaction(db):
        before = get_topic(db, topic_id)
        db["topics"].update(topic_id, {"title": title, "description": description.strip()})
        _history(
            db,
            topic_id,
            at,
            "edited",
            old_title=before.title,
            old_description=before.description,
        )
