"""The command line in the officer's language before any file is open: `--help`, click's own
words (Usage, Options, Missing argument …) and the messages of commands that open no file.

Once a command opens its file, the file's working language takes over (`open_or_fail`). Until
then the language comes from the environment: `ASSEMBLY_LANG`, else the POSIX locale
(`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), as gettext programs do; `LANG=cy_GB.UTF-8`
gives Welsh. A language with no catalogue is skipped: English then.
"""

from __future__ import annotations

import inspect
import os

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from assembly.core.i18n import (
    N_,
    NP_,
    PSEUDO,
    SOURCE_LANGUAGE,
    LanguageError,
    Translator,
    check_language,
    has_catalogue,
    shipped_path,
    use_working_language,
    working,
)
from assembly.store.languages import DEFAULT_LANGUAGE

ENVIRONMENT = ("ASSEMBLY_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_CLICK_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)

# click's own words that `assembly` can show (the rest are a programmer's errors, listed in
# the test that checks this list against click's source).
CLICK_WORDS = (
    N_("Aborted!"),
    N_("Options"),
    N_("Commands"),
    N_("Usage:"),
    N_("Missing command."),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),  # looked up as a value, `_(extra["required"])`: the extractor misses it
    N_("(dynamic)"),
    N_("Value must be an iterable."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Option {name!r} does not take a value."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("Press any key to continue..."),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("deprecated"),
)
# (singular, plural) as click asks for them; n = 2 only to mark them as plurals.
CLICK_PLURALS = tuple(
    (text.msgid, text.plural)
    for text in (
        NP_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2),
        NP_(
            "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 2
        ),
        NP_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2),
        NP_(
            "Option {name!r} requires an argument.",
            "Option {name!r} requires {nargs} arguments.",
            2,
        ),
        NP_("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2),
        NP_(
            "{value!r} does not match the format {format}.",
            "{value!r} does not match the formats {formats}.",
            2,
        ),
    )
)


def environment_language(environ: os._Environ | dict[str, str] = os.environ) -> str:
    """The first language the environment names that has a catalogue; English otherwise."""
    for variable in ENVIRONMENT:
        for value in environ.get(variable, "").split(":"):
            tag = value.split(".")[0].split("@")[0].replace("_", "-")
            if not tag or tag in {"C", "POSIX"}:
                continue
            try:
                language = check_language(tag) if tag != PSEUDO else tag
            except LanguageError:
                continue
            if has_catalogue(language):
                return language
    return "en"


def new_file_language(environ: os._Environ | dict[str, str] = os.environ) -> str:
    """The working language of a file made without `--lang` (`assembly new`, `demo`): the
    environment's when the app ships a catalogue for it (`LANG=cy_GB.UTF-8` makes a Welsh
    file, whose commands then answer in Welsh), else English, en-GB."""
    language = environment_language(environ)
    if language.split("-")[0] != SOURCE_LANGUAGE and shipped_path(language) is not None:
        return language
    return DEFAULT_LANGUAGE


class NewFileLanguage:
    """`--lang`'s default for a new file, worked out when it is needed (`new_file_language`),
    and shown in `--help` as the language it is: "[default: en-GB]", "[rhagosodiad: cy]"
    (click shows a plain function as "(dynamic)")."""

    def __call__(self) -> str:
        return new_file_language()

    def __str__(self) -> str:
        return self()


def _gettext(message: str) -> str:
    return working().catalogue.gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return working().catalogue.ngettext(singular, plural, n)


# The English help of each declaration, kept when first seen so a later call in another
# language starts from it (the commands are module-level objects, shared by every call).
_ENGLISH: dict[tuple[int, str], tuple[object, str]] = {}


def _declarations(command: click.Command):
    yield command
    yield from command.params
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _declarations(sub)


class _TypeName(str):
    """A file type's name (click.Path's "file", "directory" or "path"), which click works out
    once, in English, when the commands are declared. Its messages ("{name} {filename!r} does
    not exist.") write it `name.title()`: that is now its word in the language of the moment,
    as the catalogue has it ("ffeil" in the middle of a Welsh sentence), or "File" in English.
    The option's metavar (`name.upper()`, FILE) stays as it was."""

    def title(self) -> str:
        english = str(self)
        word = _gettext(english)
        return english.title() if word == english else word


def _translate_help(command: click.Command, tr: Translator) -> None:
    for declaration in _declarations(command):
        kind = getattr(declaration, "type", None)
        if isinstance(kind, click.Path) and not isinstance(kind.name, _TypeName):
            kind.name = _TypeName(kind.name)
        if isinstance(declaration, click.Command) and hasattr(declaration, "_help_option"):
            # click makes each command's --help option once, in the language of that moment:
            # made again when next asked for, in this one
            declaration._help_option = None
        for attr in ("help", "short_help"):
            key = (id(declaration), attr)
            if key not in _ENGLISH:
                _ENGLISH[key] = (declaration, getattr(declaration, attr, None))
            english = _ENGLISH[key][1]
            if isinstance(english, str) and english:
                setattr(declaration, attr, tr.catalogue.gettext(inspect.cleandoc(english)))


def speak(command: click.Command, language: str) -> Translator:
    """From now on `command`'s --help, click's words and the messages of this process are in
    `language` (until a file is opened in another)."""
    tr = use_working_language(language)
    for module in _CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = _gettext  # click calls `_` and `ngettext` by module name
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
    _translate_help(command, tr)
    return tr
