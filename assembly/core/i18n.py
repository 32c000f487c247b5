"""Residents' own languages: gettext catalogues, read straight from their `.po` files.

Every word a resident reads on the room's pages is an English message id looked up in the
catalogue of their language (`assembly/locale/<lang>/LC_MESSAGES/assembly.po`). The `.po` files
are compiled in memory when first used (Babel), so a fresh checkout needs no build step and an
organiser's correction takes effect on the next page. An organiser can add a language, or put a
translation right, with a `.po` file beside the assembly file, in `<file>.locale/<lang>.po`:
its entries win, and whatever it leaves out comes from the shipped catalogue, then English.

Each catalogue says in its header comment who translated it and whether a fluent speaker has
reviewed it (`# Translated by:` and `# Reviewed by a fluent speaker: yes/no`), so the organiser
can see (`assembly languages list FILE`) which languages are drafts. Whole sentences with
named placeholders only: a translator must be free to change the word order.

`python -m assembly.core.i18n extract` writes the template (`assembly/locale/assembly.pot`)
from the room's templates and the Python that words what residents read; `update` merges it
into every shipped catalogue.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.numbers import format_decimal, format_percent

from assembly.core.help_words import extract_python_and_help
from assembly.core.money import Money, show_money

PACKAGE = Path(__file__).resolve().parent.parent  # assembly/
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "assembly"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"
# Accented English 40% longer (Android's convention): shows what is not translated and what
# breaks when a translation runs long. "en" keeps `lang` valid for screen readers and axe.
PSEUDO = "en-XA"  # not words
# What is extracted: every marked message of the package. What residents read (the room's
# templates, the "you said, we did" report, letters and cards) and what officers read (the
# terminal's screens and the commands' messages, in the working language). And the sortition
# library beside the package, whose explanations (`sortition.words`) the organiser reads: its
# Python only, without its own command line's --help (the library's, in English).
SOURCES = (".", "../sortition")
METHOD_MAP = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),  # not words
    ("**.py", extract_python_and_help),  # with each command's --help
]
LIBRARY_METHOD_MAP = [("**.py", "python")]
OPTIONS_MAP = {
    "**/templates/**.html": {"trimmed": "true", "extensions": "jinja2.ext.i18n"},
}
KEYWORDS = {
    "_": None,
    "N_": None,
    "NP_": (1, 2),
    "gettext": None,
    "ngettext": (1, 2),
    # one English word with two meanings ("Support": access support, or a share in favour)
    "pgettext": ((1, "c"), 2),
    # a key's description, shown in the footer and the palette in the working language
    "Binding": (3,),  # not words
}
# The library's explanations (`sortition.words.words`), looked for in the library only: `words`
# is a common local name in the package's own code, where Babel would take it for a message.
LIBRARY_KEYWORDS = {"words": None}
_TRANSLATED_BY = re.compile(r"^#?\s*Translated by:\s*(.+)$", re.MULTILINE | re.IGNORECASE)
_REVIEWED = re.compile(
    r"^#?\s*Reviewed by a fluent speaker:\s*(yes|no)\b", re.MULTILINE | re.IGNORECASE
)


class LanguageError(Exception):
    """A catalogue that cannot be read, or a language tag that names no language."""


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is defined; it is translated where shown."""
    return message


class Text(str):
    """A message to translate where it is shown: it *is* its English (so logs, the audit, the
    command line and older callers read it as before) and keeps its message id, plural and
    named placeholders, so a page can show it in the reader's language (`Translator.text`).
    With `plural`, `n` picks the form and is the placeholder `num`."""

    msgid: str
    plural: str | None
    n: int | None
    params: Mapping[str, object]

    def __new__(
        cls,
        msgid: str,
        params: Mapping[str, object] | None = None,
        *,
        plural: str | None = None,
        n: int | None = None,
    ) -> Text:
        values = dict(params or {})
        if n is not None:
            values.setdefault("num", n)
        english = plural if plural is not None and n != 1 else msgid
        self = super().__new__(cls, english % values if values else english)
        self.msgid, self.plural, self.n, self.params = msgid, plural, n, values
        return self


