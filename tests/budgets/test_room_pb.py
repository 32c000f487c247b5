"""Participatory budgeting on phones in the room (issue 19), driven in process through aiohttp's
test server: members and walk-in card holders vote in each ballot form, propose projects while
a round takes them, and a code stopped mid-session stops the phone at once. Hostile input is
refused with the GOV.UK error pattern and nothing recorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from assembly.agenda.room import submissions as room
from assembly.agenda.room.server import RoomConfig, RoomServer
from assembly.budgets import ballots, codes, proposals, rounds
from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from tests.budgets.pb_room_helpers import Phone, make_pb_file, pb_round

CLOCK = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


class Room:
    """A room served in process for one test, with the file's ids and codes."""

    def __init__(self, path, round_id, members, cards, server, test_server) -> None:
        self.path, self.round_id, self.members, self.cards = path, round_id, members, cards
        self.server, self.test_server = server, test_server
        self._sessions: list[aiohttp.ClientSession] = []

    def phone(self) -> Phone:
        async def factory():
            session = aiohttp.ClientSession(
                base_url=str(self.test_server.make_url("")),
                cookie_jar=aiohttp.CookieJar(unsafe=True),
            )
            self._sessions.append(session)
            return session

        return Phone(factory)

    def file(self):
        assembly = open_assembly(self.path)
        return assembly, assembly.db()

    def projects(self, round_id: int | None = None) -> dict[str, rounds.Project]:
        assembly, db = self.file()
        try:
            return {p.title: p for p in rounds.list_projects(db, round_id or self.round_id)}
        finally:
            assembly.close()

    def ballots(self, round_id: int | None = None) -> dict[str, dict[str, int]]:
        assembly, db = self.file()
        try:
            return {
                b.voter: b.marks for b in ballots.current_ballots(db, round_id or self.round_id)
            }
        finally:
            assembly.close()

    def audit(self, limit: int = 5) -> list[room.AuditEntry]:
        assembly, db = self.file()
        try:
            return room.recent_audit(db, limit=limit)
        finally:
            assembly.close()

    async def close(self) -> None:
        for session in self._sessions:
            await session.close()
        await self.test_server.close()
        self.server.assembly.close()


async def _open_room(tmp_path, config: RoomConfig | None = None, **kw) -> Room:
    path = tmp_path / "pb-room.assembly.db"
    round_id, members, cards = make_pb_file(path, CLOCK, **kw)
    server = RoomServer(path, config or RoomConfig(), clock=CLOCK)
    test_server = TestServer(server.make_app(), host="127.0.0.1")
    await test_server.start_server()
    return Room(path, round_id, members, cards, server, test_server)


@pytest.fixture
async def knapsack(tmp_path):
    served = await _open_room(tmp_path)
    yield served
    await served.close()


def _ids(served: Room, *titles: str, round_id: int | None = None) -> list[tuple[str, str]]:
    projects = served.projects(round_id)
    return [("project", str(projects[t].id)) for t in titles]


BENCHES, LIBRARY, CROSSING, PLAY = (
    "Benches <b>by the pond</b>",
    "Library open on Sundays",
    "Safe crossing & lights",
    "Play area",
)


