"""Readers for the quota and respondent CSV files organisers already have.

Two quota formats are read: the Sortition Foundation's `feature,value,min,max` (extra columns
such as `min_flex,max_flex` are ignored) and the Nature replication's `category,feature,min,max`
(there `category` is the feature name and `feature` the value). Feature names and values match
whatever their case and surrounding spaces. Only the id, the quota features and the optional
address columns are kept from the people file, so names and contacts never enter the library.

Files are read by `sortition.tabular`, the reader the app uses too, so both accept and refuse
the same files: UTF-8 or a named encoding, CSV or .xlsx, ids matched whatever their case, no
cells past the header, counts in ASCII digits only. Rows in error messages are numbered as a
spreadsheet shows them, the header being row 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sortition.model import BadInput, Instance, Pool, Quota, normalise
from sortition.tabular import (
    Table,
    TableError,
    decode,
    id_key,
    parse_csv,
    read_file,
    read_table,
    same_id,
    whole_number,
)
from sortition.words import Words, words


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """The file's text: UTF-8 (a byte-order mark is allowed) unless `encoding` is named."""
    name = str(path)
    data = read_file(path, display_name=name)
    text = decode(data, name, encoding, option=None)
    if not text.strip():
        raise TableError(words("is empty"), file=name)
    return text


def parse_quotas(text: str, name: str = "quotas") -> tuple[Quota, ...]:
    """Quotas from CSV text in either supported format; `name` is used in messages."""
    return quotas_from_table(parse_csv(text, name))


def quotas_from_table(table: Table) -> tuple[Quota, ...]:
    """Quotas from a table in either supported format (see the module docstring)."""
    name, header = table.file_name, table.header
    keys = table.column_index()
    if {"feature", "value", "min", "max"} <= keys.keys():
        feature_col, value_col = "feature", "value"
    elif {"category", "feature", "min", "max"} <= keys.keys():
        feature_col, value_col = "category", "feature"
    else:
        shown = ", ".join(header[:20]) + (" …" if len(header) > 20 else "")
        raise TableError(
            words(
                "needs the columns feature,value,min,max (or category,feature,min,max); "
                "found %(columns)s",
                columns=shown,
            ),
            file=name,
            row=1,
        )
    col = {key: keys[key] for key in (feature_col, value_col, "min", "max")}
    if not table.rows:
        raise TableError(words("has no quota rows"), file=name)
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    spelling: dict[str, str] = {}
    for line, cells in table.rows:
        feature = cells[col[feature_col]]
        value = cells[col[value_col]]
        if not feature:
            raise TableError(
                words("the feature name is empty"), file=name, row=line, column=feature_col
            )
        if not value:
            raise TableError(words("the value is empty"), file=name, row=line, column=value_col)
        low = whole_number(cells[col["min"]], file=name, row=line, column="min")
        high = whole_number(cells[col["max"]], file=name, row=line, column="max")
        if low > high:
            raise TableError(
                words(
                    "%(feature)s = %(value)s: min %(min)s is larger than max %(max)s",
                    feature=feature,
                    value=value,
                    min=low,
                    max=high,
                ),
                file=name,
                row=line,
                column="min",
            )
        feature = spelling.setdefault(normalise(feature), feature)
        key = (normalise(feature), normalise(value))
        if key in seen:
            raise TableError(
                words(
                    "%(feature)s = %(value)s has a quota already on row %(row)s",
                    feature=feature,
                    value=value,
                    row=seen[key],
                ),
                file=name,
                row=line,
                column=value_col,
            )
        seen[key] = line
        quotas.append(Quota(feature, value, low, high))
    return tuple(quotas)


def read_quotas(path: str | Path, encoding: str | None = None) -> tuple[Quota, ...]:
    """Quotas from a CSV or Excel file (see `quotas_from_table`)."""
    return quotas_from_table(read_table(path, encoding=encoding, encoding_option=None))


def _find_column(keys: dict[str, int], wanted: str) -> int | None:
    return keys.get(normalise(wanted))


def _columns_shown(header: Sequence[str]) -> str:
    return ", ".join(header[:20]) + (f" … ({len(header)} in all)" if len(header) > 20 else "")


