"""The mailing frame: addresses imported through the shared reader and joined to areas.

An address file holds an id (UPRN or any unique id), address lines and a postcode; any other
column is an area column and is kept as it is. A postcode directory extract (ONS Postcode
Directory or NSPL, with the column names of any release: `pcds`/`pcd7`, `lsoa11`/`lsoa21cd`,
`osward`/`wd25cd`) adds each address's LSOA and ward, and a deprivation file (LSOA code to
IMD rank and decile) adds its decile. Area columns already in the address file win over the
joins. The whole import is checked before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.core.library_words import refusal
from assembly.invitations.errors import InvitationError
from assembly.invitations.postcodes import looks_like_postcode, postcode_key
from assembly.invitations.purged import refuse_if_purged
from assembly.store import write_transaction
from sortition.model import normalise
from sortition.tabular import Table, TableError, read_table

# English LSOAs ranked by the indices: IMD 2019 on 2011 LSOAs, IoD 2025 on 2021 LSOAs; an NSPL's
# `imd` column is such a rank, so a decile follows from it when no deprivation file is given.
LSOAS = {"2011": 32_844, "2021": 33_755}
MAX_PROBLEMS = 20  # a rejection lists this many bad cells, then says how many more

# The headings looked for, compared with the file's own (names in the file, not words).
_ID = ("uprn", "udprn", "id", "address id", "address_id", "ref", "reference")  # not words
_POSTCODE = ("postcode", "post code", "postal code", "pcds", "pcd", "pcd7", "pcd8")  # not words
_SINGLE_ADDRESS = ("address", "full address", "address lines")  # not words
_LINE = re.compile(r"(address|addr|line)[ _]*(line)?[ _]*([0-9])\Z")
_LSOA = re.compile(r"lsoa(01|11|21)?(cd|code)?\Z|lsoa code( \((2011|2021)\))?\Z")
_WARD = re.compile(r"(osward|ward|wd[0-9]{2}cd|ward code)\Z")
_DECILE = re.compile(r".*\bdecile\b.*|imd_decile\Z|imd decile\Z")
_RANK = re.compile(r"imd\Z|imd_rank\Z|imd rank\Z|.*\(imd\) rank.*|rank\Z")


@dataclass(frozen=True)
class Address:
    uprn: str
    lines: tuple[str, ...]
    postcode: str
    postcode_key: str
    lsoa: str = ""
    ward: str = ""
    decile: int | None = None
    imd_rank: int | None = None
    areas: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FrameReport:
    """What an import did and what it could not join, for the organiser to fix or accept."""

    file_name: str
    addresses: int
    unmatched_postcodes: tuple[str, ...]  # postcode keys not in the postcode directory
    without_decile: int
    lsoas_without_decile: tuple[str, ...]
    replaced: bool = False


def _fail(table: Table, problems: list[str], title: str | None = None) -> None:
    more = len(problems) - MAX_PROBLEMS
    listed = "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS])
    tail = "\n  " + _("and %(count)s more", count=more) if more > 0 else ""
    said = ngettext(
        "%(file)s: %(num)s problem, nothing was imported:",
        "%(file)s: %(num)s problems, nothing was imported:",
        len(problems),
        file=table.file_name,
        num=Number(len(problems)),
    )
    raise InvitationError(
        f"{said}\n{listed}{tail}", title=title or _("Cannot import the addresses")
    )


def _read(path: str | Path, encoding: str | None) -> Table:
    path = Path(path)
    try:
        return read_table(path, encoding=encoding, display_name=path.name)
    except TableError as error:
        raise InvitationError(refusal(error), title=_("Cannot read the file")) from None


def _find(header: Sequence[str], names: Sequence[str] = (), pattern: re.Pattern | None = None):
    keys = [normalise(h) for h in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    if pattern is not None:
        for i, key in enumerate(keys):
            if pattern.match(key):
                return i
    return None


def _required(table: Table, index: int | None, message: str, names: Sequence[str]) -> int:
    """The column's index, or a refusal: `message` (marked with `N_`) says which column is
    missing, with the placeholders `file`, `names` (some headings looked for) and `headings`."""
    if index is None:
        raise InvitationError(
            _(
                message,
                file=table.file_name,
                names=", ".join(repr(n) for n in names[:4]),
                headings=", ".join(repr(h) for h in table.header),
            ),
            title=_("Cannot import the addresses"),
        )
    return index


# A missing column, said whole (placeholders `file`, `names` and `headings`: see `_required`).
NO_ID = N_(
    "%(file)s: no id (UPRN) column (looked for a heading such as %(names)s); its headings are "
    "%(headings)s"
)
NO_POSTCODE = N_(
    "%(file)s: no postcode column (looked for a heading such as %(names)s); its headings are "
    "%(headings)s"
)
NO_ADDRESS = N_(
    "%(file)s: no address column (looked for a heading such as %(names)s); its headings are "
    "%(headings)s"
)
NO_LSOA_OR_WARD = N_(
    "%(file)s: no LSOA or ward column (looked for a heading such as %(names)s); its headings "
    "are %(headings)s"
)
NO_LSOA_CODE = N_(
    "%(file)s: no LSOA code column (looked for a heading such as %(names)s); its headings are "
    "%(headings)s"
)
NO_DECILE = N_(
    "%(file)s: no IMD decile column (looked for a heading such as %(names)s); its headings are "
    "%(headings)s"
)


def _whole(text: str, table: Table, row: int, column: str, low: int, high: int, problems) -> int:
    cell = text.strip()
    if not cell:
        return None
    if not cell.isascii() or not cell.isdigit() or not low <= int(cell) <= high:
        problems.append(
            _(
                "row %(row)s, column %(column)s: %(cell)s is not a whole number %(low)s-%(high)s",
                row=row,
                column=repr(column),
                cell=repr(cell),
                low=low,
                high=high,
            )
        )
        return None
    return int(cell)


def read_addresses(path: str | Path, *, encoding: str | None = None) -> tuple[Table, list[Address]]:
    """The address file's rows as addresses, or an InvitationError listing every bad cell."""
    table = _read(path, encoding)
    header = table.header
    id_at = _required(table, _find(header, _ID), NO_ID, _ID)
    pc_at = _required(table, _find(header, _POSTCODE), NO_POSTCODE, _POSTCODE)
    line_at = [i for i, h in enumerate(header) if _LINE.match(normalise(h))]
    single = _find(header, _SINGLE_ADDRESS)
    if not line_at and single is None:
        _required(table, None, NO_ADDRESS, ("address line 1", "address_1", "address"))  # not words
    line_at = line_at or [single]
    lsoa_at = _find(header, pattern=_LSOA)
    ward_at = _find(header, pattern=_WARD)
    decile_at = _find(header, pattern=_DECILE)
    rank_at = _find(header, pattern=_RANK)
    used = {id_at, pc_at, *line_at, lsoa_at, ward_at, decile_at, rank_at}
    extra = [i for i in range(len(header)) if i not in used]
    problems: list[str] = []
    seen: dict[str, int] = {}
    out: list[Address] = []
    for row, cells in table.rows:
        cells = tuple(cells) + ("",) * (len(header) - len(cells))
        uprn = cells[id_at].strip()
        if not uprn:
            problems.append(
                _(
                    "row %(row)s, column %(column)s: the id is empty",
                    row=row,
                    column=repr(header[id_at]),
                )
            )
        elif uprn.casefold() in seen:
            problems.append(
                _(
                    "row %(row)s, column %(column)s: id %(id)s is already on row %(first)s "
                    "(one row per address)",
                    row=row,
                    column=repr(header[id_at]),
                    id=repr(uprn),
                    first=seen[uprn.casefold()],
                )
            )
        else:
            seen[uprn.casefold()] = row
        key = postcode_key(cells[pc_at])
        if not looks_like_postcode(key):
            problems.append(
                _(
                    "row %(row)s, column %(column)s: %(postcode)s is not a UK postcode",
                    row=row,
                    column=repr(header[pc_at]),
                    postcode=repr(cells[pc_at]),
                )
            )
        lines = tuple(cells[i].strip() for i in line_at if cells[i].strip())
        if not lines:
            problems.append(
                _(
                    "row %(row)s, column %(column)s: the address is empty",
                    row=row,
                    column=repr(header[line_at[0]]),
                )
            )
        decile = rank = None
        if decile_at is not None:
            decile = _whole(cells[decile_at], table, row, header[decile_at], 1, 10, problems)
        if rank_at is not None:
            rank = _whole(cells[rank_at], table, row, header[rank_at], 1, 10_000_000, problems)
        out.append(
            Address(
                uprn=uprn,
                lines=lines,
                postcode=cells[pc_at].strip(),
                postcode_key=key,
                lsoa=cells[lsoa_at].strip() if lsoa_at is not None else "",
                ward=cells[ward_at].strip() if ward_at is not None else "",
                decile=decile,
                imd_rank=rank,
                areas={header[i]: cells[i].strip() for i in extra},
            )
        )
    if not out:
        problems.append(_("the file holds no addresses"))
    if problems:
        _fail(table, problems)
    return table, out


