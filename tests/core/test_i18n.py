"""The room's words in residents' languages: the template is complete, Welsh is complete,
placeholders survive translation, the pseudo-locale stretches every string, and an organiser's
own catalogue wins."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from assembly.agenda.room import pages
from assembly.core import i18n

ROOM_TEMPLATES = Path(i18n.PACKAGE, "agenda", "room", "templates")
PHONE_PAGES = sorted(ROOM_TEMPLATES.glob("*.html"))  # and the printed cards
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def _template_ids() -> set:
    with i18n.TEMPLATE.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_the_template_holds_every_message_in_the_source() -> None:
    """Fails when a marked string in the room's templates or Python is not in the .pot
    (run `python -m assembly.core.i18n extract`, then `update`)."""
    extracted = {m.id for m in i18n.extract() if m.id}
    missing = extracted - _template_ids()
    assert not missing, f"not in {i18n.TEMPLATE.name}: {sorted(map(str, missing))[:5]}"


class _UnmarkedText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and re.search(r"[A-Za-z]", value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip and re.search(r"[A-Za-z]", data):
            self.found.append(data.strip())


def unmarked_text(source: str) -> list[str]:
    """Words in a template that are not inside {% trans %} or _(): comments, marked messages,
    expressions and tags are taken out, and whatever text is left is unmarked."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    # One-line macros (forms.html) emit attributes and hidden fields, never words.
    source = re.sub(r"^\{% macro .*\{% endmacro %\}$", "", source, flags=re.M)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}", "", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}", "", source, flags=re.S)
    reader = _UnmarkedText()
    reader.feed(source)
    return reader.found


@pytest.mark.parametrize("template", PHONE_PAGES, ids=lambda p: p.name)
def test_room_pages_have_no_unmarked_words(template: Path) -> None:
    assert unmarked_text(template.read_text(encoding="utf-8")) == []


def test_the_unmarked_words_check_finds_them() -> None:
    """The check above can fail: plain text and a visible attribute are both caught."""
    found = unmarked_text('<p>{% trans %}Marked{% endtrans %} Plain</p><a aria-label="Go">x</a>')
    assert found == ["Plain", 'aria-label="Go"', "x"]
    assert unmarked_text('{% set title = _("Vote") %}<p>{{ title }}</p>') == []


def _catalogue(language: str):
    path = i18n.shipped_path(language)
    assert path is not None, f"no catalogue for {language}"
    return i18n.read_catalogue(path)


def test_the_welsh_catalogue_has_every_entry() -> None:
    catalog = _catalogue("cy")
    missing = []
    for msgid in _template_ids():
        entry = catalog.get(msgid)
        string = entry.string if entry else None
        forms = string if isinstance(string, tuple) else (string,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(msgid)
    assert not missing, f"Welsh lacks {len(missing)}: {sorted(map(str, missing))[:5]}"


@pytest.mark.parametrize("language", i18n.shipped_languages())
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation that drops or renames %(name)s would fail on the page (KeyError) or
    hide a number; each must use exactly its message's placeholders."""
    wrong = []
    for entry in _catalogue(language):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) - wanted:
                wrong.append((ids[0], string))
            if (
                string
                and not isinstance(entry.id, tuple)
                and set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(ids[0]))
            ):
                wrong.append((ids[0], string))
    assert not wrong, wrong[:3]


@pytest.mark.parametrize("language", i18n.shipped_languages())
def test_every_catalogue_states_its_translator_and_review(language: str) -> None:
    info = next(c for c in i18n.catalogues() if c.language == language)
    assert info.translator and info.translator != "not stated"
    header = _catalogue(language).header_comment
    assert re.search(r"Reviewed by a fluent speaker: (yes|no)", header)
    assert info.reviewed is ("Reviewed by a fluent speaker: yes" in header)


def _pseudo_problems(msgid: str) -> list[str]:
    shown = i18n.pseudo(msgid)
    problems = []
    if len(shown) < 1.4 * len(msgid):
        problems.append("not 40% longer")
    if PLACEHOLDER.findall(shown) != PLACEHOLDER.findall(msgid):
        problems.append("placeholders changed")
    bare = re.compile(r"<[^>]*>|%\([a-z_]+\)s")
    if bare.sub("", shown) == bare.sub("", msgid) and re.search(r"[A-Za-z]", msgid):
        problems.append("not accented")
    return problems


