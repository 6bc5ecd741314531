"""Labels, cell formats and the table writer behind ``laporan_verval.xlsx`` (see ``excel_report``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import polars as pl
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from verval_cli.writers.excel_frames import (
    ROW,
    FrameWorksheet,
    Values,
    cell_xml,
    date_serial,
    number_text,
)
from verval_cli.writers.outputs import mask_id_expr

# --- labels: one dict per language ------------------------------------------------------------------------
LABELS_ID: Final[dict[str, str]] = {
    "sheet_summary": "Ringkasan",
    "sheet_discrepancies": "Perbedaan",
    "sheet_review": "Perlu Diperiksa",
    "sheet_unreported": "Tidak Dilaporkan",
    "sheet_new": "Usulan Baru",
    "sheet_invalid": "Baris Tidak Valid",
    "title": "Laporan Verval Data Kemiskinan Ekstrem",
    "date": "Tanggal",
    "regency_unknown": "(kabupaten tidak diketahui)",
    "unknown": "(tidak diketahui)",
    "yes": "ya",
    "no": "tidak",
    "total": "JUMLAH",
    "balance": "Neraca baris",
    "balanced": "Semua baris tercatat",
    "submission_rows_loaded": "Baris desa dibaca",
    "submission_rows_in_matches": "Baris desa dalam hasil",
    "rows_rejected": "Baris ditolak (tata letak)",
    "province_households": "Keluarga dalam daftar provinsi",
    "province_households_linked": "Keluarga dilaporkan desa",
    "province_households_not_reported": "Keluarga tidak dilaporkan",
    "files_failed": "File gagal dibaca",
    "failed_files": "File yang gagal dibaca",
    "reason": "Alasan",
    "none": "tidak ada",
    "per_kecamatan": "Per kecamatan",
    "per_desa": "Per desa (desa yang tidak mengirim di atas)",
    "chart_title": "Progres verval per kecamatan",
    "kecamatan": "Kecamatan",
    "kecamatan_code": "Kode kecamatan",
    "desa": "Desa",
    "desa_code": "Kode desa",
    "listed": "Terdaftar",
    "submitted": "Dilaporkan",
    "matched": "Cocok",
    "review": "Perlu diperiksa",
    "not_reported": "Tidak dilaporkan",
    "new": "Usulan baru",
    "not_on_list": "Tidak dalam daftar",
    "progress": "% progres",
    "silent": "Tidak mengirim",
    "silent_villages": "Desa tidak mengirim",
    "files_without_status": "File tanpa kolom status hasil verval",
    "proposal": "File usulan",
    "rows": "Baris",
    "file": "File",
    "sheet": "Sheet",
    "row": "Baris",
    "province_id": "ID keluarga provinsi",
    "province_row": "Baris provinsi",
    "field": "Kolom",
    "submitted_value": "Nilai dari desa",
    "list_value": "Nilai daftar provinsi",
    "suggested_value": "Nilai yang disarankan",
    "code": "Kode",
    "severity": "Tingkat",
    "message": "Keterangan",
    "s_nik": "NIK (desa)",
    "s_name": "Nama (desa)",
    "s_birth_date": "Tgl lahir (desa)",
    "s_rt_rw": "RT/RW (desa)",
    "s_status": "Status (desa)",
    "p_nik": "NIK (provinsi)",
    "p_name": "Nama (provinsi)",
    "p_birth_date": "Tgl lahir (provinsi)",
    "score": "Skor",
    "evidence": "Bukti kecocokan",
    "why": "Alasan",
    "nik": "NIK",
    "no_kk": "No KK",
    "name": "Nama",
    "birth_date": "Tanggal lahir",
    "address": "Alamat",
    "rt_rw": "RT/RW",
    "status": "Status verval",
    "marked_new": "Ditandai usulan baru",
    "kind": "Jenis",
    "value": "Isi",
    "rejected": "baris ditolak",
    "sev_error": "kesalahan",
    "sev_warning": "peringatan",
    "sev_info": "info",
    "field_nik": "NIK",
    "field_no_kk": "No KK",
    "field_name": "Nama",
    "field_birth_date": "Tanggal lahir",
    "field_sex": "Jenis kelamin",
    "field_desa": "Desa",
    "field_household_id": "ID keluarga",
    "field_status": "Status verval",
}

LABELS_EN: Final[dict[str, str]] = {
    "sheet_summary": "Summary",
    "sheet_discrepancies": "Discrepancies",
    "sheet_review": "Needs Review",
    "sheet_unreported": "Not Reported",
    "sheet_new": "New Proposals",
    "sheet_invalid": "Invalid Rows",
    "title": "Extreme Poverty Verval Report",
    "date": "Date",
    "regency_unknown": "(regency unknown)",
    "unknown": "(unknown)",
    "yes": "yes",
    "no": "no",
    "total": "TOTAL",
    "balance": "Row balance",
    "balanced": "Every row accounted for",
    "submission_rows_loaded": "Village rows read",
    "submission_rows_in_matches": "Village rows in results",
    "rows_rejected": "Rows rejected (layout)",
    "province_households": "Households on the province list",
    "province_households_linked": "Households reported by villages",
    "province_households_not_reported": "Households not reported",
    "files_failed": "Files that could not be read",
    "failed_files": "Files that could not be read",
    "reason": "Reason",
    "none": "none",
    "per_kecamatan": "Per kecamatan",
    "per_desa": "Per village (silent villages first)",
    "chart_title": "Verval progress per kecamatan",
    "kecamatan": "Kecamatan",
    "kecamatan_code": "Kecamatan code",
    "desa": "Village",
    "desa_code": "Village code",
    "listed": "Listed",
    "submitted": "Reported",
    "matched": "Matched",
    "review": "Needs review",
    "not_reported": "Not reported",
    "new": "New proposals",
    "not_on_list": "Not on list",
    "progress": "% progress",
    "silent": "Sent nothing",
    "silent_villages": "Silent villages",
    "files_without_status": "Files without a verval status column",
    "proposal": "Proposal file",
    "rows": "Rows",
    "file": "File",
    "sheet": "Sheet",
    "row": "Row",
    "province_id": "Province household ID",
    "province_row": "Province row",
    "field": "Field",
    "submitted_value": "Submitted value",
    "list_value": "List value",
    "suggested_value": "Suggested value",
    "code": "Code",
    "severity": "Severity",
    "message": "Message",
    "s_nik": "NIK (village)",
    "s_name": "Name (village)",
    "s_birth_date": "Birth date (village)",
    "s_rt_rw": "RT/RW (village)",
    "s_status": "Status (village)",
    "p_nik": "NIK (province)",
    "p_name": "Name (province)",
    "p_birth_date": "Birth date (province)",
    "score": "Score",
    "evidence": "Match evidence",
    "why": "Why",
    "nik": "NIK",
    "no_kk": "No KK",
    "name": "Name",
    "birth_date": "Birth date",
    "address": "Address",
    "rt_rw": "RT/RW",
    "status": "Verval status",
    "marked_new": "Marked as new",
    "kind": "Kind",
    "value": "Content",
    "rejected": "rejected row",
    "sev_error": "error",
    "sev_warning": "warning",
    "sev_info": "info",
    "field_nik": "NIK",
    "field_no_kk": "No KK",
    "field_name": "Name",
    "field_birth_date": "Birth date",
    "field_sex": "Sex",
    "field_desa": "Village",
    "field_household_id": "Household ID",
    "field_status": "Verval status",
}

# The "Perubahan" sheet (issue 21): what changed since the previous run in the same --out.
LABELS_ID.update(
    {
        "sheet_changes": "Perubahan",
        "change": "Perubahan",
        "before": "Sebelumnya",
        "after": "Sekarang",
        "change_village_reported": "desa baru melapor",
        "change_file_resent": "file dikirim ulang",
        "change_file_new": "file baru",
        "change_file_gone": "file tidak ada lagi",
        "change_newly_matched": "keluarga baru cocok",
        "change_no_longer_matched": "keluarga tidak lagi cocok",
        "change_link_changed": "hasil pencocokan berganti",
        "change_status_changed": "status berubah",
        "change_finding_fixed": "temuan diperbaiki",
        "change_finding_new": "temuan baru",
        "change_finding_file_gone": "temuan dari file yang tidak ada lagi",
    }
)
LABELS_EN.update(
    {
        "sheet_changes": "Changes",
        "change": "Change",
        "before": "Before",
        "after": "Now",
        "change_village_reported": "village reported",
        "change_file_resent": "file resent",
        "change_file_new": "new file",
        "change_file_gone": "file gone",
        "change_newly_matched": "household newly matched",
        "change_no_longer_matched": "household no longer matched",
        "change_link_changed": "link changed",
        "change_status_changed": "status changed",
        "change_finding_fixed": "finding fixed",
        "change_finding_new": "new finding",
        "change_finding_file_gone": "finding of a file gone",
    }
)
LABELS: Final[dict[str, dict[str, str]]] = {"id": LABELS_ID, "en": LABELS_EN}

# Why a row was set aside as layout (``rejected.parquet`` holds the English reason), per language.
LAYOUT_REASONS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "repeated header row": "baris judul kolom berulang",
        "column-number row": "baris nomor kolom",
        "totals row": "baris jumlah",
        "signature block": "blok tanda tangan",
        "section title": "judul bagian",
        "no household data (no name, NIK, No KK or household id)": (
            "tidak ada data keluarga (tanpa nama, NIK, No KK atau ID keluarga)"
        ),
    },
    "en": {},
}

# --- formats ----------------------------------------------------------------------------------------------
_BASE: Final[dict[str, Any]] = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
_RED: Final = "#F8CBAD"
_AMBER: Final = "#FFE699"
_GREEN: Final = "#C6E0B4"
_BLUE: Final = "#DDEBF7"
FORMAT_SPECS: Final[dict[str, dict[str, Any]]] = {
    "text": {},
    "id": {"num_format": "@"},
    "int": {"num_format": "0"},
    "num": {"num_format": "0.00"},
    "pct": {"num_format": "0.0%"},
    "date": {"num_format": "dd-mm-yyyy"},
    "problem": {"bg_color": _RED},
    "problem_id": {"bg_color": _RED, "num_format": "@"},
    "problem_date": {"bg_color": _RED, "num_format": "dd-mm-yyyy"},
    "sev_error": {"bg_color": "#FF9999", "bold": True},
    "sev_warning": {"bg_color": _AMBER},
    "sev_info": {"bg_color": _BLUE},
    "flag": {"bg_color": _AMBER, "bold": True},
    "header": {"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "text_wrap": True, "border": 1},
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 11},
    "label": {"bold": True},
    "ok": {"bg_color": _GREEN, "bold": True},
    "silent_text": {"bg_color": _AMBER},
    "silent_id": {"bg_color": _AMBER, "num_format": "@"},
    "silent_int": {"bg_color": _AMBER, "num_format": "0"},
    "silent_pct": {"bg_color": _AMBER, "num_format": "0.0%"},
    "total_text": {"bold": True, "top": 1},
    "total_int": {"bold": True, "top": 1, "num_format": "0"},
    "total_pct": {"bold": True, "top": 1, "num_format": "0.0%"},
}
# Cell text that Excel would run as a formula if someone re-entered it; written with a quote prefix.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
INERT: Final = "_inert"
_FORMULA_PATTERN: Final = r"^[=+\-@\t\r]"

Formats = dict[str, Format]


def make_formats(workbook: Workbook) -> Formats:
    """Every format the report uses, created once (plus a quote-prefixed twin of each)."""
    formats: Formats = {}
    for name, spec in FORMAT_SPECS.items():
        formats[name] = workbook.add_format({**_BASE, **spec})
        formats[name + INERT] = workbook.add_format({**_BASE, **spec, "quote_prefix": True})
    return formats


# --- tables -----------------------------------------------------------------------------------------------
Kind = Literal["text", "id", "int", "num", "pct", "date"]
_WIDTH_CAP: Final = 50
_FIXED_WIDTH: Final[dict[str, int]] = {"id": 19, "int": 8, "num": 7, "pct": 9, "date": 11}


@dataclass(frozen=True)
class Col:
    """One report column: frame column ``key``, header label ``label``, cell ``kind``.

    ``fmt`` names the column's format (default: the kind's); ``style_by`` names a frame column holding,
    per row, a format name overriding it (null keeps the column format).
    """

    key: str
    label: str
    kind: Kind = "text"
    fmt: str | None = None
    style_by: str | None = None


def _width(frame: pl.DataFrame, col: Col, header: str) -> int:
    longest = len(header) + 2
    if col.kind in ("text", "id") and frame.height:
        observed = frame.select(pl.col(col.key).cast(pl.Utf8).str.len_chars().max()).item()
        longest = max(longest, int(observed or 0) + 2, _FIXED_WIDTH.get(col.kind, 0))
    else:
        longest = max(longest, _FIXED_WIDTH.get(col.kind, 10))
    return min(longest, _WIDTH_CAP)


def _cell_writer(ws: Worksheet, kind: str) -> Any:
    """``ws.write_<kind>`` without its A1-notation argument parsing, which verval never uses.

    xlsxwriter's public cell writers only add that parsing (a decorator) before calling the private
    ``_write_<kind>``; skipping it saves about a tenth of the report's time on a million cells. Should a
    release rename the private method, the public one is used.
    """
    public = getattr(ws, f"write_{kind}")
    direct = getattr(ws, f"_write_{kind}", None)
    return direct if callable(direct) else public


def _write_column(
    ws: Worksheet, c: int, values: pl.Series, col: Col, formats: Formats, styles: list[Any] | None
) -> None:
    fmt_name = col.fmt or col.kind
    fmt = formats[fmt_name]
    inert = formats[fmt_name + INERT]
    if col.kind in ("text", "id"):
        write = _cell_writer(ws, "string")
    elif col.kind == "date":
        write = _cell_writer(ws, "datetime")
    else:
        write = _cell_writer(ws, "number")
    write_blank = _cell_writer(ws, "blank")
    # Only columns holding formula-like text pay for the per-cell check.
    check_formula = col.kind in ("text", "id") and bool(values.str.contains(_FORMULA_PATTERN).any())
    if styles is None:
        for r, value in enumerate(values.to_list(), start=1):
            if value is not None:
                write(r, c, value, inert if check_formula and value.startswith(FORMULA_START) else fmt)
        return
    for r, (value, style) in enumerate(zip(values.to_list(), styles, strict=True), start=1):
        name = fmt_name if style is None else style
        if value is None:
            if style is not None:
                write_blank(r, c, None, formats[name])
        elif check_formula and value.startswith(FORMULA_START):
            write(r, c, value, formats[name + INERT])
        else:
            write(r, c, value, formats[name])


def _xf(formats: Formats, name: str) -> str:
    """The style number of a format, as cell XML writes it (claimed now: numbering starts at 1)."""
    return str(formats[name]._get_xf_index())


def _frame_cell(ws: FrameWorksheet, c: int, chunk: pl.DataFrame, col: Col, formats: Formats) -> pl.Expr:
    """The ``<c>`` XML of one report column: what ``_write_column`` writes, as a polars expression."""
    values = chunk[col.key]
    fmt_name = col.fmt or col.kind
    if col.kind in ("text", "id"):
        cells = ws.text_values(values)
        formula = pl.col(col.key).str.contains(_FORMULA_PATTERN).fill_null(False)
        check_formula = bool(values.str.contains(_FORMULA_PATTERN).any())
    else:
        cells = Values(number=date_serial(col.key) if col.kind == "date" else number_text(values))
        formula, check_formula = pl.lit(False), False
    names = {fmt_name}
    if col.style_by is not None:
        names |= {n for n in chunk[col.style_by].unique().to_list() if n is not None}
    xf = {name + twin: _xf(formats, name + twin) for name in sorted(names) for twin in ("", INERT)}
    name = pl.lit(fmt_name) if col.style_by is None else pl.col(col.style_by).fill_null(fmt_name)
    if check_formula:
        name = pl.when(formula).then(name + pl.lit(INERT)).otherwise(name)
    style = name.replace_strict(xf, return_dtype=pl.Utf8)
    # A cell without a value is written only when its row style asks for one (a highlighted blank).
    present = pl.col(col.key).is_not_null()
    if col.style_by is not None:
        present = present | pl.col(col.style_by).is_not_null()
    return pl.when(present).then(cell_xml(c, cells, style))


def _write_frame(ws: FrameWorksheet, chunk: pl.DataFrame, columns: list[Col], formats: Formats) -> None:
    """The data rows of one sheet, rendered by polars when the workbook is written."""
    cells = [_frame_cell(ws, c, chunk, col, formats) for c, col in enumerate(columns)]
    used = sorted({c.key for c in columns} | {c.style_by for c in columns if c.style_by})
    frame = chunk.select(used).with_row_index(ROW, offset=2)  # Excel row 2 is the first data row
    ws.write_frame(frame, cells, last_col=len(columns) - 1)


def sheet_names(base: str, n_rows: int, max_rows: int) -> list[str]:
    """``base``, then ``base (2)``, ``base (3)``... so that no sheet exceeds ``max_rows`` data rows."""
    parts = max(1, -(-n_rows // max_rows))
    return [base if i == 0 else f"{base} ({i + 1})" for i in range(parts)]


def write_table(
    workbook: Workbook,
    formats: Formats,
    base_name: str,
    frame: pl.DataFrame,
    columns: list[Col],
    *,
    max_rows: int,
    empty_text: str | None = None,
) -> list[str]:
    """Write ``frame`` as header + rows on one or more sheets; returns the sheet names used.

    A sheet with no rows says ``empty_text`` ("tidak ada") under its header rather than staying blank.
    """
    frame = frame.with_columns(
        [pl.col(c.key).cast(pl.Utf8) for c in columns if c.kind in ("text", "id")]
        + [pl.col(c.key).cast(pl.Date) for c in columns if c.kind == "date"]
    )
    headers = [c.label for c in columns]
    widths = [_width(frame, c, h) for c, h in zip(columns, headers, strict=True)]
    names = sheet_names(base_name, frame.height, max_rows)
    for part, name in enumerate(names):
        chunk = frame.slice(part * max_rows, max_rows)
        ws = workbook.add_worksheet(name)
        for c, (col, width) in enumerate(zip(columns, widths, strict=True)):
            ws.set_column(c, c, width, formats["id"] if col.kind == "id" else None)
        ws.set_row(0, 30)
        ws.write_row(0, 0, headers, formats["header"])
        if isinstance(ws, FrameWorksheet):
            _write_frame(ws, chunk, columns, formats)
        else:
            for c, col in enumerate(columns):
                styles = None if col.style_by is None else chunk[col.style_by].to_list()
                _write_column(ws, c, chunk[col.key], col, formats, styles)
        if chunk.height == 0 and empty_text:
            ws.write_string(1, 0, empty_text, formats["label"])
        ws.freeze_panes(1, 0)
        print_setup(ws, header_row=0)
        ws.autofilter(0, 0, max(chunk.height, 1), len(columns) - 1)
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
    return names


def print_setup(ws: Worksheet, *, header_row: int | None = 0) -> None:
    """Print as people do: A4 landscape, fitted to one page wide, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&A&R&P / &N")  # sheet name left, page x / y right
    if header_row is not None:
        ws.repeat_rows(header_row)