def NP_(singular: str, plural: str, n: int, params: Mapping[str, object] | None = None) -> Text:
    """A message with a plural, marked for the catalogue and translated where shown."""
    return Text(singular, params, plural=plural, n=n)


@dataclass(frozen=True)
class CatalogueInfo:
    """What the organiser sees about one language's catalogue."""

    language: str
    name: str  # the language's own name for itself, e.g. Cymraeg
    path: Path
    source: str  # "shipped" or "organiser" (a .po beside the assembly file)
    translator: str
    reviewed: bool
    messages: int  # entries in the catalogue
    translated: int


def override_dir(assembly_path: str | Path) -> Path:
    """Where an organiser's own catalogues for an assembly file live: `<file>.locale/`."""
    return Path(f"{assembly_path}.locale")


def _locale(language: str) -> Locale:
    tag = language.replace("-", "_")
    if tag == PSEUDO.replace("-", "_"):
        tag = "en"
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError) as error:
        raise LanguageError(
            _(
                "%(language)s is not a language tag Babel knows; use one like cy, pl or ur.",
                language=repr(language),
            )
        ) from error


def check_language(language: str) -> str:
    """`language` as a tag (cy, en-GB), or LanguageError naming what is wrong."""
    language = language.strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", language):
        raise LanguageError(
            _(
                "%(language)s is not a language tag; use one like cy, pl or ur.",
                language=repr(language),
            )
        )
    _locale(language)
    return language.replace("_", "-")


def direction(language: str) -> str:
    """ "rtl" for a language written right to left (Urdu, Arabic), else "ltr"."""
    try:
        order = _locale(language).character_order
    except LanguageError:
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def same_language(written: str, page: str) -> bool:
    """Whether words written in `written` read as the page's own language: the same tag, or
    one narrowing the other (en words on an en-GB page), case ignored. Words whose language is
    not known ('') are taken to be in the page's."""
    if not written.strip():
        return True
    a, b = (tag.strip().replace("_", "-").lower() for tag in (written, page))
    return a == b or a.startswith(f"{b}-") or b.startswith(f"{a}-")


def native_name(language: str) -> str:
    """The language's name in itself (Cymraeg, Polski, اردو), for the language picker."""
    if language == PSEUDO:
        return "[Ƥšéûðö]"
    try:
        name = _locale(language).get_display_name() or language
    except LanguageError:
        return language
    return name[:1].upper() + name[1:]


