"""Beside the snapshots, which prove each screen fits: the facts each screen exists to show must
be on it, whole, at a laptop's 80x24 and at 120x36. A fact is a pattern that must match within
one rendered line, or a name from the file that must appear uncut, or a chart that must be
more than one row tall. The walk runs over the example assembly with a live session under way,
one walk per size: the snapshot walk (`test_screen_walk`) checks these on the screens it has
just photographed, so the screens are walked once for both."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}
BRAILLE = re.compile("[\u2801-\u28ff]")  # plotext's line plots draw in braille dots
BAR = re.compile("[█▇▆▅▄▃▂▁]")  # and its bars in blocks


@dataclass(frozen=True)
class Fact:
    """What a reader came to this screen for, and how to tell it is on screen whole: `check`
    gets the screen's text and the example file, and returns what is missing (empty if all
    is there)."""

    what: str
    check: Callable[[str, Database], list[str]]


def pattern(what: str, regex: str) -> Fact:
    """A figure with its words, on one line (a figure wrapped away from its label, or cut at
    an edge, does not match)."""
    compiled = re.compile(regex)
    return Fact(what, lambda text, db: [] if compiled.search(text) else [regex])


def whole(what: str, names: Callable[[Database], list[str]]) -> Fact:
    """Names read from the file, each on one line of the screen, not cut or ellipsed."""

    def check(text: str, db: Database) -> list[str]:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return [n for n in names(db) if not any(" ".join(n.split()) in line for line in lines)]

    return Fact(what, check)


def whole_where_shown(what: str, names: Callable[[Database], list[str]], at_least: int) -> Fact:
    """Names read from the file, for a list that may scroll: each one that begins on screen
    is whole on its line, and at least `at_least` of them are on screen."""

    def check(text: str, db: Database) -> list[str]:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        cut, shown = [], 0
        for name in names(db):
            start = " ".join(name.split())[:12]
            found = [line for line in lines if start in line]
            shown += bool(found)
            cut += [name] if found and not any(" ".join(name.split()) in x for x in found) else []
        return cut if shown >= at_least else [*cut, f"{shown} shown, wanted {at_least}"]

    return Fact(what, check)


def rows_with(what: str, mark: re.Pattern[str], at_least: int) -> Fact:
    """A chart at least `at_least` rows tall: that many lines hold its marks."""

    def check(text: str, db: Database) -> list[str]:
        rows = sum(1 for line in text.splitlines() if mark.search(line))
        return [] if rows >= at_least else [f"{rows} rows of chart, wanted {at_least}"]

    return Fact(what, check)


def table_rows(what: str, first_cells: str, at_least: int) -> Fact:
    """A table showing at least `at_least` rows: lines that start with its first cells."""
    compiled = re.compile(first_cells)

    def check(text: str, db: Database) -> list[str]:
        rows = sum(1 for line in text.splitlines() if compiled.match(line))
        return [] if rows >= at_least else [f"{rows} rows shown, wanted {at_least}"]

    return Fact(what, check)


def _dot_vote_titles(db: Database) -> list[str]:
    """The topics of the example's first vote (dots, with ties), shown in the votes tab."""
    sql = "select title from topics join round_topics on topic_id = id where round_id = 1"
    return [r[0] for r in db.execute(sql)]


RANK_ROW = re.compile(r"(?:^|\s)(\d+=?(?: \(\d+ tied\))?)  +(\S(?:.*?\S)?)  +\d")


def _ranked_titles_whole(text: str, db: Database) -> list[str]:
    """The result table's rows: a rank ('4' or '4= (3 tied)') and a whole topic title, at
    least three rows of them (joint places are checked in tests/agenda)."""
    titles = set(_dot_vote_titles(db))
    cells = [m.group(2) for line in text.splitlines() if (m := RANK_ROW.search(line))]
    cut = [c for c in cells if c not in titles]
    return cut if len(cells) >= 3 else [f"{len(cells)} ranked rows on screen"]