async def test_a_member_votes_within_the_budget_and_a_second_ballot_replaces_the_first(
    knapsack: Room,
) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.members[1])
    assert (phone.status, phone.headers["location"]) == (303, "/budget")
    await phone.get("/budget")
    text = phone.text
    assert phone.status == 200 and "<legend>Projects</legend>" in text
    assert "Benches &lt;b&gt;by the pond&lt;/b&gt;" in text and "<b>by" not in text
    assert "Costs £3,000.00. Mill Park. Parks" in text and "£40,000.00" in text
    assert "A new motorway" not in text  # not feasible: not on the ballot
    assert "Check the total" in text and "equal share of the budget" in text
    body = text.lower().split("<body>")[1]
    assert "equal shares" not in body and "greedy" not in body  # no names of methods

    await phone.post("/budget", [("round", str(knapsack.round_id)), *_ids(knapsack, LIBRARY)])
    assert (phone.status, phone.headers["location"]) == (303, "/budget/recorded")
    await phone.get("/budget/recorded")
    assert "Your vote was recorded" in phone.text and "replaces" not in phone.text
    assert "Chosen: Library open on Sundays (£20,000.00)" in phone.text
    assert "Together they cost £20,000.00 of the £40,000.00 budget." in phone.text

    await phone.get("/budget")
    assert "already voted on this budget" in phone.text
    library = knapsack.projects()[LIBRARY].id
    assert f'value="{library}" checked' in phone.text  # the ballot that counts, to change
    assert "That leaves £20,000.00 of the £40,000.00 budget." in phone.text

    await phone.post(
        "/budget", [("round", str(knapsack.round_id)), *_ids(knapsack, BENCHES, CROSSING)]
    )
    await phone.get("/budget/recorded")
    assert "It replaces what you sent before." in phone.text
    assert knapsack.ballots() == {"member 1": {"1": 1, "3": 1}}
    assembly, db = knapsack.file()
    assert ballots.replaced_count(db, knapsack.round_id) == 1
    assembly.close()
    assert [e.action for e in knapsack.audit(3)][:2] == ["budget ballot", "budget ballot"]


async def test_over_budget_is_refused_with_the_error_summary_and_the_total_can_be_checked(
    knapsack: Room,
) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.members[2])
    await phone.get("/budget")
    chosen = [("round", str(knapsack.round_id)), *_ids(knapsack, LIBRARY, CROSSING)]
    await phone.post("/budget", [*chosen, ("action", "check")])
    assert phone.status == 200 and "<title>Error" not in phone.text
    assert "The projects you have ticked cost £45,000.00." in phone.text
    assert "That is £5,000.00 more than the £40,000.00 budget." in phone.text
    assert knapsack.ballots() == {}  # checking records nothing

    await phone.post("/budget", [*chosen, ("action", "send")])
    assert phone.status == 400
    assert phone.text.count("<title>Error: Greenfield budget (knapsack)") == 1
    assert "There is a problem" in phone.text and "autofocus" in phone.text
    first = knapsack.projects()[BENCHES].id
    assert f'<a href="#project-{first}">The projects you chose cost £45,000.00, which is ' in (
        phone.text
    )
    assert "£5,000.00 more than the budget of £40,000.00" in phone.text
    assert '<span class="visually-hidden">Error:</span>' in phone.text
    for title in (LIBRARY, CROSSING):  # what was ticked comes back ticked
        assert f'value="{knapsack.projects()[title].id}" checked' in phone.text
    assert knapsack.ballots() == {}
    assert knapsack.audit(1)[0].outcome == "refused"
    assert "more than the budget" in knapsack.audit(1)[0].reason


@pytest.mark.parametrize(
    ("rules", "ticked", "message"),
    [
        ({"min_projects": 2}, (PLAY,), "Choose at least 2 projects. You chose 1."),
        ({"max_projects": 2}, (PLAY, BENCHES, LIBRARY), "Choose no more than 2 projects."),
        ({}, (), "Choose at least one project"),
    ],
)
async def test_approval_limits_in_plain_words(tmp_path, rules, ticked, message) -> None:
    served = await _open_room(tmp_path, form="approval", **rules)
    try:
        phone = served.phone()
        await phone.sign_in(served.members[1])
        await phone.get("/budget")
        assert "Tick every project you support." in phone.text
        assert "Check the total" not in phone.text
        await phone.post("/budget", [("round", str(served.round_id)), *_ids(served, *ticked)])
        assert phone.status == 400 and message in phone.text
        assert served.ballots() == {}
        await phone.post("/budget", [("round", str(served.round_id)), *_ids(served, PLAY, BENCHES)])
        assert phone.status == 303
        assert served.ballots() == {"member 1": {"1": 1, "4": 1}}
    finally:
        await served.close()