@dataclass(frozen=True)
class PostcodeDirectory:
    """postcode key -> (LSOA code, ward code, IMD rank or None); which LSOA year it holds."""

    areas: dict[str, tuple[str, str, int | None]]
    lsoa_year: str


def read_postcodes(path: str | Path, *, encoding: str | None = None) -> PostcodeDirectory:
    """An ONSPD/NSPL extract, with either release's column names."""
    table = _read(path, encoding)
    header = table.header
    pc_at = _required(
        table, _find(header, ("pcds", "pcd7", "pcd", "pcd8", "postcode")), NO_POSTCODE, _POSTCODE
    )
    keys = [normalise(h) for h in header]
    lsoa_at, year = None, ""
    for name, y in (
        ("lsoa21cd", "2021"),  # not words
        ("lsoa21", "2021"),
        ("lsoa11cd", "2011"),  # not words
        ("lsoa11", "2011"),
        ("lsoa", ""),
    ):
        if name in keys:
            lsoa_at, year = keys.index(name), y
            break
    ward_at = _find(header, pattern=_WARD)
    if lsoa_at is None and ward_at is None:
        _required(
            table,
            None,
            NO_LSOA_OR_WARD,
            ("lsoa21cd", "lsoa11", "wd25cd", "osward"),  # not words
        )
    rank_at = _find(header, ("imd",))
    problems: list[str] = []
    areas: dict[str, tuple[str, str, int | None]] = {}
    for row, cells in table.rows:
        cells = tuple(cells) + ("",) * (len(header) - len(cells))
        key = postcode_key(cells[pc_at])
        if not key:
            continue
        rank = None
        if rank_at is not None:
            rank = _whole(cells[rank_at], table, row, header[rank_at], 1, 10_000_000, problems)
        areas[key] = (
            cells[lsoa_at].strip() if lsoa_at is not None else "",
            cells[ward_at].strip() if ward_at is not None else "",
            rank,
        )
    if problems:
        _fail(table, problems)
    return PostcodeDirectory(areas, year)


