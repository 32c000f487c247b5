"""Read and write Pabulib `.pb` files (pabulib.org/format): sections META, PROJECTS and VOTES,
each a `;`-separated table with its own header row.

A file comes from outside, so it is read defensively: only regular files (a symlink to
`/dev/zero` or a pipe is refused before it is opened), a size and a row limit, and every problem
raised as one `PBFileError` naming the file, the line and the field. Nothing half-read is ever
returned: the `Election` is built only once the whole file has been checked.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import fields
from fractions import Fraction
from pathlib import Path

from assembly.budgets.election import (
    POINT_VOTE_TYPES,
    VOTE_TYPES,
    Ballot,
    BallotLimits,
    Election,
    Project,
)
from assembly.core.i18n import Number, _
from assembly.core.library_words import refusal
from sortition.tabular import Limits, TableError, read_file

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 5_000_000
MAX_PROJECTS = 100_000

_SECTIONS = ("META", "PROJECTS", "VOTES")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INT_LIMITS = ("min_length", "max_length")
_AMOUNT_LIMITS = tuple(f.name for f in fields(BallotLimits) if f.name not in _INT_LIMITS)


class PBFileError(ValueError):
    """A `.pb` file that cannot be read, with where: file, line (1-based) and field."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = message
        if line is None and column is None:
            text = _("%(path)s: %(problem)s", path=path, problem=message)
        elif column is None:
            text = _("%(path)s, line %(line)s: %(problem)s", path=path, line=line, problem=message)
        elif line is None:
            text = _(
                "%(path)s, field '%(column)s': %(problem)s",
                path=path,
                column=column,
                problem=message,
            )
        else:
            text = _(
                "%(path)s, line %(line)s, field '%(column)s': %(problem)s",
                path=path,
                line=line,
                column=column,
                problem=message,
            )
        super().__init__(text)


def parse_amount(text: str, *, path: str, line: int, column: str) -> Fraction:
    """An exact number from a file: `1234.5`, `1234,5` (decimal comma) or `1e3`, never a float."""
    cleaned = text.strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise PBFileError(
            _("'%(text)s' is not a number", text=text), path=path, line=line, column=column
        )
    return Fraction(cleaned)


