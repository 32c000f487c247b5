"""The notes the app writes into a member's history (issue 22): stored in English exactly as
they always were, so old files and the record read the same, and shown in the working language.
"""

from __future__ import annotations

from assembly.core import i18n
from assembly.organiser.history_notes import note_in_words
from assembly.organiser.members import history, replace_withdrawn, set_status


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


def test_history_notes_are_stored_in_english_and_shown_in_the_working_language(
    panel, clock
) -> None:
    db = panel.db()
    set_status(db, 3, "withdrawn", clock, "moved away")
    replace_withdrawn(db, clock, seed=7)
    drawn, withdrawn, replaced = (h["note"] for h in history(db, 3))
    (replaces,) = (h["note"] for h in history(db, 23))
    panel_index = db.execute("select panel_index from draws where id = 1").fetchone()[0]
    assert drawn == f"draw 1, panel {panel_index}"
    assert withdrawn == "moved away"
    assert replaced == "replaced by member 23 (replacement seed 7)"
    assert replaces == "replaces member 3 (replacement seed 7)"
    for note in (drawn, withdrawn, replaced, replaces):
        assert note_in_words(note) == note  # English: as stored, byte for byte

    i18n.use_working_language(i18n.PSEUDO)  # every message looked up is changed
    assert note_in_words(drawn) == _pseudo(
        "draw %(draw)s, panel %(panel)s", draw=1, panel=panel_index
    )
    assert note_in_words(replaced) == _pseudo(
        "replaced by member %(new)s (replacement seed %(seed)s)", new=23, seed=7
    )
    assert note_in_words(replaces) == _pseudo(
        "replaces member %(old)s (replacement seed %(seed)s)", old=3, seed=7
    )
    assert note_in_words("moved away") == "moved away"  # the officer's own words
    assert note_in_words("replaces member 3, said Jo") == "replaces member 3, said Jo"
    # the stored notes did not change with the language
    assert [h["note"] for h in history(db, 23)] == [replaces]


def test_members_history_shows_each_change_with_its_note(panel, clock) -> None:
    """`assembly members history N`: when, the status and why, oldest first, in the file's
    zone and the working language; an unknown member is refused, exit 2."""
    from click.testing import CliRunner

    from assembly.cli import main

    db = panel.db()
    set_status(db, 3, "withdrawn", clock, "moved away")
    replace_withdrawn(db, clock, seed=7)
    path = str(panel.path)
    panel.close()
    shown = CliRunner().invoke(main, ["members", "history", path, "3"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert len(lines) == 3
    assert lines[0].split("  ")[1:] == ["selected", lines[0].split("  ")[2]]
    assert lines[0].split("  ")[2].startswith("draw 1, panel ")
    assert lines[1].split("  ")[1:] == ["withdrawn", "moved away"]
    assert lines[2].split("  ")[1:] == ["replaced", "replaced by member 23 (replacement seed 7)"]
    missing = CliRunner().invoke(main, ["members", "history", path, "999"])
    assert missing.exit_code == 2 and "999" in missing.output
