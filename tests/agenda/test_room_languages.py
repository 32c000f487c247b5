"""The room in residents' languages, over HTTP to a real `assembly room` on 127.0.0.1: a phone
picks its language on the first page and keeps it, the page says so (`lang`, `dir`), a ballot
is cast in each language and every one is counted; and the organiser's commands."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.agenda import rounds
from assembly.agenda.room import pages
from assembly.agenda.room import submissions as room
from assembly.cli import main
from assembly.core import i18n
from assembly.core.clock import FixedClock
from assembly.organiser import support
from assembly.store import languages, open_assembly, write_transaction
from tests.agenda.room_helpers import Phone, make_room_file, room_process

LANGUAGES = {  # tag: (dir, words on the vote page, words on the recorded page)
    "cy": ("ltr", "Anfon fy mhleidlais", "Cofnodwyd eich pleidlais"),
    "pl": ("ltr", "Wyślij mój głos", "Twój głos został zapisany"),
    "ur": ("rtl", "میرا ووٹ بھیجیں", "آپ کا ووٹ درج ہو گیا"),
    "bn": ("ltr", "আমার ভোট পাঠান", "আপনার ভোট নথিভুক্ত হয়েছে"),
    "ar": ("rtl", "أرسل تصويتي", "سُجّل تصويتك"),
    "ro": ("ltr", "Trimit votul", "Votul a fost înregistrat"),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("room") / "room.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    assembly = open_assembly(path)
    languages.set_languages(assembly.db(), residents=["en-GB", *LANGUAGES])
    assembly.close()
    with room_process(path) as url:
        yield path, url, codes


def test_a_ballot_is_cast_and_counted_in_each_language(served) -> None:
    path, url, codes = served
    round_id = room.room_round(open_assembly(path).db()).id
    for number, (tag, (direction, send, recorded)) in enumerate(LANGUAGES.items(), start=1):
        phone = Phone(url)
        phone.get("/")
        assert '<html lang="en-GB" dir="ltr">' in phone.text
        assert f'<option value="{tag}" lang="{tag}">' in phone.text
        phone.post("/language", {"language": tag})
        assert (phone.status, phone.headers["location"]) == (303, "/")
        phone.get("/")
        assert f'<html lang="{tag}" dir="{direction}">' in phone.text
        phone.post("/code", {"code": codes[number]})  # the language outlives signing in
        phone.get("/vote")
        assert f'<html lang="{tag}" dir="{direction}">' in phone.text
        assert send in phone.text and "Send my vote" not in phone.text
        phone.post("/vote", {"round": round_id, "dots-1": "2", "dots-2": "1"})
        assert (phone.status, phone.headers["location"]) == (303, "/recorded"), phone.text
        phone.get("/recorded")
        assert recorded in phone.text, tag
        if tag == "ar":  # the time as Arabic writes it (CLDR, through Babel): 2:05 م
            assert re.search(r"\d{1,2}:\d{2}\s[صم]", phone.text), phone.text
    db = open_assembly(path).db()
    result = rounds.round_result(db, round_id)
    assert {s.option: s.score for s in result.standings}[1] == 2 * len(LANGUAGES)
    assert room.voters(db, round_id) == len(LANGUAGES)


def test_a_refusal_is_in_the_phones_language(served) -> None:
    path, url, codes = served
    round_id = room.room_round(open_assembly(path).db()).id
    phone = Phone(url)
    phone.get("/")
    phone.post("/language", {"language": "cy"})
    phone.sign_in(codes[9])
    phone.get("/vote")
    phone.post("/vote", {"round": round_id, "dots-1": "9"})
    assert phone.status == 400
    assert "Defnyddioch 9 dot ond mae gan bob person 3." in phone.text
    assert "Mae problem" in phone.text


def test_a_language_not_offered_is_ignored(served) -> None:
    _, url, _ = served
    phone = Phone(url)
    phone.get("/")
    phone.post("/language", {"language": "de"})
    phone.get("/")
    assert '<html lang="en-GB" dir="ltr">' in phone.text


def test_new_with_a_working_language_and_residents_languages(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "cymru.db"
    made = runner.invoke(
        main, ["new", str(path), "--lang", "cy", "--residents-languages", "en-GB,ur", "--no-open"]
    )
    assert made.exit_code == 0, made.output
    db = open_assembly(path).db()
    assert languages.working_language(db) == "cy"
    assert languages.residents_languages(db) == ["cy", "en-GB", "ur"]
    listed = runner.invoke(main, ["languages", "list", str(path)])
    assert listed.exit_code == 0
    # a Welsh file's commands speak Welsh (issue 22)
    assert "Iaith waith: cy (Cymraeg)" in listed.output
    assert "adolygwyd gan siaradwr rhugl" in listed.output
    welsh = next(line for line in listed.output.splitlines() if line.startswith("cy "))
    assert "gyda'r ap" in welsh and welsh.split()[5] == "na"  # an AI draft, unreviewed


def test_the_list_says_why_community_catalogues_are_partly_translated(tmp_path: Path) -> None:
    """Polish shows some hundreds of its 3,000 messages: the list says those are what residents
    read, and that officers' words fall back to English."""
    path = tmp_path / "borough.db"
    runner = CliRunner()
    assert runner.invoke(main, ["new", str(path), "--no-open"]).exit_code == 0
    listed = runner.invoke(main, ["languages", "list", str(path)])
    assert listed.exit_code == 0, listed.output
    polish = next(line for line in listed.output.splitlines() if line.startswith("pl "))
    done, total = (int(n) for n in polish.split()[3].split("/"))
    assert done < total
    words = " ".join(listed.output.split())
    assert "cover what residents read" in words and "fall back to English" in words


