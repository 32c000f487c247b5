"""Readers for the quota and respondent CSV files organisers already have.

Two quota formats are read: the Sortition Foundation's `feature,value,min,max` (extra columns
such as `min_flex,max_flex` are ignored) and the Nature replication's `category,feature,min,max`
(there `category` is the feature name and `feature` the value). Feature names and values match
whatever their case and surrounding spaces. Only the id, the quota features and the optional
address columns are kept from the people file, so names and contacts never enter the library.

Rows in error messages are line numbers in the file, the header being row 1, as a spreadsheet
shows them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sortition.model import BadInput, Instance, Pool, Quota, normalise


def read_text(path: str | Path) -> str:
    """The file's text, decoded as UTF-8 (a byte-order mark is allowed)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise BadInput(f"cannot be read ({err.strerror or err})", file=name) from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BadInput(
            "is not UTF-8 text; save it as 'CSV UTF-8' and try again", file=name, row=line
        ) from err
    if not text.strip():
        raise BadInput("is empty", file=name)
    return text


def _rows(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and the non-blank data rows, each with its line number."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as err:
        raise BadInput(f"is not valid CSV ({err})", file=name, row=reader.line_num) from err
    return header, rows


def _int_cell(cell: str, *, file: str, row: int, column: str) -> int:
    text = cell.strip()
    try:
        number = float(text)
    except ValueError:
        raise BadInput(
            f"{text!r} is not a whole number", file=file, row=row, column=column
        ) from None
    if number != int(number) or number < 0:
        raise BadInput(
            f"{text!r} is not a whole number of people", file=file, row=row, column=column
        )
    return int(number)


def parse_quotas(text: str, name: str = "quotas") -> tuple[Quota, ...]:
    """Quotas from CSV text in either supported format; `name` is used in messages."""
    header, rows = _rows(text, name)
    keys = [normalise(h) for h in header]
    if {"feature", "value", "min", "max"} <= set(keys):
        feature_col, value_col = "feature", "value"
    elif {"category", "feature", "min", "max"} <= set(keys):
        feature_col, value_col = "category", "feature"
    else:
        raise BadInput(
            "needs the columns feature,value,min,max (or category,feature,min,max); "
            f"found {', '.join(header)}",
            file=name,
            row=1,
        )
    col = {key: keys.index(key) for key in (feature_col, value_col, "min", "max")}
    if not rows:
        raise BadInput("has no quota rows", file=name)
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    spelling: dict[str, str] = {}
    for line, row in rows:
        cells = row + [""] * (len(header) - len(row))
        feature = " ".join(cells[col[feature_col]].split())
        value = " ".join(cells[col[value_col]].split())
        if not feature:
            raise BadInput("the feature name is empty", file=name, row=line, column=feature_col)
        if not value:
            raise BadInput("the value is empty", file=name, row=line, column=value_col)
        low = _int_cell(cells[col["min"]], file=name, row=line, column="min")
        high = _int_cell(cells[col["max"]], file=name, row=line, column="max")
        if low > high:
            raise BadInput(
                f"{feature} = {value}: min {low} is larger than max {high}",
                file=name,
                row=line,
                column="min",
            )
        feature = spelling.setdefault(normalise(feature), feature)
        key = (normalise(feature), normalise(value))
        if key in seen:
            raise BadInput(
                f"{feature} = {value} has a quota already on row {seen[key]}",
                file=name,
                row=line,
                column=value_col,
            )
        seen[key] = line
        quotas.append(Quota(feature, value, low, high))
    return tuple(quotas)


def read_quotas(path: str | Path) -> tuple[Quota, ...]:
    """Quotas from a CSV file (see `parse_quotas`)."""
    return parse_quotas(read_text(path), str(path))


def _find_column(keys: list[str], wanted: str) -> int | None:
    key = normalise(wanted)
    return keys.index(key) if key in keys else None


def pool_from_rows(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    quotas: Sequence[Quota],
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
    name: str = "people",
) -> Pool:
    """A pool from a table of respondents: `rows` are (row number, cells) pairs.

    Without `id_column`, a column called `id` (any case) is used if there is one, else the
    data row's number (the first row after the header is 1).
    """
    keys = [normalise(h) for h in header]
    if not rows:
        raise BadInput("has no people in it", file=name)
    duplicates = {k for k in keys if k and keys.count(k) > 1}
    features: list[str] = []
    values: dict[str, list[str]] = {}
    lookup: dict[str, dict[str, int]] = {}
    for quota in quotas:
        if quota.feature not in values:
            features.append(quota.feature)
            values[quota.feature] = []
            lookup[quota.feature] = {}
        lookup[quota.feature][normalise(quota.value)] = len(values[quota.feature])
        values[quota.feature].append(quota.value)
    columns: list[int] = []
    for feature in features:
        index = _find_column(keys, feature)
        if index is None:
            raise BadInput(
                f"the quotas use the feature {feature!r} but there is no such column "
                f"(columns: {', '.join(header)})",
                file=name,
                row=1,
                column=feature,
            )
        if normalise(feature) in duplicates:
            raise BadInput(f"the column {feature!r} appears twice", file=name, row=1)
        columns.append(index)
    if id_column is not None:
        id_index = _find_column(keys, id_column)
        if id_index is None:
            raise BadInput(
                f"there is no id column called {id_column!r} (columns: {', '.join(header)})",
                file=name,
                row=1,
                column=id_column,
            )
    else:
        id_index = _find_column(keys, "id")
    address_index: list[int] = []
    for column in address_columns:
        index = _find_column(keys, column)
        if index is None:
            raise BadInput(
                f"there is no address column called {column!r}", file=name, row=1, column=column
            )
        address_index.append(index)

    ids: list[str] = []
    first_row: dict[str, int] = {}
    codes = np.zeros((len(rows), len(features)), dtype=np.int32)
    households: list[str | None] = []
    for number, (line, row) in enumerate(rows, start=1):
        cells = list(row) + [""] * (len(header) - len(row))
        if id_index is None:
            person = str(number)
        else:
            person = cells[id_index].strip()
            if not person:
                raise BadInput("the id is empty", file=name, row=line, column=header[id_index])
        if person in first_row:
            raise BadInput(
                f"the id {person!r} is used already on row {first_row[person]}",
                file=name,
                row=line,
                column=header[id_index] if id_index is not None else None,
            )
        first_row[person] = line
        ids.append(person)
        for f, (feature, index) in enumerate(zip(features, columns, strict=True)):
            cell = cells[index]
            code = lookup[feature].get(normalise(cell))
            if code is None:
                raise BadInput(
                    f"the value {cell.strip()!r} has no quota for {feature} "
                    f"(quotas exist for: {', '.join(values[feature])})",
                    file=name,
                    row=line,
                    column=header[index],
                )
            codes[number - 1, f] = code
        if address_index:
            parts = [normalise(cells[i]) for i in address_index]
            households.append("|".join(parts) if any(parts) else None)
    return Pool(
        ids=tuple(ids),
        features=tuple(features),
        values={f: tuple(v) for f, v in values.items()},
        codes=codes,
        households=tuple(households),
    )


def parse_people(
    text: str,
    quotas: Sequence[Quota],
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
    name: str = "people",
) -> Pool:
    """A pool from CSV text (see `pool_from_rows`)."""
    header, rows = _rows(text, name)
    return pool_from_rows(
        header, rows, quotas, id_column=id_column, address_columns=address_columns, name=name
    )


def read_people(
    path: str | Path,
    quotas: Sequence[Quota],
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
) -> Pool:
    """A pool from a CSV file (see `pool_from_rows`)."""
    return parse_people(
        read_text(path),
        quotas,
        id_column=id_column,
        address_columns=address_columns,
        name=str(path),
    )


def make_instance(pool: Pool, quotas: Sequence[Quota], panel_size: int) -> Instance:
    """An instance, after checking the panel size fits the pool."""
    if panel_size < 1:
        raise BadInput(f"the panel size must be at least 1, not {panel_size}")
    if panel_size > pool.size:
        raise BadInput(f"the panel size {panel_size} is larger than the pool of {pool.size} people")
    return Instance(pool=pool, quotas=tuple(quotas), panel_size=panel_size)


def read_instance(
    quotas_path: str | Path,
    people_path: str | Path,
    panel_size: int,
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
) -> Instance:
    """Read both files and check they fit together."""
    quotas = read_quotas(quotas_path)
    pool = read_people(people_path, quotas, id_column=id_column, address_columns=address_columns)
    return make_instance(pool, quotas, panel_size)
