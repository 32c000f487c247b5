"""No import cycles among the modules of `assembly` and `sortition`, not even inside a function,
through a module imported by its name as a string, or under `if TYPE_CHECKING:`.

A cycle dodged by importing inside a function still ties two modules together: neither can be
understood, tested or moved without the other. The graph is read from the source with `ast`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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


def _graph(tmp_path: Path, sources: dict[str, str]) -> dict[str, dict[str, int]]:
    known = set(sources)
    graph = {}
    for name, text in sources.items():
        path = tmp_path / f"{name}.py"
        path.write_text(text)
        found = imports_of(name, path, known, type_checking=True)
        graph[name] = {m: n for m, n in found.items() if m in known}
    return graph


@pytest.mark.parametrize(
    "importing",
    [
        "import importlib\nscreen = importlib.import_module('pkg.a')\n",
        "from importlib import import_module\ndef later():\n    import_module('pkg.a')\n",
        "module = __import__('pkg.a')\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import App\n",
        "import typing\nif typing.TYPE_CHECKING:\n    import pkg.a\n",
    ],
    ids=["import_module", "from-importlib", "__import__", "TYPE_CHECKING", "typing.TYPE_CHECKING"],
)
def test_a_cycle_through_a_string_or_type_checking_import_is_found(
    tmp_path: Path, importing: str
) -> None:
    graph = _graph(tmp_path, {"pkg.a": "import pkg.b\n", "pkg.b": importing})
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_a_computed_module_name_is_not_guessed(tmp_path: Path) -> None:
    graph = _graph(
        tmp_path,
        {
            "pkg.a": "import pkg.b\n",
            "pkg.b": "import importlib\nimportlib.import_module(f'pkg.{x}')\n",
        },
    )
    assert find_cycles(graph) == []


def test_type_checking_imports_count_only_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.b\n")
    assert "pkg.b" not in imports_of("pkg.a", source, {"pkg.a", "pkg.b"})
    assert "pkg.b" in imports_of("pkg.a", source, {"pkg.a", "pkg.b"}, type_checking=True)
