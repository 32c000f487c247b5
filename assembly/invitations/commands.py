"""`assembly invitations ...`: the mailing frame, the letters' lottery and its verify, the
letters themselves, the registrations that come back (matched to the mailed addresses, with
a review of the doubtful ones) and the response rates.

Each command is one transaction. Exit codes: 0 done, 1 a check that failed (`verify`), 2 bad
input or a refusal (a plain message naming the file, row and column, never a traceback).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from assembly.core.i18n import N_, Number, _, ngettext, working
from assembly.core.library_words import refusal
from assembly.core.terminal import echo

ASSEMBLY = click.argument("assembly_path", metavar="FILE", type=click.Path(dir_okay=False))
ENCODING = click.option(
    "--encoding",
    default=None,
    metavar="NAME",
    help="The files' text encoding when it is not UTF-8, e.g. cp1252 (never guessed).",
)


@contextlib.contextmanager
def _opened(path: str, *, read_only: bool = False) -> Iterator:
    """The opened file; an InvitationError becomes a plain message and exit 2."""
    from assembly.core.cli_support import fail, open_or_fail
    from assembly.invitations.errors import InvitationError

    assembly = open_or_fail(path, read_only=read_only)
    try:
        yield assembly
    except InvitationError as error:
        fail(f"{error.title}: {error}")
    finally:
        assembly.close()


@click.group("invitations")
def invitations() -> None:
    """Invitations by lottery: the address frame, letters, registrations and response rates."""


@invitations.command("addresses")
@ASSEMBLY
@click.argument("addresses", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--postcodes",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A postcode directory extract (ONSPD or NSPL): postcode to LSOA and ward.",
)
@click.option(
    "--deprivation",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A deprivation file: LSOA code to IMD decile (and rank).",
)
@ENCODING
def addresses_command(
    assembly_path: str,
    addresses: str,
    postcodes: str | None,
    deprivation: str | None,
    encoding: str | None,
) -> None:
    """Import the mailing frame ADDRESSES (.csv or .xlsx) into FILE, joined to areas."""
    from assembly.invitations.frame import import_frame

    with _opened(assembly_path) as assembly:
        report = import_frame(
            assembly.db(),
            addresses,
            postcodes_path=postcodes,
            deprivation_path=deprivation,
            encoding=encoding,
        )
        if report.replaced:
            said = _(
                "Replaced the frame with %(count)s addresses from %(file)s.",
                count=Number(report.addresses),
                file=report.file_name,
            )
        else:
            said = _(
                "Imported %(count)s addresses from %(file)s.",
                count=Number(report.addresses),
                file=report.file_name,
            )
        echo(said)
        if postcodes:
            n = len(report.unmatched_postcodes)
            echo(_("Postcodes not in the postcode directory: %(count)s", count=Number(n)))
            for key in report.unmatched_postcodes[:20]:
                echo(f"  {key}")
            if n > 20:
                echo("  " + _("and %(count)s more", count=Number(n - 20)))
        echo(
            _(
                "Addresses without a deprivation decile: %(count)s",
                count=Number(report.without_decile),
            )
        )
        for lsoa in report.lsoas_without_decile[:20]:
            echo("  " + _("LSOA %(lsoa)s has no decile in the deprivation file", lsoa=lsoa))


def _per_area(path: str, encoding: str | None) -> tuple[tuple[str, int], ...]:
    """An `area,letters` file (any area heading, a `letters` or `count` column), as typed or as
    `rates --suggest` wrote it (an area beginning `=` quoted so a spreadsheet cannot run it)."""
    from pathlib import Path

    from assembly.core.safe_output import undo_spreadsheet_cell
    from assembly.invitations.errors import InvitationError
    from sortition.model import normalise
    from sortition.tabular import TableError, read_table, whole_number

    try:
        table = read_table(path, encoding=encoding, display_name=Path(path).name)
        keys = [normalise(h) for h in table.header]
        count_at = next((keys.index(k) for k in ("letters", "count", "n") if k in keys), None)
        if count_at is None or len(keys) < 2:
            raise InvitationError(
                _("%(file)s: needs an area column and a 'letters' column", file=table.file_name),
                title=_("Cannot read --per-area"),
            )
        area_at = 0 if count_at != 0 else 1
        out: dict[str, int] = {}
        for row, cells in table.rows:
            area = undo_spreadsheet_cell(cells[area_at].strip())  # as --suggest wrote it
            if area in out:
                raise InvitationError(
                    _(
                        "%(file)s, row %(row)s, column %(column)s: area %(area)s is listed twice",
                        file=table.file_name,
                        row=row,
                        column=repr(table.header[area_at]),
                        area=repr(area),
                    ),
                    title=_("Cannot read --per-area"),
                )
            out[area] = whole_number(
                cells[count_at], file=table.file_name, row=row, column=table.header[count_at]
            )
    except TableError as error:
        raise InvitationError(refusal(error), title=_("Cannot read --per-area")) from None
    return tuple(out.items())


def _print_strata(strata) -> None:
    from assembly.invitations.lottery import stratum_in_words

    number = working().number
    for s in strata:
        line = _(
            "%(name)s %(letters)s letters of %(size)s addresses  inclusion probability "
            "%(probability)s",
            name=format(stratum_in_words(s.name), "<24"),
            letters=format(number(s.letters), ">8"),
            size=format(number(s.size), ">9"),
            probability=format(s.probability, ".6f"),
        )
        echo(f"  {line}")


@invitations.command("draw")
@ASSEMBLY
@click.option("--letters", type=click.IntRange(min=1), default=None, help="Letters to send.")
@click.option("--seed", default=None, help="The public seed (e.g. lottery numbers).")
@click.option(
    "--top-up",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.0,
    help="Share of the letters added to the --deciles (e.g. 0.2).",
)
@click.option("--deciles", default="1-3", show_default=True, help="The top-up's IMD deciles.")
@click.option(
    "--per-area",
    "per_area",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A file of letters per area (area,letters) instead.",
)
@click.option(
    "--area-field",
    default="ward",
    show_default=True,
    help="What an area is: ward, lsoa, decile or an area column of the frame.",
)
@click.option(
    "--wave",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="The wave (2 and later draw only addresses without a letter).",
)
@click.option("--areas", default="", help="A later wave: only these areas (comma-separated).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only print the strata and the commitment, to publish before the seed.",
)
@ENCODING
def draw_command(
    assembly_path: str,
    letters: int | None,
    seed: str | None,
    top_up: float,
    deciles: str,
    per_area: str | None,
    area_field: str,
    wave: int,
    areas: str,
    dry_run: bool,
    encoding: str | None,
) -> None:
    """Draw a wave of letters, one per address, from the public --seed."""
    from assembly.core.cli_support import fail
    from assembly.invitations.lottery import Design, parse_deciles
    from assembly.invitations.waves import draw_letters, plan_wave

    with _opened(assembly_path) as assembly:
        counts = _per_area(per_area, encoding) if per_area else ()
        if counts and top_up:
            fail(_("--per-area and --top-up are two designs: give one of them"))
        if not counts and letters is None:
            fail(_("--letters is needed (or --per-area with letters per area)"))
        design = Design(
            wave=wave,
            letters=sum(n for _area, n in counts) if counts else letters,
            top_up=top_up,
            deciles=parse_deciles(deciles) if top_up else (),
            per_area=counts,
            area_field=area_field,
            areas=tuple(a.strip() for a in areas.split(",") if a.strip()),
        )
        if wave == 1 and design.areas:
            fail(_("--areas is for a later wave (--wave 2 and on)"))
        if dry_run:
            digest, promise, strata = plan_wave(assembly.db(), design)
            echo(
                _(
                    "Wave %(wave)s: %(count)s letters",
                    wave=wave,
                    count=Number(design.letters),
                )
            )
            _print_strata(strata)
            echo(_("Frame SHA-256: %(digest)s", digest=digest))
            echo(_("Commitment:    %(commitment)s", commitment=promise))
            return
        if not seed:
            fail(_("--seed is needed: the public seed the letters are drawn by"))
        summary = draw_letters(assembly.db(), design, seed, assembly.clock)
        echo(
            _(
                "Wave %(wave)s: drew %(count)s letters, one per address",
                wave=summary.wave,
                count=Number(summary.letters),
            )
        )
        _print_strata(summary.strata)
        echo(_("Seed SHA-256:  %(digest)s", digest=summary.seed_sha256))
        echo(_("Frame SHA-256: %(digest)s", digest=summary.frame_sha256))
        echo(_("Commitment:    %(commitment)s", commitment=summary.commitment))
        echo(_("Letters SHA-256: %(digest)s", digest=summary.selection_sha256))


@invitations.command("verify")
@ASSEMBLY
def verify_command(assembly_path: str) -> None:
    """Redraw every wave from the stored frame and seed; exit 1 if any differs."""
    import sys

    from assembly.invitations.waves import verify_waves

    with _opened(assembly_path, read_only=True) as assembly:
        report = verify_waves(assembly.db())
    if not report:
        echo(_("No wave has been drawn."))
    for line, _failed in report:
        echo(line)
    if any(failed for _line, failed in report):
        sys.exit(1)


# The sign-up date a letter gives when the officer gives none (--deadline), in its language.
DEADLINE = N_("the date on our website")


def _letter_language(assembly, *, own_template: bool) -> str | None:
    """The file's working language for letters asked for in none; None (English) when it is
    English, or has no catalogue or (without --template) no shipped letter to print."""
    from assembly.core.i18n import SOURCE_LANGUAGE, has_catalogue, override_dir
    from assembly.invitations.errors import InvitationError
    from assembly.invitations.letters import template_for
    from assembly.store.languages import working_language

    language = working_language(assembly.db())
    if language.split("-")[0] == SOURCE_LANGUAGE:
        return None
    if not has_catalogue(language, override_dir(assembly.path)):
        return None
    if not own_template:
        try:
            template_for(language)
        except InvitationError:
            return None
    return language


@invitations.command("letters")
@ASSEMBLY
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--csv", "as_csv", is_flag=True, help="Write a mail-merge CSV instead of a PDF.")
@click.option("--wave", type=click.IntRange(min=1), default=None, help="One wave (default: all).")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="The letter's Markdown template (default: the plain-English one).",
)
@click.option(
    "--url",
    "url",
    default="https://example.org/assembly",
    show_default=True,
    help="The registration address (in the text and QR code).",
)
@click.option("--phone", default="0300 000 0000", show_default=True, help="The phone line.")
@click.option("--deadline", default=None, help="Sign up by (text).")
@click.option(
    "--font",
    type=click.Path(dir_okay=False),
    default=None,
    help="A TrueType font (default: DejaVu Sans when installed).",
)
@click.option(
    "--lang",
    "language",
    default=None,
    metavar="CODE",
    help="The letter's language, e.g. cy: its template and printed words (default: the file's "
    "working language).",
)
def letters_command(
    assembly_path: str,
    out: str,
    as_csv: bool,
    wave: int | None,
    template: str | None,
    url: str,
    phone: str,
    deadline: str | None,
    font: str | None,
    language: str | None,
) -> None:
    """Write the drawn letters to OUT: a PDF, one letter per page (or --csv for a print house)."""
    from pathlib import Path

    from assembly.core.cli_support import fail, write_text_or_fail
    from assembly.core.i18n import LanguageError, check_language, override_dir, translator
    from assembly.core.safe_output import safe_url
    from assembly.invitations.letters import LetterText, fill, letters_of, template_for, write_pdf
    from assembly.invitations.readability import TARGET_AGE, check_text

    try:
        language = check_language(language) if language else None
    except LanguageError as error:
        fail(f"--lang: {error}")
    with _opened(assembly_path, read_only=True) as assembly:
        if language is None:
            language = _letter_language(assembly, own_template=template is not None)
        try:
            tr = translator(language or "en-GB", override_dir(assembly_path))  # not words
        except LanguageError as error:
            fail(f"--lang: {error}")
        if deadline is None:
            deadline = tr.gettext(DEADLINE)
        letters = letters_of(assembly.db(), wave)
        if as_csv:
            from assembly.invitations.letters import mail_merge_csv

            write_text_or_fail(out, mail_merge_csv(letters, tr))
            echo(
                _(
                    "Wrote %(count)s letters to %(path)s (mail merge).",
                    count=Number(len(letters)),
                    path=out,
                )
            )
            return
        if safe_url(url) is None:
            fail(
                _(
                    "--url: %(url)s is not a web address (it must start http:// or https://)",
                    url=repr(url),
                )
            )
        source = Path(template) if template else template_for(language)
        try:
            raw = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(
                _(
                    "%(path)s: cannot be read as UTF-8 text (%(error)s)",
                    path=str(source),
                    error=str(error),
                )
            )
        body = fill(raw, LetterText(assembly.name, url, phone, deadline))
        check = check_text(raw)
        english = not language or language.split("-")[0] == "en"
        if english:  # the reading-age formula counts English syllables
            echo(
                _(
                    "Template %(template)s: reading age about %(age)s (%(words)s words, "
                    "%(sentences)s sentences)",
                    template=source.name,
                    age=format(check.reading_age, ".0f"),
                    words=check.words,
                    sentences=check.sentences,
                )
            )
        if english and not check.plain:
            echo(
                "  "
                + _(
                    "Warning: aim for a reading age of %(age)s or less.",
                    age=format(TARGET_AGE, ".0f"),
                )
            )
            for sentence in check.long_sentences:
                echo("  " + _("Long sentence: %(sentence)s...", sentence=sentence[:70]))
        try:
            pages = write_pdf(
                Path(out), letters, body, url, font=Path(font) if font else None, tr=tr
            )
        except OSError as error:
            fail(
                _(
                    "Could not write %(file)s: %(reason)s. Nothing was written.",
                    file=out,
                    reason=error.strerror or str(error),
                )
            )
        echo(
            _(
                "Wrote %(count)s letters to %(path)s, one per page.",
                count=Number(pages),
                path=out,
            )
        )


@invitations.command("registrations")
@ASSEMBLY
@click.argument("form", type=click.Path(exists=True, dir_okay=False))
@ENCODING
def registrations_command(assembly_path: str, form: str, encoding: str | None) -> None:
    """Import the registration form's export FORM (.csv or .xlsx), matched to the mailed letters."""
    from assembly.invitations.matching import STATUS_LABELS
    from assembly.invitations.registrations import import_registrations

    with _opened(assembly_path) as assembly:
        report = import_registrations(assembly.db(), form, assembly.clock, encoding=encoding)
    echo(
        ngettext(
            "Read %(num)s registration from %(file)s.",
            "Read %(num)s registrations from %(file)s.",
            report.rows,
            num=Number(report.rows),
            file=report.file_name,
        )
    )
    if report.already:
        echo(
            ngettext(
                "Already imported (or repeated), skipped: %(num)s registration",
                "Already imported (or repeated), skipped: %(num)s registrations",
                report.already,
                num=Number(report.already),
            )
        )
    for status, n in report.statuses.items():
        label = _(STATUS_LABELS[status])
        echo(f"  {label + ':':<14} {working().number(n):>7}")
    if report.shared_households:
        echo(
            _(
                "Households with more than one registration: %(count)s (kept, shown together)",
                count=Number(report.shared_households),
            )
        )