async def test_points_are_shared_out_and_over_the_total_is_refused(tmp_path) -> None:
    served = await _open_room(tmp_path, form="points")
    try:
        phone = served.phone()
        await phone.sign_in(served.cards[1])  # a walk-in resident's voter card
        assert phone.headers["location"] == "/budget"
        await phone.get("/budget")
        assert "Share your 100 points" in phone.text
        ids = {t: p.id for t, p in served.projects().items()}
        base = [("round", str(served.round_id))]
        over = [*base, (f"points-{ids[PLAY]}", "70"), (f"points-{ids[LIBRARY]}", "40")]
        await phone.post("/budget", [*over, ("action", "check")])
        assert "You have given 110 of your 100 points: 10 too many." in phone.text
        await phone.post("/budget", over)
        assert phone.status == 400
        assert "You gave 110 points but you have 100." in phone.text
        assert 'value="70"' in phone.text  # kept as typed
        for bad in ("ten", "-5", "1e9", "٣", "9999999", "4.5"):
            await phone.post("/budget", [*base, (f"points-{ids[PLAY]}", bad)])
            assert phone.status == 400, bad
            assert "Enter the points as a whole number" in phone.text, bad
        assert served.ballots() == {}
        await phone.post(
            "/budget", [*base, (f"points-{ids[PLAY]}", "60"), (f"points-{ids[BENCHES]}", "40")]
        )
        assert phone.status == 303
        await phone.get("/budget/recorded")
        assert "Play area (£12,000.00): 60 points" in phone.text
        assert "100 of your 100 points used." in phone.text
        assert served.ballots() == {"card 1": {"1": 40, "4": 60}}
    finally:
        await served.close()


async def test_a_card_holder_votes_once_and_a_stopped_card_stops_the_phone_at_once(
    knapsack: Room,
) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.cards[2].lower())
    assert phone.headers["location"] == "/budget"
    await phone.get("/")
    assert "You are signed in with your voter card" in phone.text
    assert 'href="/vote"' not in phone.text  # the agenda's votes are for the panel
    await phone.get("/vote")
    assert (phone.status, phone.headers["location"]) == (303, "/budget")
    await phone.get("/budget")
    form = [("round", str(knapsack.round_id)), *_ids(knapsack, PLAY)]
    await phone.post("/budget", form)
    assert knapsack.ballots() == {"card 2": {"4": 1}}

    await phone.get("/budget")  # the form is on the phone; the card is stopped meanwhile
    assembly, db = knapsack.file()
    codes.revoke_voter_code(db, knapsack.round_id, 2, clock=CLOCK, reason="lost card")
    assembly.close()
    await phone.post("/budget", [("round", str(knapsack.round_id)), *_ids(knapsack, BENCHES)])
    assert phone.status == 403 and "This code no longer works" in phone.text
    assert knapsack.ballots() == {"card 2": {"4": 1}}  # what it cast before still counts
    assert knapsack.audit(1)[0].reason.endswith("voter card stopped")
    await phone.get("/budget")
    assert (phone.status, phone.headers["location"]) == (303, "/")  # signed out
    again = knapsack.phone()
    await again.sign_in(knapsack.cards[2])
    assert again.status == 403 and "was not recognised" in again.text


async def test_a_reissued_member_code_stops_their_budget_vote(knapsack: Room) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.members[3])
    await phone.get("/budget")
    assembly, db = knapsack.file()
    room.reissue_code(db, CLOCK, 3)
    assembly.close()
    await phone.post("/budget", [("round", str(knapsack.round_id)), *_ids(knapsack, PLAY)])
    assert phone.status == 403 and "This code no longer works" in phone.text
    assert knapsack.ballots() == {}
    assert knapsack.audit(1)[0].reason.endswith("code no longer in force")


async def test_a_card_votes_only_in_its_own_round(knapsack: Room) -> None:
    assembly, db = knapsack.file()
    later = pb_round(db, CLOCK, form="approval")  # a second round voting at the same time
    assembly.close()
    member = knapsack.phone()
    await member.sign_in(knapsack.members[1])
    await member.get("/budget")
    assert "Greenfield budget (approval)" in member.text  # members see the latest round
    phone = knapsack.phone()
    await phone.sign_in(knapsack.cards[1])
    await phone.get("/budget")
    assert "Greenfield budget (knapsack)" in phone.text  # a card sees the round it is for
    await phone.post("/budget", [("round", str(later)), *_ids(knapsack, PLAY, round_id=later)])
    assert phone.status == 400 and "This voter card is for another round" in phone.text
    assert knapsack.ballots(later) == {}


