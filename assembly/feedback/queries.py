"""Reading the feedback log: items (from their cached summaries) and entries, oldest first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.feedback.entries import Entry, FeedbackError, Item, entry_from_row, item_from_row


def get_item(db: Database, item_id: int) -> Item:
    rows = list(db.query("select * from feedback_items where id = ?", [item_id]))
    if not rows:
        raise FeedbackError(f"There is no feedback item {item_id}.")
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


def written_in(db: Database) -> dict[int, WrittenIn]:
    """{item id: the language its resident's words were written in}, read from the source each
    item links to, so the hash-chained log never has to carry it: an idea keeps the language
    it was written in (its title and description are both its words); a funded PB project
    delivered to the log (`pb_deliveries`) has the language of the phone it was proposed from,
    for its title only, while that is still the project's own title. Items with no such
    source (recommendations and whatever officers typed) or with no language recorded are
    left out: they are in the page's own language."""
    ideas = db.execute(
        "select f.id, i.language from feedback_items f join ideas i on i.id = f.source_id "
        "where f.source_kind = 'idea' and i.language != ''"
    ).fetchall()
    projects = db.execute(
        "select d.feedback_item_id, pp.language from pb_deliveries d "
        "join pb_phone_proposals pp on pp.project_id = d.project_id "
        "join pb_projects p on p.id = d.project_id "
        "join feedback_items f on f.id = d.feedback_item_id "
        "where pp.language != '' and f.title = p.title"
    ).fetchall()
    return {
        **{item_id: WrittenIn(language, language) for item_id, language in ideas},
        **{item_id: WrittenIn(language, "") for item_id, language in projects},
    }


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