# Each grouping `rates --by` compares, in words (the option's values are not): the table's
# title, its first column's heading, a group with no value, and the second wave aimed by it
# (none by wave). An area column of the officer's own file is named by its heading.
RATES_WORDS = {
    "decile": (
        N_("Response by decile, weighted by inclusion probability (%(percent)s Wilson interval)"),
        N_("decile"),
        N_("no decile"),
        N_("A second wave to bring each decile to its share of the registrations:"),
    ),
    "ward": (
        N_("Response by ward, weighted by inclusion probability (%(percent)s Wilson interval)"),
        N_("ward"),
        N_("no ward"),
        N_("A second wave to bring each ward to its share of the registrations:"),
    ),
    "wave": (
        N_("Response by wave, weighted by inclusion probability (%(percent)s Wilson interval)"),
        N_("wave"),
        N_("no wave"),
        "",
    ),
}


def _rates_words(by: str) -> tuple[str, ...]:
    """The title, column heading, no-value group and second-wave line for grouping `by`."""
    known = RATES_WORDS.get(by)
    if known is not None:
        title, *rest = known
        return (
            _(title, percent=working().percent(95)),
            *(_(message) if message else "" for message in rest),
        )
    return (
        _(
            "Response by %(group)s, weighted by inclusion probability (95%% Wilson interval)",
            group=by,
        ),
        by,
        _("no %(group)s", group=by),
        _("A second wave to bring each %(group)s to its share of the registrations:", group=by),
    )


