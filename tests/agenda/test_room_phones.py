"""Scripted phones against a real `assembly room` process on 127.0.0.1, for what went wrong
in the field: a code stopped (revoked, reissued, member withdrawn) while a phone was signed in,
the limits on a normal pace, phones behind one hotspot, forms that lose what was typed, and
error pages that follow the GOV.UK error pattern."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from assembly.agenda import rounds, topics
from assembly.agenda.room import submissions as room
from assembly.core.clock import FixedClock
from assembly.organiser import members
from assembly.store import open_assembly
from tests.agenda.room_helpers import Phone, make_room_file, room_process

GONE = "This code no longer works. Ask a facilitator for help."


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("phones") / "phones.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)), members=30)
    with room_process(path) as url:
        yield path, url, codes


def _counted(path, number: int) -> list[tuple[int, int]]:
    """The marks of member `number`'s live ballot in the open dot vote."""
    assembly = open_assembly(path)
    db = assembly.db()
    try:
        return db.execute(
            "select m.topic_id, m.value from ballot_marks m join ballots b on b.id = m.ballot_id "
            "join members p on p.id = b.member_id where b.round_id = 1 and p.number = ? "
            "and b.voided_at is null order by m.topic_id",
            [number],
        ).fetchall()
    finally:
        assembly.close()


def _change(path, job) -> None:
    assembly = open_assembly(path)
    try:
        return job(assembly.db(), assembly.clock)
    finally:
        assembly.close()


def _refusals(path, number: int) -> list[str]:
    assembly = open_assembly(path)
    try:
        return [
            e.reason
            for e in room.recent_audit(assembly.db(), limit=50)
            if e.member_number == number and e.outcome == "refused"
        ]
    finally:
        assembly.close()


def _send(phone: Phone, dots: dict[int, int]) -> Phone:
    """Send a dot ballot from the form the phone has loaded already."""
    return phone.post("/vote", {"round": "1", **{f"dots-{t}": str(n) for t, n in dots.items()}})


def _ballot(phone: Phone, dots: dict[int, int]) -> Phone:
    return _send(phone.get("/vote"), dots)


def _assert_signed_out(phone: Phone) -> None:
    assert phone.status == 403
    assert GONE in phone.text
    phone.get("/vote")
    assert (phone.status, phone.headers["location"]) == (303, "/")  # the session has ended


def test_a_revoked_code_stops_a_phone_already_signed_in(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[2]).get("/vote")
    _change(path, lambda db, clock: room.revoke_code(db, clock, 2))
    _assert_signed_out(_send(phone, {1: 1}))
    assert _counted(path, 2) == []
    assert "code no longer in force" in _refusals(path, 2)
    # a phone that only opens a page after the revocation is signed out there
    later = Phone(url).sign_in(codes[3]).get("/vote")
    _change(path, lambda db, clock: room.revoke_code(db, clock, 3))
    later.get("/vote")
    assert later.status == 403 and GONE in later.text and later.cookie == ""


def test_a_reissued_code_stops_the_finder_and_the_owner_votes(served) -> None:
    path, url, codes = served
    finder = Phone(url).sign_in(codes[20])
    assert _ballot(finder, {1: 3}).status == 303
    finder.get("/vote")
    new = _change(path, lambda db, clock: room.reissue_code(db, clock, 20))
    owner = Phone(url).sign_in(new.code)
    assert _ballot(owner, {2: 2}).status == 303
    _assert_signed_out(_send(finder, {3: 3}))
    assert _counted(path, 20) == [(2, 2)]  # the owner's ballot stands
    assert "code no longer in force" in _refusals(path, 20)


def test_a_withdrawn_member_is_stopped_on_every_action(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[21]).get("/vote")
    _change(path, lambda db, clock: members.set_status(db, 21, "withdrawn", clock))
    _assert_signed_out(_send(phone, {1: 1}))
    assert _counted(path, 21) == []
    assert "member is no longer on the panel" in _refusals(path, 21)
    # and the same for a topic, sent from a form loaded before the withdrawal
    other = Phone(url).sign_in(codes[22])
    other.get("/propose")
    _change(path, lambda db, clock: members.set_status(db, 22, "withdrawn", clock))
    other.post("/propose", {"title": "Late topic"})
    _assert_signed_out(other)
    titles = _change(path, lambda db, clock: [t.title for t in topics.list_topics(db)])
    assert "Late topic" not in titles


PAIR = re.compile(r'name="a" value="(\d+)"><input type="hidden" name="b" value="(\d+)"')


