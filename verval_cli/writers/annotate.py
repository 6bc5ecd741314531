"""``--annotate DIR``: a checked copy of each input with offending cells highlighted and explained.

xlsx / xlsm inputs are opened with openpyxl so the operator's own layout (widths, merges, colours,
formulas) survives; other formats are rebuilt as xlsx from the cells as read, each at its own row
and column, so row numbers in the comments match what the operator sees. The input is only read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from verval_cli import marks, schema
from verval_cli.io import excel, sniff, text
from verval_cli.io.grid import ROW, RawSheet, col_index, data_columns
from verval_cli.progress import Progress, file_counter
from verval_cli.validate.run import UNREADABLE, ValidationReport
from verval_cli.writers.names import OutputNames
from verval_cli.writers.outputs import inert_text, update_manifest, write_atomic

SUMMARY_SHEET = "Ringkasan Masalah"
LINK_FONT = Font(color="0563C1", underline="single")
TEXT_SHEET = "Data"  # sheet name of a CSV / Parquet input's copy
SUFFIX = "_diperiksa"
ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
WARNING_FILL = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
SEVERITY_LABEL = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}
SUMMARY_COLUMNS = (
    ("Sheet", 18),
    ("Baris", 7),
    ("Kolom", 7),
    ("Judul Kolom", 18),
    ("Kode", 26),
    ("Tingkat", 11),
    ("Masalah", 60),
    ("Nilai", 22),
    ("Keterangan", 40),
)
_AUTHOR = "verval"


def _open_xlsx(path: Path, keep_vba: bool) -> Workbook:
    # openpyxl warns about every extension it cannot keep (data validation, slicers); the copy is
    # still faithful for what a village operator uses.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()), keep_vba=keep_vba)


def _raw_sheets(path: Path, fmt: str) -> list[RawSheet]:
    if fmt == sniff.CSV:
        return [text.read_text(path)]
    if fmt == sniff.HTML:
        return [text.read_html(path)]
    if fmt == sniff.PARQUET:
        return [text.read_parquet(path)]
    reader = excel.open_workbook(path, fmt)
    return [excel.read_sheet(reader, path, name, fmt) for name in reader.sheet_names]


def _rebuilt(path: Path, fmt: str) -> Workbook:
    """An xlsx holding every cell of every sheet as read, at its own row and column, as text."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for raw in _raw_sheets(path, fmt):
        ws = wb.create_sheet((raw.name or TEXT_SHEET)[:31])
        columns = data_columns(raw.grid)
        indices = [col_index(c) + 1 for c in columns]
        for values in raw.grid.select(ROW, *columns).iter_rows():
            row = values[0]
            for index, value in zip(indices, values[1:], strict=True):
                if value is not None:
                    cell = ws.cell(row=row, column=index, value=value)
                    cell.data_type = "s"  # a typed string cell is never evaluated, and shows the text as read
    return wb


def _comment_text(findings: Iterable[dict[str, Any]]) -> str:
    lines = []
    for f in findings:
        line = f"• {f['message_id']}"
        if f["detail"]:
            line += f" ({f['detail']})"
        lines.append(line)
    return "\n".join(lines)


def _mark_cells(ws: Worksheet, cells: pl.DataFrame) -> None:
    for (row, column), group in cells.group_by("row", "column", maintain_order=True):
        cell = ws[f"{column}{row}"]
        if isinstance(cell, MergedCell):
            continue  # only the top-left cell of a merge can hold a style or a comment
        records = group.to_dicts()
        cell.fill = ERROR_FILL if any(r["severity"] == "error" for r in records) else WARNING_FILL
        note = _comment_text(records)
        if cell.comment is not None:  # keep the operator's own note
            note = f"{cell.comment.text}\n\n{note}"
        comment = Comment(note, _AUTHOR)
        comment.width, comment.height = 320, 40 + 50 * len(records)
        cell.comment = comment


def _summary(wb: Workbook, findings: pl.DataFrame) -> None:
    if SUMMARY_SHEET in wb.sheetnames:
        del wb[SUMMARY_SHEET]
    first = wb.worksheets[0].title if wb.worksheets else None
    ws = wb.create_sheet(SUMMARY_SHEET)
    bold = Font(bold=True)
    for j, (title, width) in enumerate(SUMMARY_COLUMNS, start=1):
        ws.cell(row=1, column=j, value=title).font = bold
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    if findings.height == 0:
        ws.cell(row=2, column=1, value="Tidak ada masalah ditemukan.")
    for i, f in enumerate(findings.iter_rows(named=True), start=2):
        values = (
            f["sheet"] or "",
            f["row"],
            f["column"] or "",
            f["header"] or "",
            f["code"],
            SEVERITY_LABEL.get(f["severity"], f["severity"]),
            f["message_id"],
            _as_date(f["value"] or ""),
            f["detail"] or "",
        )
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=inert_text(value) if isinstance(value, str) else value)
            if isinstance(value, dt.date):
                cell.number_format = "DD-MM-YYYY"
        if f["row"] is not None and f["column"]:
            at = ws.cell(row=i, column=2)
            at.fill = ERROR_FILL if f["severity"] == "error" else WARNING_FILL
            # a click on the row number goes to the cell in question (a CSV's copy has one data sheet)
            target = f["sheet"] if f["sheet"] in wb.sheetnames else first
            if target is not None:
                quoted = target.replace("'", "''")
                at.hyperlink = Hyperlink(ref=at.coordinate, location=f"'{quoted}'!{f['column']}{f['row']}")
                at.font = LINK_FONT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{max(findings.height + 1, 2)}"
    _print_setup(ws, 1)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = wb.worksheets.index(ws)