@invitations.command("rates")
@ASSEMBLY
@click.option(
    "--by",
    type=click.Choice(["decile", "ward", "area", "wave"]),
    default="decile",
    show_default=True,
    help="The groups to compare (area: the column named by --area-field).",
)
@click.option(
    "--area-field",
    default=None,
    help="With --by area: the address file's area column to group by, or lsoa.",
)
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the table to this CSV file.",
)
@click.option(
    "--suggest",
    "suggest_out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the suggested second wave as a --per-area file for `invitations draw --wave 2`.",
)
def rates_command(
    assembly_path: str,
    by: str,
    area_field: str | None,
    csv_out: str | None,
    suggest_out: str | None,
) -> None:
    """Letters, registered households and response rate per group, weighted by inclusion
    probability, with a 95% interval, where engagement is weakest, and the second wave that
    would bring each group to its share of the registrations."""
    from assembly.core.cli_support import fail, write_text_or_fail
    from assembly.core.safe_output import csv_text
    from assembly.invitations.lottery import AREA_FIELDS
    from assembly.invitations.purged import purged_on
    from assembly.invitations.rates import (
        frame_counts,
        group_name,
        response_rates,
        second_wave,
        second_wave_lines,
        weakest,
    )

    named = area_field if by == "area" else by
    if suggest_out and named not in AREA_FIELDS:
        fail(
            _(
                "--suggest writes a wave the draw can aim, by %(fields)s; not by %(named)s",
                fields=", ".join(AREA_FIELDS),
                named=named,
            )
        )
    with _opened(assembly_path, read_only=True) as assembly:
        groups, overall = response_rates(assembly.db(), by, area_field)
        frame = frame_counts(assembly.db(), by, area_field)
        purged = purged_on(assembly.db())
    if by == "area" and area_field:
        by = area_field
    title, by_title, no_group, second_title = _rates_words(by)
    echo(title)
    letters_title, registered_title, rate_title = _("letters"), _("registered"), _("rate")
    interval_title = _("%(percent)s interval", percent=working().percent(95))
    echo(
        f"  {by_title:<16} {letters_title:>8} {registered_title:>11} {rate_title:>7}   "
        f"{interval_title}"
    )
    number = working().number
    for g in [*groups, overall]:
        name = _("All") if g is overall else (g.group or no_group)
        between = _("%(low)s to %(high)s", low=format(g.low, ".1%"), high=format(g.high, ".1%"))
        echo(
            f"  {name:<16} {number(g.letters):>8} {number(g.registered):>11} {g.rate:>7.1%}   "
            f"{between}"
        )
    low = weakest(groups, overall)
    echo(_("Where engagement is weakest:"))
    if not low:
        echo("  " + _("No group answers less than the letters overall."))
    for g in low:
        said = _(
            "%(group)s: %(rate)s of households answered (95%% interval %(low)s to %(high)s), "
            "against %(overall)s overall.",
            group=group_name(by, g.group),
            rate=format(g.rate, ".1%"),
            low=format(g.low, ".1%"),
            high=format(g.high, ".1%"),
            overall=format(overall.rate, ".1%"),
        )
        echo(f"  {said}")
    if csv_out:
        rows = [
            [g.group, g.letters, g.registered, round(g.rate, 6), round(g.low, 6), round(g.high, 6)]
            for g in [*groups, overall]
        ]
        header = [by, "letters", "registered", "rate", "low_95", "high_95"]
        write_text_or_fail(csv_out, csv_text(header, rows))
        echo(_("Wrote the table to %(path)s.", path=csv_out))
    if by == "wave":
        return
    if purged:
        echo(_("The mailed list was purged on %(day)s: no second wave can be drawn.", day=purged))
        return
    suggested = second_wave(groups, overall, frame)
    echo(second_title)
    for line in second_wave_lines(by, suggested):
        echo(f"  {line}")
    if suggest_out:
        per_area = [[g.group, g.letters] for g in suggested if g.letters]
        write_text_or_fail(suggest_out, csv_text([by, "letters"], per_area))
        echo(
            _(
                "Wrote the suggested wave to %(path)s: draw it with `assembly invitations draw "
                "FILE --wave 2 --per-area %(path)s --area-field %(group)s --seed TEXT`.",
                path=suggest_out,
                group=by,
            )
        )