async def test_nothing_is_recorded_once_voting_has_closed(knapsack: Room) -> None:
    member = knapsack.phone()
    await member.sign_in(knapsack.members[1])
    await member.get("/budget")
    assembly, db = knapsack.file()
    rounds.close_voting(db, knapsack.round_id, clock=CLOCK)
    assembly.close()
    await member.post("/budget", [("round", str(knapsack.round_id)), *_ids(knapsack, PLAY)])
    assert member.status == 409 and "Voting on the budget has closed" in member.text
    await member.get("/budget")
    assert "No budget vote is open" in member.text and "checkbox" not in member.text
    card = knapsack.phone()
    await card.sign_in(knapsack.cards[1])
    assert card.status == 403  # its round has closed: the card no longer signs in
    assert knapsack.ballots() == {}


@pytest.mark.parametrize(
    "fields",
    [
        [("project", "999")],  # not a project
        [("project", "5")],  # the not-feasible motorway's row
        [("project", "1 OR 1=1")],
        [("project", "")],
    ],
)
async def test_hostile_ballots_are_refused_and_nothing_is_recorded(knapsack, fields) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.members[4])
    await phone.get("/budget")
    await phone.post("/budget", [("round", str(knapsack.round_id)), *fields])
    assert phone.status == 400 and "<title>Error:" in phone.text
    assert "Traceback" not in phone.text
    assert knapsack.ballots() == {}


async def test_forms_need_the_session_token_and_this_room_as_origin(knapsack: Room) -> None:
    phone = knapsack.phone()
    await phone.sign_in(knapsack.members[5])
    await phone.get("/budget")
    form = [("round", str(knapsack.round_id)), *_ids(knapsack, PLAY)]
    assert (await phone.post("/budget", form, csrf="forged")).status == 403
    await phone.get("/budget")
    assert (await phone.post("/budget", form, Origin="null")).status == 403
    await phone.get("/budget")
    assert (await phone.post("/budget", form, Origin="http://evil.example")).status == 403
    for junk in ("", "abc", "99", "-1"):
        await phone.get("/budget")
        await phone.post("/budget", [("round", junk), *_ids(knapsack, PLAY)])
        assert phone.status == 409 and "No budget vote is open" in phone.text
    stranger = knapsack.phone()
    await stranger.get("/")
    await stranger.post("/budget", form)
    assert stranger.status == 403 and "Enter your code first" in stranger.text
    await stranger.get("/budget")
    assert (stranger.status, stranger.headers["location"]) == (303, "/")
    assert knapsack.ballots() == {}


async def test_ballots_share_the_rate_limit_per_code(tmp_path) -> None:
    served = await _open_room(tmp_path, RoomConfig(submissions_per_minute=2))
    try:
        phone = served.phone()
        await phone.sign_in(served.cards[1])
        statuses = []
        for title in (PLAY, BENCHES, LIBRARY):
            await phone.get("/budget")
            await phone.post("/budget", [("round", str(served.round_id)), *_ids(served, title)])
            statuses.append(phone.status)
        assert statuses == [303, 303, 429]
        other = served.phone()  # another card is not slowed down by this one
        await other.sign_in(served.cards[2])
        await other.get("/budget")
        await other.post("/budget", [("round", str(served.round_id)), *_ids(served, PLAY)])
        assert other.status == 303
    finally:
        await served.close()


# --- proposals from phones ----------------------------------------------------------------------


@pytest.fixture
async def proposing(tmp_path):
    """A room with a second round being set up and taking proposals (the first votes)."""
    served = await _open_room(tmp_path)
    assembly, db = served.file()
    round_id = rounds.create_round(
        db, title="Greenfield 2028", budget_pence=50_000_00, rule="greedy",
        ballot_form="approval", clock=CLOCK,
    )  # fmt: skip
    proposals.open_proposals(db, round_id, clock=CLOCK, actor="organiser")
    assembly.close()
    served.proposing = round_id
    yield served
    await served.close()


PROPOSAL = {
    "title": "Water fountain <script>alert(1)</script>",
    "description": "By the bus station.\nFor everyone.",
    "cost": "£4,500.50",
    "area": "Station Road",
    "category": "Health",
    "name": "",
}