def read_catalogue(path: Path) -> Catalog:
    """A `.po` file, or LanguageError naming the file and line that is wrong."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as error:
        raise LanguageError(f"{path}: {error}") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise LanguageError(
            _("%(path)s cannot be read as a catalogue (%(error)s).", path=path, error=error)
        ) from None


def _compiled(catalog: Catalog) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _candidates(language: str) -> list[str]:
    """cy-GB -> [cy_GB, cy]: the most specific catalogue first."""
    tag = language.replace("-", "_")
    base = tag.split("_")[0]
    return [tag] if tag == base else [tag, base]


def shipped_path(language: str) -> Path | None:
    for tag in _candidates(language):
        path = LOCALE_DIR / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def _organiser_path(language: str, folder: Path | None) -> Path | None:
    if folder is None:
        return None
    for tag in _candidates(language):
        for name in (tag, tag.replace("_", "-")):
            path = folder / f"{name}.po"
            if path.is_file():
                return path
    return None


_TAG = re.compile(r"<[^>]*>")
_NAMED = re.compile(r"%\(([a-z_]+)\)[sd]")


def check_catalogue(catalog: Catalog, path: Path) -> None:
    """Refuse a translation that would break or change a page: markup the English message does
    not have (pages trust a message's own tags, such as <strong>), a placeholder it does not
    fill, or a stray % that cannot be formatted. LanguageError names the file and line."""
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        tags = sorted(_TAG.findall(ids[0]))
        names = {n for i in ids for n in _NAMED.findall(i)} | {"num", "count"}
        for string in filter(None, strings):
            where = {"path": path, "line": message.lineno, "message": repr(ids[0])}
            if sorted(_TAG.findall(string)) != tags:
                raise LanguageError(
                    _(
                        "%(path)s, line %(line)s: the translation of %(message)s has other HTML "
                        "than the English (%(found)s); keep %(wanted)s.",
                        **where,
                        found=", ".join(_TAG.findall(string)) or _("none"),
                        wanted=", ".join(tags) or _("none"),
                    )
                )
            unknown = set(_NAMED.findall(string)) - names
            if unknown:
                raise LanguageError(
                    _(
                        "%(path)s, line %(line)s: the translation of %(message)s uses "
                        "%(placeholders)s, which the English does not fill.",
                        **where,
                        placeholders=", ".join(f"%({n})s" for n in sorted(unknown)),
                    )
                )
            try:
                string % dict.fromkeys(names, 0)
            except (ValueError, TypeError, KeyError):
                raise LanguageError(
                    _(
                        "%(path)s, line %(line)s: the translation of %(message)s has a %% that "
                        "is not a placeholder (write %%%% for a percent sign).",
                        **where,
                    )
                ) from None


@cache
def _load(path: Path, mtime_ns: int) -> gettext.GNUTranslations:
    """A catalogue checked and compiled once per version of its file (`mtime_ns` keys the
    cache)."""
    catalog = read_catalogue(path)
    check_catalogue(catalog, path)
    return _compiled(catalog)


def _translations_from(path: Path) -> gettext.GNUTranslations:
    return _load(path, path.stat().st_mtime_ns)


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


def translations(language: str, folder: Path | None = None) -> gettext.NullTranslations:
    """The translations for `language`: the organiser's catalogue in `folder` (if any), then
    the shipped one, then the English message ids."""
    if language == PSEUDO:
        return _Pseudo()
    chain: list[gettext.NullTranslations] = []
    for path in (_organiser_path(language, folder), shipped_path(language)):
        if path is not None:
            chain.append(_translations_from(path))
    return _Chain(chain) if chain else gettext.NullTranslations()


class _Chain(gettext.NullTranslations):
    """Catalogues tried in turn (the compiled ones are cached and shared, so they are never
    chained to each other in place)."""

    def __init__(self, chain: list[gettext.GNUTranslations]) -> None:
        super().__init__()
        self._chain = chain

    def gettext(self, message: str) -> str:
        for catalogue in self._chain:
            found = catalogue._catalog.get(message)  # type: ignore[attr-defined]
            if found:
                return found
        return message

    def pgettext(self, context: str, message: str) -> str:
        """`message` in the sense `context` names; never another sense's translation."""
        key = f"{context}\x04{message}"
        for catalogue in self._chain:
            found = catalogue._catalog.get(key)  # type: ignore[attr-defined]
            if found:
                return found
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        for catalogue in self._chain:
            forms = catalogue._catalog  # type: ignore[attr-defined]
            index = catalogue.plural(n)  # type: ignore[attr-defined]
            found = forms.get((singular, index))
            if found:
                return found
        return singular if n == 1 else plural


@dataclass(frozen=True)
class Number:
    """A count put into a message and written out in the reader's language when shown
    ('10,000' in English, '10 000' in Polish); a plain int is shown as it is (a year, a code)."""

    value: int | float

    def __str__(self) -> str:
        return ENGLISH.number(self.value)


@dataclass(frozen=True)
class Day:
    """A day put into a message and written out in the reader's language when shown."""

    value: date

    def __str__(self) -> str:
        return self.value.isoformat()


@dataclass(frozen=True)
class Translator:
    """One language's words, numbers and times, for one page."""

    language: str
    catalogue: gettext.NullTranslations = field(compare=False, repr=False)

    @property
    def dir(self) -> str:
        return direction(self.language)

    def gettext(self, message: str, /, **params: object) -> str:
        text = self.catalogue.gettext(message)
        return text % self.filled(params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        text = self.catalogue.ngettext(singular, plural, n)
        return text % self.filled({"num": n} | params)

    def pgettext(self, context: str, message: str, /, **params: object) -> str:
        text = self.catalogue.pgettext(context, message)
        return text % self.filled(params) if params else text

    def filled(self, params: Mapping[str, object]) -> dict[str, object]:
        """A message's values, amounts of money, counts, days and messages within the message
        written out in this language."""
        return {k: self.value(v) for k, v in params.items()}

    def value(self, value: object) -> object:
        """One value of a message as this language shows it; anything else as it is."""
        if isinstance(value, Money):
            return self.money(value)
        if isinstance(value, Number):
            return self.number(value.value)
        if isinstance(value, Day):
            return self.date(value.value)
        if isinstance(value, Text):
            return self.text(value)
        return value

    def text(self, message: Text | str) -> str:
        """A `Text` in this language; any other string is shown as it is (a resident's words)."""
        if not isinstance(message, Text):
            return message
        if message.plural is not None and message.n is not None:
            return self.ngettext(message.msgid, message.plural, message.n, **message.params)
        return self.gettext(message.msgid, **message.params)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=_locale(self.language))

    def money(self, amount: Money) -> str:
        return show_money(amount.pence, amount.currency, locale=_locale(self.language))

    def time(self, when: datetime) -> str:
        return format_time(when, "short", locale=_locale(self.language))

    def datetime(self, when: datetime) -> str:
        return format_datetime(when, "medium", locale=_locale(self.language))

    def short_datetime(self, when: datetime, *, date_only: bool = False) -> str:
        """A moment in a line of a screen: 'Thu 26 Nov 2026, 09:30' ('Iau 26 Tach 2026, 09:30')."""
        if self.language.split("-")[0] == SOURCE_LANGUAGE:  # as it always read, on every machine
            return when.strftime("%a %d %b %Y" if date_only else "%a %d %b %Y, %H:%M")
        pattern = "EEE dd MMM y" if date_only else "EEE dd MMM y, HH:mm"  # not words
        return format_datetime(when, pattern, tzinfo=when.tzinfo, locale=_locale(self.language))

    def date(self, day: date) -> str:
        """A day as the language writes it in running text ('18 October 2026', '18 Hydref
        2026')."""
        return format_date(day, "long", locale=_locale(self.language))

    def percent(self, whole: int) -> str:
        """A whole percentage (0-100) with the language's own sign and spacing ('50%', '50 %')."""
        return format_percent(whole / 100, locale=_locale(self.language))


def translator(language: str, folder: Path | None = None) -> Translator:
    return Translator(language, translations(language, folder))


def has_catalogue(language: str, folder: Path | None = None) -> bool:
    """Whether `language` has words to show: English, the pseudo-locale, a shipped catalogue or
    the organiser's own in `folder`. A report in a language without one would be English words
    under another language's tag."""
    if language.split("-")[0].lower() == SOURCE_LANGUAGE or language == PSEUDO:
        return True
    return shipped_path(language) is not None or _organiser_path(language, folder) is not None


ENGLISH = Translator(SOURCE_LANGUAGE, gettext.NullTranslations())


# --- the working language: the terminal's screens and the command messages ---------------------

# One app or one command runs per process, over one assembly file: the words its screens and
# messages show follow that file's working language. Set once when the file is opened.
_WORKING: list[Translator] = [ENGLISH]


def use_working_language(language: str, folder: Path | None = None) -> Translator:
    """Show the screens and command messages in `language` from now on (English when it has no
    catalogue: officers then read the messages as written, never another language's tag)."""
    chosen = translator(language, folder) if has_catalogue(language, folder) else ENGLISH
    _WORKING[0] = chosen
    return chosen


def working() -> Translator:
    """The translator of the screens and command messages (`use_working_language`)."""
    return _WORKING[0]


def in_words(words: Mapping[str, str], code: str) -> str:
    """A code the file stores ('break', 'open') in the working language, from `words` ({code:
    its message}); a code with no words is shown as stored."""
    return _(words[code]) if code in words else code


def typed_code(typed: str, words: Mapping[str, str]) -> str | None:
    """The code an officer typed, in English or in the working language, in any case and
    spacing ('Gofal  plant' is 'childcare' on a Welsh assembly); None when it names none."""
    folded = " ".join(typed.split()).casefold()
    for code in words:
        if folded in (code.casefold(), in_words(words, code).casefold()):
            return code
    return None


def stored_form(message: str, values: Mapping[str, str] | None = None, default: str = ".*") -> str:
    """A regular expression for `message` as a file stores it, in English and filled in: its
    words as written, each placeholder a named group matching `values[name]` (else `default`).
    For text the app stores in English and shows in the working language: the stored form is
    recognised, and the message worded again with the values it finds."""
    values = values or {}
    pieces = re.split(r"%\((\w+)\)s", message)
    return "".join(
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{values.get(piece, default)})"
        for i, piece in enumerate(pieces)
    )