def read_pb(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS):
    """Read the `.pb` file at `path` into an `Election`, or raise `PBFileError`."""
    name = str(path)
    data = _read_regular_file(name, max_bytes)
    try:
        text = data.decode("utf-8-sig")  # not words
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PBFileError(_("the file is not UTF-8 text"), path=name, line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PBFileError(_("the file holds a NUL byte: not a text file"), path=name, line=line)
    return parse_pb(text, source=name, max_rows=max_rows)


def _read_regular_file(name: str, max_bytes: int) -> bytes:
    """The file's bytes by the shared check (only a regular file, never past the limit)."""
    try:
        return read_file(name, limits=Limits(max_bytes=max_bytes), display_name=name)
    except TableError as error:
        raise PBFileError(refusal(error, file=False), path=name) from None


def parse_pb(text: str, *, source: str = "<text>", max_rows: int = MAX_ROWS) -> Election:
    """Parse the text of a `.pb` file (see `read_pb`)."""
    sections = _split_sections(text, source, max_rows)
    meta = _read_meta(sections["META"], source)
    meta_map = dict(meta)
    budget_line = _meta_line(sections["META"], "budget")
    if "budget" not in meta_map:
        raise PBFileError(_("META has no 'budget'"), path=source, line=sections["META"].start)
    budget = parse_amount(meta_map["budget"], path=source, line=budget_line, column="budget")
    if budget < 0:
        raise PBFileError(_("the budget is negative"), path=source, line=budget_line)
    vote_type = meta_map.get("vote_type", "approval").strip()
    if vote_type not in VOTE_TYPES:
        raise PBFileError(
            _(
                "vote_type '%(vote_type)s' is not one of %(vote_types)s",
                vote_type=vote_type,
                vote_types=", ".join(VOTE_TYPES),
            ),
            path=source,
            line=_meta_line(sections["META"], "vote_type"),
        )
    limits = _read_limits(sections["META"], meta_map, source)
    project_header, projects = _read_projects(sections["PROJECTS"], source)
    vote_header, ballots = _read_votes(sections["VOTES"], source, vote_type, projects)
    _check_counts(sections["META"], meta_map, source, len(projects), len(ballots))
    return Election(
        meta=meta,
        budget=budget,
        vote_type=vote_type,
        projects=tuple(projects.values()),
        ballots=ballots,
        limits=limits,
        project_header=project_header,
        vote_header=vote_header,
        source=source,
    )


class _Section:
    def __init__(self, name: str, start: int) -> None:
        self.name = name
        self.start = start
        self.rows: list[tuple[int, list[str]]] = []


def _split_sections(text: str, source: str, max_rows: int) -> dict[str, _Section]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            if line > max_rows:
                raise PBFileError(
                    _("more than %(rows)s lines", rows=Number(max_rows)), path=source, line=line
                )
            if not row or (len(row) == 1 and row[0].strip() == ""):
                continue
            marker = row[0].strip().upper() if len(row) == 1 else None
            if marker in _SECTIONS:
                if marker in sections:
                    raise PBFileError(
                        _("a second %(section)s section", section=marker), path=source, line=line
                    )
                current = sections[marker] = _Section(marker, line)
                continue
            if current is None:
                raise PBFileError(_("text before the META section"), path=source, line=line)
            current.rows.append((line, row))
    except csv.Error as error:
        raise PBFileError(
            _("badly quoted text (%(error)s)", error=error), path=source, line=line + 1
        ) from None
    for name in _SECTIONS:
        if name not in sections:
            raise PBFileError(_("no %(section)s section", section=name), path=source)
        if not sections[name].rows:
            raise PBFileError(
                _("the %(section)s section has no header row", section=name),
                path=source,
                line=sections[name].start,
            )
    order = [sections[name].start for name in _SECTIONS]
    if order != sorted(order):
        raise PBFileError(_("sections must come in the order META, PROJECTS, VOTES"), path=source)
    return sections


def _read_meta(section: _Section, source: str) -> tuple[tuple[str, str], ...]:
    meta: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line, row in section.rows[1:]:
        key = row[0].strip()
        if len(row) < 2:
            raise PBFileError(
                _("META line '%(key)s' has no value", key=key), path=source, line=line
            )
        if key in seen:
            raise PBFileError(
                _("META key '%(key)s' appears twice", key=key), path=source, line=line
            )
        seen.add(key)
        meta.append((key, ";".join(row[1:]).strip()))
    return tuple(meta)


def _meta_line(section: _Section, key: str) -> int:
    for line, row in section.rows[1:]:
        if row[0].strip() == key:
            return line
    return section.start


def _read_limits(section: _Section, meta: dict[str, str], source: str) -> BallotLimits:
    values: dict[str, object] = {}
    for key in _INT_LIMITS + _AMOUNT_LIMITS:
        text = meta.get(key, "").strip()
        if not text:
            continue
        line = _meta_line(section, key)
        amount = parse_amount(text, path=source, line=line, column=key)
        if key in _INT_LIMITS:
            if amount.denominator != 1 or amount < 0:
                raise PBFileError(
                    _("'%(text)s' is not a whole number", text=text),
                    path=source,
                    line=line,
                    column=key,
                )
            amount = int(amount)
        values[key] = amount
    return BallotLimits(**values)


def _header(section: _Section, source: str, required: tuple[str, ...]) -> tuple[str, ...]:
    line, row = section.rows[0]
    header = tuple(name.strip() for name in row)
    for name in required:
        if name not in header:
            raise PBFileError(
                _(
                    "the %(section)s header has no '%(column)s' column",
                    section=section.name,
                    column=name,
                ),
                path=source,
                line=line,
            )
    if len(set(header)) != len(header):
        raise PBFileError(
            _("the %(section)s header names a column twice", section=section.name),
            path=source,
            line=line,
        )
    return header


def _cells(header: tuple[str, ...], line: int, row: list[str], source: str, section: str):
    if len(row) != len(header):
        raise PBFileError(
            _(
                "%(fields)s fields where the %(section)s header has %(width)s",
                fields=len(row),
                section=section,
                width=len(header),
            ),
            path=source,
            line=line,
        )
    return dict(zip(header, (cell.strip() for cell in row), strict=True))


def _read_projects(section: _Section, source: str):
    header = _header(section, source, ("project_id", "cost"))
    projects: dict[str, Project] = {}
    if len(section.rows) - 1 > MAX_PROJECTS:
        raise PBFileError(
            _("more than %(projects)s projects", projects=Number(MAX_PROJECTS)),
            path=source,
            line=section.start,
        )
    for line, row in section.rows[1:]:
        cells = _cells(header, line, row, source, "PROJECTS")
        project_id = cells["project_id"]
        if not project_id:
            raise PBFileError(_("empty project_id"), path=source, line=line, column="project_id")
        if "," in project_id:
            raise PBFileError(
                _("a project_id may not hold a comma (ballots list ids with commas)"),
                path=source,
                line=line,
                column="project_id",
            )
        if project_id in projects:
            raise PBFileError(
                _("project '%(project)s' appears twice", project=project_id),
                path=source,
                line=line,
                column="project_id",
            )
        cost = parse_amount(cells["cost"], path=source, line=line, column="cost")
        if cost < 0:
            raise PBFileError(_("a negative cost"), path=source, line=line, column="cost")
        for name in ("votes", "score"):
            if cells.get(name):
                parse_amount(cells[name], path=source, line=line, column=name)
        if cells.get("selected", "") and not cells["selected"].isdigit():
            raise PBFileError(
                _("'%(text)s' is not 0, 1 or another whole number", text=cells["selected"]),
                path=source,
                line=line,
                column="selected",
            )
        others = tuple((k, v) for k, v in cells.items() if k not in ("project_id", "cost"))
        projects[project_id] = Project(project_id, cost, others)
    return header, projects


def _read_votes(section: _Section, source: str, vote_type: str, projects: dict[str, Project]):
    header = _header(section, source, ("voter_id", "vote"))
    uses_points = vote_type in POINT_VOTE_TYPES
    if uses_points and "points" not in header:
        raise PBFileError(
            _("%(vote_type)s ballots need a 'points' column", vote_type=vote_type),
            path=source,
            line=section.rows[0][0],
        )
    ballots: list[Ballot] = []
    voters: set[str] = set()
    skip = {"voter_id", "vote", "points"} if uses_points else {"voter_id", "vote"}
    at_voter, at_vote = header.index("voter_id"), header.index("vote")
    at_points = header.index("points") if uses_points else None
    extra = [(i, name) for i, name in enumerate(header) if name not in skip]
    extra_at, extra_names = [i for i, _name in extra], [name for _at, name in extra]
    known = set(projects)
    width = len(header)
    for line, row in section.rows[1:]:  # positional, not a dict per row: cities have 100k rows
        if len(row) != width:
            raise PBFileError(
                _(
                    "%(fields)s fields where the VOTES header has %(width)s",
                    fields=len(row),
                    width=width,
                ),
                path=source,
                line=line,
            )
        voter_id = row[at_voter].strip()
        if voter_id in voters:
            raise PBFileError(
                _("voter '%(voter)s' votes twice", voter=voter_id),
                path=source,
                line=line,
                column="voter_id",
            )
        voters.add(voter_id)
        vote = row[at_vote].strip()
        if not vote:
            chosen: tuple[str, ...] = ()
        elif " " in vote or "\t" in vote:
            chosen = tuple(p.strip() for p in vote.split(","))
        else:  # the common case, without a strip per id
            chosen = tuple(vote.split(","))
        if not known.issuperset(chosen):
            unknown = next(p for p in chosen if p not in known)
            raise PBFileError(
                _("unknown project '%(project)s'", project=unknown),
                path=source,
                line=line,
                column="vote",
            )
        if len(chosen) > 1 and len(set(chosen)) != len(chosen):
            raise PBFileError(
                _("a project is named twice in one ballot"),
                path=source,
                line=line,
                column="vote",
            )
        if vote_type == "choose-1" and len(chosen) > 1:
            raise PBFileError(
                _("a choose-1 ballot names more than one project"),
                path=source,
                line=line,
                column="vote",
            )
        points = None
        if at_points is not None:
            given = row[at_points].strip()
            texts = given.split(",") if given else []
            if len(texts) != len(chosen):
                raise PBFileError(
                    _(
                        "%(points)s points for %(projects)s projects",
                        points=len(texts),
                        projects=len(chosen),
                    ),
                    path=source,
                    line=line,
                    column="points",
                )
            points = tuple(parse_amount(t, path=source, line=line, column="points") for t in texts)
            if any(p < 0 for p in points):
                raise PBFileError(_("negative points"), path=source, line=line, column="points")
        others = (
            tuple(zip(extra_names, [row[i].strip() for i in extra_at], strict=True))
            if extra
            else ()
        )
        ballots.append(Ballot(voter_id, chosen, points, others))
    return header, tuple(ballots)


def _check_counts(
    section: _Section, meta: dict[str, str], source: str, projects: int, votes: int
) -> None:
    for key, actual in (("num_projects", projects), ("num_votes", votes)):
        text = meta.get(key, "").strip()
        if text and (not text.isdigit() or int(text) != actual):
            raise PBFileError(
                _(
                    "META says %(key)s is %(text)s but the file holds %(actual)s",
                    key=key,
                    text=text,
                    actual=actual,
                ),
                path=source,
                line=_meta_line(section, key),
                column=key,
            )


def format_amount(value: Fraction) -> str:
    """An exact amount as the file writes it: `12`, `12.5`; refuses what has no decimal form."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(f"{value} has no finite decimal form")  # not words
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    digits = str(scaled).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def format_pb(election: Election, selected: set[str] | None = None) -> str:
    """The text of `election` as a `.pb` file; `selected` (project ids) rewrites the `selected`
    column, adding it if the file had none."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in election.meta:
        writer.writerow([key, value])
    header = list(election.project_header)
    if selected is not None and "selected" not in header:
        header.append("selected")
    writer.writerow(["PROJECTS"])
    writer.writerow(header)
    for project in election.projects:
        cells = dict(project.columns)
        cells["project_id"] = project.project_id
        cells["cost"] = format_amount(project.cost)
        if selected is not None:
            cells["selected"] = "1" if project.project_id in selected else "0"
        writer.writerow([cells.get(name, "") for name in header])
    writer.writerow(["VOTES"])
    writer.writerow(list(election.vote_header))
    for ballot in election.ballots:
        cells = dict(ballot.columns)
        cells["voter_id"] = ballot.voter_id
        cells["vote"] = ",".join(ballot.projects)
        if ballot.points is not None:
            cells["points"] = ",".join(format_amount(p) for p in ballot.points)
        writer.writerow([cells.get(name, "") for name in election.vote_header])
    return out.getvalue()


def write_pb(election: Election, path: str | Path, selected: set[str] | None = None) -> None:
    """Write `election` to `path` (see `format_pb`), replacing the file only once written."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(format_pb(election, selected), encoding="utf-8")
    os.replace(temporary, target)
