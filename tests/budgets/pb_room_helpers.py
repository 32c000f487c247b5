"""An assembly file with a PB round for the room's phones, and a phone for aiohttp's test client."""

from __future__ import annotations

import re
from pathlib import Path

from assembly.agenda.room import submissions as room
from assembly.budgets import codes, rounds
from assembly.core.clock import FixedClock
from assembly.store import create_assembly, write_transaction

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PROJECTS = (  # title, cost in pounds, area, category
    ("Benches <b>by the pond</b>", 3000, "Mill Park", "Parks"),
    ("Library open on Sundays", 20000, "Town centre", "Libraries"),
    ("Safe crossing & lights", 25000, "Station Road", "Transport"),
    ("Play area", 12000, "", ""),
)
BUDGET = 40000


def add_members(db, count: int) -> None:
    with write_transaction(db):
        for n in range(1, count + 1):
            rid = (
                db["respondents"]
                .insert(
                    {
                        "ref": f"R{n}",
                        "name": f"Secret Name {n}",
                        "features": "{}",
                        "imported_at": "x",
                    }
                )
                .last_pk
            )
            db["members"].insert(
                {"respondent_id": rid, "number": n, "status": "confirmed", "status_changed_at": "x"}
            )


def pb_round(db, clock, *, form: str = "knapsack", open_voting: bool = True, **rules) -> int:
    """A round of the four `PROJECTS` (feasible) and one not feasible, voting open."""
    if form == "points":
        rules.setdefault("points_per_voter", 100)
    round_id = rounds.create_round(
        db,
        title=f"Greenfield budget ({form})",
        budget_pence=BUDGET * 100,
        rule="mes",
        ballot_form=form,
        clock=clock,
        **rules,
    )
    for title, cost, area, category in PROJECTS:
        rounds.add_project(
            db,
            round_id,
            title=title,
            cost_pence=cost * 100,
            area=area,
            category=category,
            actor="organiser",
            clock=clock,
            status="feasible",
        )
    rounds.add_project(
        db,
        round_id,
        title="A new motorway",
        cost_pence=30000 * 100,
        actor="organiser",
        clock=clock,
        status="not_feasible",
        reason="Not the council's to build",
    )
    if open_voting:
        rounds.open_voting(db, round_id, clock=clock)
    return round_id


def make_pb_file(path: Path, clock: FixedClock, *, members: int = 6, cards: int = 4, **kw):
    """Members with room codes, a PB round open for voting and `cards` voter cards for it.
    Returns (round id, {member number: code}, {card number: code})."""
    assembly = create_assembly(path, name="PB room <test>", clock=clock)
    db = assembly.db()
    add_members(db, members)
    member_codes = {c.member_number: c.code for c in room.issue_codes(db, clock)}
    round_id = pb_round(db, clock, **kw)
    issued = codes.issue_voter_codes(db, round_id, cards, clock=clock) if cards else []
    card_codes = {c.number: c.code for c in issued}
    assembly.close()
    return round_id, member_codes, card_codes


class Phone:
    """One resident's phone on aiohttp's test client: its own cookie jar, the CSRF token read
    off each page, and what the last response said."""

    def __init__(self, client_factory) -> None:
        self._factory = client_factory
        self.client = None
        self.status = 0
        self.text = ""
        self.headers: dict[str, str] = {}
        self.csrf = ""

    async def _client(self):
        if self.client is None:
            self.client = await self._factory()
        return self.client

    async def request(self, method: str, path: str, data=None, **headers: str):
        client = await self._client()
        response = await client.request(
            method, path, data=data, headers=headers, allow_redirects=False
        )
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self.text = await response.text()
        found = CSRF.search(self.text)
        if found:
            self.csrf = found.group(1)
        return self

    async def get(self, path: str):
        return await self.request("GET", path)

    async def post(self, path: str, fields, *, csrf: str | None = None, **headers: str):
        """`fields`: a dict, or (name, value) pairs for several boxes of one name."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs.insert(0, ("csrf", self.csrf if csrf is None else csrf))
        return await self.request("POST", path, pairs, **headers)

    async def sign_in(self, code: str):
        await self.get("/")
        return await self.post("/code", {"code": code})
