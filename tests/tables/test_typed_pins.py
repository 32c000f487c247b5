"""Pins typed in the officer's language (issue 22): a Welsh facilitator types "ar wahân 3 7" or
"cyfieithydd 3 BSL" on the table-plan screen, as an English one types "apart 3 7"; English
still works on any screen, and the hint and the refusals give the words of the working
language."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlite_utils import Database
from textual.widgets import Input, Static

from assembly.core import i18n
from assembly.core.clock import FixedClock
from assembly.store import open_assembly
from assembly.store.languages import set_languages
from assembly.tables.plans import TablePlanRequestError, interpreter_label
from assembly.tables.screens.plan import TablePlanScreen
from assembly.tables.typed_pins import EXAMPLES, TypedPin, read_pin
from assembly.ui.app import AssemblyApp
from assembly.ui.dialogs.message import ErrorDialog
from tests.tables.conftest import START
from tests.tables.test_tables_screen import _type

LOCALE = Path(i18n.__file__).resolve().parents[1] / "locale"


def test_english_pins() -> None:
    assert read_pin("apart 3 7") == TypedPin("apart", (3, 7))
    assert read_pin("  Together 4   5 ") == TypedPin("together", (4, 5))
    assert read_pin("interpreter 3 BSL") == TypedPin("interpreter", (3,), "BSL interpreter")
    assert read_pin("interpreter 3 Polish interpreter") == TypedPin(
        "interpreter", (3,), "Polish interpreter"
    )
    assert read_pin("remove 2") == TypedPin("remove", (2,))


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("apart x 7", "'x' is not a member number"),
        ("remove two", "'two' is not a pin number"),
        ("apart 3", "write a pin as apart 3 7 · together 4 5"),
        ("sideways 1 2", "'sideways 1 2': write a pin as"),
        ("", "write a pin as"),
        ("interpreter 3", "write a pin as"),
    ],
)
def test_what_is_not_a_pin_is_refused_saying_what_to_write(typed: str, said: str) -> None:
    with pytest.raises(TablePlanRequestError) as refused:
        read_pin(typed)
    assert said in str(refused.value)


def test_welsh_pins_and_english_still() -> None:
    i18n.use_working_language("cy")
    assert read_pin("ar wahân 3 7") == TypedPin("apart", (3, 7))
    assert read_pin("AR  WAHÂN 3 7") == TypedPin("apart", (3, 7))
    assert read_pin("gyda'i gilydd 4 5") == TypedPin("together", (4, 5))
    assert read_pin("cyfieithydd 3 BSL") == TypedPin("interpreter", (3,), "BSL interpreter")
    assert read_pin("cyfieithydd 3 cyfieithydd Pwyleg").label == "cyfieithydd Pwyleg"
    assert read_pin("dileu 2") == TypedPin("remove", (2,))
    assert read_pin("apart 3 7") == TypedPin("apart", (3, 7))
    with pytest.raises(TablePlanRequestError) as refused:
        read_pin("ochr yn ochr 1 2")
    assert "ar wahân 3 7" in str(refused.value) and "apart 3 7" not in str(refused.value)
    # the label as kept, in the reader's words
    assert i18n.working().text(interpreter_label("BSL interpreter")) == "cyfieithydd BSL"
    assert interpreter_label("Ms Jones, BSL") == "Ms Jones, BSL"


def _hints() -> dict[str, str]:
    """Each shipped catalogue's words for the pin hint, by language."""
    found = {}
    for path in sorted(LOCALE.glob("*/LC_MESSAGES/assembly.po")):
        with path.open("rb") as file:
            message = read_po(file).get(EXAMPLES)
        if message is not None and message.string:
            found[path.parts[-3]] = message.string
    return found


HINTS = _hints()


def test_the_welsh_catalogue_words_the_pin_hint() -> None:
    assert "cy" in HINTS


@pytest.mark.parametrize("language", sorted(HINTS))
def test_each_catalogues_hint_reads_back_as_the_four_pins(language: str) -> None:
    """What a translator writes as the hint is what the screen then reads: the four examples,
    in that language's words, are an apart, a together, an interpreter and a remove pin."""
    i18n.use_working_language(language)
    examples = [part.strip() for part in HINTS[language].split("·")]
    kinds = [read_pin(example).kind for example in examples]
    assert kinds == ["apart", "together", "interpreter", "remove"], HINTS[language]


async def test_a_welsh_facilitator_types_pins_in_welsh(room_path: Path) -> None:
    db = Database(room_path)
    set_languages(db, working="cy")
    db.close()
    app = AssemblyApp(open_assembly(room_path), mode="facilitator", clock=FixedClock(START))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(TablePlanScreen())
        await pilot.pause()
        screen = app.screen
        box = screen.query_one("#pin-input", Input)
        assert box.placeholder.startswith("ar wahân 3 7")
        for typed in ("cyfieithydd 3 BSL", "ar wahân 1 2", "gyda'i gilydd 4 5"):
            await _type(pilot, "#pin-input", typed)
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, ErrorDialog), typed
        conn = sqlite3.connect(room_path)
        kept = conn.execute("select kind, label from table_pins order by id").fetchall()
        assert kept == [("interpreter", "BSL interpreter"), ("apart", None), ("together", None)]
        shown = str(screen.query_one("#pins", Static).render())
        assert "cyfieithydd BSL" in shown and "interpreter" not in shown
        await _type(pilot, "#pin-input", "dileu 2")
        await pilot.press("enter")
        await pilot.pause()
        assert conn.execute("select count(*) from table_pins").fetchone()[0] == 2
        conn.close()
