"""A saved plan's pins in the working language (issue 22): the file keeps each pin in English,
as it was when the plan was made, and `assembly tables show` words it as the screen does."""

from __future__ import annotations

from pathlib import Path

from assembly.core import i18n
from assembly.core.safe_output import md_text
from assembly.store import open_assembly
from assembly.tables.plans import (
    add_pin,
    export_markdown,
    load_plan,
    make_plan,
    pin_in_words,
    save_plan,
)


def _pseudo(msgid: str, **values: object) -> str:
    return i18n.pseudo(msgid) % values


def test_a_stored_pin_is_worded_in_the_working_language() -> None:
    i18n.use_working_language(i18n.PSEUDO)
    assert pin_in_words("#14 sits with the Bengali interpreter") == _pseudo(
        "#%(number)s sits with the %(label)s",
        number=14,
        label=_pseudo("%(language)s interpreter", language="Bengali"),
    )
    assert pin_in_words("#1 and #2 sit apart") == _pseudo(
        "#%(number)s and #%(other)s sit apart", number=1, other=2
    )
    assert pin_in_words("#4 and #5 sit together") == _pseudo(
        "#%(number)s and #%(other)s sit together", number=4, other=5
    )
    assert pin_in_words("something else") == "something else"
    i18n.use_working_language("en")
    assert pin_in_words("#1 and #2 sit apart") == "#1 and #2 sit apart"


def test_the_markdown_shows_saved_pins_in_the_working_language(room_path: Path, clock) -> None:
    db = open_assembly(room_path).db()
    add_pin(db, "interpreter", 3, clock, label="BSL interpreter")
    add_pin(db, "apart", 1, clock, other_number=2)
    saved = load_plan(db, save_plan(db, make_plan(db, tables=4, rounds=2, seed=2), clock))
    assert "#1 and #2 sit apart" in saved.pins  # as the file keeps them
    english = export_markdown(saved)
    assert "Pins: \\#3 sits with the BSL interpreter; \\#1 and #2 sit apart." in english
    i18n.use_working_language(i18n.PSEUDO)
    markdown = export_markdown(saved)
    assert "sit apart" not in markdown and "sits with" not in markdown
    apart = _pseudo("#%(number)s and #%(other)s sit apart", number=1, other=2)
    assert md_text(apart) in markdown