def test_limits_suit_the_pace_and_refusals_do_not_use_them_up(tmp_path) -> None:
    """--rate 3: three accepted ballots a minute, however many were refused before them; a
    phone sending only refused ones is still stopped (at three times the limit); "Which
    matters more?" answers have their own, faster limit (60 a minute by default)."""
    path = tmp_path / "limits.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    with room_process(path, "--rate", "3") as url:
        careless = Phone(url).sign_in(codes[1])
        statuses = [_ballot(careless, {1: 3, 2: 3}).status for _ in range(5)]  # 6 dots of 3
        statuses += [_ballot(careless, {n: 1}).status for n in (1, 2, 3, 4)]
        assert statuses == [400] * 5 + [303] * 3 + [429]
        flood = Phone(url).sign_in(codes[2])
        statuses = [_ballot(flood, {1: 9}).status for _ in range(10)]
        assert statuses == [400] * 9 + [429]
        assert "too many refused submissions in a minute" in _refusals(path, 2)

        def open_pairwise(db, clock):
            round_id = rounds.open_round(db, clock, method="pairwise", tie_rule="earliest")
            return round_id

        round_id = _change(path, open_pairwise)
        fast = Phone(url).sign_in(codes[1])  # the same member who used up the ballot limit
        for _ in range(15):  # one answer every 4 seconds is a normal pace
            fast.get("/vote")
            a, b = PAIR.search(fast.text).groups()
            assert (
                fast.post("/vote", {"round": round_id, "a": a, "b": b, "choice": a}).status == 303
            )


def test_a_right_code_works_behind_a_hotspot_where_others_mistyped(tmp_path) -> None:
    """Every phone behind one hotspot shares an address. Neighbours' wrong codes do not lock a
    member out; five wrong tries of one code (its first four letters) make that code wait; an
    address sending 30 wrong codes in a minute is guessing, and waits whatever it sends."""
    path = tmp_path / "hotspot.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    with room_process(path) as url:
        neighbours = [f"{a}{b}KM-7PRX" for a, b in zip("ABCDEFGH", "HJKMNPQR", strict=True)]
        assert [Phone(url).sign_in(code).status for code in neighbours] == [403] * 8
        assert Phone(url).sign_in(codes[1]).status == 303
        typo = codes[2][:4] + "-AAA"
        statuses = [Phone(url).sign_in(f"{typo}{n}").status for n in range(6)]
        assert statuses == [403] * 5 + [429]
        assert Phone(url).sign_in(codes[3]).status == 303  # other codes still work
        guesser = Phone(url)
        tried = len(neighbours) + 5  # the refused sixth try was not checked, so not counted
        statuses = [guesser.sign_in(f"{a}{b}XX-XXXX").status for a in "ABCDEF" for b in "XYZ"]
        assert statuses[: 30 - tried] == [403] * (30 - tried) and set(statuses[30 - tried :]) == {
            429
        }
        assert Phone(url).sign_in(codes[4]).status == 429  # the address is guessing
        assert "too many wrong codes from this address" in _refusals(path, None)[:1]


def test_a_propose_form_sent_back_with_an_error_keeps_everything_typed(served) -> None:
    path, url, codes = served
    member = Phone(url).sign_in(codes[5])
    member.get("/propose")
    sent = member.form("/propose") | {"title": "  ", "description": "Near the school"}
    member.post("/propose", sent | {"anonymous": "yes"})
    assert member.status == 400
    again = member.form("/propose")
    assert again == {"csrf": member.csrf, "title": "  ", "description": "Near the school"} | {
        "anonymous": "yes"
    }
    member.post("/propose", again | {"title": "Safer crossings"})  # fixes only the title
    assert member.status == 200
    made = _change(path, lambda db, clock: {t.title: t for t in topics.list_topics(db)})
    assert made["Safer crossings"].anonymous and made["Safer crossings"].member_number == 5


def test_vote_again_shows_what_was_sent_and_ranked_gaps_are_refused(tmp_path) -> None:
    path = tmp_path / "again.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    with room_process(path) as url:
        phone = Phone(url).sign_in(codes[1])
        _ballot(phone, {1: 2, 3: 1})
        phone.get("/vote")
        assert phone.form("/vote") == {
            "csrf": phone.csrf,
            "round": "1",
            **{"dots-1": "2", "dots-2": "0", "dots-3": "1", "dots-4": "0"},
        }

        def reopen(method):
            def job(db, clock):
                current = room.room_round(db)
                db.execute(
                    "update priority_rounds set status = 'closed' where id = ?", [current.id]
                )
                return rounds.open_round(db, clock, method=method, tie_rule="earliest")

            return job

        approval = _change(path, reopen("approval"))
        phone.get("/vote")
        phone.post("/vote", phone.form("/vote") | {"tick": "2,4"})
        assert phone.status == 303
        phone.get("/vote")
        assert phone.form("/vote")["tick"] == "2,4"

        ranked = _change(path, reopen("borda"))
        phone.get("/vote")
        gaps = phone.form("/vote") | {"place-1": "1", "place-3": "3"}
        phone.post("/vote", gaps)
        assert phone.status == 400
        assert "no topic has place 2" in phone.text
        assert _change(path, lambda db, clock: rounds.get_round(db, ranked).ballots) == 0
        assert phone.form("/vote") == gaps  # what was sent comes back to be put right
        phone.post("/vote", gaps | {"place-3": "2"})
        assert phone.status == 303
        phone.get("/vote")
        sent = phone.form("/vote")
        assert (sent["place-1"], sent["place-2"], sent["place-3"]) == ("1", "", "2")
        assert approval != ranked