def test_the_pseudo_locale_is_longer_accented_and_keeps_placeholders() -> None:
    """Every message of the template (one test for all 3,000: a test each cost more to run
    than to check)."""
    found = {}
    for msgid in sorted(m for m in _template_ids() if isinstance(m, str)):
        if problems := _pseudo_problems(msgid):
            found[msgid] = problems
    assert found == {}


def _ctx(language: str, **extra) -> pages.PageContext:
    return pages.PageContext(
        "Tŷ <Town>",
        language,
        "token",
        signed_in=False,
        visitors_allowed=True,
        translator=i18n.translator(language),
        **extra,
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._skip += tag in ("style", "script", "header", "option")

    def handle_endtag(self, tag) -> None:
        self._skip -= tag in ("style", "script", "header", "option")

    def handle_data(self, data) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def test_a_room_page_in_the_pseudo_locale_shows_no_plain_english() -> None:
    page = pages.start_page(_ctx(i18n.PSEUDO), error="x")
    reader = _Text()
    reader.feed(page)
    plain = [t for t in reader.texts if re.search(r"[A-Za-z]{3}", t) and "Town" not in t]
    assert plain == [], plain
    assert '<html lang="en-XA" dir="ltr">' in page


@pytest.mark.parametrize(
    ("language", "direction", "word"),
    [
        ("cy", "ltr", "Croeso"),
        ("pl", "ltr", "Witamy"),
        ("ur", "rtl", "خوش آمدید"),
        ("bn", "ltr", "স্বাগতম"),
        ("ar", "rtl", "مرحبًا"),
        ("ro", "ltr", "Bun venit"),
    ],
)
def test_the_first_page_in_each_language(language: str, direction: str, word: str) -> None:
    page = pages.start_page(_ctx(language, languages=[("en-GB", "English"), (language, "x")]))
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert word in page
    assert "Tŷ &lt;Town&gt;" in page  # the assembly's own name, escaped, as written


def test_plural_forms_follow_the_language() -> None:
    welsh = i18n.translator("cy")
    assert welsh.ngettext("%(topic)s: %(num)s dot", "%(topic)s: %(num)s dots", 2, topic="Bws") == (
        "Bws: 2 dot"
    )
    english = i18n.ENGLISH
    line = i18n.NP_("%(topic)s: %(num)s dot", "%(topic)s: %(num)s dots", 1, {"topic": "Bus"})
    assert line == "Bus: 1 dot" and english.text(line) == "Bus: 1 dot"
    assert welsh.text(line) == "Bus: 1 dot"


def test_an_organisers_catalogue_beside_the_file_wins(tmp_path: Path) -> None:
    folder = i18n.override_dir(tmp_path / "town.assembly")
    folder.mkdir()
    (folder / "cy.po").write_text(
        "# Translated by: Swyddfa'r Cyngor\n# Reviewed by a fluent speaker: yes\n"
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: cy\\n"\n\n'
        'msgid "Welcome to the room"\nmsgstr "Croeso cynnes i\'r ystafell"\n',
        encoding="utf-8",
    )
    welsh = i18n.translator("cy", folder)
    assert welsh.gettext("Welcome to the room") == "Croeso cynnes i'r ystafell"
    assert welsh.gettext("Send my vote") == "Anfon fy mhleidlais"  # the shipped one, still
    info = i18n.catalogues(folder)[0]
    assert (info.source, info.reviewed, info.translator) == ("organiser", True, "Swyddfa'r Cyngor")


def test_an_organisers_language_needs_no_code(tmp_path: Path) -> None:
    folder = tmp_path / "x.assembly.locale"
    folder.mkdir()
    (folder / "gd.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Vote"\nmsgstr "Bhòt"\n',
        encoding="utf-8",
    )
    assert i18n.translator("gd", folder).gettext("Vote") == "Bhòt"


def test_a_broken_catalogue_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "cy.po"
    bad.write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    with pytest.raises(i18n.LanguageError, match=r"cy\.po: .*msgstr"):
        i18n.read_catalogue(bad)


@pytest.mark.parametrize("tag", ["cy", "en-GB", "ur", "pl"])
def test_language_tags_are_checked(tag: str) -> None:
    assert i18n.check_language(tag) == tag


@pytest.mark.parametrize("tag", ["", "welsh!", "zz-ZZ-nope", "12"])
def test_bad_language_tags_are_refused(tag: str) -> None:
    with pytest.raises(i18n.LanguageError):
        i18n.check_language(tag)


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'


@pytest.mark.parametrize(
    ("msgid", "msgstr", "words"),
    [
        ("Vote", "<script>alert(1)</script>Pleidleisio", "other HTML"),
        ("Now voting: <strong>%(vote)s</strong>", "Nawr: %(vote)s", "other HTML"),
        ("Recorded at %(time)s.", "Cofnodwyd am %(amser)s.", "%(amser)s"),
        ("Vote", "Pleidleisio 100%", "write %%"),
    ],
    ids=["script", "tag-dropped", "unknown-placeholder", "stray-percent"],
)
def test_an_organisers_catalogue_that_would_break_a_page_is_refused(
    tmp_path: Path, msgid: str, msgstr: str, words: str
) -> None:
    """The organiser's .po is input like any other: a translation cannot add markup (pages
    trust a message's own tags), nor name a placeholder the page does not fill."""
    folder = tmp_path / "x.assembly.db.locale"
    folder.mkdir()
    (folder / "cy.po").write_text(
        HEADER + f"msgid {msgid!r}\nmsgstr {msgstr!r}\n".replace("'", '"'), encoding="utf-8"
    )
    with pytest.raises(i18n.LanguageError, match=r"cy\.po, line 5") as refused:
        i18n.translator("cy", folder)
    assert words in str(refused.value)
    with pytest.raises(i18n.LanguageError):
        i18n.catalogues(folder)


def test_money_is_written_in_the_readers_language() -> None:
    """Amounts on the budget pages were always '£1,250.50', whatever the resident's language:
    they were written out before the page knew it."""
    amount = i18n.Money(4_000_050)
    assert str(amount) == "£40,000.50"
    assert i18n.translator("pl").money(amount) == "40\xa0000,50\xa0GBP"
    assert i18n.translator("ro").money(amount) == "40.000,50\xa0GBP"
    rules = pages.budget_rules(
        "approval",
        "greedy",
        budget=amount,
        points=None,
        least=None,
        most=None,
        tr=i18n.translator("pl"),
    )
    assert "40\xa0000,50" in rules and "£" not in rules


# --- a member's recorded first language, as the catalogue their cards print in -----------------


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        ("cy", "cy"),
        ("CY", "cy"),
        ("cy-GB", "cy"),
        ("Welsh", "cy"),
        ("  welsh ", "cy"),
        ("Cymraeg", "cy"),
        ("CYMRAEG", "cy"),
        ("pl", "pl"),
        ("pl_PL", "pl"),
        ("Polish", "pl"),
        ("polski", "pl"),
        ("Urdu", "ur"),
        ("اردو", "ur"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("Bengali", "bn"),
        ("Bangla", "bn"),
        ("বাংলা", "bn"),
        ("Romanian", "ro"),
        ("română", "ro"),
        ("ROMÂNĂ", "ro"),
        ("English", "en-GB"),  # the room's own English, not a second one
        ("en", "en-GB"),
        # no catalogue, a typo, two languages, nothing: the room's language
        ("Klingon", "en-GB"),
        ("tlh", "en-GB"),
        ("Somali", "en-GB"),
        ("Welsh and English", "en-GB"),
        ("Wlesh", "en-GB"),
        ("BSL", "en-GB"),
        ("", "en-GB"),
        ("   ", "en-GB"),
        ("en-XA", "en-GB"),  # the pseudo-locale is for testing pages, not for members
    ],
)
def test_a_recorded_language_names_the_catalogue_cards_print_in(
    recorded: str, expected: str
) -> None:
    assert i18n.catalogue_language(recorded, fallback="en-GB") == expected


