"""`assembly languages list|set FILE`: which languages an assembly works in and offers
residents, and the state of every catalogue it can use (who translated it, whether a fluent
speaker has reviewed it, how much is translated)."""

from __future__ import annotations

import re
from datetime import date

import click

from assembly.core import i18n
from assembly.core.cli_support import fail, open_or_fail
from assembly.core.i18n import N_, Day, _, use_working_language
from assembly.core.terminal import echo
from assembly.store import StoreError
from assembly.store import languages as assembly_languages

# Where a catalogue comes from, as the list shows it (the keys are what `catalogues` records).
SOURCES = {"shipped": N_("shipped"), "organiser": N_("organiser")}
# How the shipped catalogues' headers name an AI draft, after `# Translated by:`.
_MACHINE_DRAFT = re.compile(
    r"machine/AI draft \([^,()]+, (?P<day>\d{4}-\d{2}-\d{2})\)"  # not words
    r"(?:, from the English message ids)?"  # not words
)


def translator_in_words(written: str) -> str:
    """Who translated a catalogue, as its header says, in an officer's words: the shipped
    drafts' "machine/AI draft (Claude, 2026-12-04), from the English message ids" is "Machine
    draft (AI), 4 December 2026" in the working language; anything else reads as written."""
    match = _MACHINE_DRAFT.fullmatch(written.strip())
    if match is None:
        return written
    try:
        day = date.fromisoformat(match["day"])
    except ValueError:
        return written
    return _("Machine draft (AI), %(day)s", day=Day(day))


@click.group("languages")
def languages_group() -> None:
    """An assembly's working language, residents' languages and their catalogues."""


@languages_group.command("list")
@click.argument("path", type=click.Path(dir_okay=False))
def list_command(path: str) -> None:
    """The assembly's languages and every catalogue it can use, with its review state."""
    assembly = open_or_fail(path, read_only=True)
    db = assembly.db()
    working = assembly_languages.working_language(db)
    offered = assembly_languages.residents_languages(db)
    folder = i18n.override_dir(assembly.path)
    try:
        found = i18n.catalogues(folder)
    except i18n.LanguageError as error:
        fail(str(error))
    echo(
        _(
            "Working language: %(language)s (%(name)s)",
            language=working,
            name=i18n.native_name(working),
        )
    )
    names = ", ".join(f"{t} ({i18n.native_name(t)})" for t in offered)
    echo(_("Residents choose from: %(languages)s", languages=names))
    echo(
        _(
            "Organiser's own catalogues go in %(folder)s/<language>.po and win over the "
            "shipped ones.",
            folder=folder,
        )
    )
    echo("")
    echo(_("language  name        source     translated  reviewed by a fluent speaker  translator"))
    for c in found:
        reviewed = _("yes") if c.reviewed else _("no")
        source = _(SOURCES[c.source]) if c.source in SOURCES else c.source
        echo(
            f"{c.language:<9} {c.name:<11} {source:<10} {c.translated:>4}/{c.messages:<5}  "
            f"{reviewed:<28}  {translator_in_words(c.translator)}"
        )
    partial = [c for c in found if c.source == "shipped" and c.translated < c.messages]
    if partial:
        echo(
            _(
                "Untranslated messages show in English. The shipped catalogues short of their "
                "total (%(languages)s) cover what residents read: the room's pages, cards, "
                "letters, the report and the published result; officers' screens and messages "
                "fall back to English.",
                languages=", ".join(c.language for c in partial),
            )
        )
    missing = [t for t in offered if i18n.shipped_path(t) is None and not _organiser(t, found)]
    for tag in missing:
        if tag.split("-")[0] != i18n.SOURCE_LANGUAGE:
            echo(
                _(
                    "Note: no catalogue for %(language)s; residents who choose it read English.",
                    language=tag,
                )
            )


def _organiser(tag: str, found: list[i18n.CatalogueInfo]) -> bool:
    base = tag.split("-")[0]
    return any(c.source == "organiser" and c.language in (tag, base) for c in found)


@languages_group.command("set")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--working", "working", default=None, help="The working language, e.g. cy or en-GB.")
@click.option(
    "--residents",
    default=None,
    help="Residents' languages, comma-separated, e.g. en-GB,cy,pl,ur,bn,ar,ro.",
)
def set_command(path: str, working: str | None, residents: str | None) -> None:
    """Set the working language and/or the languages residents can pick in the room."""
    if working is None and residents is None:
        fail(_("Give --working, --residents or both."))
    assembly = open_or_fail(path)
    tags = [t for t in residents.split(",") if t.strip()] if residents is not None else None
    try:
        assembly_languages.set_languages(assembly.db(), working=working, residents=tags)
    except StoreError as error:
        fail(str(error))
    db = assembly.db()
    working_language = assembly_languages.working_language(db)
    # the answer is in the new working language, as the file's next command will be
    use_working_language(working_language, i18n.override_dir(assembly.path))
    echo(_("Working language: %(language)s.", language=i18n.language_name(working_language)))
    offered = ", ".join(
        i18n.language_name(tag) for tag in assembly_languages.residents_languages(db)
    )
    echo(_("Residents choose from: %(languages)s.", languages=offered))


COMMANDS = [languages_group]
