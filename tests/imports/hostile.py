"""Builders of hostile input files, made by the tests themselves (nothing is downloaded)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from click.testing import CliRunner

from assembly.cli import main

POOL_CSV = "id,name,address,postcode,gender,age\n" + "".join(
    f"p{i},Person {i},{i} High Street,HF{i % 5} 1AA,{'female' if i % 2 else 'male'},"
    f"{'16-29' if i % 3 else '30+'}\n"
    for i in range(1, 31)
)
QUOTAS_CSV = (
    "feature,value,min,max\ngender,female,4,6\ngender,male,4,6\nage,16-29,3,7\nage,30+,3,7\n"
)


def run(*args: object, input: str | None = None):
    """`assembly ARGS` in-process; the result keeps output and exit code."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def make_assembly(tmp_path: Path, *, quotas: bool = True) -> Path:
    """A closed assembly file holding a 30-person pool (and quotas for a panel of 10)."""
    path = tmp_path / "a.assembly.db"
    pool = tmp_path / "pool.csv"
    pool.write_text(POOL_CSV, encoding="utf-8")
    assert run("new", "--no-open", path).exit_code == 0
    assert run("pool", "import", path, pool).exit_code == 0
    if quotas:
        q = tmp_path / "good-quotas.csv"
        q.write_text(QUOTAS_CSV, encoding="utf-8")
        result = run("quotas", "import", path, q, "--panel-size", "10")
        assert result.exit_code == 0, result.output
    return path


def file_state(path: Path) -> bytes:
    """The assembly file's bytes and its write-ahead log's, for 'nothing changed' checks."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def workbook(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """An .xlsx holding `sheets` (name, rows), written by openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    for i, (name, rows) in enumerate(sheets):
        sheet = first if i == 0 else book.create_sheet(name)
        sheet.title = name
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patch_member(data: bytes, member: str, change) -> bytes:
    """The workbook with one zip member's bytes replaced by `change(old bytes)`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def far_cell_workbook(rows: list[list[object]]) -> bytes:
    """A small workbook with one more cell at XFD1048576, the last cell Excel allows."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return patch_member(
        workbook([("Sheet", rows)]),
        SHEET,
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"),
    )


def entity_bomb_workbook(rows: list[list[object]]) -> bytes:
    """A workbook whose sheet declares nested entities (a 'billion laughs')."""
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>".encode()

    def change(xml: bytes) -> bytes:
        body = xml[xml.index(b"<worksheet") :]
        return b'<?xml version="1.0"?>' + doctype + body.replace(b"<t>", b"<t>&l9;", 1)

    return patch_member(workbook([("Sheet", rows)]), SHEET, change)


def cut_sheet_workbook(rows: list[list[object]]) -> bytes:
    """A workbook whose sheet XML stops half way (a valid zip around broken XML)."""
    return patch_member(workbook([("Sheet", rows)]), SHEET, lambda xml: xml[: len(xml) // 2])


def rows_of(text: str) -> list[list[object]]:
    return [line.split(",") for line in text.strip().splitlines()]


def ods(sheets: list[tuple[str, str]]) -> bytes:
    """An OpenDocument spreadsheet from (sheet name, rows XML) pairs; see `ods_row`."""
    tables = "".join(f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in sheets)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
    return out.getvalue()


def ods_row(cells: list[object], repeat: int = 1, cell_repeat: int = 1) -> str:
    """One <table:table-row>: numbers as floats, text as paragraphs, None as an empty cell."""
    parts = []
    for cell in cells:
        again = f' table:number-columns-repeated="{cell_repeat}"' if cell_repeat > 1 else ""
        if cell is None:
            parts.append(f"<table:table-cell{again}/>")
        elif isinstance(cell, (int, float)):
            parts.append(
                f'<table:table-cell office:value-type="float" office:value="{cell}"{again}>'
                f"<text:p>{cell}</text:p></table:table-cell>"
            )
        else:
            parts.append(f"<table:table-cell{again}><text:p>{cell}</text:p></table:table-cell>")
    again = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{again}>{''.join(parts)}</table:table-row>"