async def test_a_resident_proposes_a_project_which_waits_for_review(proposing: Room) -> None:
    phone = proposing.phone()
    await phone.sign_in(proposing.cards[1])
    await phone.get("/")
    assert "Projects can be proposed for <strong>Greenfield 2028</strong>" in phone.text
    await phone.get("/budget/propose")
    assert "The budget is £50,000.00" in phone.text
    assert "Estimated cost in pounds" in phone.text
    await phone.post("/budget/propose", PROPOSAL)
    assert phone.status == 200 and "Your project was recorded" in phone.text
    assert "&lt;script&gt;" in phone.text and "<script>" not in phone.text
    project = proposing.projects(proposing.proposing)[PROPOSAL["title"]]
    assert (project.status, project.cost_pence, project.proposer) == ("proposed", 450050, None)
    assert (project.area, project.category) == ("Station Road", "Health")
    assembly, db = proposing.file()
    sent = proposals.phone_proposal(db, project.id)
    assert sent.description == "By the bus station.\nFor everyone." and sent.sent_by == "card 1"
    changes = rounds.project_changes(db, proposing.proposing, project.ref)
    assert [(c.actor, c.action) for c in changes] == [("room (phone)", "proposed")]
    assembly.close()

    member = proposing.phone()
    await member.sign_in(proposing.members[1])
    await member.get("/budget/propose")
    await member.post("/budget/propose", {**PROPOSAL, "title": "Bike racks", "name": "Asha"})
    named = proposing.projects(proposing.proposing)["Bike racks"]
    assert named.proposer == "Asha"
    assembly, db = proposing.file()
    assert proposals.phone_proposal(db, named.id).sent_by == "member 1"
    assembly.close()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title for your project"),
        ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer"),
        ({"description": "x" * 2001}, "description", "2,000 characters or fewer"),
        ({"cost": ""}, "cost", "Enter an estimated cost"),
        ({"cost": "ten pounds"}, "cost", "Enter the cost in pounds"),
        ({"cost": "-5"}, "cost", "Enter the cost in pounds"),
        ({"cost": "9" * 30}, "cost", "Enter the cost in pounds"),
        ({"cost": "0"}, "cost", "Enter the cost in pounds"),
        ({"cost": "60000"}, "cost", "more than the whole budget of £50,000.00"),
        ({"area": "x" * 101}, "area", "The area must be 100 characters or fewer"),
        ({"name": "x" * 101}, "name", "Your name must be 100 characters or fewer"),
    ],
)
async def test_a_proposal_with_a_problem_comes_back_as_typed(
    proposing: Room, change, field, message
) -> None:
    phone = proposing.phone()
    await phone.sign_in(proposing.members[2])
    await phone.get("/budget/propose")
    await phone.post("/budget/propose", {**PROPOSAL, **change})
    assert phone.status == 400, phone.text
    assert "<title>Error: Propose a project" in phone.text
    assert f'<a href="#{field}">' in phone.text and message in phone.text
    assert f'id="{field}-error"' in phone.text
    assert 'value="Health"' in phone.text  # everything typed comes back as typed
    if field != "cost":
        assert 'value="£4,500.50"' in phone.text
    assert proposing.projects(proposing.proposing) == {}


async def test_proposals_only_while_the_round_takes_them_and_visitors_only_if_allowed(
    proposing: Room,
) -> None:
    visitor = proposing.phone()
    await visitor.get("/budget/propose")
    assert "Only residents with a code can propose projects" in visitor.text
    await visitor.post("/budget/propose", PROPOSAL)
    assert visitor.status == 403
    assembly, db = proposing.file()
    room.allow_visitors(db, True)
    assembly.close()
    await visitor.get("/budget/propose")
    await visitor.post("/budget/propose", {**PROPOSAL, "title": "Benches"})
    assert visitor.status == 200 and "Your project was recorded" in visitor.text
    assembly, db = proposing.file()
    benches = proposing.projects(proposing.proposing)["Benches"]
    assert proposals.phone_proposal(db, benches.id).sent_by == "visitor"
    proposals.close_proposals(db, proposing.proposing)
    assembly.close()
    await visitor.get("/budget/propose")
    assert "No budget is taking proposals right now" in visitor.text
    await visitor.post("/budget/propose", {**PROPOSAL, "title": "Too late"})
    assert visitor.status == 409
    assert "Too late" not in proposing.projects(proposing.proposing)


