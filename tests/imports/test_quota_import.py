"""Quota import: linear in the rows, and plain about quotas that cannot mean anything (issue 26).

1,000 rows took 1.3 s and 10,000 took 68 s, because every row re-read the feature's values (and
the panel size) from the file. The speed figure is in bench/bench_quota_import.py; here the
structure is checked: the work SQLite does grows linearly with the rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assembly.organiser.errors import OrganiserError
from assembly.organiser.quotas import current_quotas, import_quotas_csv
from assembly.store import open_assembly
from tests.imports.hostile import file_state, make_assembly, run


def _quota_file(tmp_path: Path, rows: int) -> Path:
    """`rows` quotas of min 0, max 1 on values of `age` that nobody has, plus real ones."""
    path = tmp_path / f"quotas-{rows}.csv"
    body = "".join(f"age,a{i},0,1\n" for i in range(rows))
    path.write_text(
        "feature,value,min,max\ngender,female,4,6\ngender,male,4,6\n" + body, encoding="utf-8"
    )
    return path


def _sqlite_work(target: Path, source: Path) -> int:
    """How much work SQLite does for one import, in hundreds of virtual machine steps."""
    assembly = open_assembly(target)
    try:
        db = assembly.db()
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0  # carry on

        db.conn.set_progress_handler(count, 100)
        import_quotas_csv(db, source, 10)
        db.conn.set_progress_handler(None, 100)
        return steps[0]
    finally:
        assembly.close()


def test_the_work_grows_linearly_with_the_rows(tmp_path: Path) -> None:
    """Three times the rows, about three times the work (re-reading every value of the
    feature on each row, as before, made it about nine times)."""
    target = make_assembly(tmp_path, quotas=False)
    small = _sqlite_work(target, _quota_file(tmp_path, 1_000))
    large = _sqlite_work(target, _quota_file(tmp_path, 3_000))
    assert large < 4.5 * small, (small, large)


@pytest.mark.slow
def test_100_000_rows_import_correctly(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    assembly = open_assembly(target)
    try:
        result = import_quotas_csv(assembly.db(), _quota_file(tmp_path, 100_000), 10)
        assert result.quotas == 100_002
        assert len(current_quotas(assembly.db())) == 100_004  # and age 16-29, 30+
    finally:
        assembly.close()


def test_a_value_nobody_has_is_named_in_a_warning(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    source = tmp_path / "q.csv"
    source.write_text(
        "feature,value,min,max\ngender,female,4,6\ngender,male,4,6\ngender,v17,0,1\n",
        encoding="utf-8",
    )
    result = run("quotas", "import", target, source, "--panel-size", "10")
    assert result.exit_code == 0, result.output
    assert "Warning" in result.output and "gender = v17" in result.output
    assert "no respondent" in result.output


def test_a_minimum_on_a_value_nobody_has_is_refused(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    source = tmp_path / "q.csv"
    source.write_text(
        "feature,value,min,max\ngender,female,4,6\ngender,male,4,6\ngender,v17,1,2\n",
        encoding="utf-8",
    )
    result = run("quotas", "import", target, source, "--panel-size", "10")
    assert result.exit_code == 2
    assert "q.csv, row 4" in result.output and "no respondent" in result.output
    assert file_state(target) == before


def test_minimums_past_the_panel_size_are_refused(tmp_path: Path) -> None:
    target = make_assembly(tmp_path, quotas=False)
    before = file_state(target)
    source = tmp_path / "q.csv"
    source.write_text(
        "feature,value,min,max\ngender,female,6,8\ngender,male,5,8\nage,30+,2,9\n",
        encoding="utf-8",
    )
    result = run("quotas", "import", target, source, "--panel-size", "10")
    assert result.exit_code == 2
    assert "gender" in result.output and "add up to 11" in result.output
    assert "panel size 10" in result.output and "rows 2-3" in result.output
    assert file_state(target) == before


def test_the_same_checks_hold_without_the_command_line(tmp_path: Path) -> None:
    target = make_assembly(tmp_path)  # panel size 10 already set
    source = tmp_path / "q.csv"
    source.write_text("feature,value,min,max\nage,16-29,6,9\nage,30+,5,9\n", encoding="utf-8")
    assembly = open_assembly(target)
    try:
        with pytest.raises(OrganiserError, match=r"age add up to 11"):
            import_quotas_csv(assembly.db(), source)
        assert len(current_quotas(assembly.db())) == 4  # the earlier quotas, unchanged
    finally:
        assembly.close()
