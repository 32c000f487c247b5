"""Quotas: the panel size and min/max members per feature value, and whether a panel can meet them.

Quotas live in the `quotas` table (one row per feature value with a bound). The selection
`Instance` is built straight from the file: every respondent, the features that have quotas,
and households (two people from one household never sit on one panel).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from assembly.core.i18n import N_, Number, _, ngettext
from assembly.core.library_words import refusal
from assembly.organiser.errors import OrganiserError
from assembly.organiser.infeasible import explained
from assembly.organiser.privacy import purged_counts
from assembly.store import atomic, write_transaction
from sortition import Instance, Pool, Quota, normalise


@dataclass(frozen=True)
class QuotaRow:
    """One line of the quota table as the organiser edits it."""

    feature: str
    label: str
    value: str
    min: int | None
    max: int | None
    pool_count: int
    pool_share: float
    target_share: float | None


@dataclass(frozen=True)
class Feasibility:
    feasible: bool
    explanation: str
    relaxation: object | None = None  # sortition.loosen.Loosening


def panel_size(db: Database) -> int | None:
    row = db.execute("select value from organiser_settings where key = 'panel_size'").fetchone()
    return int(row[0]) if row else None


@atomic
def set_panel_size(db: Database, size: int) -> None:
    count = db.execute("select count(*) from respondents").fetchone()[0]
    if size < 1:
        raise OrganiserError(
            _("the panel size must be at least 1, not %(size)s.", size=size),
            title=_("Panel size"),
        )
    if count and size > count:
        raise OrganiserError(
            _(
                "the panel size %(size)s is larger than the pool of %(count)s respondents.",
                size=size,
                count=Number(count),
            ),
            title=_("Panel size"),
        )
    with write_transaction(db):
        db["organiser_settings"].insert({"key": "panel_size", "value": str(size)}, replace=True)


def _feature_names(db: Database) -> dict[str, str]:
    """normalised name -> stored name, for matching what people type."""
    return {normalise(r[0]): r[0] for r in db.execute("select name from features")}


def _resolve(db: Database, feature: str, value: str, where: str = "") -> tuple[str, str]:
    """Stored spellings of a feature and value (names matched ignoring case and spacing)."""
    names = _feature_names(db)
    stored = names.get(normalise(feature))
    if stored is None:
        raise OrganiserError(
            _(
                "%(where)sno feature %(feature)s; the pool's features are %(features)s.",
                where=where,
                feature=repr(feature),
                features=", ".join(names.values()),
            ),
            title=_("Unknown feature"),
        )
    values = {
        normalise(r[0]): r[0]
        for r in db.execute("select value from feature_values where feature = ?", [stored])
    }
    found = values.get(normalise(value))
    if found is None:
        raise OrganiserError(
            _(
                "%(where)s%(feature)s has no value %(value)s; its values are %(values)s.",
                where=where,
                feature=stored,
                value=repr(value),
                values=", ".join(values.values()),
            ),
            title=_("Unknown value"),
        )
    return stored, found


def set_quota(db: Database, feature: str, value: str, low: int, high: int) -> None:
    """Set one value's bounds (names matched ignoring case and spacing)."""
    stored, found = _resolve(db, feature, value)
    _check_bounds(stored, found, low, high, panel_size(db))
    with write_transaction(db):
        db["quotas"].insert(
            {"feature": stored, "value": found, "min": low, "max": high}, replace=True
        )


def _check_bounds(
    feature: str, value: str, low: int, high: int, k: int | None, where: str = ""
) -> None:
    if low < 0 or high < low:
        raise OrganiserError(
            _(
                "%(where)s%(feature)s = %(value)s: the minimum (%(low)s) must be at least 0 and "
                "at most the maximum (%(high)s).",
                where=where,
                feature=feature,
                value=value,
                low=low,
                high=high,
            ),
            title=_("Quota bounds"),
        )
    if k is not None and low > k:
        raise OrganiserError(
            _(
                "%(where)s%(feature)s = %(value)s: the minimum %(low)s is more than the panel "
                "size %(size)s.",
                where=where,
                feature=feature,
                value=value,
                low=low,
                size=k,
            ),
            title=_("Quota bounds"),
        )