@invitations.command("pool")
@ASSEMBLY
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="COLUMN",
    help="A form or area column that is no feature (such as the form's timestamp); repeatable.",
)
def pool_command(assembly_path: str, ignore: tuple[str, ...]) -> None:
    """Put the matched registrants into the pool: their answers and their address's areas."""
    from assembly.invitations.pool import registrants_to_pool

    with _opened(assembly_path) as assembly:
        report = registrants_to_pool(assembly.db(), assembly.clock, ignore)
    echo(report.message())
    echo(_("Features: %(features)s", features=", ".join(report.features)))
    if report.blanks:
        echo(
            _(
                "Answers or area values left blank, stored as 'not given': %(count)s",
                count=Number(report.blanks),
            )
        )


@invitations.command("purge")
@ASSEMBLY
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge_command(assembly_path: str, yes: bool) -> None:
    """Once the panel is drawn: remove the mailed list (addresses, letters, registrations) for
    good, keeping only counts per area and wave; the rates read as before. Refused while
    another program reads the file."""
    from assembly.invitations.purge import purge_mailed_list
    from assembly.store.backup import backups_warning

    with _opened(assembly_path) as assembly:
        if not yes:
            click.confirm(
                _(
                    "Remove the mailed list, its letters and every registration for good, keeping "
                    "only counts per area and wave? This cannot be undone."
                ),
                abort=True,
            )
        result = purge_mailed_list(assembly.db(), assembly.clock)
    if result.already_on:
        echo(
            _(
                "The mailed list was already purged on %(day)s; the file was vacuumed.",
                day=result.already_on,
            )
        )
    else:
        n_addresses, n_letters = result.addresses, result.letters
        n_registrations = result.registrations
        echo(
            _(
                "Removed the mailed list: %(addresses)s, %(letters)s and %(registrations)s. Its "
                "counts per area and wave are kept, so the response rates read as before. The "
                "file was vacuumed.",
                addresses=ngettext(
                    "%(num)s address", "%(num)s addresses", n_addresses, num=Number(n_addresses)
                ),
                letters=ngettext(
                    "%(num)s letter", "%(num)s letters", n_letters, num=Number(n_letters)
                ),
                registrations=ngettext(
                    "%(num)s registration",
                    "%(num)s registrations",
                    n_registrations,
                    num=Number(n_registrations),
                ),
            )
        )
    if result.backups:
        echo(backups_warning(result.backups))


