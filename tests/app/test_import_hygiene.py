"""The core must be usable without the UI: importing it must not pull in Textual."""

import subprocess
import sys

import pytest

CORE_MODULES = [
    "sortition",
    "sortition.model",
    "assembly.store",
    "assembly.store.migrations",
    "assembly.domain.clock",
    "assembly.domain.overview",
    "assembly.demo",
]


def _domain_modules() -> list[str]:
    import pkgutil

    import assembly.domain

    return [f"assembly.domain.{m.name}" for m in pkgutil.iter_modules(assembly.domain.__path__)]


@pytest.mark.parametrize("module", CORE_MODULES + _domain_modules())
def test_core_imports_without_textual(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports Textual: {result.stdout}{result.stderr}"