@atomic
def clear_quota(db: Database, feature: str, value: str) -> None:
    """Remove the quota on one value (the value itself stays in the pool)."""
    db.execute("delete from quotas where feature = ? and value = ?", [feature, value])


def clear_quotas(db: Database) -> None:
    with write_transaction(db):
        db.execute("delete from quotas")


def current_quotas(db: Database) -> tuple[Quota, ...]:
    """Quotas in feature and value order; a feature with any quota gets (0, k) for unset values."""
    k = panel_size(db) or 0
    set_rows = {
        (r["feature"], r["value"]): (r["min"], r["max"])
        for r in db.query("select feature, value, min, max from quotas")
    }
    used = {f for f, _value in set_rows}
    out = []
    for row in db.query(
        "select v.feature, v.value from feature_values v join features f on f.name = v.feature "
        "order by f.position, v.position"
    ):
        if row["feature"] not in used:
            continue
        low, high = set_rows.get((row["feature"], row["value"]), (0, k))
        out.append(Quota(row["feature"], row["value"], low, high))
    return tuple(out)


def _pool_counts(db: Database) -> tuple[dict[tuple[str, str], int], int]:
    """Respondents per (feature, value), purged ones included, and the pool's size."""
    counts: dict[tuple[str, str], int] = {}
    total = 0
    for (raw,) in db.execute("select features from respondents"):
        total += 1
        for feature, value in json.loads(raw).items():
            counts[(feature, value)] = counts.get((feature, value), 0) + 1
    for key, n in purged_counts(db).items():  # purged respondents keep only these counts
        counts[key] = counts.get(key, 0) + n
    return counts, total


def quota_table(db: Database) -> list[QuotaRow]:
    """Every feature value with its quota (None when unset), pool count and shares."""
    counts, total = _pool_counts(db)
    quotas = {
        (r["feature"], r["value"]): (r["min"], r["max"])
        for r in db.query("select feature, value, min, max from quotas")
    }
    out = []
    for row in db.query(
        "select f.name, f.label, v.value, v.target_share from feature_values v "
        "join features f on f.name = v.feature order by f.position, v.position"
    ):
        key = (row["name"], row["value"])
        low, high = quotas.get(key, (None, None))
        n = counts.get(key, 0)
        out.append(
            QuotaRow(
                row["name"],
                row["label"],
                row["value"],
                low,
                high,
                n,
                n / total if total else 0.0,
                row["target_share"],
            )
        )
    return out


@atomic
def fill_from_targets(db: Database, tolerance: float, size: int | None = None) -> tuple[Quota, ...]:
    """Replace the quotas by ones computed from the features' target shares (sortition.targets)."""
    from sortition import BadInput, quotas_from_targets

    k = size if size is not None else panel_size(db)
    if k is None:
        raise OrganiserError(_("set the panel size first."), title=_("Panel size"))
    targets: dict[str, dict[str, float]] = {}
    for row in db.query(
        "select v.feature, v.value, v.target_share from feature_values v "
        "join features f on f.name = v.feature order by f.position, v.position"
    ):
        if row["target_share"] is not None:
            targets.setdefault(row["feature"], {})[row["value"]] = row["target_share"]
    if not targets:
        raise OrganiserError(
            _(
                "no feature has target shares; set them first (assembly quotas target FILE "
                "FEATURE VALUE %(share)s, or the quota editor in the app), or import quotas "
                "instead.",
                share="52%",
            ),
            title=_("No target shares"),
        )
    try:
        quotas = quotas_from_targets(targets, k, tolerance)
    except BadInput as error:
        raise OrganiserError(refusal(error), title=_("Quotas from targets")) from None
    with write_transaction(db):
        if size is not None:
            set_panel_size(db, size)
        db.execute("delete from quotas")
        db["quotas"].insert_all(
            {"feature": q.feature, "value": q.value, "min": q.min, "max": q.max} for q in quotas
        )
    return quotas