def read_deprivation(
    path: str | Path, *, encoding: str | None = None
) -> dict[str, tuple[int, int | None]]:
    """LSOA code -> (IMD decile 1-10, rank or None), from the indices' file or any extract."""
    table = _read(path, encoding)
    header = table.header
    lsoa_at = _required(
        table,
        _find(header, pattern=re.compile(r"lsoa.*(cd|code).*|lsoa\Z|lsoa(11|21)\Z")),
        NO_LSOA_CODE,
        ("lsoa21cd", "LSOA code (2011)"),  # not words
    )
    decile_at = _required(
        table,
        _find(header, pattern=_DECILE),
        NO_DECILE,
        ("imd_decile", "Index of Multiple Deprivation (IMD) Decile"),  # not words
    )
    rank_at = _find(header, pattern=_RANK)
    problems: list[str] = []
    out: dict[str, tuple[int, int | None]] = {}
    for row, cells in table.rows:
        cells = tuple(cells) + ("",) * (len(header) - len(cells))
        code = cells[lsoa_at].strip().upper()
        if not code:
            problems.append(
                _(
                    "row %(row)s, column %(column)s: the LSOA code is empty",
                    row=row,
                    column=repr(header[lsoa_at]),
                )
            )
            continue
        decile = _whole(cells[decile_at], table, row, header[decile_at], 1, 10, problems)
        if decile is None and not cells[decile_at].strip():
            problems.append(
                _(
                    "row %(row)s, column %(column)s: the decile is empty",
                    row=row,
                    column=repr(header[decile_at]),
                )
            )
        rank = None
        if rank_at is not None:
            rank = _whole(cells[rank_at], table, row, header[rank_at], 1, 10_000_000, problems)
        if decile is not None:
            out[code] = (decile, rank)
    if problems:
        _fail(table, problems)
    return out


