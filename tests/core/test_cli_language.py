"""The command line in the officer's language before a file is open (issue 22): --help, click's
own words and the first messages follow `ASSEMBLY_LANG` or the POSIX locale."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from click.testing import CliRunner

from assembly import cli
from assembly.core import cli_language, i18n
from assembly.core.help_words import help_texts

CY = i18n.translator("cy")


def _declarations(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _declarations(sub, (*path, name))


COMMAND_PATHS = [path for path, _command in _declarations(cli.main)]


def _help_of_tree() -> set[str]:
    texts = set()
    for _path, command in _declarations(cli.main):
        for declaration in (command, *command.params):
            for attr in ("help", "short_help"):
                text = getattr(declaration, attr, None)
                if text:
                    texts.add(inspect.cleandoc(text))
    return texts


def _invoke(args: list[str], language: str):
    result = CliRunner().invoke(cli.main, args, env={"ASSEMBLY_LANG": language})
    cli_language.speak(cli.main, "en")  # the next test's commands start in English again
    return result


def test_every_help_text_is_in_the_template() -> None:
    """The extractor finds each command's and option's help as click shows it (the template is
    the extraction: `test_the_template_holds_every_message_in_the_source`)."""
    with i18n.TEMPLATE.open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    click_words = set(cli_language.CLICK_WORDS) | {
        s for pair in cli_language.CLICK_PLURALS for s in pair
    }
    assert _help_of_tree() - template - click_words == set()


def test_help_texts_are_found_in_docstrings_and_options() -> None:
    source = '''
@main.command("open")
@click.option("--mode", help="Which mode to start in.")
def open_command(mode):
    """Open an existing assembly file
    in the app."""

@main.command(help="Given here.")
def other():
    """Not the help."""

def plain():
    """Not a command."""
'''
    assert sorted(text for _line, text in help_texts(source)) == [
        "Given here.",
        "Open an existing assembly file\nin the app.",
        "Which mode to start in.",
    ]


def test_the_help_is_in_welsh_when_the_environment_asks() -> None:
    result = _invoke(["--help"], "cy")
    assert result.exit_code == 0, result.output
    english = inspect.cleandoc(cli.main.help or "")
    welsh = CY.gettext(english)
    assert welsh != english
    assert " ".join(welsh.split()) in " ".join(result.output.split())
    assert CY.gettext("Usage:") in result.output
    assert CY.gettext("Show this message and exit.") in " ".join(result.output.split())
    assert "Usage:" not in result.output


def test_a_commands_options_and_errors_are_in_welsh() -> None:
    result = _invoke(["open", "--help"], "cy")
    assert result.exit_code == 0, result.output
    option = CY.gettext("Review only: nothing can be changed.")
    assert option != "Review only: nothing can be changed."
    assert " ".join(option.split()) in " ".join(result.output.split())
    missing = _invoke(["open"], "cy")
    assert missing.exit_code == 2
    assert CY.gettext("Missing argument") in missing.output
    assert "Missing argument" not in missing.output


def test_english_again_after_welsh_and_welsh_after_english() -> None:
    """The commands are shared by every call in a process: each call speaks its own language,
    --help's own option included (click makes it once and keeps it)."""
    show = "Show this message and exit."
    assert show in _invoke(["open", "--help"], "en").output
    assert CY.gettext(show) in _invoke(["open", "--help"], "cy").output
    result = _invoke(["open", "--help"], "en")
    assert "Review only: nothing can be changed." in result.output
    assert "Usage:" in result.output and show in result.output


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "assembly")
def test_every_commands_help_shows_in_the_pseudo_locale(path: tuple[str, ...]) -> None:
    """Accented and 40% longer, every placeholder of click's words kept: nothing breaks."""
    result = _invoke([*path, "--help"], i18n.PSEUDO)
    assert result.exit_code == 0, result.output
    assert "[Ûšàĝé" in result.output


