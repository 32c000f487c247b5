"""HTTP against a real `assembly room` process on 127.0.0.1: codes, one code one ballot,
replacement, refusal after close, CSRF, rate limits, headers, escaping and no personal data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assembly.agenda import rounds, topics
from assembly.agenda.room import submissions as room
from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from tests.agenda.room_helpers import Phone, make_room_file, room_process

RATE = 4  # submissions per code per minute in this server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("room") / "room.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    with room_process(path, "--rate", str(RATE)) as url:
        yield path, url, codes


def _file(path):
    assembly = open_assembly(path)
    return assembly, assembly.db()


def _round(db) -> rounds.Round:
    return room.room_round(db)


def test_one_code_one_ballot_and_resubmission_replaces(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[1])
    assert (phone.status, phone.headers["location"]) == (303, "/vote")
    phone.get("/vote")
    assert 'name="dots-1"' in phone.text and "<legend>" in phone.text
    round_id = _round(open_assembly(path).db()).id
    phone.post("/vote", {"round": round_id, "dots-1": "2", "dots-2": "1"})
    assert (phone.status, phone.headers["location"]) == (303, "/recorded")
    phone.get("/recorded")
    assert "Your vote was recorded" in phone.text and "replaces" not in phone.text
    phone.get("/vote")
    assert "already voted" in phone.text
    phone.post("/vote", {"round": round_id, "dots-3": "3"})
    phone.get("/recorded")
    assert "It replaces what you sent before" in phone.text
    assembly, db = _file(path)
    member = topics.member_id_for_number(db, 1)
    live = db.execute(
        "select count(*) from ballots where round_id = ? and member_id = ? and voided_at is null",
        [round_id, member],
    ).fetchone()[0]
    assert live == 1
    marks = db.execute(
        "select m.topic_id, m.value from ballot_marks m join ballots b on b.id = m.ballot_id "
        "where b.round_id = ? and b.member_id = ? and b.voided_at is null",
        [round_id, member],
    ).fetchall()
    assert marks == [(3, 3)]  # only the second ballot counts
    mine = [e.action for e in room.recent_audit(db, limit=20) if e.member_number == 1]
    assert mine[:3] == ["ballot replaced", "ballot", "code"]
    assembly.close()


def test_wrong_code_is_refused_and_cannot_vote(served) -> None:
    path, url, _codes = served
    phone = Phone(url).sign_in("ZZZZ-ZZZZ")
    assert phone.status == 403
    assert "was not recognised" in phone.text
    phone.get("/vote")
    assert phone.status == 303  # back to the code form
    phone.post("/vote", {"round": "1", "dots-1": "1"})
    assert phone.status == 403
    assembly, db = _file(path)
    reasons = [e.reason for e in room.recent_audit(db, limit=5) if e.outcome == "refused"]
    assert "unknown or revoked code" in reasons and "no code entered" in reasons
    assembly.close()


def test_revoked_code_stops_working(served) -> None:
    path, url, codes = served
    assembly, db = _file(path)
    room.revoke_code(db, assembly.clock, 9)
    assembly.close()
    assert Phone(url).sign_in(codes[9]).status == 403


def test_csrf_token_session_and_origin_are_checked(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[2])
    phone.get("/vote")
    round_id = _round(open_assembly(path).db()).id
    form = {"round": round_id, "dots-1": "1"}
    assert phone.post("/vote", form, csrf="forged").status == 403
    assert "This page has expired" in phone.text
    phone.get("/vote")
    assert phone.request("POST", "/vote", {"round": round_id, "dots-1": "1"}).status == 403
    phone.get("/vote")
    assert phone.post("/vote", form, Origin="http://evil.example").status == 403
    stranger = Phone(url)  # no session cookie at all, a token copied from someone else
    stranger.get("/")
    assert stranger.post("/vote", form, csrf=phone.csrf).status == 403
    assembly, db = _file(path)
    member = topics.member_id_for_number(db, 2)
    assert not db.execute("select 1 from ballots where member_id = ?", [member]).fetchone()
    refusals = [e for e in room.recent_audit(db, limit=4) if "CSRF" in e.reason]
    assert len(refusals) == 4
    assembly.close()
    phone.get("/vote")
    assert phone.post("/vote", form, csrf="é").status == 403  # not a server error
    phone.get("/vote")
    assert phone.post("/vote", form).status == 303  # the real form still works


def test_origin_null_is_refused_like_a_foreign_origin(served) -> None:
    """Issue 26: a sandboxed frame or a page opened from a file sends `Origin: null`; a form
    from one, carrying a real cookie and CSRF token, is not from this room and is refused."""
    path, url, codes = served
    phone = Phone(url)
    phone.get("/")
    # Under "no-referrer" a browser sends `Origin: null` with every form, the room's own too;
    # under "same-origin" it names the room, so refusing null refuses no real phone.
    assert phone.headers["referrer-policy"] == "same-origin"
    assert phone.post("/code", {"code": codes[4]}, Origin="null").status == 403
    assert "This page has expired" in phone.text
    phone.get("/vote")
    assert phone.status == 303  # not signed in: back to the code form
    assembly, db = _file(path)
    assert any("CSRF" in e.reason for e in room.recent_audit(db, limit=3))
    assembly.close()
    phone.get("/")
    assert phone.post("/code", {"code": codes[4]}).status == 303  # without it, signed in


def test_rate_limit_per_code(served) -> None:
    path, url, codes = served
    phone = Phone(url).sign_in(codes[3])
    round_id = _round(open_assembly(path).db()).id
    statuses = []
    for n in range(RATE + 1):
        phone.get("/vote")
        statuses.append(phone.post("/vote", {"round": round_id, f"dots-{n % 4 + 1}": "1"}).status)
    assert statuses == [303] * RATE + [429]
    assert phone.headers["retry-after"] == "60"
    # another member's code is not slowed down by this one
    other = Phone(url).sign_in(codes[4])
    other.get("/vote")
    assert other.post("/vote", {"round": round_id, "dots-1": "1"}).status == 303
    assembly, db = _file(path)
    refused = [e for e in room.recent_audit(db, limit=3) if e.outcome == "refused"]
    assert [(e.reason, e.member_number) for e in refused] == [
        ("too many submissions in a minute", 3)
    ]
    assembly.close()


def test_refused_after_close_and_the_form_closes(served) -> None:
    path, url, codes = served
    assembly, db = _file(path)
    later = rounds.open_round(
        db, assembly.clock, method="borda", tie_rule="earliest", title="Ranking"
    )
    assembly.close()
    phone = Phone(url).sign_in(codes[6])
    phone.get("/vote")
    assert 'name="place-1"' in phone.text and "Ranking" in phone.text
    phone.post("/vote", {"round": later, "place-2": "1", "place-1": "2"})
    assert phone.status == 303
    phone.get("/vote")
    form = {"round": later, "place-3": "1"}
    assembly, db = _file(path)
    rounds.close_round(db, assembly.clock, later)
    assembly.close()
    assert phone.post("/vote", form).status == 409
    assert "This vote has closed" in phone.text
    phone.get("/vote")
    assert f'value="{later}"' not in phone.text  # the closed vote's form is gone
    assembly, db = _file(path)
    assert rounds.get_round(db, later).ballots == 1
    assert room.recent_audit(db, limit=1)[0].reason == f"vote {later} is closed"
    assembly.close()


def test_pages_escape_titles_name_nobody_and_fetch_nothing(served) -> None:
    _path, url, codes = served
    phone = Phone(url).sign_in(codes[7])
    pages = []
    for page in ("/", "/vote", "/propose", "/results", "/projector"):
        phone.get(page)
        assert phone.status == 200, page
        pages.append(phone.text)
        assert "default-src 'none'" in phone.headers["content-security-policy"]
        assert phone.headers["x-content-type-options"] == "nosniff"
        assert phone.headers["server"] == "assembly-room"
        assert '<html lang="en-GB" dir="ltr">' in phone.text
    everything = "\n".join(pages)
    assert "Secret Name" not in everything
    assert "<b>now</b>" not in everything and "Buses &lt;b&gt;now&lt;/b&gt;" in everything
    assert "Room test &lt;assembly&gt;" in everything
    assert "http" not in everything.replace(url, "")  # nothing from anywhere else
    assert codes[7] not in everything
    cookie = phone.cookie
    assert codes[7] not in cookie


def test_visitors_propose_only_when_allowed_and_results_only_when_published(served) -> None:
    path, url, codes = served
    visitor = Phone(url)
    visitor.get("/propose")
    assert "Only panel members" in visitor.text
    visitor.post("/propose", {"title": "Benches"})
    assert visitor.status == 403
    assembly, db = _file(path)
    room.allow_visitors(db, True)
    assembly.close()
    visitor.get("/propose")
    visitor.post("/propose", {"title": "Benches <i>please</i>"})
    assert visitor.status == 200 and "&lt;i&gt;please&lt;/i&gt;" in visitor.text
    member = Phone(url).sign_in(codes[8])
    member.get("/propose")
    assert 'name="anonymous"' in member.text
    member.post("/propose", {"title": "Bins", "anonymous": "yes"})
    assembly, db = _file(path)
    made = {t.title: t for t in topics.list_topics(db)}
    assert made["Bins"].member_number == 8 and made["Bins"].anonymous
    assert made["Benches <i>please</i>"].proposer_kind == "resident"
    member.get("/results")
    assert "No results have been published" in member.text
    shown = rounds.open_round(
        db, assembly.clock, method="approval", tie_rule="earliest", title="Shortlist"
    )
    room.submit_ballot(db, assembly.clock, topics.member_id_for_number(db, 11), shown, {2: 1})
    rounds.close_round(db, assembly.clock, shown)  # self-contained: other tests may run elsewhere
    room.publish_results(db, assembly.clock, shown)
    assembly.close()
    member.get("/results")
    assert "Shortlist" in member.text and "<table>" in member.text
    assert "Trees &amp; shade" in member.text


def test_a_cap_on_requests_at_once(tmp_path) -> None:
    """With --max-clients 1, a phone still sending its form holds the only place: another phone
    is told the room is busy (503, Retry-After) instead of queueing without limit."""
    import socket

    path = tmp_path / "capped.assembly.db"
    make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)), members=2)
    with room_process(path, "--max-clients", "1") as url:
        slow = Phone(url)
        slow.get("/")
        sock = socket.create_connection((slow.host, slow.port), timeout=10)
        sock.sendall(
            (
                "POST /code HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Cookie: {slow.cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 200\r\n\r\ncsrf="
            ).encode()
        )
        busy = Phone(url)
        for _ in range(50):  # until the server has started on the slow request
            if busy.get("/").status == 503:
                break
        assert busy.status == 503 and busy.headers["retry-after"] == "5"
        assert "busy" in busy.text
        sock.close()
        for _ in range(50):
            if busy.get("/").status == 200:
                break
        assert busy.status == 200


def test_a_file_held_by_another_writer_gives_busy_not_an_error(served) -> None:
    """Another program holding the file's write lock for longer than the busy timeout: the
    phone is told to try again (503) and nothing is recorded, instead of a server error."""
    import sqlite3

    path, url, codes = served
    phone = Phone(url).sign_in(codes[10])
    assert phone.status == 303
    phone.get("/vote")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        phone.post("/vote", {"round": "1", "dots-1": "1"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert phone.status == 503 and "Nothing was recorded" in phone.text
    phone.get("/vote")
    assert phone.post("/vote", {"round": "1", "dots-1": "1"}).status == 303


def test_code_guessing_is_slowed_down(served) -> None:
    """Last in this file: it blocks codes starting AAAA from 127.0.0.1 for a minute. (The
    ceiling per address is in test_room_phones.py.)"""
    _path, url, codes = served
    phone = Phone(url)
    statuses = [phone.sign_in(f"AAAA-AAA{n}").status for n in range(6)]
    assert statuses == [403] * 5 + [429]
    assert phone.sign_in(codes[5]).status == 303  # another code from the same address works
