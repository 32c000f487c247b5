"""The organiser's jobs from the command line, with the app's messages, checked in the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from tests.organiser.conftest import SEED


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_import_quotas_and_check_from_the_command_line(tmp_path: Path, peer_fixtures) -> None:
    path = tmp_path / "a.db"
    run("new", "--no-open", path)
    preview = run("pool", "import", path, peer_fixtures / "candidates.csv", "--preview")
    assert "first_name               → name" in preview.output
    assert sqlite3.connect(path).execute("select count(*) from respondents").fetchone()[0] == 0
    out = run("pool", "import", path, peer_fixtures / "candidates.csv").output
    assert "Imported 150 respondents (4 features)." in out
    again = run("pool", "import", path, peer_fixtures / "candidates.csv", ok=False)
    assert again.exit_code == 2
    assert "already has a pool of 150 respondents" in again.output
    run("quotas", "import", path, peer_fixtures / "features.csv", "--panel-size", "22")
    assert "✓ Feasible" in run("quotas", "check", path).output
    run("quotas", "set", path, "gender", "female", "15", "20")
    bad = run("quotas", "check", path, ok=False)
    assert bad.exit_code == 1 and "lower the minimum from 15 to 12" in bad.output
    assert "Applied the relaxation" in run("quotas", "check", path, "--apply").output
    conn = sqlite3.connect(path)
    assert conn.execute(
        "select min from quotas where feature = 'Gender' and value = 'Female'"
    ).fetchone() == (12,)


def test_bad_rows_message_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    run("new", "--no-open", path)
    pool = tmp_path / "pool.csv"
    pool.write_text("id,gender\nA,Woman\nA,Man\n")
    result = run("pool", "import", path, pool, ok=False)
    assert result.exit_code == 2
    assert "row 3, column 'id': id 'A' is already on row 2" in result.output
    assert "nothing was imported" in result.output and "Traceback" not in result.output


def test_seed_members_exports_and_purge_from_the_command_line(computed, tmp_path: Path) -> None:
    assembly, draw_id = computed
    path = assembly.path
    assembly.close()
    out = run("draw", "seed", path, draw_id, SEED, "--witness", "Jo Bloggs:Councillor").output
    assert "22 members selected" in out and "witnessed by Jo Bloggs (Councillor)" in out
    shown = run("draw", "show", path).output
    assert "✓ Gender / Female" in shown and "✗" not in shown
    run("members", "status", path, "3", "withdrawn", "--note", "moved away")
    out = run("members", "replace", path, "--seed", "5").output
    assert "Member 3 is replaced by member 23." in out
    run("members", "support", path, "23", "--interpreter", "BSL", "--honorarium", "300")
    run("members", "expense", path, "23", "travel", "12.50")
    costs = run("members", "costs", path).output
    assert "Total: £312.50" in costs
    run("members", "export-invitations", path, tmp_path / "inv.csv")
    run("members", "export-profile", path, tmp_path / "profile.csv")
    run("draw", "bundle", path, draw_id, tmp_path / "bundle.json")
    assert (
        "Removed the personal data of 127 respondents"
        in run("members", "purge", path, "--yes").output
    )
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from respondents where name is not null").fetchone() == (
        23,
    )
    assert conn.execute("select status from members where number = 3").fetchone() == ("replaced",)
    listed = run("members", "list", path, "--all").output
    assert "(replaces 3)" in listed


def test_target_shares_set_from_the_command_line_so_from_targets_has_a_way_on(
    tmp_path: Path,
) -> None:
    """Issue 25 item 5: `quotas from-targets` asked for target shares that only the app could
    set; `quotas target` sets (and clears) them, and the refusal names it."""
    path = tmp_path / "a.db"
    run("new", "--no-open", path)
    pool = tmp_path / "pool.csv"
    pool.write_text(
        "id,gender\n" + "".join(f"P{n},{'Woman' if n % 2 else 'Man'}\n" for n in range(40))
    )
    run("pool", "import", path, pool)
    run("quotas", "size", path, "10")
    refused = run("quotas", "from-targets", path, ok=False)
    assert refused.exit_code != 0 and "assembly quotas target" in refused.output
    assert (
        "gender = Woman: target 52.0%"
        in run("quotas", "target", path, "gender", "woman", "52%").output
    )
    run("quotas", "target", path, "Gender", "Man", "0.48")
    bad = run("quotas", "target", path, "gender", "man", "1.5", ok=False)
    assert bad.exit_code == 2 and "from 0% to 100%" in bad.output and "Traceback" not in bad.output
    assert "Set 2 quotas from target shares" in run("quotas", "from-targets", path).output
    assert "target none" in run("quotas", "target", path, "gender", "man", "none").output
    conn = sqlite3.connect(path)
    shares = dict(conn.execute("select value, target_share from feature_values").fetchall())
    assert shares == {"Woman": 0.52, "Man": None}