def test_click_words_worked_out_when_click_starts_follow_the_language(tmp_path: Path) -> None:
    """A file type's name ("File 'x' does not exist") and the --version line are made before
    the language is set: they are looked up when shown."""
    missing = str(tmp_path / "nope.csv")
    args = ["log", "import", str(tmp_path / "x.db"), missing, "--actor", "a"]
    english = _invoke(args, "en")
    assert english.exit_code == 2 and f"File '{missing}' does not exist." in english.output
    result = _invoke(args, i18n.PSEUDO)
    assert result.exit_code == 2
    assert f"{i18n.pseudo('file')} '{missing}'" in result.output
    assert "File '" not in result.output
    assert "File '" in _invoke(args, "en").output  # and English again after
    runner = CliRunner()
    for language, version in (("en", "assembly, version "), (i18n.PSEUDO, "[assembly, ṽéŕšîöñ ")):
        shown = runner.invoke(
            cli.main, ["--version"], prog_name="assembly", env={"ASSEMBLY_LANG": language}
        )
        cli_language.speak(cli.main, "en")
        assert shown.exit_code == 0 and shown.output.startswith(version), shown.output


def test_required_options_say_so_in_the_language() -> None:
    english = _invoke(["session", "new", "--help"], "en").output
    assert "[required]" in english
    pseudo = _invoke(["session", "new", "--help"], i18n.PSEUDO).output
    assert "[required]" not in pseudo and i18n.pseudo("required") in pseudo


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "cy_GB.UTF-8"}, "cy-GB"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "xx:cy", "LANG": "en_GB.UTF-8"}, "cy"),
        ({"ASSEMBLY_LANG": "pl", "LANG": "cy_GB.UTF-8"}, "pl"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # no German catalogue: English, not German's tag
        ({}, "en"),
    ],
)
def test_the_language_the_environment_names(environ: dict[str, str], language: str) -> None:
    assert cli_language.environment_language(environ) == language


# click's messages a user of `assembly` never sees: a programmer's mistakes in declaring a
# command, other platforms, features the commands do not use.
NOT_SHOWN = {
    "d",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Windows error: {error}",
    "Positional arguments",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Invalid start character for option ({option})",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Unknown color {colour!r}",
    "{value!r} is not a valid UUID.",
    "Choice({choices})",
    "Unknown standard stream '{name}'",
    "{len_type} values are required, but {len_value} was given.",  # tuple options: none here
    "{len_type} values are required, but {len_value} were given.",
}


# click's lookups of a value rather than a message (`_(extra["required"])`, the "[required]" of
# every required option's help): the extractor reads only messages written in the call, so it
# never saw these. Each such call, by its argument, with the words it can carry.
LOOKED_UP_VALUES = {"extra['required']": ("required",)}


def _lookups_of_values(path: Path) -> set[str]:
    """The arguments of the `_()` and `ngettext()` calls in `path` that are not a message."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            count = {"_": 1, "ngettext": 2}.get(node.func.id, 0)
            for arg in node.args[:count]:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    found.add(ast.unparse(arg))
    return found


def test_click_words_are_all_marked() -> None:
    """An upgrade of click that adds a message fails here until it is marked or set aside; so
    does one that looks up a value, until its words are listed in LOOKED_UP_VALUES."""
    marked = set(cli_language.CLICK_WORDS) | {
        s for pair in cli_language.CLICK_PLURALS for s in pair
    }
    found = set()
    values = set()
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        for _line, message, _c, _ctx in extract_from_file(
            "python", str(path), keywords={"_": None, "ngettext": (1, 2)}
        ):
            found.update(message if isinstance(message, tuple) else (message,))
        values |= _lookups_of_values(path)
    assert values == set(LOOKED_UP_VALUES)
    found.update(word for words in LOOKED_UP_VALUES.values() for word in words)
    missing = {m for m in found - marked - NOT_SHOWN if not m.startswith("No options defined")}
    assert missing == set()
