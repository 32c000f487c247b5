"""Importing the respondent pool from a CSV or Excel file: read, map columns, check, then store.

The steps are separate so the app can show a preview between them: `read_source` reads the
cells, `guess_mapping` proposes what each column is, `plan_import` checks every row and counts
the values, and `import_pool` writes the plan in one transaction. A plan with any bad row is
refused whole, so nothing is ever half-imported.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from assembly.core.clock import Clock, to_iso
from assembly.core.i18n import N_, Number, _, in_words, ngettext
from assembly.core.library_words import refusal, said
from assembly.organiser.errors import OrganiserError
from assembly.store import write_transaction
from sortition import Table, TableError, id_key, read_table
from sortition.tabular import same_id

ROLES = ("id", "name", "email", "phone", "address", "postcode", "household", "feature", "ignore")
# Each role as the mapping shows it; the mapping keeps (and `--column` takes) the role's code.
ROLE_WORDS = {
    "id": N_("id"),
    "name": N_("name"),
    "email": N_("email"),
    "phone": N_("phone"),
    "address": N_("address"),
    "postcode": N_("postcode"),
    "household": N_("household"),
    "feature": N_("feature"),
    "ignore": N_("ignore"),
}


def role_word(role: str) -> str:
    """A column's role in the working language (a code it does not know, as it is)."""
    return in_words(ROLE_WORDS, role)


# Roles that may be given by several columns, joined in column order.
JOINED = {"name": " ", "address": ", "}
SINGLE = ("id", "email", "phone", "postcode", "household")
# Matched against the pool file's column names: not words of the app.
SENSITIVE_HINTS = ("ethnic", "disab", "religio", "sexual", "health", "gender identity")  # not words
PROGRESS_EVERY = 1000

Progress = Callable[[float, str], None]


class ImportRejected(OrganiserError):
    """The file has rows that cannot be imported; `problems` lists every one."""

    title = N_("Nothing was imported")

    def __init__(self, problems: Sequence[RowProblem], file_name: str) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"  - {p.describe()}" for p in self.problems[:20])
        more = len(self.problems) - 20
        tail = "\n  " + _("… and %(more)s more", more=more) if more > 0 else ""
        n = len(self.problems)
        super().__init__(
            ngettext(
                "%(file)s: %(num)s bad row; nothing was imported. Correct the file and import it "
                "again.\n%(shown)s%(tail)s",
                "%(file)s: %(num)s bad rows; nothing was imported. Correct the file and import "
                "it again.\n%(shown)s%(tail)s",
                n,
                file=file_name,
                num=Number(n),
                shown=shown,
                tail=tail,
            )
        )


SourceTable = Table
"""The cells of a pool file, as the shared reader gives them (header, numbered rows, sheet)."""


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    reason: str

    def describe(self) -> str:
        if self.column:
            return _(
                "row %(row)s, column %(column)s: %(reason)s",
                row=self.row,
                column=repr(self.column),
                reason=self.reason,
            )
        return _("row %(row)s: %(reason)s", row=self.row, reason=self.reason)


@dataclass(frozen=True)
class ImportPlan:
    """A checked import: the people to store, the bad rows, and the counts per feature value."""

    source: SourceTable
    mapping: dict[str, str]
    people: tuple[dict, ...]
    problems: tuple[RowProblem, ...]
    features: tuple[str, ...]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.people)


@dataclass(frozen=True)
class ImportResult:
    respondents: int
    features: tuple[str, ...]
    replaced: int


def read_source(
    path: str | Path, progress: Progress | None = None, *, encoding: str | None = None
) -> SourceTable:
    """Read a pool file's cells with the shared reader (`sortition.tabular`): CSV separated by
    commas, semicolons or tabs, in UTF-8 unless `encoding` names another, `.xlsx` or `.ods`."""
    path = Path(path)

    def relay(_fraction: float, message: str) -> None:
        if progress:
            progress(0.0, message)

    try:
        table = read_table(
            path, encoding=encoding, progress=relay, display_name=path.name, keep_extra_cells=True
        )
    except TableError as error:
        raise OrganiserError(refusal(error), title=_("Cannot read the file")) from None
    return table


