"""`assembly verify` catches the eight edits to a draw and its members that nothing caught before
(issue 26): each is made on a copy of a small drawn assembly with sqlite3, triggers dropped
first, as an attacker with write access to the file would.

The assembly is built once per module with the command line: a pool of 60 with households,
quotas, a LEXIMIN draw rounded to 50 panels, the public seed with two witnesses, an invitation,
a withdrawal and its replacement.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main
from tests.organiser.conftest import write_pool_csv

SEED = "Hollowfield, 1 April: 04 11 19 27 33 45"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _ok(*args: str) -> str:
    code, out = run(*args)
    assert code == 0, out
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("drawn")
    pool = write_pool_csv(folder / "pool.csv", 60, households=True)
    quotas = folder / "quotas.csv"
    quotas.write_text(
        "feature,value,min,max\n"
        "gender,Woman,3,5\ngender,Man,3,5\n"
        "age,16-34,2,4\nage,35-59,2,4\nage,60+,2,4\n",
        encoding="utf-8",
    )
    path = str(folder / "a.db")
    _ok("new", path, "--no-open")
    _ok("pool", "import", path, str(pool))
    _ok("quotas", "import", path, str(quotas), "--panel-size", "8")
    _ok("draw", "run", path, "--lottery-size", "50", "--rounding-seconds", "0")
    _ok("draw", "seed", path, "1", SEED, "--witness", "Cllr A Osei:Chair", "--witness", "R Davies")
    _ok("members", "status", path, "1", "invited", "--note", "letter")
    _ok("members", "status", path, "2", "withdrawn", "--note", "moved away")
    # a seed past 2**53: the record keeps it exact (as text)
    _ok("members", "replace", path, "--seed", "9000000000000000001", "--algorithm", "legacy")
    return Path(path)


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copyfile(built, target)
    return target


def tamper(path: Path, *statements: str) -> None:
    """Drop every trigger, then run `statements`, as sqlite3 on the command line would."""
    conn = sqlite3.connect(path)
    try:
        for (name,) in conn.execute(
            "select name from sqlite_master where type = 'trigger'"
        ).fetchall():
            conn.execute(f'drop trigger "{name}"')
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def one(path: Path, sql: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_the_untouched_copy_verifies(copy: Path) -> None:
    code, out = run("verify", str(copy))
    assert code == 0, out
    assert "Draw record intact" in out and "1 draw, 2 witnesses and 9 members" in out


def _unselected(path: Path) -> int:
    return one(
        path,
        "select id from respondents where id not in (select respondent_id from members) "
        "order by id limit 1",
    )


def _panel_ref(path: Path) -> str:
    return one(path, "select r.ref from members m join respondents r on r.id = m.respondent_id "
               "where m.number = 1")  # fmt: skip


TAMPERS = {
    "swap a member": lambda p: [
        f"update members set respondent_id = {_unselected(p)} where number = 1"
    ],
    "change a member's status": lambda p: [
        "update members set status = 'withdrawn' where number = 1"
    ],
    "change the seed": lambda p: ["update draws set seed = 'another seed'"],
    "change the panel index": lambda p: ["update draws set panel_index = panel_index + 1"],
    "change the stored panel": lambda p: [
        "update draws set panel = json_set(panel, '$[0]', "
        f"(select ref from respondents where id = {_unselected(p)}))"
    ],
    "change the stored probabilities": lambda p: [
        f"update draws set probabilities = json_set(probabilities, '$.{_panel_ref(p)}', 0.99)"
    ],
    "change a member's features": lambda p: [
        "update respondents set features = json_set(features, '$.gender', "
        "case json_extract(features, '$.gender') when 'Man' then 'Woman' else 'Man' end) "
        "where id = (select respondent_id from members where number = 1)"
    ],
    "delete a witness": lambda p: ["delete from draw_witnesses where name = 'R Davies'"],
    # households decide who may replace whom: splitting one lets a second person of it in
    "split a household": lambda p: [
        "update respondents set household = 'hsplit' where id = (select min(id) from "
        "respondents where household in (select household from respondents group by "
        "household having count(*) > 1))"
    ],
    "join two households": lambda p: [
        "update respondents set household = (select household from respondents where "
        "household is not null order by id limit 1) where id = (select max(id) from "
        "respondents where household is not null)"
    ],
}
NAMED = {  # the table and row each finding must name
    "swap a member": "members id 1",
    "change a member's status": "members id 1",
    "change the seed": "draws id 1",
    "change the panel index": "draws id 1",
    "change the stored panel": "draws id 1",
    "change the stored probabilities": "draws id 1",
    "change a member's features": "respondents id",
    "delete a witness": "draw_witnesses",
    "split a household": "respondents id",
    "join two households": "respondents id",
}


@pytest.mark.parametrize("edit", list(TAMPERS))
def test_each_edit_is_found_naming_its_table_and_row(copy: Path, edit: str) -> None:
    tamper(copy, *TAMPERS[edit](copy))
    code, out = run("verify", str(copy))
    assert code == 1, out
    findings = [line for line in out.splitlines() if line.startswith("✗ ")]
    assert findings, out
    assert any(line.startswith(f"✗ {NAMED[edit]}") for line in findings), out
    assert "the file is not as the app recorded it" in out


def test_the_swapped_member_finding_names_both_respondents(copy: Path) -> None:
    drawn = _panel_ref(copy)
    tamper(copy, *TAMPERS["swap a member"](copy))
    _, out = run("verify", str(copy))
    assert f"seated {drawn!r}" in out


def test_draw_show_prints_the_recorded_seed_not_the_forged_one(copy: Path) -> None:
    tamper(copy, "update draws set seed = 'another seed'")
    code, out = run("draw", "show", str(copy))
    assert code == 0, out
    assert SEED in out and "another seed" not in out


def test_a_draw_unseeded_in_the_table_is_not_drawn_again(copy: Path) -> None:
    """The record, not the table, says whether a draw was made."""
    tamper(copy, "update draws set seed = null, seed_sha256 = null, panel_index = null, "
           "panel = null, drawn_at = null", "delete from members")  # fmt: skip
    code, out = run("draw", "seed", str(copy), "1", "a seed that suits someone")
    assert code == 2 and "already drawn with seed 'Hollowfield" in out


def test_a_rewritten_record_is_a_broken_chain(copy: Path) -> None:
    """Editing the record itself (rather than the tables) breaks its hash chain."""
    tamper(copy, "update draw_record set data = json_set(data, '$.seed', 'another seed') "
           "where kind = 'drawn'")  # fmt: skip
    code, out = run("verify", str(copy))
    assert code == 1
    assert "✗ draw_record seq" in out and "does not match its hash" in out


def test_a_dropped_record_is_a_finding(copy: Path) -> None:
    tamper(copy, "drop table draw_record")
    code, out = run("verify", str(copy))
    assert code == 1, out
    assert "✗ draw_record: the table is missing (dropped?)." in out


def test_bad_input_exits_2(copy: Path, tmp_path: Path) -> None:
    code, out = run("verify", str(tmp_path / "missing.db"))
    assert code == 2 and "There is no file" in out
    bad = tmp_path / "cp.txt"
    bad.write_text("no checkpoint here\n", encoding="utf-8")
    code, out = run("verify", str(copy), "--checkpoints", str(bad))
    assert code == 2 and "holds no checkpoint" in out


def test_a_checkpoint_covers_the_draw_record(copy: Path, tmp_path: Path) -> None:
    key = tmp_path / "clerk.key"
    _ok("log", "new-key", str(key))
    checkpoint = tmp_path / "minutes.txt"
    _ok("log", "checkpoint", str(copy), "--key", str(key), "-o", str(checkpoint))
    text = checkpoint.read_text(encoding="utf-8")
    assert "draw-entries:" in text and "draw-head:" in text
    code, out = run("verify", str(copy), "--checkpoints", str(checkpoint))
    assert code == 0, out
    # A rewrite of the whole record, every hash recomputed, passes the file's own checks but
    # not the published checkpoint.
    _rewrite_record_with_forged_seed(copy)
    code, out = run("verify", str(copy), "--checkpoints", str(checkpoint))
    assert code == 1, out
    assert "✗ draw_record seq" in out and "the past was rewritten" in out


def _rewrite_record(path: Path, change) -> None:
    """Rewrite the draw record outside the app, every hash recomputed: `change(kind, data)`
    gives each entry's new data text."""
    from assembly.core.hashchain import GENESIS
    from assembly.organiser.draws_record import row_hash

    tamper(path)
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "select seq, draw_id, recorded_at, kind, data, reason from draw_record order by seq"
    ).fetchall()
    conn.execute("delete from draw_record")
    prev = GENESIS
    for seq, draw_id, at, kind, data, reason in rows:
        data = change(kind, data)
        digest = row_hash(prev, seq, draw_id, at, kind, data, reason)
        conn.execute(
            "insert into draw_record values (?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, draw_id, at, kind, data, reason, prev, digest],
        )
        prev = digest
    conn.commit()
    conn.close()