@pytest.mark.parametrize(
    ("recorded", "fallback", "expected"),
    [
        ("English", "cy", "en"),
        ("Welsh", "cy-GB", "cy-GB"),  # the room's own Welsh, region and all
        ("Klingon", "cy", "cy"),
        ("", "ur", "ur"),
    ],
)
def test_the_room_language_is_the_fallback(recorded: str, fallback: str, expected: str) -> None:
    assert i18n.catalogue_language(recorded, fallback=fallback) == expected


def test_an_organisers_catalogue_names_a_language_cards_print_in(tmp_path: Path) -> None:
    folder = tmp_path / "x.assembly.db.locale"
    folder.mkdir()
    (folder / "so.po").write_text(HEADER, encoding="utf-8")
    for recorded in ("so", "Somali", "soomaali"):
        assert i18n.catalogue_language(recorded, fallback="en-GB", folder=folder) == "so"
    assert i18n.catalogue_language("Somali", fallback="en-GB") == "en-GB"
    assert "Somali" in i18n.printed_languages_in_words(folder)


def test_the_printed_languages_in_words() -> None:
    assert i18n.printed_languages_in_words() == (
        "English, Arabic, Bengali, Polish, Romanian, Urdu and Welsh"
    )


@pytest.mark.parametrize(
    ("written", "page", "same"),
    [
        ("", "en-GB", True),  # not recorded: the page's own
        ("en-GB", "en-GB", True),
        ("en", "en-GB", True),
        ("EN_gb", "en-GB", True),
        ("cy", "cy-GB", True),
        ("pl", "en-GB", False),
        ("en-GB", "cy", False),
        ("en-US", "en-GB", False),
    ],
)
def test_words_in_the_pages_own_language(written: str, page: str, same: bool) -> None:
    assert i18n.same_language(written, page) is same