def _id_used_already(person: str, earlier: str, earlier_line: int) -> Words:
    """Why an id is refused as a repeat; when it repeats `earlier` only to the eye (full-width
    or invisible characters, see `same_id`), a whole second sentence says so."""
    if not same_id(person, earlier):
        return words(
            "the id %(id)s is used already on row %(row)s (ids match whatever their case)",
            id=repr(person),
            row=earlier_line,
        )
    return words(
        "the id %(id)s is used already on row %(row)s (ids match whatever their case): it "
        "looks the same as %(earlier)s and differs only in full-width or invisible characters, "
        "which no one reading a list can tell apart",
        id=repr(person),
        row=earlier_line,
        earlier=repr(earlier),
    )


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
    keys: dict[str, int] = {}
    duplicates: set[str] = set()
    for position, heading in enumerate(header):
        key = normalise(heading)
        if key in keys:
            duplicates.add(key)
        keys.setdefault(key, position)
    if not rows:
        raise BadInput(words("has no people in it"), file=name)
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
                words(
                    "the quotas use the feature %(feature)s but there is no such column "
                    "(columns: %(columns)s)",
                    feature=repr(feature),
                    columns=_columns_shown(header),
                ),
                file=name,
                row=1,
                column=feature,
            )
        if normalise(feature) in duplicates:
            raise BadInput(
                words("the column %(column)s appears twice", column=repr(feature)),
                file=name,
                row=1,
            )
        columns.append(index)
    if id_column is not None:
        id_index = _find_column(keys, id_column)
        if id_index is None:
            raise BadInput(
                words(
                    "there is no id column called %(column)s (columns: %(columns)s)",
                    column=repr(id_column),
                    columns=_columns_shown(header),
                ),
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
                words("there is no address column called %(column)s", column=repr(column)),
                file=name,
                row=1,
                column=column,
            )
        address_index.append(index)

    ids: list[str] = []
    first_row: dict[str, tuple[int, str]] = {}
    width = len(header)
    codes = np.zeros((len(rows), len(features)), dtype=np.int32)
    households: list[str | None] = []
    for number, (line, row) in enumerate(rows, start=1):
        if len(row) > width and any(str(c).strip() for c in row[width:]):
            raise BadInput(
                words(
                    "has %(cells)s cells but the header has %(width)s; every value needs a heading",
                    cells=len(row),
                    width=width,
                ),
                file=name,
                row=line,
            )
        cells = list(row[:width]) + [""] * (width - len(row))
        if id_index is None:
            person = str(number)
        else:
            person = " ".join(cells[id_index].split())
            if not person:
                raise BadInput(
                    words("the id is empty"), file=name, row=line, column=header[id_index]
                )
        key = id_key(person)
        if key in first_row:
            earlier_line, earlier = first_row[key]
            raise BadInput(
                _id_used_already(person, earlier, earlier_line),
                file=name,
                row=line,
                column=header[id_index] if id_index is not None else None,
            )
        first_row[key] = (line, person)
        ids.append(person)
        for f, (feature, index) in enumerate(zip(features, columns, strict=True)):
            cell = cells[index]
            code = lookup[feature].get(normalise(cell))
            if code is None:
                raise BadInput(
                    words(
                        "the value %(value)s has no quota for %(feature)s "
                        "(quotas exist for: %(values)s)",
                        value=repr(cell.strip()),
                        feature=feature,
                        values=", ".join(values[feature]),
                    ),
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
    table = parse_csv(text, name)
    return pool_from_rows(
        table.header,
        table.rows,
        quotas,
        id_column=id_column,
        address_columns=address_columns,
        name=name,
    )


def read_people(
    path: str | Path,
    quotas: Sequence[Quota],
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
    encoding: str | None = None,
) -> Pool:
    """A pool from a CSV or Excel file (see `pool_from_rows`)."""
    table = read_table(path, encoding=encoding, encoding_option=None)
    return pool_from_rows(
        table.header,
        table.rows,
        quotas,
        id_column=id_column,
        address_columns=address_columns,
        name=str(path),
    )


def make_instance(
    pool: Pool, quotas: Sequence[Quota], panel_size: int, *, people: str | None = None
) -> Instance:
    """An instance, after checking the panel size fits the pool (`people`: its file's name)."""
    if panel_size < 1:
        raise BadInput(words("the panel size must be at least 1, not %(size)s", size=panel_size))
    if panel_size > pool.size:
        raise BadInput(
            words(
                "the panel size %(size)s is larger than the pool of %(people)s people",
                size=panel_size,
                people=pool.size,
            ),
            file=people,
        )
    return Instance(pool=pool, quotas=tuple(quotas), panel_size=panel_size)


def read_instance(
    quotas_path: str | Path,
    people_path: str | Path,
    panel_size: int,
    *,
    id_column: str | None = None,
    address_columns: Sequence[str] = (),
    encoding: str | None = None,
) -> Instance:
    """Read both files and check they fit together."""
    quotas = read_quotas(quotas_path, encoding)
    pool = read_people(
        people_path,
        quotas,
        id_column=id_column,
        address_columns=address_columns,
        encoding=encoding,
    )
    return make_instance(pool, quotas, panel_size, people=str(people_path))