async def test_opening_voting_ends_proposals_from_phones(proposing: Room) -> None:
    phone = proposing.phone()
    await phone.sign_in(proposing.members[1])
    await phone.get("/budget/propose")
    assembly, db = proposing.file()
    rounds.add_project(
        db, proposing.proposing, title="Typed in", cost_pence=100, actor="o", clock=CLOCK,
        status="feasible",
    )  # fmt: skip
    rounds.open_voting(db, proposing.proposing, clock=CLOCK)
    assert proposals.proposals_round(db) is None
    assembly.close()
    await phone.post("/budget/propose", PROPOSAL)
    assert phone.status == 409 and "No budget is taking proposals" in phone.text
    assert list(proposing.projects(proposing.proposing)) == ["Typed in"]


async def test_a_stopped_card_cannot_propose(proposing: Room) -> None:
    phone = proposing.phone()
    await phone.sign_in(proposing.cards[3])
    await phone.get("/budget/propose")
    assembly, db = proposing.file()
    codes.revoke_voter_code(db, proposing.round_id, 3, clock=CLOCK)
    assembly.close()
    await phone.post("/budget/propose", PROPOSAL)
    assert phone.status == 403 and "This code no longer works" in phone.text
    assert proposing.projects(proposing.proposing) == {}


async def test_a_project_proposed_in_polish_is_marked_polish_in_the_published_report(
    proposing: Room,
) -> None:
    """Issue 22: a project proposed from a phone whose page was in Polish keeps that language;
    funded and handed to the feedback log, its title in the "you said, we did" report carries
    lang="pl". What the log says about it ("Funded in the participatory budget ...") is the
    app's wording, not the resident's words: stored in English, worded in the report's language,
    so it carries no lang of its own."""
    import csv
    import io
    from datetime import date

    from assembly.budgets import results
    from assembly.feedback import reports
    from assembly.store import languages

    assembly, db = proposing.file()
    languages.set_languages(db, residents=["en-GB", "pl"])
    assembly.close()
    title = "Więcej ławek w parku"
    phone = proposing.phone()
    await phone.get("/")
    await phone.post("/language", {"language": "pl"})
    await phone.get("/")
    await phone.post("/code", {"code": proposing.cards[1]})  # the language outlives signing in
    await phone.get("/budget/propose")
    assert '<html lang="pl"' in phone.text
    await phone.post("/budget/propose", {**PROPOSAL, "title": title, "cost": "3000"})
    assert phone.status == 200, phone.text
    english = proposing.phone()  # a phone left in the room's language records that one
    await english.sign_in(proposing.cards[2])
    await english.get("/budget/propose")
    await english.post("/budget/propose", {**PROPOSAL, "title": "Bike racks", "cost": "400"})
    assert english.status == 200, english.text

    assembly, db = proposing.file()
    try:
        round_id, projects = proposing.proposing, proposing.projects(proposing.proposing)
        assert proposals.phone_proposal(db, projects[title].id).language == "pl"
        assert proposals.phone_proposal(db, projects["Bike racks"].id).language == "en-GB"
        for project in projects.values():
            rounds.review_project(
                db, round_id, project.ref, status="feasible", actor="Ann", clock=CLOCK
            )
        rounds.open_voting(db, round_id, clock=CLOCK)
        marks = {p.ref: 1 for p in projects.values()}
        ballots.cast_ballot(db, round_id, voter="V1", marks=marks, clock=CLOCK)
        rounds.close_voting(db, round_id, clock=CLOCK)
        results.count_round(db, round_id, actor="Ann", clock=CLOCK)
        delivered = results.deliver(
            db, round_id, responsible_body="Parks", due="2027-06-30", actor="Ann", clock=CLOCK
        )
        assert len(delivered) == 2
        report = reports.build_report(db, date(2026, 12, 1))
    finally:
        assembly.close()
    page = reports.to_html(report)
    assert re.findall(rf"<bdi([^>]*)>{title}</bdi>", page) == [' lang="pl" dir="auto"'], page
    assert re.findall(r"<bdi([^>]*)>Bike racks</bdi>", page) == [""]  # the page's own
    said = re.findall(r'<p class="said">.*?</p>', page)
    assert len(said) == 2 and all("Funded in the participatory budget" in p for p in said)
    assert not any("lang=" in p for p in said), said  # the app's English, not the resident's
    welsh = reports.to_html(report, reports.report_translator("cy"))
    said = re.findall(r'<p class="said">.*?</p>', welsh)
    assert len(said) == 2 and not any("lang=" in p for p in said), said  # Welsh in Welsh
    assert all("Ariannwyd yn y gyllideb gyfranogol" in p for p in said), said
    rows = {r["you_said"]: r for r in csv.DictReader(io.StringIO(reports.to_csv(report)))}
    assert rows[title]["written_in"] == "pl" and rows["Bike racks"]["written_in"] == "en-GB"