# --- display columns -------------------------------------------------------------------------------------
def text_of(frame: pl.DataFrame, *candidates: str) -> pl.Expr:
    """The first non-null of the ``candidates`` present in ``frame``, as text (null if none is present)."""
    present = [pl.col(c).cast(pl.Utf8) for c in candidates if c in frame.columns]
    if not present:
        return pl.lit(None, dtype=pl.Utf8)
    return pl.coalesce(present) if len(present) > 1 else present[0]


def date_of(frame: pl.DataFrame, column: str) -> pl.Expr:
    """``column`` as a Date (ISO text parsed), or null dates when absent."""
    if column not in frame.columns:
        return pl.lit(None, dtype=pl.Date)
    dtype = frame.schema[column]
    if dtype == pl.Utf8:
        return pl.col(column).str.to_date("%Y-%m-%d", strict=False)
    if dtype.is_temporal():
        return pl.col(column).cast(pl.Date)
    return pl.lit(None, dtype=pl.Date)


def rt_rw_of(frame: pl.DataFrame) -> pl.Expr:
    """``003/005`` from the rt and rw columns; null when both are missing."""

    def part(name: str) -> pl.Expr:
        return text_of(frame, name, f"{name}_raw").str.zfill(3)

    both_null = part("rt").is_null() & part("rw").is_null()
    joined = pl.concat_str(part("rt").fill_null("-"), part("rw").fill_null("-"), separator="/")
    return pl.when(both_null).then(None).otherwise(joined)