def parse_share(text: str) -> float | None:
    """'52%' or '0.52' -> 0.52; 'none' clears. A bare number above 1 is refused rather than
    guessed (is '1.5' 1.5% or 150%?)."""
    raw = text.strip().lower()
    if raw in ("none", "clear", ""):
        return None
    try:
        share = float(raw.rstrip("%")) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise OrganiserError(
            _(
                "a target share is from 0%% to 100%% (write 52%% or 0.52, or none), not %(text)s.",
                text=repr(text),
            ),
            title=_("Target share"),
        )
    return share


def set_target_share(
    db: Database, feature: str, value: str, share: float | None
) -> tuple[str, str]:
    """Set (or, with None, clear) one value's target share; returns the stored spellings."""
    stored, found = _resolve(db, feature, value)
    if share is not None and not 0 <= share <= 1:
        raise OrganiserError(
            _(
                "%(feature)s = %(value)s: a target share is a fraction from 0 to 1, not %(share)s.",
                feature=stored,
                value=found,
                share=share,
            ),
            title=_("Target share"),
        )
    with write_transaction(db):
        db.execute(
            "update feature_values set target_share = ? where feature = ? and value = ?",
            [share, stored, found],
        )
    return stored, found


class WouldRemoveAllQuotas(OrganiserError):
    """The quotas file holds no quota rows, so importing it would remove every quota."""

    title = N_("Remove all quotas?")

    def __init__(self, file_name: str, existing: int) -> None:
        self.existing = existing
        super().__init__(
            _(
                "%(file)s holds no quota rows: importing it would remove all %(existing)s "
                "quotas. Confirm to remove them (--yes on the command line).",
                file=file_name,
                existing=existing,
            )
        )


@dataclass(frozen=True)
class QuotaImport:
    """What a quotas file changed: how many quotas it set, and what the organiser should know
    about them (quotas on values no respondent has, which change nothing)."""

    quotas: int
    warnings: tuple[str, ...] = ()


def import_quotas_csv(
    db: Database,
    path: str | Path,
    size: int | None = None,
    *,
    encoding: str | None = None,
    remove_all: bool = False,
) -> QuotaImport:
    """Replace the quotas from a `feature,value,min,max` CSV or .xlsx (extra columns ignored).

    The panel size (when given), the new feature values and the quotas are written in one
    transaction, so a file refused on any row changes nothing. A file with no quota rows would
    remove every quota: that needs `remove_all=True` (the organiser's confirmation). Refused too:
    a minimum on a value no respondent has, and minimums of one feature adding up past the panel
    size (no panel could meet either); a quota of minimum 0 on such a value is kept, with a
    warning. Linear in the rows: the features, values and counts are read once.
    """
    from sortition import TableError, read_table

    path = Path(path)
    try:
        table = read_table(path, encoding=encoding, display_name=path.name)
    except TableError as error:
        raise OrganiserError(refusal(error), title=_("Quotas file")) from None
    col = table.column_index()
    missing = [c for c in ("feature", "value", "min", "max") if c not in col]
    if missing:
        raise OrganiserError(
            _(
                "file %(file)s, row 1: quotas need columns feature, value, min, max; missing "
                "%(missing)s.",
                file=path.name,
                missing=", ".join(missing),
            ),
            title=_("Quotas file"),
        )
    existing = db.execute("select count(*) from quotas").fetchone()[0]
    if not table.rows and not remove_all:
        if not existing:
            raise OrganiserError(
                _("%(file)s holds no quota rows.", file=path.name), title=_("Quotas file")
            )
        raise WouldRemoveAllQuotas(path.name, existing)
    with write_transaction(db):
        if size is not None:
            set_panel_size(db, size)
        reading = _QuotaRows(db, path.name, panel_size(db))
        for number, cells in table.rows:
            reading.add(number, *(cells[col[c]] for c in ("feature", "value", "min", "max")))
        reading.check_totals()
        # plain executemany: sqlite-utils' insert_all costs more than the rest of the import
        db.conn.executemany(
            "insert into feature_values (feature, value, position) values (?, ?, ?)",
            reading.new_values,
        )
        db.execute("delete from quotas")
        db.conn.executemany(
            "insert into quotas (feature, value, min, max) values (?, ?, ?, ?)",
            ((r["feature"], r["value"], r["min"], r["max"]) for r in reading.rows),
        )
        # which file these quotas came from, so a draw's audit bundle can name it while the
        # quotas are still exactly the file's (see draws.source_inputs)
        source = {
            "name": path.name,
            "sha256": table.sha256,  # of the bytes read, not of a second read
            "quotas": sorted([r["feature"], r["value"], r["min"], r["max"]] for r in reading.rows),
        }
        db["organiser_settings"].insert(
            {"key": QUOTAS_SOURCE, "value": json.dumps(source, ensure_ascii=False)}, replace=True
        )
    return QuotaImport(len(reading.rows), reading.warnings())


