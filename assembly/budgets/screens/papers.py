"""The paper ballots of a round that count, with each person's reading, for the Ballots tab.

`assembly.budgets.ballots` lists the papers still to settle (`paper_mismatches`,
`papers_waiting`); the tab also shows the settled ones, so a paper whose first two readings
differed stays visible, with the entry that settled it, after it counts. A read-only query,
kept beside the screen (the ballots module belongs to the room's phone voting work).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from assembly.budgets.ballots import PaperEntry


@dataclass(frozen=True)
class CountedPaper:
    paper: str
    entries: tuple[PaperEntry, ...]

    @property
    def settled_after_mismatch(self) -> bool:
        """Two readings differed before a further one agreed with one of them."""
        return len({tuple(sorted(e.marks.items())) for e in self.entries}) > 1


def counted_papers(db: Database, round_id: int) -> list[CountedPaper]:
    """Papers that count, in the order they were first typed in, each with every reading."""
    rows = db.execute(
        "select e.paper, e.entered_by, e.marks, e.entered_at from pb_paper_entries e "
        "where e.round_id = ? and e.paper in (select paper from pb_paper_entries "
        "where round_id = ? and ballot_id is not null) order by e.id",
        [round_id, round_id],
    ).fetchall()
    entries: dict[str, list[PaperEntry]] = {}
    for paper, entered_by, marks, entered_at in rows:
        read = {str(ref): int(points) for ref, points in json.loads(marks)}
        entries.setdefault(paper, []).append(PaperEntry(entered_by, read, entered_at))
    return [CountedPaper(paper, tuple(found)) for paper, found in entries.items()]