@pytest.mark.parametrize(
    ("written", "page", "marks"),
    [
        ("pl", "en-GB", ' lang="pl" dir="auto"'),
        ("ur", "en-GB", ' lang="ur" dir="rtl"'),
        ("ar", "cy", ' lang="ar" dir="rtl"'),
        ("en-GB", "ur", ' lang="en-GB" dir="auto"'),
        ("en", "en-GB", ""),
        ("", "ur", ""),
        ('"><b>', "en-GB", ' lang="&#34;&gt;&lt;b&gt;" dir="auto"'),  # escaped, never markup
    ],
)
def test_a_residents_words_are_marked_with_their_language(
    written: str, page: str, marks: str
) -> None:
    from assembly.core.html import own_words

    assert own_words(written, page) == marks


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("ur", "ur"),
        (" pl-PL ", "pl-PL"),
        ("Polish", "pl"),
        ("urdu", "ur"),
        ("Cymraeg", "cy"),
        ("اردو", "ur"),
        ("Somali", "so"),  # no catalogue: the words are marked, nothing is printed in it
    ],
)
def test_the_language_a_facilitator_names(typed: str, tag: str) -> None:
    assert i18n.language_tag(typed) == tag


@pytest.mark.parametrize("typed", ["klingon", "tlh", "??", "en GB pl", "", "Polish or Urdu"])
def test_what_is_not_a_language_is_refused_in_plain_words(typed: str) -> None:
    with pytest.raises(i18n.LanguageError, match="is not a language this app knows"):
        i18n.language_tag(typed)


def test_a_language_named_in_the_working_language_is_known() -> None:
    """A Welsh officer types a resident's language as they would say it: 'Pwyleg', 'Somaleg'."""
    i18n.use_working_language("cy")
    assert i18n.language_tag("Pwyleg") == "pl"
    assert i18n.language_tag("somaleg") == "so"  # no catalogue: marked, nothing printed
    assert i18n.catalogue_language("Wrdw", fallback="en-GB") == "ur"
    with pytest.raises(i18n.LanguageError):
        i18n.language_tag("Pwyleg neu Wrdw")
    i18n.use_working_language("en")
    assert i18n.language_tag("Polish") == "pl"


def test_languages_are_named_in_the_working_language() -> None:
    """A Welsh officer reads 'Bengaleg', not 'Bengali', in the card note and the idea line."""
    assert i18n.language_name("bn") == "Bengali"
    i18n.use_working_language("cy")
    assert i18n.language_name("bn") == "Bengaleg"
    assert i18n.language_name("cy-GB") == "Cymraeg"
    assert "Saesneg" in i18n.printed_languages_in_words()


def test_one_english_word_with_two_meanings_has_two_welsh_words() -> None:
    """'Support' is access support on the members' screen (Cymorth) and the share in favour of
    a recommendation (Cefnogaeth); 'Vote' is voting in the room (Pleidleisio) and one vote
    held (Pleidlais). A message's context keeps them apart, and a sense with no translation
    falls back to the English, never to the other sense."""
    i18n.use_working_language("cy")
    assert i18n._("Support") == "Cymorth"
    assert i18n.pgettext("the share in favour", "Support") == "Cefnogaeth"
    assert i18n._("Vote") == "Pleidleisio"
    assert i18n.pgettext("one vote held", "Vote") == "Pleidlais"
    assert i18n.pgettext("no such sense", "Support") == "Support"
    i18n.use_working_language(i18n.PSEUDO)
    assert i18n.pgettext("one vote held", "Vote") == i18n.pseudo("Vote")
    i18n.use_working_language("en")
    assert i18n.pgettext("the share in favour", "Support") == "Support"
