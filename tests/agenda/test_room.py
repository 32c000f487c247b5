"""The room's rules, without a server: personal codes, one code one ballot, replacement,
refusal after close, visitors, the audit, and the cards and CSV the organiser prints."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from assembly.agenda import rounds, topics
from assembly.agenda.room import submissions as room
from assembly.agenda.room.server import parse_ballot
from assembly.store import write_transaction


@pytest.fixture
def vote(db, clock):
    ids = [topics.propose_topic(db, clock, f"Topic {n}") for n in range(1, 5)]
    round_id = rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3)
    return round_id, ids


def _codes(db, clock) -> dict[int, str]:
    return {c.member_number: c.code for c in room.issue_codes(db, clock)}


def test_every_active_member_gets_one_code_kept_only_as_a_hash(db, clock, assembly) -> None:
    with write_transaction(db):
        db.execute("update members set status = 'withdrawn' where number = 6")
    codes = _codes(db, clock)
    assert sorted(codes) == [1, 2, 3, 4, 5]
    assert room.issue_codes(db, clock) == []  # nobody gets a second code
    dump = "\n".join(sqlite3.connect(assembly.path).iterdump())
    for code in codes.values():
        assert room.normalise_code(code) not in dump
        assert code not in dump
    assert room.member_for_code(db, codes[2].lower().replace("-", " ")) == (
        topics.member_id_for_number(db, 2)
    )
    assert room.member_for_code(db, "AAAA-AAAA") is None


def test_revoke_and_reissue(db, clock) -> None:
    codes = _codes(db, clock)
    room.revoke_code(db, clock, 1, reason="card lost")
    assert room.member_for_code(db, codes[1]) is None
    new = room.reissue_code(db, clock, 1)
    assert new.code != codes[1]
    assert room.member_for_code(db, new.code) == topics.member_id_for_number(db, 1)
    again = room.reissue_code(db, clock, 1)
    assert room.member_for_code(db, new.code) is None
    assert room.member_for_code(db, again.code) is not None
    assert dict(room.code_states(db))[1] == "in force"
    with pytest.raises(room.RoomError, match="no code in force"):
        room.revoke_code(db, clock, 1)
        room.revoke_code(db, clock, 1)


def test_one_code_one_ballot_and_a_second_replaces_the_first(db, clock, vote) -> None:
    round_id, (a, b, c, _) = vote
    member = topics.member_id_for_number(db, 3)
    first = room.submit_ballot(db, clock, member, round_id, {a: 3})
    assert first.replaced_ballot_id is None
    second = room.submit_ballot(db, clock, member, round_id, {b: 2, c: 1})
    assert second.replaced_ballot_id == first.ballot_id
    result = rounds.round_result(db, round_id)
    assert result.ballots == 1
    assert result.standing(a).score == 0 and result.standing(b).score == 2
    reason = db.execute(
        "select void_reason from ballots where id = ?", [first.ballot_id]
    ).fetchone()[0]
    assert reason == f"replaced by ballot {second.ballot_id} from the room"
    actions = [e.action for e in room.recent_audit(db)]
    assert actions == ["ballot replaced", "ballot"]
    assert room.not_voted(db, round_id) == [1, 2, 4, 5, 6]
    assert second.lines == ("Topic 2: 2 dots", "Topic 3: 1 dot")


def test_a_bad_ballot_changes_nothing_and_is_audited_as_refused(db, clock, vote) -> None:
    round_id, (a, *_rest) = vote
    member = topics.member_id_for_number(db, 1)
    kept = room.submit_ballot(db, clock, member, round_id, {a: 1})
    with pytest.raises(room.RoomError, match=r"^Your vote could not be recorded") as refused:
        room.submit_ballot(db, clock, member, round_id, {a: 4})
    assert "uses 4 dots" in refused.value.reason  # the service's words go to the audit only
    live = db.execute(
        "select id from ballots where round_id = ? and voided_at is null", [round_id]
    ).fetchall()
    assert live == [(kept.ballot_id,)]
    latest = room.recent_audit(db, limit=1)[0]
    assert (latest.outcome, latest.member_number) == ("refused", 1)
    assert "uses 4 dots" in latest.reason


def test_refused_after_the_vote_closes(db, clock, vote) -> None:
    round_id, (a, *_rest) = vote
    member = topics.member_id_for_number(db, 2)
    room.submit_ballot(db, clock, member, round_id, {a: 1})
    rounds.close_round(db, clock, round_id)
    with pytest.raises(room.RoomError, match="closed"):
        room.submit_ballot(db, clock, member, round_id, {a: 2})
    assert rounds.get_round(db, round_id).ballots == 1
    assert room.recent_audit(db, limit=1)[0].outcome == "refused"
    assert room.room_round(db) is None


def test_pairwise_answers_and_replacing_the_same_pair(db, clock) -> None:
    a, b, c = (topics.propose_topic(db, clock, t) for t in ("Buses", "Trees", "Shops"))
    round_id = rounds.open_round(db, clock, method="pairwise", tie_rule="earliest")
    member = topics.member_id_for_number(db, 4)
    room.submit_choice(db, clock, member, round_id, (a, b), a)
    room.submit_choice(db, clock, member, round_id, (b, c), None)
    again = room.submit_choice(db, clock, member, round_id, (b, a), b)
    assert again.replaced_ballot_id is not None
    assert again.lines == ("Trees matters more than Buses",)
    result = rounds.round_result(db, round_id)
    assert result.ballots == 1 and result.extra["skipped"] == 1
    assert rounds.get_round(db, round_id).ballots == 2
    undecided = topics.member_id_for_number(db, 5)
    room.submit_choice(db, clock, undecided, round_id, (a, c), None)
    assert room.not_voted(db, round_id) == [1, 2, 3, 6]  # "can't decide" is taking part
    with pytest.raises(room.RoomError, match="does not match"):
        room.submit_choice(db, clock, member, round_id, (a, b), c)


def test_visitors_propose_only_when_allowed(db, clock) -> None:
    with pytest.raises(room.RoomError, match="Only panel members"):
        room.submit_topic(db, clock, None, "Benches")
    room.allow_visitors(db, True)
    visitor = topics.get_topic(db, room.submit_topic(db, clock, None, "Benches"))
    assert (visitor.proposer_kind, visitor.source_ref) == ("resident", "room (phone)")
    member = topics.member_id_for_number(db, 5)
    mine = topics.get_topic(db, room.submit_topic(db, clock, member, "Lights", anonymous=True))
    assert (mine.member_number, mine.anonymous) == (5, True)
    assert mine.proposed_by(for_report=True) == "Anonymous"
    with pytest.raises(room.RoomError, match="Enter a title for your topic"):
        room.submit_topic(db, clock, member, "   ")
    outcomes = [(e.action, e.outcome) for e in room.recent_audit(db)]
    assert outcomes == [
        ("topic", "refused"),
        ("topic", "accepted"),
        ("topic", "accepted"),
        ("topic", "refused"),
    ]


def test_the_audit_cannot_be_changed_or_deleted(db, clock) -> None:
    room.audit(db, clock, "code", "refused", reason="unknown code")
    for sql in ("update room_audit set outcome = 'accepted'", "delete from room_audit"):
        with pytest.raises(sqlite3.DatabaseError, match="never"):
            db.execute(sql)


def test_results_are_published_only_for_closed_votes(db, clock, vote) -> None:
    round_id, (a, *_rest) = vote
    with pytest.raises(room.RoomError, match="still open"):
        room.publish_results(db, clock, round_id)
    room.submit_ballot(db, clock, topics.member_id_for_number(db, 1), round_id, {a: 1})
    rounds.close_round(db, clock, round_id)
    room.publish_results(db, clock, round_id)
    assert room.published_rounds(db) == [round_id]
    room.publish_results(db, clock, round_id, published=False)
    assert room.published_rounds(db) == []


def test_mail_merge_csv_neutralises_formulas_and_cards_escape_html(db, clock) -> None:
    with write_transaction(db):
        db.execute(
            "update respondents set name = '=HYPERLINK(\"http://x\")', email = '@SUM(1)' "
            "where ref = 'R1'"
        )
        db.execute("update respondents set name = '<script>alert(1)</script>' where ref = 'R2'")
    issued = room.issue_codes(db, clock)
    rows = list(csv.DictReader(io.StringIO(room.codes_csv(db, issued, "http://room/"))))
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["email"] == "'@SUM(1)"
    assert rows[0]["code"] == issued[0].code
    cards = room.cards_html(db, issued, assembly_name="A & B <Assembly>", url="http://room/")
    assert "<script>" not in cards
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cards
    assert "A &amp; B &lt;Assembly&gt;" in cards
    assert all(c.code in cards for c in issued)


@pytest.mark.parametrize(
    ("method", "form", "expected"),
    [
        ("borda", {"place-1": "2", "place-2": "1", "place-3": ""}, [2, 1]),
        ("schulze", {"place-3": "1"}, [3]),
        ("approval", {"tick": "1,3"}, {1: 1, 3: 1}),
        ("dot", {"dots-1": "2", "dots-2": "", "dots-3": "1"}, {1: 2, 3: 1}),
    ],
)
def test_forms_become_ballots(method, form, expected) -> None:
    current = rounds.Round(
        1, "t", "q", method, "earliest", None, 3 if method == "dot" else None, None, "open",
        "", None, (1, 2, 3), 0,
    )  # fmt: skip
    assert parse_ballot(current, form) == expected


@pytest.mark.parametrize(
    ("method", "form", "message"),
    [
        ("borda", {"place-1": "1", "place-2": "1"}, "Two topics have place 1"),
        ("borda", {}, "at least one topic"),
        ("approval", {"tick": "9"}, "not in this vote"),
        ("dot", {"dots-1": "2", "dots-2": "2"}, "You used 4 dots"),
        ("dot", {"dots-1": "-1"}, "a whole number"),
        ("dot", {"dots-1": "²"}, "a whole number"),
        ("dot", {"dots-1": "99999999999999999999"}, "a whole number"),
        ("borda", {"place-1": "١"}, "Choose a place"),
        ("approval", {"tick": "²"}, "not in this vote"),
    ],
)
def test_bad_forms_are_refused_in_plain_words(method, form, message) -> None:
    current = rounds.Round(
        1, "t", "q", method, "earliest", None, 3 if method == "dot" else None, None, "open",
        "", None, (1, 2, 3), 0,
    )  # fmt: skip
    with pytest.raises(room.RoomError, match=message):
        parse_ballot(current, form)


def test_codes_from_the_command_line_are_private_files_and_plain_refusals(
    assembly, tmp_path
) -> None:
    from click.testing import CliRunner

    from assembly.cli import main

    path = str(assembly.path)
    assembly.close()
    runner = CliRunner()
    cards, table = tmp_path / "cards.html", tmp_path / "codes.csv"
    issued = runner.invoke(
        main, ["room-codes", "issue", path, "--cards", str(cards), "--csv", str(table)]
    )
    assert issued.exit_code == 0, issued.output
    assert "Issued 6 codes" in issued.output
    for written in (cards, table):
        assert written.stat().st_mode & 0o777 == 0o600
    code = next(csv.DictReader(table.open()))["code"]
    assert code in cards.read_text()
    listing = runner.invoke(main, ["room-codes", "list", path]).output
    assert "in force" in listing and code not in listing
    again = runner.invoke(main, ["room-codes", "reissue", path, "1", "--csv", str(table)])
    assert again.exit_code == 0 and "no longer works" in again.output
    assert next(csv.DictReader(table.open()))["code"] != code
    for args, message in [
        (["room-codes", "issue", path], "Say where to write"),
        (["room-codes", "revoke", path, "99"], "no panel member number 99"),
        (["room-results", path, "1"], "There is no vote 1"),
    ]:
        refused = runner.invoke(main, args)
        assert refused.exit_code == 2 and message in refused.output, refused.output
        assert "Traceback" not in refused.output


def test_a_flood_of_new_visitors_does_not_sign_members_out(assembly) -> None:
    from assembly.agenda.room.server import RoomConfig, RoomServer, Session

    class Request:
        cookies: dict = {}

    server = RoomServer(assembly.path, RoomConfig(max_sessions=3))
    server._sessions["member"] = Session(csrf="x", signed=room.SignIn(1, 1), last_seen=0.0)
    for _ in range(10):
        server._session(Request())
    assert "member" in server._sessions and len(server._sessions) == 3
    server.assembly.close()


async def test_the_writer_commits_waiting_writes_together_and_a_refused_one_alone(
    assembly, clock
) -> None:
    """Jobs queued at once share one commit; one that fails rolls back only its own writes."""
    import asyncio

    from assembly.agenda.room.server import RoomWriter
    from assembly.store import write_transaction as wt

    def note(reason: str, fail: bool = False):
        def job(db):
            with wt(db):
                room.audit(db, clock, "test", "accepted", reason=reason)
                if fail:
                    raise room.RoomError("refused")
            return reason

        return job

    writer = RoomWriter(assembly)
    try:
        results = await asyncio.gather(
            writer.run(note("first")),
            writer.run(note("second", fail=True)),
            writer.run(note("third")),
            return_exceptions=True,
        )
    finally:
        writer.close()
    assert results[0] == "first" and results[2] == "third"
    assert isinstance(results[1], room.RoomError)
    kept = [e.reason for e in room.recent_audit(assembly.db()) if e.action == "test"]
    assert kept == ["third", "first"]
