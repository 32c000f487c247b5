"""Every `assembly` example in the README and docs/ runs, in order, on a copy of the example.

Issue 25 ("docs that are tested"): pasted after `assembly demo`, in the checkout's folder (the
sample input files are in docs/examples/), each line must work. A line may say what it expects
instead with a trailing `# exit N`; `> FILE` keeps its output as the shell would. In `console` blocks a `$ assembly ...` line is followed by
the output it quotes; every quoted line must be in what the command really prints.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from assembly.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
NOT_RUN = {"open", "demo", "serve", "room"}
"""They start the app or a server and wait for a person: the other tests drive those."""
FENCE = re.compile(r"^```([a-z]*)\n(.*?)^```", re.M | re.S)
EXIT = re.compile(r"#\s*exit (\d)\b")


@dataclass(frozen=True)
class Example:
    command: str
    exit_code: int
    quoted: tuple[str, ...]


def examples(text: str) -> list[Example]:
    """The doc's `assembly` command lines in order, with the exit code and output they claim."""
    found: list[Example] = []
    for language, block in FENCE.findall(text):
        lines = block.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            console = language == "console" and line.startswith("$ ")
            body = line[2:] if console else line.strip()
            if not body.startswith("assembly "):
                continue
            quoted: list[str] = []
            if console:
                for after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    if after.strip():
                        quoted.append(" ".join(after.split()))
            code = EXIT.search(body)
            command = body.split(" #")[0].strip()
            found.append(Example(command, int(code.group(1)) if code else 0, tuple(quoted)))
    return found


def _documented(doc: Path) -> list[Example]:
    return [e for e in examples(doc.read_text()) if shlex.split(e.command)[1] not in NOT_RUN]


@pytest.mark.parametrize("doc", [d for d in DOCS if _documented(d)], ids=lambda p: p.name)
def test_every_example_in_the_docs_runs(doc: Path, demo_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(demo_path.parent)
    shutil.copytree(ROOT / "docs" / "examples", demo_path.parent / "docs" / "examples")
    runner = CliRunner()
    for example in _documented(doc):
        command, _, into = example.command.partition(" > ")
        result = runner.invoke(main, shlex.split(command)[1:])
        said = result.output
        if into:  # `> file`, as the shell would
            Path(into.strip()).write_text(said)
        where = f"{doc.name}: `{example.command}`"
        assert result.exit_code == example.exit_code, f"{where} exited {result.exit_code}: {said}"
        assert "Traceback" not in said, where
        printed = " ".join(said.split())
        for line in example.quoted:
            assert line in printed, f"{where} no longer prints {line!r}; it printed:\n{said}"


def test_the_reader_finds_commands_exit_codes_and_quoted_output() -> None:
    text = (
        "```\nassembly a x   # exit 1 when not\nother\n```\n"
        "```console\n$ assembly b \\\n  --y\n  one   two\n$ ls\n```\n"
    )
    assert examples(text) == [
        Example("assembly a x", 1, ()),
        Example("assembly b    --y", 0, ("one two",)),
    ]
