"""Builders for the spreadsheet files of the io and validate tests (every file is generated in tmp_path)."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

Cells = dict[tuple[int, int], Any]  # (Excel row, 1-based column) -> value


def rows_at(first_row: int, rows: Sequence[Sequence[Any] | None], first_col: int = 1) -> Cells:
    """Cells for row lists placed from (first_row, first_col); None rows stay blank."""
    cells: Cells = {}
    for i, row in enumerate(rows):
        for j, value in enumerate(row or []):
            if value is not None:
                cells[(first_row + i, first_col + j)] = value
    return cells


def write_xlsx(
    path: Path,
    sheets: dict[str, Cells],
    *,
    merges: dict[str, list[str]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """A workbook with the given cells; ints are written as numeric cells, str as text cells."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, cells in sheets.items():
        ws = wb.create_sheet(name)
        for (row, col), value in cells.items():
            ws.cell(row=row, column=col, value=value)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def set_numeric_digits(path: Path, sheet_index: int, ref: str, digits: str) -> None:
    """Store a number with exactly these digits in a cell (writers round numbers above 2**53)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                pattern = rf'<c r="{ref}"[^>]*>.*?</c>'.encode()
                new = f'<c r="{ref}" t="n"><v>{digits}</v></c>'.encode()
                data, count = re.subn(pattern, new, data, count=1)
                assert count == 1, f"cell {ref} not found"
            dst.writestr(item, data)
    shutil.move(tmp, path)


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, Sequence[Sequence[Any] | None]]) -> Path:
    """A minimal OpenDocument spreadsheet; None rows are blank rows."""
    body = ""
    for name, rows in sheets.items():
        body += f'<table:table table:name="{name}">'
        for row in rows:
            cells = "".join(_ods_cell(v) for v in row) if row else "<table:table-cell/>"
            body += f"<table:table-row>{cells}</table:table-row>"
        body += "</table:table>"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path