IdColumns = Mapping[str | None, tuple[int, list[str]]]
_ID_FIELDS = (schema.NIK, schema.NO_KK, schema.NIK_CORRECTED)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def id_columns(report: ValidationReport, path: str) -> dict[str | None, tuple[int, list[str]]]:
    """Per sheet of ``path``: its header row and the letters of its NIK and No KK columns."""
    out: dict[str | None, tuple[int, list[str]]] = {}
    for s in report.sheets:
        if s.path == path and s.header_row is not None:
            letters = sorted({s.columns[f] for f in _ID_FIELDS if f in s.columns})
            if letters:
                out[s.sheet] = (s.header_row, letters)
    return out


def _ids_as_text(ws: Worksheet, header_row: int, letters: list[str]) -> None:
    """NIK and No KK columns formatted Text (@): what the village retypes there stays 16 digits."""
    for letter in letters:
        ws.column_dimensions[letter].number_format = "@"
        for r in range(header_row + 1, max(ws.max_row, header_row) + 1):
            cell = ws[f"{letter}{r}"]
            if not isinstance(cell, MergedCell):
                cell.number_format = "@"


def _print_setup(ws: Worksheet, header_row: int | None) -> None:
    """Landscape, one page wide, header repeated — unless the operator set up printing already."""
    if ws.page_setup.orientation is not None:
        return
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _as_date(value: Any) -> Any:
    """``1955-04-05 00:00:00`` (a date cell read as text) as a date; anything else unchanged."""
    if isinstance(value, str) and (m := _ISO_DATE.match(value)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return value
    return value


def annotate_file(
    path: Path,
    findings: pl.DataFrame,
    target_dir: Path,
    names: OutputNames,
    *,
    ids: IdColumns | None = None,
) -> Path:
    """Write the annotated copy of one input; returns its path.

    ``ids`` (from :func:`id_columns`) names the NIK / No KK columns to format as text.
    """
    fmt = sniff.sniff_format(path)
    keep_vba = fmt == sniff.XLSX and path.suffix.lower() == ".xlsm"
    wb = _open_xlsx(path, keep_vba) if fmt == sniff.XLSX else _rebuilt(path, fmt)
    on_cells = findings.filter(pl.col("row").is_not_null() & pl.col("column").is_not_null())
    for (sheet,), part in on_cells.group_by("sheet", maintain_order=True):
        name = sheet if sheet is not None else TEXT_SHEET
        if name in wb.sheetnames:
            _mark_cells(wb[name], part)
    headers: dict[str, int] = {}
    for sheet, (header_row, letters) in (ids or {}).items():
        name = (sheet if sheet is not None else TEXT_SHEET)[:31]
        if name in wb.sheetnames:
            _ids_as_text(wb[name], header_row, letters)
            headers[name] = header_row
    for ws in wb.worksheets:
        _print_setup(ws, headers.get(ws.title))
    _summary(wb, findings)
    target = names.target(target_dir, path, SUFFIX, ".xlsm" if keep_vba else ".xlsx")

    def save(tmp: Path) -> None:
        marks.mark_openpyxl(wb, marks.ANNOTATED)
        wb.save(tmp)

    return write_atomic(target, save)


def annotate(report: ValidationReport, out_dir: Path, *, progress: Progress | None = None) -> list[Path]:
    """An annotated copy of every readable input under ``out_dir`` (never over an input).

    A copy that cannot be written is added to ``report.write_failures``; the others are still written.
    """
    names = OutputNames(report)
    readable = [status for status in report.files if status.status != UNREADABLE]
    tick = file_counter(progress, "annotate", len(readable))
    written = []
    for status in readable:
        findings = report.findings.filter(pl.col("file") == status.path)
        ids = id_columns(report, status.path)
        with report.writing(status.path, "--annotate"):
            written.append(annotate_file(Path(status.path), findings, out_dir, names, ids=ids))
        tick()
    if written:
        update_manifest(out_dir, "validate --annotate", written)
    return written