class _QuotaRows:
    """The rows of one quotas file, checked as they come against what was read once up front:
    the features, their values and how many respondents have each (so the import is linear)."""

    def __init__(self, db: Database, file_name: str, size: int | None) -> None:
        self.file_name, self.size = file_name, size
        self.features = _feature_names(db)
        self.values: dict[str, dict[str, str]] = {f: {} for f in self.features.values()}
        for feature, value in db.execute(
            "select feature, value from feature_values order by feature, position"
        ):
            self.values[feature][normalise(value)] = value
        self.counts = _pool_counts(db)[0]
        self.rows: list[dict] = []
        self.new_values: list[tuple[str, str, int]] = []
        self.seen: dict[tuple[str, str], int] = {}
        self.unheld: dict[str, list[str]] = {}  # feature -> values nobody has (minimum 0)
        self.minimums: dict[str, list[tuple[int, int]]] = {}  # feature -> (row, minimum)

    def add(self, number: int, feature: str, value: str, low: str, high: str) -> None:
        """Check one row and keep it (a refusal names file, row and column)."""
        from sortition import TableError, whole_number

        where = _("file %(file)s, row %(row)s: ", file=self.file_name, row=number)
        stored = self.features.get(normalise(feature))
        if stored is None:
            raise OrganiserError(
                _(
                    "%(where)sno feature %(feature)s; the pool's features are %(features)s.",
                    where=where,
                    feature=repr(feature),
                    features=", ".join(self.features.values()),
                ),
                title=_("Unknown feature"),
            )
        known = self.values[stored]
        found = known.get(normalise(value))
        if found is None:
            if not value.strip():
                raise OrganiserError(
                    _("%(where)s%(feature)s has no value ''.", where=where, feature=stored),
                    title=_("Unknown value"),
                )
            found = known[normalise(value)] = " ".join(value.split())
            self.new_values.append((stored, found, len(known) - 1))
        if (stored, found) in self.seen:
            raise OrganiserError(
                _(
                    "%(where)s%(feature)s = %(value)s has a quota already on row %(row)s.",
                    where=where,
                    feature=stored,
                    value=found,
                    row=self.seen[(stored, found)],
                ),
                title=_("Quotas file"),
            )
        self.seen[(stored, found)] = number
        bounds = []
        for name, cell in (("min", low), ("max", high)):
            try:
                bounds.append(whole_number(cell, file=self.file_name, row=number, column=name))
            except TableError as error:
                raise OrganiserError(
                    _("%(error)s.", error=refusal(error)), title=_("Quotas file")
                ) from None
        _check_bounds(stored, found, bounds[0], bounds[1], self.size, where)
        if not self.counts.get((stored, found)):
            if bounds[0] > 0:
                raise OrganiserError(
                    _(
                        "%(where)sno respondent has %(feature)s = %(value)s, so no panel can "
                        "hold the minimum of %(low)s. Check the spelling against the pool's "
                        "values, or set the minimum to 0.",
                        where=where,
                        feature=stored,
                        value=found,
                        low=bounds[0],
                    ),
                    title=_("Quotas file"),
                )
            self.unheld.setdefault(stored, []).append(found)
        self.minimums.setdefault(stored, []).append((number, bounds[0]))
        self.rows.append({"feature": stored, "value": found, "min": bounds[0], "max": bounds[1]})

    def check_totals(self) -> None:
        """Every panel member has one value of each feature: the minimums of a feature must fit
        in the panel together."""
        if self.size is None:
            return
        for feature, minimums in self.minimums.items():
            total = sum(low for _value, low in minimums)
            if total > self.size:
                rows = [number for number, low in minimums if low]
                shown = f"{rows[0]}-{rows[-1]}" if len(rows) > 1 else f"{rows[0]}"
                raise OrganiserError(
                    _(
                        "file %(file)s, rows %(rows)s: the minimums of %(feature)s add up to "
                        "%(total)s, more than the panel size %(size)s, so no panel can meet "
                        "them.",
                        file=self.file_name,
                        rows=shown,
                        feature=feature,
                        total=Number(total),
                        size=self.size,
                    ),
                    title=_("Quotas file"),
                )

    def warnings(self) -> tuple[str, ...]:
        out = []
        for feature, values in self.unheld.items():
            shown = (
                _(
                    "%(values)s and %(more)s more",
                    values=", ".join(values[:5]),
                    more=Number(len(values) - 5),
                )
                if len(values) > 5
                else ", ".join(values)
            )
            out.append(
                ngettext(
                    "no respondent has %(feature)s = %(values)s: its quota changes nothing "
                    "(check the spelling against the pool's values).",
                    "no respondent has %(feature)s = %(values)s: their quotas change nothing "
                    "(check the spelling against the pool's values).",
                    len(values),
                    feature=feature,
                    values=shown,
                )
            )
        return tuple(out)


