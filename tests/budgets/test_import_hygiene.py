"""The counting core imports nothing of the app: no textual, no sqlite, no other area.

Two checks. Statically, every import a core module makes (at the top or inside a function)
names the standard library, numpy, gmpy2, the pure `sortition` library (its hardened file
reader), the app's one money formatter (`assembly.core.money`, Babel only) or another core
module. At run time, importing a core
module adds no UI or database module on top of what `import assembly` itself loads (the package
registers every area's migrations, so sqlite-utils is already there).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import assembly.budgets

CORE = [
    "election",
    "pbfile",
    "profile",
    "ties",
    "outcome",
    "greedy",
    "mes",
    "completion",
    "explain",
    "report",
    "rules",
]
OUTSIDE = {"numpy", "gmpy2", "sortition", "babel"}  # sortition: the pure library, never the app
# The one money formatter: the explanations word amounts as every other page does. It imports
# only Babel, which test_the_money_formatter_loads_no_app holds it to.
# And the one translation mechanism (Babel and the money formatter only): the explanations are
# in the reader's working language, like every other message.
# The file reader's refusals are worded through the one lookup of the library's words
# (`assembly.core.library_words`: the translation mechanism and `sortition` only).
SHARED = {"assembly.core.money", "assembly.core.i18n", "assembly.core.library_words"}
FOLDER = Path(assembly.budgets.__file__).parent


def _imports(module: str) -> set[str]:
    tree = ast.parse((FOLDER / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import"
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_names_only_the_core(module: str) -> None:
    core = {f"assembly.budgets.{name}" for name in CORE} | {"assembly.budgets"}
    bad = sorted(
        name
        for name in _imports(module)
        if name not in core | SHARED
        and name.split(".")[0] not in OUTSIDE
        and name.split(".")[0] not in sys.stdlib_module_names
    )
    assert bad == [], f"assembly/budgets/{module}.py imports {bad}"


@pytest.mark.parametrize("module", CORE)
def test_core_module_loads_no_app(module: str) -> None:
    code = (
        "import sys; import assembly; before = set(sys.modules); "
        f"import assembly.budgets.{module}; "
        "bad = [m for m in set(sys.modules) - before "
        "if m.split('.')[0] in ('textual', 'sqlite3', 'sqlite_utils', 'click', 'jinja2')"
        " or (m.startswith('assembly.') and not m.startswith('assembly.budgets')"
        f" and m not in {sorted(SHARED)})]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_money_formatter_loads_no_app() -> None:
    code = (
        "import sys; import assembly; before = set(sys.modules); "
        "import assembly.core.money; "
        "bad = [m for m in set(sys.modules) - before "
        "if m.split('.')[0] in ('textual', 'sqlite3', 'sqlite_utils', 'click', 'jinja2')"
        " or (m.startswith('assembly.') and m != 'assembly.core.money')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
