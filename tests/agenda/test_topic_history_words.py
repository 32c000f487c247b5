"""A topic's history in words (issue 22): the file keeps each event's action and details as
recorded; the History dialog (F3 → g → h) and `assembly topics history` word each one the same
way, through one function, in the working language."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.agenda import topics
from assembly.cli import main
from assembly.core import i18n


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


def _story(db, clock, tmp_path: Path) -> tuple[int, int, int]:
    keep = topics.propose_topic(db, clock, "Bus fares", member_number=1)
    dupe = topics.propose_topic(db, clock, "Cheaper buses", proposer_name="Jo")
    csv = tmp_path / "subs.csv"
    csv.write_text("title,channel\nMore benches,paper\n")
    (imported,) = topics.import_topics_csv(db, clock, csv)
    topics.merge_topics(db, clock, keep, [dupe], note="same idea")
    topics.edit_topic(db, clock, keep, title="Bus fares for all", description="Cheaper")
    topics.withdraw_topic(db, clock, imported, reason="out of scope")
    return keep, dupe, imported


def _words(db, topic_id: int) -> list[str]:
    return [topics.history_in_words(event) for event in topics.topic_history(db, topic_id)]


def test_each_event_is_a_sentence_in_english(db, clock, tmp_path: Path) -> None:
    keep, dupe, imported = _story(db, clock, tmp_path)
    assert _words(db, keep) == [
        "Proposed in a session: Bus fares",
        f"Topic {dupe} (Cheaper buses) merged into this one: same idea",
        "Edited; before: Bus fares",
    ]
    assert _words(db, dupe) == [
        "Proposed in a session: Cheaper buses",
        f"Merged into topic {keep}: same idea",
    ]
    assert _words(db, imported) == [
        "Imported from subs.csv row 2 (paper): More benches",
        "Withdrawn: out of scope",
    ]
    # what the file keeps did not change
    assert topics.topic_history(db, keep)[1]["action"] == "absorbed"
    assert topics.topic_history(db, keep)[1]["detail"] == {
        "topic": dupe,
        "title": "Cheaper buses",
        "note": "same idea",
    }


def test_each_event_is_worded_in_the_working_language(db, clock, tmp_path: Path) -> None:
    keep, dupe, imported = _story(db, clock, tmp_path)
    i18n.use_working_language(i18n.PSEUDO)
    assert _words(db, keep) == [
        _pseudo("Proposed in a session: %(title)s", title="Bus fares"),
        _pseudo(
            "Topic %(topic)s (%(title)s) merged into this one: %(note)s",
            topic=dupe,
            title="Cheaper buses",
            note="same idea",
        ),
        _pseudo("Edited; before: %(title)s", title="Bus fares"),
    ]
    assert _words(db, dupe)[1] == _pseudo(
        "Merged into topic %(topic)s: %(note)s", topic=keep, note="same idea"
    )
    assert _words(db, imported) == [
        _pseudo(
            "Imported from %(source)s: %(title)s",
            source="subs.csv row 2 (paper)",
            title="More benches",
        ),
        _pseudo("Withdrawn: %(reason)s", reason="out of scope"),
    ]


def test_events_without_their_optional_details(db, clock) -> None:
    keep = topics.propose_topic(db, clock, "Bus fares", source="csv")
    dupe = topics.propose_topic(db, clock, "Cheaper buses")
    topics.merge_topics(db, clock, keep, [dupe])
    topics.withdraw_topic(db, clock, keep)
    assert _words(db, keep) == [
        "Proposed from a submission: Bus fares",
        f"Topic {dupe} (Cheaper buses) merged into this one",
        "Withdrawn",
    ]
    assert _words(db, dupe)[1] == f"Merged into topic {keep}"


def test_the_history_command_words_each_event(assembly, clock, tmp_path: Path) -> None:
    db = assembly.db()
    keep, dupe, _imported = _story(db, clock, tmp_path)
    at = topics.topic_history(db, dupe)[0]["at"]
    path = str(assembly.path)
    assembly.close()
    result = CliRunner().invoke(main, ["topics", "history", path, str(dupe)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{at}  Proposed in a session: Cheaper buses",
        f"{at}  Merged into topic {keep}: same idea",
    ]
    assert "{" not in result.output and "proposed" not in result.output