# --- voter cards from the command line ------------------------------------------------------------


async def test_cards_are_issued_printed_and_stopped_from_the_command_line(tmp_path) -> None:
    import csv
    import stat

    from click.testing import CliRunner

    from assembly.cli import main

    served = await _open_room(tmp_path, cards=0)
    try:
        path, runner = str(served.path), CliRunner()
        cards, table = tmp_path / "cards.html", tmp_path / "cards.csv"
        url = "http://192.168.1.20:8090/"
        args = ["budget", "codes", "issue", path, "--count", "3", "--cards", str(cards)]
        done = runner.invoke(main, [*args, "--csv", str(table), "--url", url])
        assert done.exit_code == 0, done.output
        assert "Issued voter cards 1 to 3 for round 1" in done.output
        for written in (cards, table):
            assert stat.S_IMODE(written.stat().st_mode) == 0o600
        html = cards.read_text(encoding="utf-8")
        assert html.count('class="card"') == 3 and "Voter card 3" in html
        assert "PB room &lt;test&gt;" in html and "<test>" not in html
        rows = list(csv.DictReader(table.open(encoding="utf-8")))
        assert [r["card_number"] for r in rows] == ["1", "2", "3"]
        assert all(r["code"] in html and r["room_url"] == url for r in rows)
        assembly, db = served.file()
        stored = [r[0] for r in db.execute("select code_hash from pb_voter_codes")]
        assembly.close()
        assert not any(r["code"] in stored for r in rows)  # only fingerprints are kept

        phone = served.phone()
        await phone.sign_in(rows[1]["code"])
        assert phone.headers["location"] == "/budget"
        stopped = runner.invoke(main, ["budget", "codes", "revoke", path, "2"])
        assert stopped.exit_code == 0 and "Voter card 2 of round 1 no longer works" in (
            stopped.output
        )
        await phone.get("/budget")
        assert phone.status == 403 and "This code no longer works" in phone.text
        listed = runner.invoke(main, ["budget", "codes", "list", path])
        assert "2  stopped: lost card" in listed.output
        assert not any(r["code"] in listed.output for r in rows)

        nowhere = tmp_path / "no-such-folder" / "cards.html"
        refused = runner.invoke(main, [*args[:-1], str(nowhere)])
        assert refused.exit_code == 2 and "Nothing was written" in refused.output
        assembly, db = served.file()
        assert db.execute("select count(*) from pb_voter_codes").fetchone()[0] == 3
        assembly.close()
        for bad in (["--count", "0"], ["--count", "x"]):
            out = runner.invoke(main, ["budget", "codes", "issue", path, *bad, "--cards", "c"])
            assert out.exit_code == 2 and "Traceback" not in out.output
        assert runner.invoke(main, ["budget", "codes", "revoke", path, "9"]).exit_code == 2
    finally:
        await served.close()


def test_a_flood_of_new_visitors_does_not_sign_card_holders_out(tmp_path) -> None:
    from assembly.agenda.room.server import Session

    class Request:
        cookies: dict = {}

    path = tmp_path / "flood.assembly.db"
    make_pb_file(path, CLOCK, cards=1)
    server = RoomServer(path, RoomConfig(max_sessions=3), clock=CLOCK)
    card = codes.CardSignIn(code_id=1, round_id=1, number=1)
    server._sessions["card"] = Session(csrf="x", card=card, last_seen=0.0)
    for _ in range(10):
        server._session(Request())
    assert "card" in server._sessions and len(server._sessions) == 3
    server.assembly.close()
