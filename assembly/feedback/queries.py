"""Reading the feedback log: items (from their cached summaries) and entries, oldest first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.core.i18n import SOURCE_LANGUAGE, _
from assembly.feedback.entries import Entry, FeedbackError, Item, entry_from_row, item_from_row


def get_item(db: Database, item_id: int) -> Item:
    rows = list(db.query("select * from feedback_items where id = ?", [item_id]))
    if not rows:
        raise FeedbackError(_("There is no feedback item %(item)s.", item=item_id))
    return item_from_row(rows[0])


def all_items(db: Database) -> list[Item]:
    return [item_from_row(r) for r in db.query("select * from feedback_items order by id")]


def timeline(db: Database, item_id: int) -> list[Entry]:
    """Every entry of one item, oldest first: its full history."""
    return [
        entry_from_row(r)
        for r in db.query(
            "select * from feedback_entries where item_id = ? order by seq", [item_id]
        )
    ]


def iter_entries(db: Database) -> Iterator[Entry]:
    for row in db.query("select * from feedback_entries order by seq"):
        yield entry_from_row(row)


def entry_count(db: Database) -> int:
    return db.execute("select count(*) from feedback_entries").fetchone()[0]


@dataclass(frozen=True)
class WrittenIn:
    """The language a resident wrote an item's words in, for each of its texts: '' for a text
    that is not theirs (a funded PB project's description is the app's English wording)."""

    title: str
    description: str


def _edited(db: Database, field: str) -> set[int]:
    """Items whose `field` an officer has changed since the log received them."""
    return {
        row[0]
        for row in db.execute(
            "select distinct item_id from feedback_entries where kind = 'update' "
            "and json_type(data, '$.' || ?) is not null",
            [field],
        )
    }


def written_in(db: Database) -> dict[int, WrittenIn]:
    """{item id: the language each of its texts was written in}, read from the source each
    item links to, so the hash-chained log never has to carry it. An idea's title and
    description are both its resident's words, in the language it was recorded in; a funded PB
    project delivered to the log (`pb_deliveries`) has the language of the phone it was
    proposed from for its title, and its description is the app's English wording ("Funded in
    the participatory budget …"). A text an officer has changed since is theirs, in the page's
    language (''), and so is everything on items with no such source (recommendations,
    whatever officers typed) or no language recorded."""
    retitled, redescribed = _edited(db, "title"), _edited(db, "description")
    ideas = db.execute(
        "select f.id, i.language from feedback_items f join ideas i on i.id = f.source_id "
        "where f.source_kind = 'idea' and i.language != ''"
    ).fetchall()
    projects = db.execute(
        "select d.feedback_item_id, "
        "case when f.title = p.title then coalesce(pp.language, '') else '' end "
        "from pb_deliveries d join pb_projects p on p.id = d.project_id "
        "join feedback_items f on f.id = d.feedback_item_id "
        "left join pb_phone_proposals pp on pp.project_id = d.project_id"
    ).fetchall()

    def written(item_id: int, title: str, description: str) -> WrittenIn:
        return WrittenIn(
            "" if item_id in retitled else title,
            "" if item_id in redescribed else description,
        )

    found = {
        **{i: written(i, language, language) for i, language in ideas},
        **{i: written(i, language, SOURCE_LANGUAGE) for i, language in projects},
    }
    return {i: w for i, w in found.items() if w.title or w.description}


def untracked_ideas(db: Database) -> list[tuple[int, str]]:
    """The sessions' ideas (not withdrawn) that the log does not track yet: (id, text)."""
    tracked = "select source_id from feedback_items where source_kind = 'idea'"
    try:
        return db.execute(
            f"select id, text from ideas where withdrawn_at is null and id not in ({tracked}) "
            "order by id"
        ).fetchall()
    except sqlite3.OperationalError:  # no ideas table yet, or one without withdrawals
        try:
            return db.execute(
                f"select id, text from ideas where id not in ({tracked}) order by id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