def _rewrite_record_with_forged_seed(path: Path) -> None:
    """A full rewrite: a witness renamed in the record and in the table alike."""
    _rewrite_record(path, lambda kind, data: data.replace("R Davies", "R Davis"))
    tamper(path, "update draw_witnesses set name = 'R Davis' where name = 'R Davies'")
    code, out = run("verify", str(path))
    assert code == 0, out  # the file alone cannot tell


def test_a_rewritten_record_of_the_wrong_shape_is_a_finding(copy: Path) -> None:
    """Entries rewritten with data this app never writes (hashes recomputed) are reported,
    never a traceback."""
    from assembly.core.hashchain import canonical_data

    def strip(kind: str, data: str) -> str:
        if kind != "witness":
            return data
        return canonical_data({k: v for k, v in json.loads(data).items() if k != "name"})

    _rewrite_record(copy, strip)
    code, out = run("verify", str(copy))
    assert code == 1, out
    assert "✗ draw_record seq 2: its data is not what this app records" in out


def test_a_checkpoint_from_before_the_draw_record_still_verifies(
    copy: Path, tmp_path: Path
) -> None:
    """A checkpoint with the log's lines only vouches for the log, and still holds."""
    from assembly.feedback.checkpoints import load_key, make_checkpoint
    from assembly.feedback.verify import verify_log
    from assembly.store import open_assembly

    key = tmp_path / "clerk.key"
    _ok("log", "new-key", str(key))
    opened = open_assembly(copy, read_only=True)
    text = make_checkpoint("Old", verify_log(opened.db()), "2030-01-01T00:00:00Z", load_key(key))
    opened.close()
    assert "draw-entries" not in text
    minutes = tmp_path / "old-minutes.txt"
    minutes.write_text(text, encoding="utf-8")
    code, out = run("verify", str(copy), "--checkpoints", str(minutes))
    assert code == 0, out
    code, out = run("log", "verify", str(copy), "--checkpoints", str(minutes))
    assert code == 0, out