def _(message: str, /, **params: object) -> str:
    """`message` in the working language, its named placeholders filled the language's way."""
    return _WORKING[0].gettext(message, **params)


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The form of a counted message for `n` (placeholder `num`) in the working language."""
    return _WORKING[0].ngettext(singular, plural, n, **params)


def pgettext(context: str, message: str, /, **params: object) -> str:
    """`message` in the working language in the sense `context` names: for an English word
    with two meanings that another language words differently ("Support" as access support,
    and as the share in favour of a recommendation)."""
    return _WORKING[0].pgettext(context, message, **params)


# --- the pseudo-locale -------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöƥǫŕšţûṽŵẋýžÀßÇÐÉƑĜĤÎĴĶĻḾÑÖƤǪŔŠŢÛṼŴẊÝŽ",
)
# Placeholders, HTML tags and entities pass through as they are.
_KEEP = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*(?:![rsa])?\}|<[^>]*>|&[a-z#0-9]+;|\n\t")


def pseudo(message: str) -> str:
    """`message` accented and padded to 40% longer, placeholders and tags untouched."""
    out, last = [], 0
    for match in _KEEP.finditer(message):
        out.append(message[last : match.start()].translate(_ACCENTED))
        out.append(match.group())
        last = match.end()
    out.append(message[last:].translate(_ACCENTED))
    text = "".join(out)
    padding = max(1, round(len(message) * 0.4) - 2)
    return f"[{text} {'·' * padding}]"


# --- the organiser's view ----------------------------------------------------------------------


def _info(language: str, path: Path, source: str) -> CatalogueInfo:
    stat = path.stat()
    translator, reviewed, messages, translated = _facts(path, stat.st_mtime_ns, stat.st_size)
    return CatalogueInfo(
        language=language,
        name=native_name(language),
        path=path,
        source=source,
        translator=translator or _("not stated"),
        reviewed=reviewed,
        messages=messages,
        translated=translated,
    )


@cache
def _facts(path: Path, _mtime_ns: int, _size: int) -> tuple[str, bool, int, int]:
    """(translator, reviewed, entries, translated) of one version of a catalogue: read once a
    process, where the organiser's list and every check of it parsed all seven each time."""
    catalog = read_catalogue(path)
    check_catalogue(catalog, path)
    header = catalog.header_comment or ""
    by = _TRANSLATED_BY.search(header)
    reviewed = _REVIEWED.search(header)
    entries = [m for m in catalog if m.id]
    return (
        by.group(1).strip() if by else catalog.last_translator or "",
        bool(reviewed and reviewed.group(1).lower() == "yes"),
        len(entries),
        sum(1 for m in entries if _done(m)),
    )


