"""Fuzzing every importer and both command lines with hostile files made by hypothesis.

Whatever the file, a command either succeeds or refuses with exit code 1 or 2, a message that
names the file, no traceback, and (for the assembly file) not one byte changed. When it
succeeds, the file holds what the hostile file said, read by the shared reader and normalised
(row counts, ids, values), and nothing else changed. The example counts are modest so the whole
module runs in seconds; raise them locally to hunt.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sortition.cli import main as sortition_main
from sortition.model import normalise
from sortition.tabular import read_table, whole_number
from tests.imports.hostile import (
    POOL_CSV,
    QUOTAS_CSV,
    cut_sheet_workbook,
    entity_bomb_workbook,
    far_cell_workbook,
    file_state,
    make_assembly,
    ods,
    ods_row,
    rows_of,
    run,
    workbook,
)

# FUZZ_EXAMPLES=500 python -m pytest tests/imports/test_fuzz.py  hunts harder.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HOSTILE_CELLS = [
    "",
    " ",
    "p3",
    "P3",
    "female",
    "Female ",
    "male",
    "16-29",
    "30+",
    "gender",
    "age",
    "0",
    "3",
    "7",
    "12.0",
    "-1",
    "2.5",
    "1e309",
    "inf",
    "-inf",
    "nan",
    "99999999999999999999999",
    "٣",
    "３",
    '=HYPERLINK("http://x")',
    "x;=1+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    '"',
    '""',
    'a"b',
    "a,b",
    "a;b",
    "\t",
    "\r",
    "\n",
    "\x00",
    "\ufeff",
    "Zoë",
    "Glasgow—Dùn",
    "x" * 140_000,
]
COLUMNS = [
    "id",
    "ID",
    "name",
    "address",
    "postcode",
    "gender",
    "age",
    "feature",
    "value",
    "min",
    "max",
    "category",
    "share",
    "title",
    "description",
    "member_number",
    "anonymous",
    "",
    " ",
]

cells = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12), st.integers().map(str))
tables = st.tuples(
    st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=7),
    st.lists(st.lists(cells, max_size=8), max_size=8),
)


@st.composite
def csv_files(draw, base: str) -> bytes:
    """A hostile CSV: a mutation of `base`, or a table of hostile cells, in some encoding."""
    kind = draw(st.sampled_from(["table", "mutated", "raw"]))
    if kind == "table":
        header, rows = draw(tables)
        separator = draw(st.sampled_from([",", ";", "\t"]))
        if draw(st.booleans()):
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=separator)
            writer.writerow(header)
            writer.writerows(rows)
            text = buffer.getvalue()
        else:
            text = "\n".join(separator.join(r) for r in [header, *rows])
    elif kind == "mutated":
        lines = base.splitlines()
        position = draw(st.integers(0, len(lines) - 1))
        column = draw(st.integers(0, 5))
        parts = lines[position].split(",")
        if column < len(parts):
            parts[column] = draw(cells)
        else:
            parts.append(draw(cells))
        lines[position] = ",".join(parts)
        if draw(st.booleans()):
            lines = lines[: draw(st.integers(0, len(lines)))]
        text = "\n".join(lines) + "\n"
    else:
        text = draw(st.text(max_size=200))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at:]
    return data


@pytest.fixture(scope="module")
def base_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_assembly(tmp_path_factory.mktemp("fuzz-base"))


def _check_refusal(
    result, source: Path, before: bytes | None, target: Path | None, *also_named: str
) -> None:
    """A refusal: exit 1 or 2, a message naming the file, no traceback, nothing changed."""
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    named = (source.name, source.stem, *also_named)
    assert any(place in result.output for place in named), result.output
    if target is not None:
        assert file_state(target) == before


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: what 'nothing else changed' compares."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {n: sorted(conn.execute(f"select * from [{n}]").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _column(table, name: str) -> int:
    return table.column_index()[normalise(name)]


def _pool_stored(source: Path, before: dict, after: dict) -> set[str]:
    table = read_table(source, keep_extra_cells=True, display_name=source.name)
    (mapping,) = [
        json.loads(r[4]) for r in after["pool_imports"] if r not in before["pool_imports"]
    ]
    id_at = _column(table, next(c for c, role in mapping.items() if role == "id"))
    features = [c for c, role in mapping.items() if role == "feature"]
    stored = sorted(after["respondents"])  # by id: the file's order
    assert len(stored) == len(table.rows)
    assert [r[1] for r in stored] == [cells[id_at] for _, cells in table.rows]
    for (_, cells), person in zip(table.rows, stored, strict=True):
        values = json.loads(person[8])
        assert set(values) == set(features)
        for feature in features:  # one spelling per value: the first seen, any case
            assert values[feature].casefold() == cells[_column(table, feature)].casefold()
    assert sorted(r[0] for r in after["features"]) == sorted(features)
    held = {(f, json.loads(r[8])[f]) for r in stored for f in features}
    assert {(r[0], r[1]) for r in after["feature_values"]} == held
    assert set(after["quotas"]) <= set(before["quotas"])  # kept only for values still there
    return {"respondents", "features", "feature_values", "quotas", "pool_imports"}


def _quotas_stored(source: Path, before: dict, after: dict) -> set[str]:
    table = read_table(source, display_name=source.name)
    at = {c: _column(table, c) for c in ("feature", "value", "min", "max")}
    expected = set()
    for row, cells in table.rows:
        counts = [whole_number(cells[at[c]], file="", row=row, column=c) for c in ("min", "max")]
        expected.add((normalise(cells[at["feature"]]), normalise(cells[at["value"]]), *counts))
    stored = {(normalise(f), normalise(v), lo, hi) for f, v, lo, hi in after["quotas"]}
    assert stored == expected
    assert len(after["quotas"]) == len(table.rows)
    assert {r[:2] for r in before["feature_values"]} <= {r[:2] for r in after["feature_values"]}
    return {"quotas", "feature_values", "organiser_settings"}


def _topics_stored(source: Path, before: dict, after: dict) -> set[str]:
    table = read_table(source, display_name=source.name, line_breaks=True)
    title = [h.lower() for h in table.header].index("title")
    added = [r for r in after["topics"] if r not in before["topics"]]
    assert len(added) == len(after["topics"]) - len(before["topics"]) == len(table.rows)
    titles = sorted(cells[title] for _, cells in table.rows)
    assert sorted(r[1] for r in added) == titles  # topics.title
    return {"topics", "topic_history"}


def _log_stored(target: Path, before: dict, after: dict) -> set[str]:
    from assembly.feedback.verify import verify_log
    from assembly.store import open_assembly

    assembly = open_assembly(target, read_only=True)
    try:
        assert verify_log(assembly.db(), deep=True).ok
    finally:
        assembly.close()
    return {n for n in after if n.startswith("feedback_")}


STORED = {"pool": _pool_stored, "quotas": _quotas_stored, "topics": _topics_stored}


def _assembly_import(
    base: Path, data: bytes, suffix: str, *command: str, also_named: tuple[str, ...] = ()
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "a.assembly.db"
        shutil.copy(base, target)
        source = Path(folder) / f"hostile{suffix}"
        source.write_bytes(data)
        before = file_state(target)
        tables_before = _tables(target)
        result = run(*command[:2], target, source, *command[2:])
        if result.exit_code != 0:
            _check_refusal(result, source, before, target, *also_named)
            return
        assert result.exception is None, repr(result.exception)
        after = _tables(target)
        if command[0] == "log":
            changed = _log_stored(target, tables_before, after)
        else:
            changed = STORED[command[0]](source, tables_before, after)
        assert set(after) == set(tables_before)
        for name in set(after) - changed:  # nothing extra anywhere else
            assert after[name] == tables_before[name], name


@FUZZ
@given(data=csv_files(QUOTAS_CSV), panel=st.sampled_from([None, "10", "22", "0"]))
def test_quotas_import_survives_hostile_files(base_assembly: Path, data: bytes, panel) -> None:
    extra = ["--panel-size", panel] if panel else []
    # A refused --panel-size is named by the option's own words, not the file's.
    _assembly_import(
        base_assembly, data, ".csv", "quotas", "import", *extra, "--yes", also_named=("panel size",)
    )


@FUZZ
@given(data=csv_files(POOL_CSV))
def test_pool_import_survives_hostile_files(base_assembly: Path, data: bytes) -> None:
    _assembly_import(base_assembly, data, ".csv", "pool", "import", "--replace")


@FUZZ
@given(data=csv_files("title,description,member_number,anonymous\nBuses,More,,no\n"))
def test_topics_import_survives_hostile_files(base_assembly: Path, data: bytes) -> None:
    _assembly_import(base_assembly, data, ".csv", "topics", "import")


@FUZZ
@given(
    data=st.one_of(
        csv_files("item_id,title,status,progress\n1,Buses,in progress,10\n"),
        csv_files("item_id,title,source_kind,source_id\n,New idea,other,3\n"),
    ),
    form=st.sampled_from(["csv", "auto"]),
)
def test_log_import_survives_hostile_files(base_assembly: Path, data: bytes, form: str) -> None:
    args = ("--actor", "Officer", "--format", form)
    _assembly_import(base_assembly, data, ".csv", "log", "import", *args)


@FUZZ
@given(data=csv_files("id;title/en;status;progress;end_date\n1;Buses;execution;40;2026-01-01\n"))
def test_decidim_import_survives_hostile_files(base_assembly: Path, data: bytes) -> None:
    args = ("--actor", "Officer", "--format", "decidim")
    _assembly_import(base_assembly, data, ".csv", "log", "import", *args)


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 3))
@given(
    rows=st.lists(st.lists(st.sampled_from(HOSTILE_CELLS[:-1]), max_size=6), max_size=6),
    damage=st.sampled_from(["none", "truncate", "flip"]),
    cut=st.floats(0.05, 0.95),
)
def test_pool_import_survives_hostile_workbooks(
    base_assembly: Path, rows: list[list[str]], damage: str, cut: float
) -> None:
    clean = [[c.replace("\x00", "") for c in row] for row in rows]
    data = workbook([("Sheet", [["id", "gender", "age"], *clean])])
    at = int(len(data) * cut)
    if damage == "truncate":
        data = data[:at]
    elif damage == "flip":
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    _assembly_import(base_assembly, data, ".xlsx", "pool", "import", "--replace")


@settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 3))
@given(
    rows=st.lists(st.lists(st.sampled_from(HOSTILE_CELLS[:-1]), max_size=6), max_size=6),
    repeat=st.sampled_from([1, 2, 2_000_000]),  # over the row limit: refused before expanding
    cell_repeat=st.sampled_from([1, 3, 20_000]),
)
def test_pool_import_survives_hostile_opendocument_sheets(
    base_assembly: Path, rows: list[list[str]], repeat: int, cell_repeat: int
) -> None:
    body = ods_row(["id", "gender", "age"]) + "".join(
        ods_row(row, repeat=repeat, cell_repeat=cell_repeat) for row in rows
    )
    _assembly_import(base_assembly, ods([("Sheet", body)]), ".ods", "pool", "import", "--replace")


@FUZZ
@given(
    quotas=csv_files(QUOTAS_CSV),
    people=csv_files(POOL_CSV),
    command=st.sampled_from(["check", "select"]),
)
def test_sortition_cli_survives_hostile_files(quotas: bytes, people: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        q, p = Path(folder) / "quotas.csv", Path(folder) / "people.csv"
        q.write_bytes(quotas)
        p.write_bytes(people)
        args = [command, "--quotas", str(q), "--people", str(p), "--panel-size", "10"]
        if command == "select":
            args += ["--out", str(Path(folder) / "out.json"), "--no-progress"]
        result = CliRunner().invoke(sortition_main, args)
        if result.exit_code == 2:
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "quotas.csv" in result.output or "people.csv" in result.output, result.output
        else:
            assert result.exit_code in (0, 1), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)


@FUZZ
@given(targets=csv_files("feature,value,share\ngender,female,0.51\ngender,male,0.49\n"))
def test_sortition_targets_survive_hostile_files(targets: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "targets.csv"
        source.write_bytes(targets)
        out = Path(folder) / "quotas.csv"
        args = ["quotas", "--targets", str(source), "--panel-size", "10", "--out", str(out)]
        result = CliRunner().invoke(sortition_main, args)
        if result.exit_code != 0:
            _check_refusal(result, source, None, None)


# ---------------------------------------------------------------- real processes


def _corpus(folder: Path) -> dict[str, bytes]:
    """Hostile files for the real command lines, one per defect class."""
    pool_rows = rows_of(POOL_CSV)
    return {
        "stray-byte.csv": QUOTAS_CSV.replace("female", "f\xe9male").encode("cp1252"),
        "huge-cell.csv": (QUOTAS_CSV + "age," + "x" * 200_000 + ",1,2\n").encode(),
        "inf.csv": QUOTAS_CSV.replace("4,6", "4,inf", 1).encode(),
        "far-cell.xlsx": far_cell_workbook(pool_rows),
        "entities.xlsx": entity_bomb_workbook(pool_rows),
        "cut.xlsx": cut_sheet_workbook(pool_rows),
        "rows.ods": ods([("Sheet", ods_row(["id", "gender"]) + ods_row(["p", "f"], 2_000_000))]),
    }


@pytest.mark.parametrize("cli", ["assembly", "sortition"])
@pytest.mark.slow  # real processes on huge files
def test_real_command_lines_print_no_traceback(base_assembly: Path, tmp_path: Path, cli) -> None:
    people = tmp_path / "people.csv"
    people.write_text(POOL_CSV, encoding="utf-8")
    for name, data in _corpus(tmp_path).items():
        source = tmp_path / name
        source.write_bytes(data)
        if cli == "assembly":
            target = tmp_path / "a.assembly.db"
            shutil.copy(base_assembly, target)
            before = file_state(target)
            what = "pool" if name.endswith((".xlsx", ".ods")) else "quotas"
            extra = ["--replace"] if what == "pool" else []
            args = [sys.executable, "-m", "assembly", what, "import", target, source, *extra]
        else:
            sheet = name.endswith((".xlsx", ".ods"))
            people_file = source if sheet else people
            quotas_file = tmp_path / "q.csv" if sheet else source
            (tmp_path / "q.csv").write_text(QUOTAS_CSV, encoding="utf-8")
            args = [sys.executable, "-m", "sortition", "check", "--quotas", quotas_file]
            args += ["--people", people_file, "--panel-size", "10"]
        done = subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode in (1, 2), (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        assert name in done.stderr, (name, done.stderr)
        if cli == "assembly":
            assert file_state(target) == before, name