def test_log_verify_reads_a_checkpoint_that_covers_the_draw_record(
    copy: Path, tmp_path: Path
) -> None:
    key = tmp_path / "clerk.key"
    _ok("log", "new-key", str(key))
    minutes = tmp_path / "minutes.txt"
    _ok("log", "checkpoint", str(copy), "--key", str(key), "-o", str(minutes))
    code, out = run("log", "verify", str(copy), "--checkpoints", str(minutes))
    assert code == 0, out


def test_a_file_upgraded_from_before_the_draw_record_records_its_draw(copy: Path) -> None:
    """A file made before migration 180 gets its draw, witnesses and members recorded as it
    holds them (saying so), and then verifies; an edit made after the upgrade is caught."""
    from assembly.organiser.draws_schema import UPGRADED
    from assembly.store import open_assembly

    tamper(
        copy,
        "drop table draw_record",
        "delete from _migrations where number = 180",
    )
    open_assembly(copy).close()  # the upgrade
    conn = sqlite3.connect(copy)
    kinds = {
        k for (k,) in conn.execute("select kind from draw_record where reason = ?", [UPGRADED])
    }
    conn.close()
    assert kinds == {"computed", "witness", "drawn", "status", "replacement"}
    code, out = run("verify", str(copy))
    assert code == 0, out
    tamper(copy, "update members set status = 'confirmed' where number = 1")
    code, out = run("verify", str(copy))
    assert code == 1 and "✗ members id 1" in out