def _done(message) -> bool:
    return bool(message.string) and not message.fuzzy and _whole(message.string)


def _whole(string: str | tuple) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def shipped_languages() -> list[str]:
    return sorted(
        p.parent.parent.name.replace("_", "-") for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")
    )


# --- a member's first language, as the organiser typed it ---------------------------------------

# English names organisers use that CLDR spells otherwise (it says Bangla); the first is shown.
_ENGLISH_NAMES = {"bn": ("Bengali",)}  # not words


def _folded(text: str) -> str:
    """`text` as compared: Unicode's compatibility form, trimmed, case folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _organiser_catalogues(folder: Path | None) -> list[tuple[str, Path]]:
    """(language, file) of each catalogue the organiser keeps in `folder`, by file name."""
    if folder is None or not folder.is_dir():
        return []
    return [(path.stem.replace("_", "-"), path) for path in sorted(folder.glob("*.po"))]


def printed_languages(folder: Path | None = None) -> list[str]:
    """The languages a member's card can print in: English, then each catalogue (shipped or the
    organiser's own in `folder`), the pseudo-locale left out (it tests pages, nobody reads it)."""
    found = [SOURCE_LANGUAGE]
    organisers = [language for language, _path in _organiser_catalogues(folder)]
    for language in (*shipped_languages(), *organisers):
        english = language.split("-")[0].lower() == SOURCE_LANGUAGE
        if language != PSEUDO and not english and language not in found:
            found.append(language)
    return found


