"""The docs' shell examples are meant to be pasted after `assembly demo`: they must name the
file it writes (issue 25 item 15: every example named hollowfield.assembly.db and failed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assembly.demo import DEFAULT_PATH

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
ASSEMBLY_FILE = re.compile(r"[\w.-]+\.assembly\.db")


def shell_lines(text: str) -> list[str]:
    """Lines of the fenced blocks that run the `assembly` command."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.M | re.S)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith(("assembly ", "python -m assembly"))
    ]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_examples_use_the_file_assembly_demo_writes(doc: Path) -> None:
    lines = shell_lines(doc.read_text())
    made = {  # a doc may start its own file with `assembly new` and use it after
        name
        for line in lines
        if line.startswith("assembly new")
        for name in ASSEMBLY_FILE.findall(line)
    }
    wrong = [
        line
        for line in lines
        for name in ASSEMBLY_FILE.findall(line)
        if name != DEFAULT_PATH.name and name not in made
    ]
    assert not wrong, f"{doc.name}: examples name another file than {DEFAULT_PATH}: {wrong[:3]}"