@pytest.mark.parametrize("tag", ["welsh!", "zz-ZZ-nope"])
def test_a_bad_language_is_refused_and_no_file_is_made(tmp_path: Path, tag: str) -> None:
    path = tmp_path / "x.db"
    result = CliRunner().invoke(main, ["new", str(path), "--lang", tag, "--no-open"])
    assert result.exit_code == 2
    assert "not a language tag" in result.output
    assert not path.exists()


def test_languages_set_refuses_a_bad_tag_and_changes_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "x.db"
    assert runner.invoke(main, ["new", str(path), "--no-open"]).exit_code == 0
    result = runner.invoke(main, ["languages", "set", str(path), "--residents", "cy,??"])
    assert result.exit_code == 2 and "'??'" in result.output
    assert languages.residents_languages(open_assembly(path).db()) == ["en-GB"]


def test_printed_cards_are_in_the_working_language(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    path = tmp_path / "room.assembly.db"
    make_room_file(path, clock, members=2)
    db = open_assembly(path).db()
    issued = [room.IssuedCode(member_id=1, member_number=1, code="KM7P-RX3D")]
    html = room.cards_html(db, issued, assembly_name="Tŷ", url="http://x/", language="ur")
    assert '<html lang="ur" dir="rtl">' in html
    assert "یہ کوڈ صرف آپ کا ہے۔" in html and 'aria-label="آپ کا کوڈ"' in html
    assert "This code is yours alone" not in html


CARD = re.compile(r'<section class="card"([^>]*)>(.*?)</section>', re.S)
FIRST_LANGUAGES = {1: "Welsh", 2: "اردو", 3: "Klingon", 4: "", 5: " POLISH "}


def _members_with_first_languages(tmp_path: Path):
    """A room file with five members whose first languages are FIRST_LANGUAGES (member 4 has
    none recorded): its database and a code issued to each."""
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "room.assembly.db"
    make_room_file(path, clock, members=5)
    db = open_assembly(path).db()
    for number, first_language in FIRST_LANGUAGES.items():
        if first_language:
            support.set_support(db, number, clock, first_language=first_language)
    issued = [
        room.IssuedCode(member_id=n, member_number=n, code=f"KM7P-RX3{n}") for n in range(1, 6)
    ]
    return db, issued


def _cards_by_member(tmp_path: Path, room_language: str = "en-GB") -> tuple[str, dict[int, str]]:
    """Cards for the five members of `_members_with_first_languages`, printed in a room working
    in `room_language`: the page, and each card's opening tag's attributes and words by member
    number."""
    db, issued = _members_with_first_languages(tmp_path)
    html = room.cards_html(db, issued, assembly_name="Tŷ", url="http://x/", language=room_language)
    cards = CARD.findall(html)
    assert len(cards) == 5
    return html, {n: attributes + words for n, (attributes, words) in enumerate(cards, 1)}


def test_the_mail_merge_csv_says_which_language_each_card_is_in(tmp_path: Path) -> None:
    """So a mail merge can pick the covering letter in the card's language."""
    db, issued = _members_with_first_languages(tmp_path)
    rows = list(csv.DictReader(io.StringIO(room.codes_csv(db, issued, "http://x/", "en-GB"))))
    assert [r["card_language"] for r in rows] == ["cy", "ur", "en-GB", "en-GB", "pl"]


def test_a_welsh_member_gets_a_welsh_card(tmp_path: Path) -> None:
    html, cards = _cards_by_member(tmp_path)
    assert html.startswith('<!doctype html>\n<html lang="en-GB" dir="ltr">')  # the page's
    welsh = cards[1]
    assert ' lang="cy" dir="ltr"' in welsh
    assert "Secret Name 1 · aelod 1" in welsh and 'aria-label="Eich cod"' in welsh
    assert "Eich cod chi yn unig yw hwn." in welsh and "This code is yours alone" not in welsh
    assert "KM7P-RX31" in welsh


def test_an_urdu_member_gets_a_card_written_right_to_left(tmp_path: Path) -> None:
    _, cards = _cards_by_member(tmp_path)
    urdu = cards[2]
    assert ' lang="ur" dir="rtl"' in urdu
    assert "یہ کوڈ صرف آپ کا ہے۔" in urdu and 'aria-label="آپ کا کوڈ"' in urdu
    assert '<p class="code" aria-label="آپ کا کوڈ" dir="ltr">KM7P-RX32</p>' in urdu


def test_a_polish_member_typed_in_capitals_gets_a_polish_card(tmp_path: Path) -> None:
    _, cards = _cards_by_member(tmp_path)
    assert ' lang="pl" dir="ltr"' in cards[5] and "Ten kod jest tylko Twój." in cards[5]


@pytest.mark.parametrize("number", [3, 4], ids=["Klingon", "none recorded"])
def test_a_member_without_a_catalogue_gets_the_rooms_language(tmp_path: Path, number) -> None:
    _, english = _cards_by_member(tmp_path / "en")
    assert ' lang="en-GB" dir="ltr"' in english[number]
    assert "This code is yours alone." in english[number]
    html, welsh_room = _cards_by_member(tmp_path / "cy", room_language="cy")
    assert html.startswith('<!doctype html>\n<html lang="cy" dir="ltr">')
    assert ' lang="cy" dir="ltr"' in welsh_room[number]
    assert "Eich cod chi yn unig yw hwn." in welsh_room[number]


def test_member_cards_escape_names_whatever_their_language(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    path = tmp_path / "room.assembly.db"
    make_room_file(path, clock, members=1)
    db = open_assembly(path).db()
    with write_transaction(db):
        db.execute("update respondents set name = '<script>x</script>' where ref = 'R1'")
    support.set_support(db, 1, clock, first_language="Urdu")
    issued = [room.IssuedCode(member_id=1, member_number=1, code="KM7P-RX3D")]
    html = room.cards_html(db, issued, assembly_name="<b>A</b>", url='"><script>', language="cy")
    assert "<script>" not in html and "<b>A</b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&#34;&gt;&lt;script&gt;" in html


def test_room_codes_issue_prints_each_card_in_its_members_language(tmp_path: Path) -> None:
    """From the command line: the support needs record the language, the cards come in it."""
    runner = CliRunner()
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    path = tmp_path / "room.assembly.db"
    make_room_file(path, clock, members=2)
    for number, language in ((1, "Cymraeg"), (2, "Klingon")):
        result = runner.invoke(
            main, ["members", "support", str(path), str(number), "--first-language", language]
        )
        assert result.exit_code == 0, result.output
        if number == 1:
            assert "Their room card prints in Welsh." in result.output
        else:
            assert "Klingon has no printed cards" in result.output
            assert "an interpreter may still be needed" in result.output
    cards = tmp_path / "cards.html"
    for number in (1, 2):
        result = runner.invoke(
            main, ["room-codes", "reissue", str(path), str(number), "--cards", str(cards)]
        )
        assert result.exit_code == 0, result.output
        (card,) = CARD.findall(cards.read_text(encoding="utf-8"))
        assert card[0] == (' lang="cy" dir="ltr"' if number == 1 else ' lang="en-GB" dir="ltr"')


def test_the_support_editor_says_which_languages_print_cards() -> None:
    result = CliRunner().invoke(main, ["members", "support", "--help"])
    assert result.exit_code == 0
    words = " ".join(result.output.split())
    assert "Cards print in English, Arabic, Bengali, Polish, Romanian, Urdu and Welsh" in words
    assert "any other language" in words
    # the list is written out in the help (read before any file is open): every shipped one
    assert sorted(i18n.printed_languages()) == ["ar", "bn", "cy", "en", "pl", "ro", "ur"]


def test_a_topic_proposed_in_a_language_is_marked_with_it(served) -> None:
    """Residents' own words stay as written, marked with the language the phone chose."""
    path, url, codes = served
    phone = Phone(url)
    phone.get("/")
    phone.post("/language", {"language": "pl"})
    phone.sign_in(codes[10])
    phone.get("/propose")
    phone.post("/propose", {"title": "Więcej ławek w parku", "description": "Dla seniorów"})
    assert phone.status == 200, phone.text
    db = open_assembly(path).db()
    (stored,) = db.execute(
        "select title, description, language from topics where title like 'Więcej%'"
    ).fetchall()
    assert stored == ("Więcej ławek w parku", "Dla seniorów", "pl")
    typed = db.execute("select language from topics where title = 'Toilets'").fetchone()
    assert typed == ("",)  # typed at the laptop: not recorded


def test_the_vote_page_marks_each_topic_with_its_language() -> None:
    ctx = pages.PageContext("Assembly", "en-GB", "x", True, True)
    options = [pages.Option(1, "Więcej ławek", "pl"), pages.Option(2, "Buses")]
    for method in ("dot", "approval", "borda", "pairwise"):
        pair = (options[0], options[1]) if method == "pairwise" else None
        view = pages.VoteView(3, "Vote", "Which?", method, "rules", 3, options, pair=pair)
        html = pages.vote_page(ctx, view)
        assert re.search(r'<(label|button)[^>]* lang="pl"[^>]*>Więcej ławek<', html), method
        assert not re.search(r'lang="[^"]*"[^>]*>Buses<', html), method


def test_the_results_page_marks_each_topic_with_its_language() -> None:
    """Published results quote residents' topics as written, each marked with its language
    when it is not the page's; an English topic on an English page carries no lang."""
    ctx = pages.PageContext("Assembly", "en-GB", "x", True, True)
    rows = [(1, pages.Option(1, "Więcej ławek", "pl"), "3"), (2, pages.Option(2, "Buses"), "1")]
    rows.append((3, pages.Option(3, "بسیں", "ur"), "0"))
    html = pages.results_page(ctx, [("Vote", "rules", rows)])
    assert re.search(r'<td[^>]* lang="pl" dir="auto"[^>]*>Więcej ławek<', html)
    assert re.search(r'<td[^>]* lang="ur" dir="rtl"[^>]*>بسیں<', html)
    assert not re.search(r'lang="[^"]*"[^>]*>Buses<', html)
