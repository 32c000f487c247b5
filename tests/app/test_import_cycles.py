"""No import cycles among the modules of `assembly` and `sortition`, not even inside a function.

A cycle dodged by importing inside a function still ties two modules together: neither can be
understood, tested or moved without the other. The graph is read from the source with `ast`.
"""

from __future__ import annotations

from pathlib import Path

from tests.app.modgraph import find_cycles, imports_of, project_graph


def test_no_import_cycles() -> None:
    cycles = find_cycles(project_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    a = tmp_path / "a.py"
    b = tmp_path / "b.py"
    a.write_text("from pkg import b\n")
    b.write_text("def later():\n    import pkg.a\n")
    known = {"pkg.a", "pkg.b"}
    graph = {
        "pkg.a": {m: n for m, n in imports_of("pkg.a", a, known).items() if m in known},
        "pkg.b": {m: n for m, n in imports_of("pkg.b", b, known).items() if m in known},
        "pkg.c": {"pkg.a": 1},
    }
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.b\n")
    assert "pkg.b" not in imports_of("pkg.a", source, {"pkg.a", "pkg.b"})