JARGON = ("Bradley", "Terry", "Schulze", "Borda", "strongest paths", "All Our Ideas", "Method:")


def _assert_gov_uk_error(phone: Phone, field: str, message: str) -> None:
    """The GOV.UK error pattern: 'Error: ' in the title, a focused 'There is a problem' summary
    linking to the field, and the message on the field with a visually hidden 'Error:'."""
    text = phone.text
    assert re.search(r"<title>Error: ", text), text[:300]
    summary = re.search(r'<div class="error-summary"[^>]*>', text)
    assert summary and "autofocus" in summary[0] and 'tabindex="-1"' in summary[0]
    assert "There is a problem" in text
    assert f'<a href="#{field}">{message}</a>' in text
    assert (
        f'<p class="error-message" id="{field}-error"><span class="visually-hidden">Error:'
        f"</span> {message}</p>"
    ) in text
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', text) or re.search(
        rf'aria-describedby="[^"]*{field}-error[^"]*"[^>]*id="{field}"', text
    )


def test_errors_follow_the_gov_uk_pattern_in_plain_words(served) -> None:
    _path, url, codes = served
    phone = Phone(url)
    phone.get("/")
    phone.post("/code", {"code": "KM7P-RX3Q"})
    assert phone.status == 403
    _assert_gov_uk_error(
        phone, "code", "That code was not recognised. Check it against your card and try again."
    )
    assert phone.form("/code")["code"] == "KM7P-RX3Q"  # kept in the box, not wiped

    phone.sign_in(codes[6]).get("/propose")
    phone.post("/propose", {"title": ""})
    _assert_gov_uk_error(phone, "title", "Enter a title for your topic")
    assert "has no title" not in phone.text and "New topic" not in phone.text

    phone.get("/vote")
    phone.post("/vote", phone.form("/vote") | {"dots-2": "2", "dots-3": "2"})
    _assert_gov_uk_error(
        phone, "dots-2", "You used 4 dots but each person has 3. Take some off and send again."
    )
    phone.post("/vote", phone.form("/vote") | {"dots-2": "two"})
    _assert_gov_uk_error(phone, "dots-2", "Enter the number of dots as a whole number, like 2")


def test_pages_explain_the_rules_plainly_and_have_a_back_link(served) -> None:
    _path, url, codes = served
    phone = Phone(url).sign_in(codes[7])
    for page in ("/vote", "/propose", "/results"):
        phone.get(page)
        assert phone.status == 200
        for word in JARGON:
            assert word not in phone.text, (page, word)
        assert re.search(r'<a href="/[a-z]*" class="back-link">Back</a>', phone.text), page
    assert "Spread your 3 dots" in phone.get("/vote").text
    assert 'class="back-link"' not in phone.get("/").text  # the first page has none


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "title"),
    [
        ("GET", "/nowhere", None, 404, "Page not found"),
        ("POST", "/results", {"x": "1"}, 405, "This page cannot be used that way"),
        ("POST", "/propose", {"title": "x" * 70_000}, 413, "That was too much to send"),
    ],
)
def test_every_error_status_has_a_proper_page(served, method, path, body, status, title) -> None:
    _path, url, _codes = served
    phone = Phone(url)
    phone.get("/")
    phone.request(method, path, body)
    assert phone.status == status
    assert phone.headers["content-type"].startswith("text/html")
    assert '<html lang="en-GB" dir="ltr">' in phone.text
    assert f"<title>{title} – Room test &lt;assembly&gt;</title>" in phone.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in phone.text
    assert '<link rel="stylesheet" href="/room.css">' in phone.text
    assert '<a href="/" class="back-link">Back</a>' in phone.text
    assert "default-src 'none'" in phone.headers["content-security-policy"]
    assert phone.headers["x-content-type-options"] == "nosniff"
    assert phone.headers["server"] == "assembly-room"
    if status == 405:
        assert phone.headers["allow"] == "GET,HEAD"