def _timeline_words_whole(text: str, db: Database) -> list[str]:
    """Below the timeline's heading, every word of the first entry's change is whole (a cell
    run off the screen's edge leaves a cut word: 'Bus every 10 mi')."""
    from assembly.feedback.queries import timeline

    _, _, rows = text.partition(" What ")
    if not rows:
        return ["no timeline heading on screen"]
    shown = set(re.findall(r"[\w'’]+", rows))
    words = re.findall(r"[\w'’]+", timeline(db, 1)[0].describe())
    return [w for w in words[:8] if w not in shown]


def _bodies(db: Database) -> list[str]:
    return [r[0] for r in db.execute("select distinct responsible_body from feedback_items")]


QUEUE_ROW = re.compile(r"^ \d+ +\d+ · .*?\d+:\d\d +(.*?)(  |│|$)")
WHY_HERE = re.compile(r"not spoken yet|(not spoken( yet)? · )?(in )?\d+ under-heard groups?|—")


def _why_here_whole(text: str, db: Database) -> list[str]:
    """Each queue row's reason, as words that end where they should."""
    reasons = [m.group(1).strip() for line in text.splitlines() if (m := QUEUE_ROW.match(line))]
    cut = [r for r in reasons if not WHY_HERE.fullmatch(r)]
    return cut if reasons else ["no queue rows on screen"]


FACTS: dict[str, list[Fact]] = {
    "draw": [
        pattern("the draw's minimum chance", r"Minimum chance: \d+\.\d+%"),
        pattern("the rounding change", r"Rounding change: ≤ \d+\.\d+ points"),
        rows_with("the chance-of-selection chart", BRAILLE, 3),
    ],
    "agenda_votes_dots": [Fact("ranks with whole topic titles", _ranked_titles_whole)],
    "scrutiny": [
        whole_where_shown("each responsible body", _bodies, 5),
        rows_with("the progress chart's bars", BAR, 3),
    ],
    "scrutiny_item": [Fact("the timeline's changes, in whole words", _timeline_words_whole)],
    "tables": [table_rows("the tables and their mix", r"^ ?\d+\s+\d+\s+\d+\s+\d+\.\d", 3)],
    "live_session": [Fact("why each speaker is here", _why_here_whole)],
    "invitations": [
        pattern("what waits", r"Needs review: \d+ registrations? from \d+ households?"),
        pattern(
            "an address it could be, whole",
            r"address \d+: Flat \d+, \d+ \w+ \w+, [A-Z]{1,2}\d+ \d[A-Z]{2} \(letter \w{3}-\w{3}\)",
        ),
    ],
    "invitations_rates": [
        rows_with("a bar per decile and the whole", BAR, 11),
        pattern(
            "the overall rate and its interval", r"All +10,000 +\d+ +\d+\.\d% +[\d.]+% to [\d.]+%"
        ),
        pattern(
            "where engagement is weakest",
            r"Decile \d+: \d+\.\d% answered \(95% interval [\d.]+% to [\d.]+%\)",
        ),
    ],
    "invitations_rates_ward": [rows_with("a bar per ward and the whole", BAR, 11)],
}


def _first_vote(app) -> None:
    app.screen.query_one("#rounds").move_cursor(row=0)


# screens beyond the snapshot walk's: (name, the walk's screen it starts from, what is done)
EXTRA: dict[str, tuple[str, Callable]] = {"agenda_votes_dots": ("agenda_votes", _first_vote)}


def missing_facts(texts: dict[str, str], db: Database) -> dict[str, dict[str, list[str]]]:
    """For each screen of `FACTS`, what its facts lack in `texts` (the walk's screen texts);
    empty when every fact is on its screen, whole."""
    missing = {}
    for name, facts in FACTS.items():
        text = texts.get(name, "")
        gone = {f.what: lost for f in facts if (lost := f.check(text, db))}
        if name not in texts:
            gone = {"the screen": ["never reached by the walk"]}
        if gone:
            missing[name] = gone
    return missing