# The pool file's column headings each role is guessed from: the file's names, not words.
_GUESSES: list[tuple[str, tuple[str, ...]]] = [
    ("id", ("id", "ref", "reference", "nationbuilder_id")),
    ("id", ("respondent id", "person id")),  # not words
    ("name", ("name", "first_name", "last_name", "surname")),
    ("name", ("first name", "last name", "full name")),  # not words
    ("email", ("email", "e-mail", "email address")),  # not words
    ("phone", ("phone", "telephone", "mobile", "mobile_number", "tel")),
    ("phone", ("phone number",)),  # not words
    ("postcode", ("postcode", "post code", "zip", "primary_zip", "postal code")),  # not words
    ("household", ("household", "household id", "household_id")),  # not words
]


def guess_mapping(header: Sequence[str]) -> dict[str, str]:
    """A first guess of each column's role from its heading; anything unknown is a feature."""
    out: dict[str, str] = {}
    for name in header:
        key = name.casefold().strip()
        role = "feature"
        for candidate, names in _GUESSES:
            if key in names:
                role = candidate
                break
        else:
            if "address" in key or key in ("primary_city", "city", "town", "street"):
                role = "address"
            elif key.endswith("_id") and "id" not in out.values():
                role = "id"
        if role in SINGLE and role in out.values():
            role = "ignore"
        out[name] = role
    return out


def _check_mapping(header: Sequence[str], mapping: Mapping[str, str]) -> None:
    columns = set(header)
    unknown = [c for c in mapping if c not in columns]
    if unknown:
        raise OrganiserError(
            _(
                "the mapping names column(s) the file does not have: %(unknown)s. The file's "
                "columns are: %(columns)s … (%(count)s in all).",
                unknown=", ".join(unknown),
                columns=", ".join(header[:20]),
                count=Number(len(header)),
            )
            if len(header) > 20
            else _(
                "the mapping names column(s) the file does not have: %(unknown)s. The file's "
                "columns are: %(columns)s.",
                unknown=", ".join(unknown),
                columns=", ".join(header[:20]),
            ),
            title=_("Column mapping"),
        )
    bad = {c: r for c, r in mapping.items() if r not in ROLES}
    if bad:
        raise OrganiserError(
            _(
                "unknown role(s) %(bad)s; roles are %(roles)s.",
                bad=", ".join(
                    _("%(role)s for %(column)s", role=repr(r), column=repr(c))
                    for c, r in bad.items()
                ),
                roles=", ".join(ROLES),
            ),
            title=_("Column mapping"),
        )
    roles = list(mapping.values())
    if roles.count("id") != 1:
        raise OrganiserError(
            _("choose exactly one column as the respondent id (it must be unique per row)."),
            title=_("Column mapping"),
        )
    for role in SINGLE:
        if roles.count(role) > 1:
            cols = [c for c, r in mapping.items() if r == role]
            raise OrganiserError(
                _(
                    "only one column can be the %(role)s; %(columns)s all are.",
                    role=role,
                    columns=", ".join(cols),
                ),
                title=_("Column mapping"),
            )
    if "feature" not in roles:
        raise OrganiserError(
            _("choose at least one column as a feature (such as gender or age band)."),
            title=_("Column mapping"),
        )


def household_address(address: str, postcode: str) -> str | None:
    """What makes two respondents one household: the address and postcode, case, commas and
    spacing ignored (None when both are blank)."""
    text = f"{address}|{postcode}".casefold()
    text = " ".join(text.replace(",", " ").split())
    if text.strip("| ") == "":
        return None
    return text