def side_frame(frame: pl.DataFrame, index: str, prefix: str) -> pl.DataFrame:
    """The display columns of one side (submission or province) keyed by its index."""
    if index not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias(index))
    return frame.select(
        pl.col(index).cast(pl.Int64),
        text_of(frame, "nik", "nik_raw").alias(f"{prefix}nik"),
        text_of(frame, "name_raw", "name").alias(f"{prefix}name"),
        date_of(frame, "birth_date").alias(f"{prefix}birth_date"),
        rt_rw_of(frame).alias(f"{prefix}rt_rw"),
        text_of(frame, "status_raw", "status").alias(f"{prefix}status"),
        text_of(frame, "status").alias(f"{prefix}status_code"),
        text_of(frame, "address", "address_raw").alias(f"{prefix}address"),
        text_of(frame, "kecamatan", "kecamatan_raw").alias(f"{prefix}kecamatan"),
    )


# --- masking ----------------------------------------------------------------------------------------------
def mask_id(column: str) -> pl.Expr:
    """A NIK / No KK column shown as ``3304********0001``."""
    return mask_id_expr(column)


def initials(column: str) -> pl.Expr:
    """``SUPARNO BIN KARTO`` -> ``S. B. K.``."""
    words = pl.col(column).cast(pl.Utf8).str.extract_all(r"[\p{L}\p{N}]+")
    first = pl.element().str.slice(0, 1).str.to_uppercase() + pl.lit(".")
    return words.list.eval(first).list.join(" ").alias(column)


def mask_free_text(column: str, *, nik: bool, names: bool) -> pl.Expr:
    """Free text (rejected row content) with digit runs and/or words masked."""
    expr = pl.col(column).cast(pl.Utf8)
    if nik:
        expr = expr.str.replace_all(r"(\d{4})\d{4,}(\d{4})", "${1}********${2}")
    if names:
        expr = expr.str.replace_all(r"(\p{L})\p{L}*", "${1}.")
    return expr.alias(column)