def english_name(language: str) -> str:
    """The language's name in English as organisers write it (Welsh, Bengali)."""
    base = language.split("-")[0]
    if base in _ENGLISH_NAMES:
        return _ENGLISH_NAMES[base][0]
    try:
        return _locale(language).english_name or language
    except LanguageError:
        return language


def language_name(language: str) -> str:
    """The language's name as the screens and commands say it: in English on an English
    assembly ('Welsh', 'Bengali'), in the working language otherwise ('Cymraeg', 'Bengaleg')."""
    reader = working().language
    if reader.split("-")[0] == SOURCE_LANGUAGE:
        return english_name(language)
    try:
        name = _locale(language).get_language_name(_locale(reader))
    except LanguageError:
        return language
    return name or english_name(language)


def _names(language: str) -> set[str]:
    """What an organiser may type for `language`: its tag, its name in English, in the working
    language and in itself."""
    names = {
        language,
        english_name(language),
        language_name(language),
        *_ENGLISH_NAMES.get(language, ()),
    }
    try:
        locale = _locale(language)
    except LanguageError:
        return {_folded(name) for name in names}
    names |= {locale.english_name or "", locale.language_name or ""}
    return {_folded(name) for name in names if name}


def catalogue_language(recorded: str, *, fallback: str, folder: Path | None = None) -> str:
    """The language a member's card prints in, from the first language recorded with their
    support needs: a tag ('cy', 'pl-PL'), its English name ('Welsh') or its own ('Cymraeg',
    'اردو'), in any case, spaces around it ignored. Only languages with words to print count
    (English and `printed_languages`); anything else (Somali with no catalogue, a typo, two
    languages, nothing) is `fallback`, the room's language, since a card in a language with no
    catalogue would be English words under another language's tag. The room's own tag wins when
    it is the same language (a Welsh member of a cy-GB room gets cy-GB)."""
    typed = _folded(recorded)
    if not typed:
        return fallback
    tag = typed.replace("_", "-")
    for language in printed_languages(folder):
        if typed in _names(language) or language.casefold() in (tag, tag.split("-")[0]):
            if fallback.split("-")[0].casefold() == language.split("-")[0].casefold():
                return fallback
            return language
    return fallback


