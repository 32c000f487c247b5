"""The languages a command gives a file and answers in (issue 22): `assembly new` and `demo`
make a file in the environment's language when the app ships a catalogue for it, `languages
set` answers in the new working language and names the languages, and `languages list` words
each catalogue's translator for an officer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import assembly.demo as demo
from assembly import cli
from assembly.core import cli_language, i18n
from assembly.store import language_commands, languages, open_assembly

CY = i18n.translator("cy")


def _invoke(args: list[str], **env: str | None):
    result = CliRunner().invoke(cli.main, args, env=env)
    cli_language.speak(cli.main, "en")  # the next test's commands start in English again
    return result


def _working(path: Path) -> str:
    assembly = open_assembly(path)
    try:
        return languages.working_language(assembly.db())
    finally:
        assembly.close()


# --- a new file's working language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({"ASSEMBLY_LANG": "cy"}, "cy"),
        ({"ASSEMBLY_LANG": None, "LANG": "cy_GB.UTF-8"}, "cy-GB"),
        ({"ASSEMBLY_LANG": "en"}, "en-GB"),
        (
            {
                "ASSEMBLY_LANG": None,
                "LANGUAGE": None,
                "LC_ALL": None,
                "LC_MESSAGES": None,
                "LANG": None,
            },
            "en-GB",
        ),
        ({"ASSEMBLY_LANG": "de"}, "en-GB"),  # no German catalogue
        ({"ASSEMBLY_LANG": i18n.PSEUDO}, "en-GB"),  # the pseudo-locale tests pages: no file's
    ],
)
def test_a_new_file_is_in_the_environments_language(
    tmp_path: Path, env: dict[str, str | None], language: str
) -> None:
    path = tmp_path / "x.db"
    made = _invoke(["new", str(path), "--no-open"], **env)
    assert made.exit_code == 0, made.output
    assert _working(path) == language


def test_a_new_welsh_file_says_so_in_welsh_and_lang_still_wins(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    made = _invoke(["new", str(path), "--no-open"], ASSEMBLY_LANG="cy")
    assert made.output == CY.gettext("Created %(path)s.", path=str(path)) + "\n"
    assert languages.residents_languages(open_assembly(path).db()) == ["cy"]
    english = tmp_path / "english.db"
    assert _invoke(["new", str(english), "--no-open", "--lang", "en-GB"], ASSEMBLY_LANG="cy")
    assert _working(english) == "en-GB"


def test_the_help_shows_the_default_the_file_would_get() -> None:
    english = " ".join(_invoke(["new", "--help"], ASSEMBLY_LANG="en").output.split())
    assert "[default: en-GB]" in english
    welsh = " ".join(_invoke(["new", "--help"], ASSEMBLY_LANG="cy").output.split())
    assert CY.gettext("default: {default}").format(default="cy") + "]" in welsh


@pytest.fixture
def quick_parts(monkeypatch):
    """One trivial part instead of the real ones: these tests are about the file's language."""
    monkeypatch.setattr(demo, "demo_parts", lambda: [(10, "part_pool", lambda *a: None)])


def test_the_example_is_in_the_environments_language(tmp_path: Path, quick_parts) -> None:
    """Its residents' words are English, so residents may choose English too."""
    welsh = tmp_path / "cy.db"
    assert _invoke(["demo", "--no-open", str(welsh)], ASSEMBLY_LANG="cy").exit_code == 0
    assert _working(welsh) == "cy"
    assert languages.residents_languages(open_assembly(welsh).db()) == ["cy", "en-GB"]
    english = tmp_path / "en.db"
    assert _invoke(["demo", "--no-open", str(english)], ASSEMBLY_LANG="en").exit_code == 0
    assert _working(english) == "en-GB"
    assert languages.residents_languages(open_assembly(english).db()) == ["en-GB"]


def test_the_example_built_in_the_app_is_in_the_environments_language(
    tmp_path: Path, quick_parts, monkeypatch
) -> None:
    monkeypatch.setenv("ASSEMBLY_LANG", "cy")
    path = tmp_path / "cy.db"
    cli.build_example(path).close()
    assert _working(path) == "cy"


# --- languages set and list ----------------------------------------------------------------------


def test_languages_set_answers_in_the_new_working_language(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert _invoke(["new", str(path), "--no-open"]).exit_code == 0
    result = _invoke(["languages", "set", str(path), "--working", "cy", "--residents", "cy,en-GB"])
    assert result.exit_code == 0, result.output
    i18n.use_working_language("cy")
    welsh, english_name = i18n.language_name("cy"), i18n.language_name("en-GB")
    assert result.output.splitlines() == [
        CY.gettext("Working language: %(language)s.", language=welsh),
        CY.gettext("Residents choose from: %(languages)s.", languages=f"{welsh}, {english_name}"),
    ]
    assert "Cymraeg" in result.output and ": cy." not in result.output


def test_languages_set_names_the_languages_in_english_on_an_english_file(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert _invoke(["new", str(path), "--no-open"]).exit_code == 0
    result = _invoke(["languages", "set", str(path), "--residents", "cy,pl"])
    assert result.output.splitlines() == [
        "Working language: English (United Kingdom).",
        "Residents choose from: English (United Kingdom), Welsh, Polish.",
    ]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            "machine/AI draft (Claude, 2026-12-04), from the English message ids",
            "Machine draft (AI), 4 December 2026",
        ),
        ("machine/AI draft (Claude, 2026-12-04)", "Machine draft (AI), 4 December 2026"),
        ("Siân Jones, Cyngor Gwynedd", "Siân Jones, Cyngor Gwynedd"),
        ("machine/AI draft (Claude, 2026-13-45)", "machine/AI draft (Claude, 2026-13-45)"),
    ],
)
def test_a_catalogues_translator_in_an_officers_words(written: str, shown: str) -> None:
    i18n.use_working_language("en-GB")
    assert language_commands.translator_in_words(written) == shown


def test_the_translator_column_is_in_the_working_language(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert _invoke(["new", str(path), "--no-open"]).exit_code == 0
    english = _invoke(["languages", "list", str(path)])
    welsh_line = next(line for line in english.output.splitlines() if line.startswith("cy "))
    assert welsh_line.endswith("  Machine draft (AI), 4 December 2026")
    assert "machine/AI" not in english.output
    _invoke(["languages", "set", str(path), "--working", i18n.PSEUDO])
    pseudo = _invoke(["languages", "list", str(path)])
    day = i18n.translator(i18n.PSEUDO).date(date(2026, 12, 4))
    assert i18n.pseudo("Machine draft (AI), %(day)s") % {"day": day} in pseudo.output
