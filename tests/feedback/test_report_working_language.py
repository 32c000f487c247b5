"""`assembly log report` with no --lang is in the file's working language (issue 22): a Welsh
assembly's report is Welsh, an English one's reads as it always did, and --lang still wins."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main
from assembly.store import AssemblyFile, languages

from .conftest import fill_log


def _report(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["log", "report", str(path), "--today", "2026-10-18", *args])
    return result.exit_code, result.output


def test_a_welsh_assemblys_report_is_welsh(empty_file: AssemblyFile, clock) -> None:
    fill_log(empty_file, clock)
    languages.set_languages(empty_file.db(), working="cy")
    code, page = _report(empty_file.path, "--format", "html")
    assert code == 0, page
    assert '<html lang="cy" dir="ltr">' in page
    assert "Dywedoch chi:" in page and "You said:" not in page
    code, text = _report(empty_file.path)  # Markdown, the default
    assert code == 0 and "Dywedoch chi:" in text and "You said:" not in text
    code, page = _report(empty_file.path, "--format", "html", "--lang", "en-GB")
    assert code == 0 and '<html lang="en-GB" dir="ltr">' in page and "You said:" in page
    code, text = _report(empty_file.path, "--format", "csv")  # field names, in English
    assert code == 0 and text.startswith("item_id,source,")


def test_an_english_assemblys_report_reads_as_it_did(empty_file: AssemblyFile, clock) -> None:
    fill_log(empty_file, clock)
    code, page = _report(empty_file.path, "--format", "html")
    assert code == 0 and '<html lang="en-GB" dir="ltr">' in page and "You said:" in page


def test_a_working_language_without_a_catalogue_gives_english(
    empty_file: AssemblyFile, clock
) -> None:
    fill_log(empty_file, clock)
    languages.set_languages(empty_file.db(), working="fr")
    code, page = _report(empty_file.path, "--format", "html")
    assert code == 0, page
    assert '<html lang="en-GB" dir="ltr">' in page and "You said:" in page