@invitations.command("review")
@ASSEMBLY
@click.option(
    "--resolve",
    nargs=2,
    type=click.IntRange(min=1),
    metavar="REG_ID ADDRESS_ID",
    default=None,
    help="Match registration REG_ID to the mailed address ADDRESS_ID.",
)
@click.option(
    "--not-invited",
    "not_invited",
    type=click.IntRange(min=1),
    metavar="REG_ID",
    default=None,
    help="Settle registration REG_ID as from a household sent no letter (kept, never pooled).",
)
def review_command(
    assembly_path: str, resolve: tuple[int, int] | None, not_invited: int | None
) -> None:
    """List the registrations that need review, by the household they could be (or settle one
    with --resolve or --not-invited)."""
    from assembly.core.cli_support import fail
    from assembly.invitations import review
    from assembly.invitations.matching import shown_reason

    if resolve and not_invited:
        fail(_("Cannot review: give either --resolve or --not-invited, not both"))
    if not_invited:
        with _opened(assembly_path) as assembly:
            review.mark_not_invited(assembly.db(), not_invited)
        echo(
            _(
                "Registration %(registration)s is marked not invited: it is kept and counted, "
                "and never joins the pool.",
                registration=not_invited,
            )
        )
        return
    if resolve:
        with _opened(assembly_path) as assembly:
            printed = review.resolve(assembly.db(), *resolve)
        echo(
            _(
                "Registration %(registration)s is matched to %(address)s.",
                registration=resolve[0],
                address=printed,
            )
        )
        return
    with _opened(assembly_path, read_only=True) as assembly:
        households = review.waiting_for_review(assembly.db())
        several = review.shared(assembly.db())
    waiting = sum(len(h.registrations) for h in households)
    echo(
        ngettext(
            "Needs review: %(num)s registration",
            "Needs review: %(num)s registrations",
            waiting,
            num=Number(waiting),
        )
    )
    for h in households:
        if h.addresses:
            for i, (address_id, printed, reference) in enumerate(h.addresses):
                if i == 0:
                    said = _(
                        "Could be address %(address)s: %(printed)s (letter %(reference)s)",
                        address=address_id,
                        printed=printed,
                        reference=reference,
                    )
                    echo(f"  {said}")
                else:
                    said = _(
                        "or address %(address)s: %(printed)s (letter %(reference)s)",
                        address=address_id,
                        printed=printed,
                        reference=reference,
                    )
                    echo(f"        {said}")
        else:
            echo("  " + _("No mailed address near:"))
        for r in h.registrations:
            values = {
                "registration": r.registration_id,
                "source": _source(r.source),
                "row": r.row,
                "address": r.address,
                "postcode": r.postcode,
                "reason": shown_reason(r.reason),
            }
            if r.reference:
                said = _(
                    "registration %(registration)s (%(source)s row %(row)s): %(address)s, "
                    "%(postcode)s, reference %(reference)s; %(reason)s",
                    reference=r.reference,
                    **values,
                )
            else:
                said = _(
                    "registration %(registration)s (%(source)s row %(row)s): %(address)s, "
                    "%(postcode)s; %(reason)s",
                    **values,
                )
            echo(f"    {said}")
    if several:
        echo(
            _(
                "Households with more than one registration: %(count)s",
                count=Number(len(several)),
            )
        )
        for printed, regs in several:
            listed = ", ".join(
                _(
                    "%(registration)s (%(source)s row %(row)s)",
                    registration=i,
                    source=_source(source),
                    row=row,
                )
                for i, source, row in regs
            )
            echo("  " + _("%(address)s: registrations %(listed)s", address=printed, listed=listed))


def _source(source: str) -> str:
    """Where a registration came from: the form's file name, or the phone (in these words)."""
    from assembly.invitations.registrations import PHONE

    return _("phone") if source == PHONE else source


COMMANDS = [invitations]