def plan_import(
    source: SourceTable, mapping: Mapping[str, str], progress: Progress | None = None
) -> ImportPlan:
    """Check every row against `mapping` ({column: role}); count values per feature."""
    header = set(source.header)
    unknown = {c: r for c, r in mapping.items() if c not in header}
    mapping = {c: mapping.get(c, "ignore") for c in source.header}
    try:
        if unknown:
            _check_mapping(source.header, unknown)
        _check_mapping(source.header, mapping)
    except OrganiserError as error:
        raise OrganiserError(
            _("%(file)s, row 1 (the header): %(error)s", file=source.file_name, error=error),
            title=error.title,
        ) from None
    index = {c: i for i, c in enumerate(source.header)}
    feature_cols = [c for c in source.header if mapping[c] == "feature"]
    problems: list[RowProblem] = []
    people: list[dict] = []
    first_row_of: dict[str, tuple[int, str]] = {}
    spelling: dict[str, dict[str, str]] = {c: {} for c in feature_cols}
    counts: dict[str, dict[str, int]] = {c: {} for c in feature_cols}
    width = len(source.header)
    id_col = next(c for c in source.header if mapping[c] == "id")
    derive_household = "household" not in mapping.values()
    # A random token per address, new for every import: a hash of the address could be
    # recomputed from a mailing list and so would name the household after a purge.
    household_tokens: dict[str, str] = {}
    role_columns = {
        role: [c for c in source.header if mapping[c] == role]
        for role in (*JOINED, "email", "phone", "postcode", "household")
    }
    total = max(len(source.rows), 1)
    for done, (number, cells) in enumerate(source.rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(
                0.5 + 0.5 * done / total,
                _(
                    "checked %(done)s of %(rows)s rows",
                    done=Number(done),
                    rows=Number(len(source.rows)),
                ),
            )
        if len(cells) > width and any(cells[width:]):
            past = next(i for i in range(width, len(cells)) if cells[i]) + 1
            problems.append(
                RowProblem(
                    number,
                    None,
                    _(
                        "has a value in column %(column)s, past the header's %(width)s columns",
                        column=Number(past),
                        width=width,
                    ),
                )
            )
            continue
        cells = tuple(cells) + ("",) * (width - len(cells))

        def cell(column: str, _cells: tuple[str, ...] = cells) -> str:
            return _cells[index[column]]

        ref = cell(id_col)
        row_ok = True
        if not ref:
            problems.append(RowProblem(number, id_col, _("no respondent id")))
            row_ok = False
        elif id_key(ref) in first_row_of:
            earlier_row, earlier = first_row_of[id_key(ref)]
            problems.append(
                RowProblem(
                    number,
                    id_col,
                    _(
                        "id %(ref)s is already on row %(row)s%(same)s",
                        ref=repr(ref),
                        row=earlier_row,
                        same=_looks_the_same(ref, earlier),
                    ),
                )
            )
            row_ok = False
        else:
            first_row_of[id_key(ref)] = (number, ref)
        features = {}
        for column in feature_cols:
            value = cell(column)
            if not value:
                problems.append(RowProblem(number, column, _("no value")))
                row_ok = False
                continue
            value = spelling[column].setdefault(value.casefold(), value)
            features[column] = value
        if not row_ok:
            continue
        person = {"ref": ref, "features": features}
        for role, joiner in JOINED.items():
            parts = [cell(c) for c in role_columns[role] if cell(c)]
            person[role] = joiner.join(parts) or None
        for role in ("email", "phone", "postcode", "household"):
            cols = role_columns[role]
            person[role] = (cell(cols[0]) or None) if cols else None
        if derive_household:
            text = household_address(person["address"] or "", person["postcode"] or "")
            if text is not None:
                token = household_tokens.setdefault(text, "h" + secrets.token_hex(8))
                person["household"] = token
        people.append(person)
        for column, value in features.items():
            counts[column][value] = counts[column].get(value, 0) + 1
    if not source.rows:
        problems.append(RowProblem(1, None, _("the file has a header but no rows")))
    return ImportPlan(
        source=source,
        mapping=dict(mapping),
        people=tuple(people),
        problems=tuple(problems),
        features=tuple(feature_cols),
        counts=counts,
    )


def pool_in_use(db: Database) -> str | None:
    """Why the pool may not be replaced now (a draw or a panel uses it), or None."""
    draws = db.execute("select count(*), max(id) from draws").fetchone()
    if draws[0]:
        return _(
            "draw %(draw)s used this pool, and every draw keeps the pool it used. Start a new "
            "assembly file to select from a different pool.",
            draw=draws[1],
        )
    members = db.execute("select count(*) from members").fetchone()[0]
    if members:
        return _("%(members)s panel members come from this pool.", members=members)
    return None


def import_pool(
    db: Database, plan: ImportPlan, clock: Clock, *, replace: bool = False
) -> ImportResult:
    """Store the plan's respondents and features in one transaction, or refuse with reasons.

    An existing pool is replaced only with `replace=True` and only while no draw or panel uses
    it. Target shares and quotas already set for a feature value are kept when it reappears.
    """
    if plan.problems:
        raise ImportRejected(plan.problems, plan.source.file_name)
    if not plan.people:
        raise OrganiserError(_("%(file)s: no respondents to import.", file=plan.source.file_name))
    now = to_iso(clock.now())
    with write_transaction(db):
        existing = db.execute("select count(*) from respondents").fetchone()[0]
        if existing:
            if not replace:
                raise OrganiserError(
                    _(
                        "the assembly already has a pool of %(count)s respondents. Import with "
                        "replace to swap it for the corrected file.",
                        count=Number(existing),
                    ),
                    title=_("A pool is already imported"),
                )
            why = pool_in_use(db)
            if why:
                raise OrganiserError(
                    _("The pool cannot be replaced: %(why)s", why=why),
                    title=_("The pool is in use"),
                )
        kept = _kept_settings(db)
        db.execute("delete from respondents")
        db.execute("delete from quotas")
        db.execute("delete from feature_values")
        db.execute("delete from features")
        for position, column in enumerate(plan.features):
            key = column.casefold()
            sensitive = kept["sensitive"].get(key)
            if sensitive is None:
                sensitive = any(h in key for h in SENSITIVE_HINTS)
            label = kept["label"].get(key, column)
            db["features"].insert(
                {"name": column, "label": label, "position": position, "sensitive": int(sensitive)}
            )
            values = list(plan.counts[column])
            old_order = kept["order"].get(key, {})
            values.sort(key=lambda v, o=old_order: (o.get(v.casefold(), len(o)), v.casefold()))
            db["feature_values"].insert_all(
                {
                    "feature": column,
                    "value": value,
                    "position": k,
                    "target_share": kept["target"].get((key, value.casefold())),
                }
                for k, value in enumerate(values)
            )
            for value in values:
                quota = kept["quota"].get((key, value.casefold()))
                if quota:
                    db["quotas"].insert(
                        {"feature": column, "value": value, "min": quota[0], "max": quota[1]}
                    )
        db["respondents"].insert_all(
            (
                {
                    "ref": p["ref"],
                    "name": p["name"],
                    "email": p["email"],
                    "phone": p["phone"],
                    "address": p["address"],
                    "postcode": p["postcode"],
                    "household": p["household"],
                    "features": json.dumps(p["features"], ensure_ascii=False),
                    "imported_at": now,
                }
                for p in plan.people
            ),
            batch_size=1000,
        )
        db["pool_imports"].insert(
            {
                "file_name": plan.source.file_name,
                "file_sha256": plan.source.sha256,
                "rows": len(plan.people),
                "mapping": json.dumps(plan.mapping, ensure_ascii=False),
                "imported_at": now,
            }
        )
    return ImportResult(len(plan.people), plan.features, existing)


def _kept_settings(db: Database) -> dict[str, dict]:
    kept: dict[str, dict] = {"sensitive": {}, "label": {}, "order": {}, "target": {}, "quota": {}}
    for row in db.query("select name, label, sensitive from features"):
        key = row["name"].casefold()
        kept["sensitive"][key] = bool(row["sensitive"])
        kept["label"][key] = row["label"]
    for row in db.query("select feature, value, position, target_share from feature_values"):
        key = row["feature"].casefold()
        kept["order"].setdefault(key, {})[row["value"].casefold()] = row["position"]
        if row["target_share"] is not None:
            kept["target"][(key, row["value"].casefold())] = row["target_share"]
    for row in db.query("select feature, value, min, max from quotas"):
        kept["quota"][(row["feature"].casefold(), row["value"].casefold())] = (
            row["min"],
            row["max"],
        )
    return kept


def import_file(
    db: Database,
    path: str | Path,
    clock: Clock,
    *,
    mapping: Mapping[str, str] | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check and store a pool file in one go (the command line's path)."""
    source = read_source(path, progress)
    chosen = dict(guess_mapping(source.header))
    chosen.update(mapping or {})
    return import_pool(db, plan_import(source, chosen, progress), clock, replace=replace)


def _looks_the_same(ref: str, earlier: str) -> str:
    """What the library adds when two ids differ only to the eye, in the working language."""
    same = same_id(ref, earlier)
    return said(same) if same else ""