QUOTAS_SOURCE = "quotas_source"


def quotas_source(db: Database) -> dict | None:
    """The quotas file last loaded (name, SHA-256, its quotas), if the quotas are still its own."""
    row = db.execute(
        "select value from organiser_settings where key = ?", [QUOTAS_SOURCE]
    ).fetchone()
    if row is None:
        return None
    source = json.loads(row[0])
    now = sorted([q.feature, q.value, q.min, q.max] for q in current_quotas(db))
    return source if now == source["quotas"] else None


def build_instance(db: Database) -> Instance:
    """The selection problem the file describes now: pool, quotas and panel size."""
    k = panel_size(db)
    if k is None:
        raise OrganiserError(_("set the panel size first."), title=_("Panel size"))
    quotas = current_quotas(db)
    if not quotas:
        raise OrganiserError(_("set quotas on at least one feature first."), title=_("No quotas"))
    features = tuple(dict.fromkeys(q.feature for q in quotas))
    values = {f: tuple(q.value for q in quotas if q.feature == f) for f in features}
    lookup = [{v: i for i, v in enumerate(values[f])} for f in features]
    ids, households, codes = [], [], []
    for ref, household, raw in db.execute(
        "select ref, household, features from respondents where purged_at is null order by id"
    ):
        person = json.loads(raw)
        ids.append(ref)
        households.append(household)
        codes.append([lookup[j][person[f]] for j, f in enumerate(features)])
    if not ids:
        raise OrganiserError(_("import the respondent pool first."), title=_("No pool"))
    pool = Pool(
        ids=tuple(ids),
        features=features,
        values=values,
        codes=np.array(codes, dtype=np.int32).reshape(len(ids), len(features)),
        households=tuple(households) if _shared(households) else (),
    )
    return Instance(pool, quotas, k)


def _shared(households: list[str | None]) -> bool:
    """Whether any two respondents share a household (else the rule changes nothing)."""
    keys = [h for h in households if h is not None]
    return len(set(keys)) < len(keys)


def check_feasibility(db: Database) -> Feasibility:
    """Whether some panel meets every quota; if not, why and the smallest relaxation."""
    from sortition import Infeasible, explain_infeasible, find_panel

    instance = build_instance(db)
    if find_panel(instance) is not None:
        return Feasibility(True, _("✓ Feasible: at least one panel meets every quota."))
    try:
        why = explain_infeasible(instance)
    except Infeasible as error:
        why = error
    return Feasibility(False, _("✗ Not feasible. %(why)s", why=explained(why)), why.relaxation)


def apply_relaxation(db: Database, relaxation) -> int:
    """Write a `Loosening`'s changed bounds; returns how many quotas changed."""
    with write_transaction(db):
        for change in relaxation.changes:
            db["quotas"].insert(
                {
                    "feature": change.feature,
                    "value": change.value,
                    "min": change.new_min,
                    "max": change.new_max,
                },
                replace=True,
            )
    return len(relaxation.changes)