@cache
def _babel_names(reader: str) -> dict[str, str]:
    """{a language's name in English or in `reader`'s language, folded: its tag} for every
    language CLDR names (English names first, where two languages share a name)."""
    names: dict[str, str] = {}
    for locale in (Locale("en"), _locale(reader)):
        for code, name in locale.languages.items():
            if "_" not in code:  # zh_Hans and the like: a script, not a language of its own
                names.setdefault(_folded(name), code)
    return names


def language_tag(typed: str, *, folder: Path | None = None) -> str:
    """The language someone's words were said or written in, from what a facilitator typed:
    a tag ('ur', 'pl-PL'), a name in English ('Polish', 'Somali'), in the working language
    ('Pwyleg' for a Welsh officer) or in itself ('Cymraeg', 'اردو'), in any case. Unlike
    `catalogue_language` any language Babel knows counts, with a catalogue or not (it marks
    words, it prints none); anything else, a typo or two languages, is LanguageError in plain
    words rather than a guess."""
    raw = typed.strip()
    try:
        return check_language(raw)
    except LanguageError:
        pass
    named = catalogue_language(raw, fallback="", folder=folder)
    if named:
        return named
    code = _babel_names(working().language).get(_folded(raw))
    if code:
        try:
            return check_language(code)
        except LanguageError:  # CLDR names it but has no data for it (Klingon)
            pass
    raise LanguageError(
        _(
            "%(typed)s is not a language this app knows: give its tag (like pl or ur) or its "
            "name (like Polish or Urdu).",
            typed=repr(raw),
        )
    )


def printed_languages_in_words(folder: Path | None = None) -> str:
    """The languages cards print in, for the organiser, named in the working language:
    'English, Arabic, Bengali, Polish, Romanian, Urdu and Welsh' (never in their own scripts: a
    terminal may not shape Arabic or Bengali)."""
    first, *others = printed_languages(folder)
    names = [language_name(first), *sorted(language_name(language) for language in others)]
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def catalogues(folder: Path | None = None) -> list[CatalogueInfo]:
    """Every catalogue an assembly can use: the organiser's own first, then the shipped ones."""
    found = [_info(language, path, "organiser") for language, path in _organiser_catalogues(folder)]
    for language in shipped_languages():
        found.append(_info(language, shipped_path(language), "shipped"))  # type: ignore[arg-type]
    return found


# --- extraction ----------------------------------------------------------------------------------


def extract(sources: Iterable[str] = SOURCES) -> Catalog:
    """The template: every message in the room's templates and Python, with where it is used."""
    catalog = Catalog(project="assembly-toolkit", version="0.1.0", fuzzy=False)  # not words
    for source in sources:
        folder = (PACKAGE / source).resolve()
        own = folder.is_relative_to(PACKAGE)
        for filename, lineno, message, comments, context in extract_from_dir(
            str(folder),
            METHOD_MAP if own else LIBRARY_METHOD_MAP,
            OPTIONS_MAP,
            keywords=KEYWORDS if own else LIBRARY_KEYWORDS,
            comment_tags=("Translators:",),  # not words
            strip_comment_tags=True,
        ):
            where = (folder / filename).relative_to(PACKAGE.parent).as_posix()
            catalog.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(path: Path = TEMPLATE) -> int:
    catalog = extract()
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return len(catalog)


def update() -> list[str]:
    """Merge the template into each shipped catalogue (new entries empty, gone ones obsolete)."""
    template = extract()
    done = []
    for language in shipped_languages():
        path = shipped_path(language)
        assert path is not None
        catalog = read_catalogue(path)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, ignore_obsolete=False)
        done.append(language)
    return done


def main(argv: list[str]) -> int:
    if argv[:1] == ["extract"]:
        count = write_template()
        sys.stdout.write(f"Wrote {count} messages to {TEMPLATE}.\n")  # not words
        return 0
    if argv[:1] == ["update"]:
        done = ", ".join(update()) or "no catalogues"  # not words
        sys.stdout.write(f"Updated {done}.\n")  # not words
        return 0
    sys.stderr.write("usage: python -m assembly.core.i18n extract|update\n")  # not words
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
