"""Who could have voted: the ceiling for every count typed in by hand.

A hand count or a paper tally larger than the people who could vote is a typing slip (40 for
4, a table counted twice), and it could pass a recommendation. While a session is under way and
its attendance is taken, the ceiling is those present; otherwise (votes gathered outside a
session, where absent members may vote too) it is the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assembly.agenda.errors import AgendaError
from assembly.core.i18n import _, ngettext
from assembly.sessions.attendance import panel, present_ids


@dataclass(frozen=True)
class Electorate:
    panel: int
    present: int | None  # present at the session under way, once its attendance is taken
    session: str | None  # that session's title

    @property
    def limit(self) -> int:
        return self.present if self.present is not None else self.panel

    def who(self) -> str:
        """'39 members are present at Session 2 (40 on the panel)' or '40 are on the panel'."""
        if self.present is not None:
            return ngettext(
                "%(num)s member is present at %(session)s (%(panel)s on the panel)",
                "%(num)s members are present at %(session)s (%(panel)s on the panel)",
                self.present,
                session=self.session,
                panel=self.panel,
            )
        return ngettext(
            "%(num)s member is on the panel", "%(num)s members are on the panel", self.panel
        )


def electorate(db: Database) -> Electorate:
    """The panel, and who is present at the session under way (running or paused), if any."""
    size = len(panel(db))
    row = db.execute(
        "select id, title from sessions where status in ('running', 'paused') "
        "order by id desc limit 1"
    ).fetchone()
    if (
        row is not None
        and db.execute("select 1 from attendance where session_id = ? limit 1", [row[0]]).fetchone()
    ):
        return Electorate(size, len(present_ids(db, row[0])), row[1])
    return Electorate(size, None, None)


def check_within(db: Database, *, already: int, adding: int, what: str) -> None:
    """Refuse `adding` more votes (or papers) when, with those `already` counted, they would be
    more than the people who could vote. Nothing is checked while there is no panel yet."""
    room = electorate(db)
    total = already + adding
    if not room.panel or total <= room.limit:
        return
    if already:
        raise AgendaError(
            _(
                "%(what)s: %(total)s in all (%(already)s already counted + %(adding)s now), but "
                "only %(who)s. A count cannot be more than the people who could vote: check it "
                "(a table counted twice, or a digit too many).",
                what=what,
                total=total,
                already=already,
                adding=adding,
                who=room.who(),
            )
        )
    raise AgendaError(
        _(
            "%(what)s: %(total)s in all, but only %(who)s. A count cannot be more than the people "
            "who could vote: check it (a table counted twice, or a digit too many).",
            what=what,
            total=total,
            who=room.who(),
        )
    )
