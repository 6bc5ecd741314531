"""``--fix DIR``: upload-ready files in one template layout, and the rows that failed, per input.

A row is upload-ready when no error names it, its sheet or its file. Identifiers are written as text
cells (never numbers: Excel would round them) and every text cell is made inert.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from verval_cli import marks, schema
from verval_cli.progress import Progress, file_counter
from verval_cli.regions import desa_by_code
from verval_cli.validate.run import UNREADABLE, ValidationReport
from verval_cli.writers.excel_style import print_setup
from verval_cli.writers.names import OutputNames
from verval_cli.writers.outputs import inert_text, update_manifest, write_atomic

READY_SUFFIX = "_siap_unggah"
REJECTED_SUFFIX = "_ditolak"

STATUS_LABELS: dict[str, str] = {
    schema.FOUND: "Ditemukan",
    schema.DECEASED: "Meninggal",
    schema.MOVED: "Pindah",
    schema.NOT_FOUND: "Tidak Ditemukan",
    schema.NO_LONGER_POOR: "Sudah Mampu",
    schema.DUPLICATE: "Ganda",
    schema.NEW: "Usulan Baru",
    schema.OTHER: "Lainnya",
}
TEMPLATE = (
    "NO", "ID_KELUARGA", "NIK", "NO_KK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "ALAMAT", "RT", "RW",
    "DESA", "KODE_DESA", "STATUS_VERVAL", "KETERANGAN",
)  # fmt: skip
REJECTED = ("SHEET", "BARIS", "NIK", "NAMA", "STATUS", "KODE", "MASALAH")
_TEXT_IDS = ("ID_KELUARGA", "NIK", "NO_KK", "KODE_DESA")
_OPTIONAL = {"address": pl.Utf8(), "notes": pl.Utf8(), "desa": pl.Utf8(), "no_kk": pl.Utf8()}


def _clean(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Utf8).str.replace_all(r"\s+", " ").str.strip_chars()


def _template(rows: pl.DataFrame) -> pl.DataFrame:
    for name, dtype in _OPTIONAL.items():
        if name not in rows.columns:
            rows = rows.with_columns(pl.lit(None, dtype).alias(name))
    code = pl.coalesce(pl.col("region_code"), pl.col(schema.SOURCE_DESA_CODE))
    codes = rows.select(code.alias("c"))["c"].drop_nulls().unique().to_list()
    names = {c: d.name for c in codes if (d := desa_by_code(c)) is not None}
    return rows.select(
        pl.int_range(1, pl.len() + 1).alias("NO"),
        pl.col("household_id").alias("ID_KELUARGA"),
        pl.col("nik").alias("NIK"),
        pl.when(pl.col("no_kk_status") == schema.NIK_VALID).then(pl.col("no_kk")).alias("NO_KK"),
        _clean("name_raw").alias("NAMA"),
        pl.col("sex").alias("JENIS_KELAMIN"),
        pl.col("birth_date").dt.strftime("%d-%m-%Y").alias("TANGGAL_LAHIR"),
        _clean("address").alias("ALAMAT"),
        pl.col("rt").alias("RT"),
        pl.col("rw").alias("RW"),
        pl.coalesce(code.replace_strict(names, default=None, return_dtype=pl.Utf8), _clean("desa")).alias(
            "DESA"
        ),
        code.alias("KODE_DESA"),
        pl.col("status")
        .replace_strict(STATUS_LABELS, default=None, return_dtype=pl.Utf8)
        .alias("STATUS_VERVAL"),
        _clean("notes").alias("KETERANGAN"),
    )


def _write(path: Path, title: str, frame: pl.DataFrame, kind: str) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    marks.mark_xlsxwriter(workbook, kind)
    try:
        sheet = workbook.add_worksheet(title)
        bold = workbook.add_format({"bold": True})
        as_text = workbook.add_format({"num_format": "@"})
        for j, name in enumerate(frame.columns):
            sheet.write_string(0, j, name, bold)
            width = 20 if name in _TEXT_IDS else max(8, min(40, len(name) + 4))
            sheet.set_column(j, j, width, as_text if name in _TEXT_IDS else None)
        for i, values in enumerate(frame.iter_rows(), start=1):
            for j, value in enumerate(values):
                _cell(sheet, i, j, value, as_text)
        sheet.freeze_panes(1, 0)
        print_setup(sheet, header_row=0)
        if frame.height:
            sheet.autofilter(0, 0, frame.height, frame.width - 1)
            sheet.ignore_errors({"number_stored_as_text": f"A1:{chr(64 + frame.width)}{frame.height + 1}"})
    finally:
        workbook.close()


def _cell(sheet: Any, row: int, col: int, value: object, as_text: Any) -> None:
    if value is None:
        return
    if isinstance(value, int | float):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, inert_text(str(value)), as_text)


def _failing(report: ValidationReport, path: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(passing rows, failing rows with their error codes and messages) of one input.

    An error about a whole sheet (a required column missing) fails its rows; about a whole file
    (desa unknown), every row of the file.
    """
    rows = report.frame.filter(pl.col(schema.SOURCE_FILE) == path)
    key = [schema.SOURCE_SHEET, schema.SOURCE_ROW]
    errors = report.findings.filter((pl.col("file") == path) & (pl.col("severity") == "error")).select(
        pl.col("sheet").alias(schema.SOURCE_SHEET),
        pl.col("row").alias(schema.SOURCE_ROW),
        "code",
        "message_id",
    )
    keys = rows.select(key)
    per_row = errors.filter(pl.col(schema.SOURCE_ROW).is_not_null())
    sheet_wide = errors.filter(
        pl.col(schema.SOURCE_ROW).is_null() & pl.col(schema.SOURCE_SHEET).is_not_null()
    )
    file_wide = errors.filter(pl.col(schema.SOURCE_ROW).is_null() & pl.col(schema.SOURCE_SHEET).is_null())
    spread = pl.concat(
        [
            per_row,
            keys.join(sheet_wide.drop(schema.SOURCE_ROW), on=schema.SOURCE_SHEET).select(per_row.columns),
            keys.join(file_wide.drop(key), how="cross").select(per_row.columns),
        ]
    )
    reasons = spread.group_by(key, maintain_order=True).agg(
        pl.col("code").unique(maintain_order=True), pl.col("message_id").unique(maintain_order=True)
    )
    rows = rows.join(reasons, on=key, how="left", nulls_equal=True, maintain_order="left")
    failing = pl.col("code").is_not_null()
    return rows.filter(~failing), rows.filter(failing)


