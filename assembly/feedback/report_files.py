"""The "you said, we did" report as files: Markdown, printable HTML and CSV, named after the
assembly file, for the Scrutiny dashboard (written beside the file, or downloaded in a browser).
No names of who recorded what: the report is for publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlite_utils import Database

from assembly.feedback import reports
from sortition.files import write_atomic

SUFFIX = "you-said-we-did"  # a file name  # not words


def report_name(assembly_path: str | Path, extension: str) -> str:
    """`hollowfield.assembly.db` -> `hollowfield-you-said-we-did.html`."""
    stem = Path(assembly_path).name.removesuffix(".db").removesuffix(".assembly")
    return f"{stem}-{SUFFIX}.{extension}"


def report_texts(db: Database, today: date) -> dict[str, str]:
    """{extension: text} for each format, from one reading of the log."""
    report = reports.build_report(db, today)
    return {extension: render(report) for extension, render in reports.FORMATS.items()}


def write_report_files(db: Database, today: date, assembly_path: str | Path) -> list[Path]:
    """Write each format beside the assembly file, whole or not at all; returns the paths."""
    folder = Path(assembly_path).resolve().parent
    written = []
    for extension, text in report_texts(db, today).items():
        target = folder / report_name(assembly_path, extension)
        written.append(write_atomic(target, text))
    return written
