"""The core must be usable without the UI: importing it must not pull in Textual.

Screens live in `assembly/ui/` and in each area's `screens/` folder; every other module of
`assembly`, and all of `sortition`, is core. Two checks: each core module really imports without
Textual (in a fresh interpreter, one per area, each module reported on its own), and no core module names Textual or a screen
module in any import statement, even inside a function (read from the source, so an import
that only runs on some path is caught too).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import pytest

from tests.app.modgraph import imports_of, module_files

# The `assembly` command itself starts the app (inside `run_app`), so it may name the UI.
ENTRY_POINTS = {"assembly.cli", "assembly.__main__", "sortition.__main__"}
TEXTUAL = ("textual", "textual_plotext")


def is_ui(module: str) -> bool:
    parts = module.split(".")
    return parts[:2] == ["assembly", "ui"] or "screens" in parts


def core_modules() -> list[str]:
    return sorted(m for m in module_files() if not is_ui(m) and m not in ENTRY_POINTS)


def _area(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[0] == "assembly" else parts[0]


AREAS = sorted({_area(m) for m in core_modules()})


def test_every_area_has_core_modules_to_check() -> None:
    for area in ("sortition", "assembly.store", "assembly.core", "assembly.organiser"):
        assert area in AREAS
    for area in ("assembly.agenda", "assembly.sessions", "assembly.tables", "assembly.feedback"):
        assert area in AREAS
    assert "assembly.organiser.quotas" in core_modules()
    assert "assembly.organiser.screens.quotas" not in core_modules()


def _check_in_fresh_interpreter(modules: list[str]) -> dict[str, str]:
    """Import `modules` one after another in a new Python; say for each what happened."""
    code = (
        "import sys, importlib, json\n"
        "report, loaded = {}, False\n"
        f"for module in {modules!r}:\n"
        "    if loaded:\n"
        "        report[module] = 'unchecked'\n"
        "        continue\n"
        "    try:\n"
        "        importlib.import_module(module)\n"
        "    except Exception as error:\n"
        "        report[module] = f'fails to import: {error!r}'\n"
        "        continue\n"
        "    bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "    report[module] = f'imports Textual: {bad[:3]}' if bad else 'ok'\n"
        "    loaded = bool(bad)\n"
        "print(json.dumps(report))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@functools.cache
def _area_report(area: str) -> dict[str, str]:
    """One fresh interpreter per area (not per module) keeps the check cheap."""
    return _check_in_fresh_interpreter([m for m in core_modules() if _area(m) == area])


@pytest.mark.parametrize("module", core_modules())
def test_core_imports_without_textual(module: str) -> None:
    outcome = _area_report(_area(module))[module]
    if outcome == "unchecked":  # an earlier module of its area loaded Textual: check it alone
        outcome = _check_in_fresh_interpreter([module])[module]
    assert outcome == "ok", f"{module} {outcome}"


def test_no_core_module_names_textual_or_a_screen() -> None:
    files = module_files()
    offences = []
    for module in core_modules():
        for target, line in imports_of(module, files[module], files).items():
            top = target.split(".")[0]
            if top in TEXTUAL or (target in files and is_ui(target)):
                offences.append(
                    f"{files[module].relative_to(files['assembly'].parents[1])}:{line} imports {target}"
                )
    assert not offences, "core modules must not import the UI:\n" + "\n".join(offences)


def test_the_textual_check_sees_an_import_inside_a_function(tmp_path) -> None:
    source = tmp_path / "probe.py"
    source.write_text("def show():\n    from textual.app import App\n    return App\n")
    assert "textual.app" in imports_of("probe", source, {})