def decile_of_rank(rank: int, lsoas: int) -> int:
    """The decile (1 = most deprived tenth) of an IMD rank among `lsoas` areas."""
    return max(1, min(10, -(-rank * 10 // lsoas)))


def join_areas(
    addresses: list[Address],
    postcodes: PostcodeDirectory | None,
    deprivation: dict[str, tuple[int, int | None]] | None,
) -> tuple[list[Address], tuple[str, ...]]:
    """Each address with its LSOA, ward and decile filled where the file left them empty, and
    the postcodes the directory does not hold."""
    unmatched: set[str] = set()
    joined: list[Address] = []
    for a in addresses:
        lsoa, ward, decile, rank = a.lsoa, a.ward, a.decile, a.imd_rank
        if postcodes is not None:
            found = postcodes.areas.get(a.postcode_key)
            if found is None:
                unmatched.add(a.postcode_key)
            else:
                lsoa, ward = lsoa or found[0], ward or found[1]
                rank = rank if rank is not None else found[2]
        if decile is None and deprivation is not None and lsoa:
            hit = deprivation.get(lsoa.upper())
            if hit is not None:
                decile = hit[0]
                rank = rank if rank is not None else hit[1]
        if decile is None and rank is not None and postcodes is not None and postcodes.lsoa_year:
            decile = decile_of_rank(rank, LSOAS[postcodes.lsoa_year])
        joined.append(
            Address(a.uprn, a.lines, a.postcode, a.postcode_key, lsoa, ward, decile, rank, a.areas)
        )
    return joined, tuple(sorted(unmatched))


def has_waves(db: Database) -> bool:
    return db.execute("select exists(select 1 from invitation_waves)").fetchone()[0] == 1


def import_frame(
    db: Database,
    path: str | Path,
    *,
    postcodes_path: str | Path | None = None,
    deprivation_path: str | Path | None = None,
    encoding: str | None = None,
) -> FrameReport:
    """Read, join and store the frame in one transaction (replacing one no wave was drawn from)."""
    table, addresses = read_addresses(path, encoding=encoding)
    directory = read_postcodes(postcodes_path, encoding=encoding) if postcodes_path else None
    deprivation = (
        read_deprivation(deprivation_path, encoding=encoding) if deprivation_path else None
    )
    joined, unmatched = join_areas(addresses, directory, deprivation)
    refuse_if_purged(
        db,
        N_(
            "the mailed list was purged on %(day)s, so no address file can be imported: letters were drawn in this file"
        ),
    )
    if has_waves(db):
        raise InvitationError(
            _(
                "letters have already been drawn from this frame, so it cannot be replaced "
                "(the draw must stay verifiable)"
            ),
            title=_("Cannot import the addresses"),
        )
    replaced = db.execute("select exists(select 1 from invitation_addresses)").fetchone()[0] == 1
    with write_transaction(db):
        db.execute("delete from invitation_registration_candidates")
        db.execute("delete from invitation_registrations")
        db.execute("delete from invitation_addresses")
        db.conn.executemany(
            "insert into invitation_addresses (uprn, lines, postcode, postcode_key, lsoa, ward, "
            "decile, imd_rank, areas) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.uprn,
                    json.dumps(list(a.lines), ensure_ascii=False),
                    a.postcode,
                    a.postcode_key,
                    a.lsoa,
                    a.ward,
                    a.decile,
                    a.imd_rank,
                    json.dumps(a.areas, ensure_ascii=False, sort_keys=True),
                )
                for a in joined
            ],
        )
    without = [a for a in joined if a.decile is None]
    return FrameReport(
        file_name=table.file_name,
        addresses=len(joined),
        unmatched_postcodes=unmatched,
        without_decile=len(without),
        lsoas_without_decile=tuple(sorted({a.lsoa for a in without if a.lsoa})),
        replaced=replaced,
    )