def _rejected(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.select(
        pl.col(schema.SOURCE_SHEET).alias("SHEET"),
        pl.col(schema.SOURCE_ROW).alias("BARIS"),
        pl.col("nik_raw").alias("NIK"),
        _clean("name_raw").alias("NAMA"),
        pl.col("status_raw").alias("STATUS"),
        pl.col("code").list.join("; ").alias("KODE"),
        pl.col("message_id").list.join(" ").alias("MASALAH"),
    )


def _fixed_files(report: ValidationReport, path: str, out_dir: Path, names: OutputNames) -> list[Path]:
    passing, failing = _failing(report, path)
    source = Path(path)
    target = names.target(out_dir, source, READY_SUFFIX, ".xlsx")
    ready = partial(_write, title="Siap Unggah", frame=_template(passing), kind=marks.UPLOAD_READY)
    written = [write_atomic(target, ready)]
    if failing.height:
        target = names.target(out_dir, source, REJECTED_SUFFIX, ".xlsx")
        rejected = partial(_write, title="Ditolak", frame=_rejected(failing), kind=marks.REJECTED_ROWS)
        written.append(write_atomic(target, rejected))
    return written


def write_fixed(report: ValidationReport, out_dir: Path, *, progress: Progress | None = None) -> list[Path]:
    """Per readable input with rows: ``<stem>_siap_unggah.xlsx`` and, when rows fail, ``<stem>_ditolak.xlsx``.

    A file that cannot be written is added to ``report.write_failures``; the others are still written.
    """
    names = OutputNames(report)
    written: list[Path] = []
    read = {s.path for s in report.sheets}
    todo = [s for s in report.files if s.status != UNREADABLE and s.path in read]
    tick = file_counter(progress, "fix", len(todo))
    for status in todo:
        tick()
        with report.writing(status.path, "--fix"):
            written += _fixed_files(report, status.path, out_dir, names)
    if written:
        update_manifest(out_dir, "validate --fix", written)
    return written
