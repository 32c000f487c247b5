"""The counting core imports nothing of the app: no textual, no sqlite, no other area.

Importing any `assembly` module first runs `assembly/__init__.py`, which registers every area's
migrations (and so loads sqlite-utils and the schemas); what counts is what the core module
adds on top of that.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

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


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_app(module: str) -> None:
    code = (
        "import sys; import assembly; before = set(sys.modules); "
        f"import assembly.budgets.{module}; "
        "assert 'assembly.budgets.rules' not in before; "
        "bad = [m for m in set(sys.modules) - before "
        "if m.split('.')[0] in ('textual', 'sqlite3', 'sqlite_utils')"
        " or (m.startswith('assembly.') and not m.startswith('assembly.budgets'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
