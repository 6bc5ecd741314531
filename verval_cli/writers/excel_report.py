"""``laporan_verval.xlsx``: the reconcile as a workbook an officer can act on (summary, then one sheet per task).

>>> write_excel_report(result, Path("out/laporan_verval.xlsx"), mask_nik=True)   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from verval_cli import marks
from verval_cli.codes import Code
from verval_cli.decisions import METHOD
from verval_cli.result import ReconcileResult
from verval_cli.writers.decision_columns import finish_decision_sheets, with_decision_columns
from verval_cli.writers.excel_frames import FrameWorkbook
from verval_cli.writers.excel_style import (
    FORMULA_START,
    INERT,
    LABELS,
    LAYOUT_REASONS,
    Col,
    Formats,
    initials,
    make_formats,
    mask_free_text,
    mask_id,
    print_setup,
    side_frame,
    text_of,
    write_table,
)
from verval_cli.writers.outputs import write_atomic
from verval_cli.writers.reasons import WHY, why_column

EXCEL_MAX_DATA_ROWS = 1_048_575
_WORKBOOK_OPTIONS = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "constant_memory": False,
}
_INVALID_CODES = (
    Code.NIK_INVALID,
    Code.NIK_MISSING,
    Code.NIK_EXCEL_DAMAGED,
    Code.STATUS_UNKNOWN,
    Code.STATUS_MISSING,
)
_DECISION_CODES = [
    c.value for c in (Code.DECISION_STALE, Code.DECISION_CONFLICT, Code.DECISION_TARGET_UNKNOWN)
]
_NIK_FIELDS = ("nik", "no_kk", "nik_corrected")
_NAME_FIELDS = ("name", "name_corrected")
_COUNTS = ("listed", "submitted", "matched", "review", "not_reported", "new", "not_on_list")


@dataclass(frozen=True)
class _Options:
    labels: dict[str, str]
    lang: str
    mask_nik: bool
    mask_names: bool
    max_rows: int


def write_excel_report(
    result: ReconcileResult,
    target: Path,
    *,
    lang: str = "id",
    mask_nik: bool = False,
    mask_names: bool = False,
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> Path:
    """Write the reconcile workbook to ``target`` atomically; returns ``target``."""
    if lang not in LABELS:
        raise ValueError(f"lang must be one of {sorted(LABELS)}, not {lang!r}")
    if not 1 <= max_rows_per_sheet <= EXCEL_MAX_DATA_ROWS:
        raise ValueError(f"max_rows_per_sheet must be between 1 and {EXCEL_MAX_DATA_ROWS}")
    opts = _Options(LABELS[lang], lang, mask_nik, mask_names, max_rows_per_sheet)

    def _write(tmp: Path) -> None:
        workbook = FrameWorkbook(str(tmp), _WORKBOOK_OPTIONS)
        marks.mark_xlsxwriter(workbook, marks.MAIN_WORKBOOK)
        formats = make_formats(workbook)
        _write_summary_sheet(workbook, formats, result.summary, opts)
        for base, frame, columns in _tables(result, opts):
            names = write_table(
                workbook,
                formats,
                opts.labels[base],
                frame,
                columns,
                max_rows=opts.max_rows,
                empty_text=opts.labels["none"],
            )
            finish_decision_sheets(workbook, names, columns, frame.height, opts.max_rows, opts.lang)
        workbook.close()

    return write_atomic(target, _write)


def _tables(result: ReconcileResult, opts: _Options) -> list[tuple[str, pl.DataFrame, list[Col]]]:
    places = _places(result.summary)
    return [
        ("sheet_discrepancies", *_discrepancies(result, places, opts)),
        ("sheet_review", *_review(result, places, opts)),
        ("sheet_unreported", *_unreported(result, places, opts)),
        ("sheet_new", *_new_proposals(result, places, opts)),
        ("sheet_invalid", *_invalid(result, places, opts)),
        *([("sheet_changes", *_changes(result.changes, places, opts))] if result.changes is not None else []),
    ]


def _changes(changes: pl.DataFrame, places: pl.DataFrame, opts: _Options) -> tuple[pl.DataFrame, list[Col]]:
    """The "Perubahan" sheet: one row per change since the previous run (a rerun into the same --out)."""
    kinds = {k.removeprefix("change_"): v for k, v in opts.labels.items() if k.startswith("change_")}
    frame = _with_places(changes, places).with_columns(
        pl.col("change")
        .replace_strict(kinds, default=pl.col("change"), return_dtype=pl.Utf8)
        .alias("_change")
    )
    lab = opts.labels
    columns = [
        Col("_change", lab["change"]),
        Col("_desa", lab["desa"]),
        Col("file", lab["file"]),
        Col("submission_row", lab["row"], "int"),
        Col("province_id", lab["province_id"], "id"),
        Col("code", lab["code"]),
        Col("before", lab["before"]),
        Col("after", lab["after"]),
    ]
    return frame, columns


# --- lookups and column helpers ---------------------------------------------------------------------------
def _places(summary: dict[str, Any]) -> pl.DataFrame:
    schema = {"desa_code": pl.Utf8, "_desa": pl.Utf8, "_kecamatan": pl.Utf8, "_silent": pl.Boolean}
    rows = [
        {
            "desa_code": d.get("desa_code"),
            "_desa": d.get("desa"),
            "_kecamatan": d.get("kecamatan"),
            "_silent": bool(d.get("silent")),
        }
        for d in summary.get("desa", [])
        if d.get("desa_code")
    ]
    return pl.DataFrame(rows, schema=schema, orient="row").unique("desa_code", keep="first")


def _with_places(frame: pl.DataFrame, places: pl.DataFrame) -> pl.DataFrame:
    """Add ``_desa`` (name, else code), ``_kecamatan`` and ``_silent`` from the summary by ``desa_code``."""
    if "desa_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("desa_code"))
    out = frame.join(places, on="desa_code", how="left", maintain_order="left")
    return out.with_columns(
        pl.coalesce("_desa", "desa_code").alias("_desa"), pl.col("_silent").fill_null(False)
    )


def _mask(
    frame: pl.DataFrame, opts: _Options, *, niks: tuple[str, ...], names: tuple[str, ...]
) -> pl.DataFrame:
    exprs = [mask_id(c) for c in niks if opts.mask_nik] + [initials(c) for c in names if opts.mask_names]
    return frame.with_columns(exprs) if exprs else frame


def _yes_no(expr: pl.Expr, opts: _Options) -> pl.Expr:
    return pl.when(expr).then(pl.lit(opts.labels["yes"])).otherwise(pl.lit(opts.labels["no"]))


def _by_status(result: ReconcileResult, status: str) -> pl.DataFrame:
    return result.matches.filter(pl.col("match_status") == status)


# --- data sheets ------------------------------------------------------------------------------------------
def _discrepancies(
    result: ReconcileResult, places: pl.DataFrame, opts: _Options
) -> tuple[pl.DataFrame, list[Col]]:
    keys = ["submission_file", "submission_sheet", "submission_row"]
    matched = _by_status(result, "matched").select(keys).unique()
    # Invalid NIKs and statuses have their own sheet, and uncertain links theirs: listing them here
    # too would double the rows an officer reads (and the cells Excel must hold).
    elsewhere = [c.value for c in (*_INVALID_CODES, Code.REVIEW_NEEDED)]
    listed = result.discrepancies.filter(~pl.col("code").is_in(elsewhere))
    # File-level findings (no row: a file without a status column) and decisions not applied (whatever
    # their row's link) lead, then the matched rows' findings.
    file_level = (pl.col("submission_row").is_null() & pl.col("submission_file").is_not_null()) | pl.col(
        "code"
    ).is_in(_DECISION_CODES)
    findings = pl.concat(
        [
            listed.filter(file_level),
            listed.filter(~file_level).join(
                matched, on=keys, how="semi", nulls_equal=True, maintain_order="left"
            ),
        ]
    )
    frame = _with_places(findings, places)
    value_columns = ("submitted_value", "list_value", "suggested_value")
    is_nik = pl.col("field").is_in(_NIK_FIELDS).fill_null(False)
    is_name = pl.col("field").is_in(_NAME_FIELDS).fill_null(False)
    looks_like_id = {c: pl.col(c).str.contains(r"^\d{12,}$").fill_null(False) for c in value_columns}
    frame = frame.with_columns(
        [
            pl.when(opts.mask_nik & (is_nik | looks_like_id[c]))
            .then(mask_id(c))
            .when(opts.mask_names & is_name)
            .then(initials(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c in value_columns
        ]
    )
    field_labels = {k.removeprefix("field_"): v for k, v in opts.labels.items() if k.startswith("field_")}
    frame = frame.with_columns(
        pl.col("field").replace_strict(field_labels, default=pl.col("field"), return_dtype=pl.Utf8),
        pl.col("severity")
        .replace_strict(_severity_labels(opts), default=pl.col("severity"), return_dtype=pl.Utf8)
        .alias("_severity"),
        (pl.lit("sev_") + pl.col("severity")).alias("_severity_style"),
        pl.col("message_en" if opts.lang == "en" else "message_id").alias("_message"),
    )
    lab = opts.labels
    columns = [
        *_where(lab),
        Col("province_id", lab["province_id"], "id"),
        Col("field", lab["field"]),
        Col("submitted_value", lab["submitted_value"], "id", fmt="problem_id"),
        Col("list_value", lab["list_value"], "id"),
        Col("suggested_value", lab["suggested_value"], "id"),
        Col("code", lab["code"]),
        Col("_severity", lab["severity"], style_by="_severity_style"),
        Col("_message", lab["message"]),
    ]
    return frame, columns


def _where(lab: dict[str, str]) -> list[Col]:
    """The columns that let an operator find a submitted row: file, sheet, row, desa."""
    return [
        Col("submission_file", lab["file"]),
        Col("submission_sheet", lab["sheet"]),
        Col("submission_row", lab["row"], "int"),
        Col("_desa", lab["desa"]),
    ]


def _severity_labels(opts: _Options) -> dict[str, str]:
    return {k.removeprefix("sev_"): v for k, v in opts.labels.items() if k.startswith("sev_")}


def _review(result: ReconcileResult, places: pl.DataFrame, opts: _Options) -> tuple[pl.DataFrame, list[Col]]:
    # Links an officer settled stay listed, their decision filled in, so the next workbook carries it on.
    decided = (pl.col("match_method") == METHOD) & pl.col("province_index").is_not_null()
    links = result.matches.filter((pl.col("match_status") == "review") | decided)
    frame = links.join(
        side_frame(result.submissions, "submission_index", "s_"),
        on="submission_index",
        how="left",
        maintain_order="left",
    ).join(
        side_frame(result.province, "province_index", "p_"),
        on="province_index",
        how="left",
        maintain_order="left",
    )

    def differs(a: str, b: str, style: str) -> pl.Expr:
        both = pl.col(a).is_not_null() & pl.col(b).is_not_null()
        return pl.when(both & (pl.col(a) != pl.col(b))).then(pl.lit(style)).alias(f"_{a}_style")

    # Compare before masking: masked values hide exactly the digits and letters that differ.
    frame = _with_places(frame, places).with_columns(
        differs("s_nik", "p_nik", "problem_id"),
        differs("s_name", "p_name", "problem"),
        differs("s_birth_date", "p_birth_date", "problem_date"),
    )
    frame = _mask(frame, opts, niks=("s_nik", "p_nik"), names=("s_name", "p_name"))
    frame = frame.join(
        why_column(result, opts.lang), on="submission_index", how="left", maintain_order="left"
    )
    lab = opts.labels
    columns = [
        *_where(lab),
        Col("s_nik", lab["s_nik"], "id", style_by="_s_nik_style"),
        Col("s_name", lab["s_name"], style_by="_s_name_style"),
        Col("s_birth_date", lab["s_birth_date"], "date", style_by="_s_birth_date_style"),
        Col("s_rt_rw", lab["s_rt_rw"]),
        Col("s_status", lab["s_status"]),
        Col("province_id", lab["province_id"], "id"),
        Col("province_row", lab["province_row"], "int"),
        Col("p_nik", lab["p_nik"], "id"),
        Col("p_name", lab["p_name"]),
        Col("p_birth_date", lab["p_birth_date"], "date"),
        Col("match_score", lab["score"], "num"),
        Col("match_evidence", lab["evidence"]),
        Col(WHY, lab["why"]),
    ]
    frame, decision = with_decision_columns(frame, result, opts.lang)
    return frame, [*columns, *decision]


def _status_with_side(result: ReconcileResult, status: str, side: str) -> pl.DataFrame:
    """The match rows of one status with the cleaned columns of their province or submission row."""
    table, index, prefix = (
        (result.province, "province_index", "p_")
        if side == "province"
        else (result.submissions, "submission_index", "s_")
    )
    links = _by_status(result, status)
    return links.join(side_frame(table, index, prefix), on=index, how="left", maintain_order="left")


def _unreported(
    result: ReconcileResult, places: pl.DataFrame, opts: _Options
) -> tuple[pl.DataFrame, list[Col]]:
    frame = _status_with_side(result, "province_only", "province")
    frame = _with_places(_mask(frame, opts, niks=("p_nik",), names=("p_name",)), places).with_columns(
        pl.coalesce("_kecamatan", "p_kecamatan").alias("_kecamatan"),
        pl.when(pl.col("_silent")).then(pl.lit(opts.labels["yes"])).alias("_silent_text"),
        pl.when(pl.col("_silent")).then(pl.lit("flag")).alias("_silent_style"),
    )
    lab = opts.labels
    columns = [
        Col("_kecamatan", lab["kecamatan"]),
        Col("_desa", lab["desa"]),
        Col("desa_code", lab["desa_code"], "id"),
        Col("_silent_text", lab["silent"], style_by="_silent_style"),
        Col("province_id", lab["province_id"], "id"),
        Col("province_row", lab["province_row"], "int"),
        Col("p_nik", lab["nik"], "id"),
        Col("p_name", lab["name"]),
        Col("p_rt_rw", lab["rt_rw"]),
        Col("p_address", lab["address"]),
    ]
    return frame, columns


def _new_proposals(
    result: ReconcileResult, places: pl.DataFrame, opts: _Options
) -> tuple[pl.DataFrame, list[Col]]:
    frame = _status_with_side(result, "submission_only", "submission")
    marked = pl.coalesce("status", "s_status_code").eq("new").fill_null(False)
    frame = _with_places(_mask(frame, opts, niks=("s_nik",), names=("s_name",)), places).with_columns(
        _yes_no(marked, opts).alias("_marked"),
        pl.when(~marked).then(pl.lit("flag")).alias("_marked_style"),
    )
    lab = opts.labels
    columns = [
        *_where(lab),
        Col("s_nik", lab["nik"], "id"),
        Col("s_name", lab["name"]),
        Col("s_birth_date", lab["birth_date"], "date"),
        Col("s_rt_rw", lab["rt_rw"]),
        Col("s_status", lab["status"]),
        Col("_marked", lab["marked_new"], style_by="_marked_style"),
    ]
    frame, decision = with_decision_columns(frame, result, opts.lang)
    return frame, [*columns, *decision]


def _invalid(result: ReconcileResult, places: pl.DataFrame, opts: _Options) -> tuple[pl.DataFrame, list[Col]]:
    findings = result.discrepancies.filter(pl.col("code").is_in([c.value for c in _INVALID_CODES]))
    is_nik = pl.col("field").is_in(_NIK_FIELDS).fill_null(False)
    found = _with_places(findings, places).select(
        pl.col("submission_file").alias("_file"),
        pl.col("submission_sheet").alias("_sheet"),
        pl.col("submission_row").cast(pl.Int64).alias("_row"),
        pl.col("_desa"),
        pl.col("code").alias("_kind"),
        pl.when(opts.mask_nik & is_nik)
        .then(mask_id("submitted_value"))
        .otherwise(pl.col("submitted_value"))
        .alias("_value"),
        pl.col("message_en" if opts.lang == "en" else "message_id").alias("_message"),
    )
    rejected = result.rejected
    shown = rejected.select(
        text_of(rejected, "source_file").alias("_file"),
        text_of(rejected, "source_sheet").alias("_sheet"),
        text_of(rejected, "source_row").cast(pl.Int64, strict=False).alias("_row"),
        pl.lit(None, dtype=pl.Utf8).alias("_desa"),
        pl.lit(opts.labels["rejected"]).alias("_kind"),
        text_of(rejected, "content").alias("_value"),
        text_of(rejected, "reason").replace(LAYOUT_REASONS[opts.lang]).alias("_message"),
    )
    if opts.mask_nik or opts.mask_names:
        shown = shown.with_columns(mask_free_text("_value", nik=opts.mask_nik, names=opts.mask_names))
    frame = pl.concat([found, shown], how="vertical_relaxed")
    lab = opts.labels
    columns = [
        Col("_file", lab["file"]),
        Col("_sheet", lab["sheet"]),
        Col("_row", lab["row"], "int"),
        Col("_desa", lab["desa"]),
        Col("_kind", lab["kind"]),
        Col("_value", lab["value"], "id", fmt="problem_id"),
        Col("_message", lab["message"]),
    ]
    return frame, columns


# --- summary sheet ----------------------------------------------------------------------------------------
_KEC_COLUMNS = ("kecamatan", "kecamatan_code", "silent_villages", *_COUNTS, "progress")
_DESA_COLUMNS = ("kecamatan", "desa", "desa_code", "silent", *_COUNTS, "progress")
_CHART_SERIES = (("matched", "#70AD47"), ("review", "#FFC000"), ("not_reported", "#C00000"))


def _progress(row: dict[str, Any]) -> float | None:
    listed = int(row.get("listed") or 0)
    if listed == 0:
        return None
    return (int(row.get("matched") or 0) + int(row.get("review") or 0)) / listed


def _cell_value(row: dict[str, Any], key: str, opts: _Options) -> Any:
    if key == "progress":
        return _progress(row)
    if key == "silent":
        return opts.labels["yes"] if row.get("silent") else None
    if key in ("kecamatan", "desa"):
        code = row.get("kecamatan_code" if key == "kecamatan" else "desa_code")
        return row.get(key) or code or opts.labels["unknown"]
    value = row.get(key)
    return int(value or 0) if key in (*_COUNTS, "silent_villages") else value


def _summary_table(
    ws: Worksheet,
    formats: Formats,
    top: int,
    keys: tuple[str, ...],
    rows: list[dict[str, Any]],
    opts: _Options,
) -> int:
    """Header at ``top``, rows, a totals row; returns the totals row index."""
    ws.set_row(top, 30)
    ws.write_row(top, 0, [opts.labels[k] for k in keys], formats["header"])
    for r, row in enumerate(rows, start=top + 1):
        style = "silent" if row.get("silent") else None
        for c, key in enumerate(keys):
            kind = "pct" if key == "progress" else "id" if key.endswith("_code") else "text"
            if key in (*_COUNTS, "silent_villages"):
                kind = "int"
            fmt = formats[f"silent_{kind}" if style else kind]
            value = _cell_value(row, key, opts)
            if value is None:
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, str):
                ws.write_string(
                    r, c, value, formats[f"{kind}{INERT}"] if value.startswith(FORMULA_START) else fmt
                )
            else:
                ws.write_number(r, c, value, fmt)
    total_row = top + 1 + len(rows)
    totals: dict[str, Any] = {
        k: sum(int(row.get(k) or 0) for row in rows) for k in (*_COUNTS, "silent_villages")
    }
    ws.write_string(total_row, 0, opts.labels["total"], formats["total_text"])
    for c, key in enumerate(keys[1:], start=1):
        if key in totals or key == "progress":
            value = _progress(totals) if key == "progress" else totals[key]
            fmt = formats["total_pct" if key == "progress" else "total_int"]
            ws.write(total_row, c, value, fmt)
        else:
            ws.write_blank(total_row, c, None, formats["total_text"])
    return total_row


def _write_summary_sheet(
    workbook: Workbook, formats: Formats, summary: dict[str, Any], opts: _Options
) -> None:
    lab = opts.labels
    ws = workbook.add_worksheet(lab["sheet_summary"])
    ws.set_column(0, 1, 26)
    ws.set_column(2, 2, 14)
    ws.set_column(3, len(_DESA_COLUMNS) - 1, 12)
    regency = summary.get("regency_name") or summary.get("regency") or lab["regency_unknown"]
    ws.write_string(0, 0, f"{lab['title']} — {regency}", formats["title"])
    ws.write_string(1, 0, lab["date"], formats["label"])
    ws.write_datetime(1, 1, dt.datetime.combine(dt.date.today(), dt.time()), formats["date"])

    balance = summary.get("balance") or {}
    ws.write_string(3, 0, lab["balance"], formats["subtitle"])
    balanced = bool(balance.get("balanced"))
    ws.write_string(4, 0, lab["balanced"], formats["label"])
    ws.write_string(4, 1, lab["yes"] if balanced else lab["no"], formats["ok" if balanced else "sev_error"])
    row = 5
    for key, value in balance.items():
        if key != "balanced" and isinstance(value, int):
            ws.write_string(row, 0, lab.get(key, key))
            ws.write_number(row, 1, value, formats["int"])
            row += 1
    row = _failed_files(ws, formats, summary, row, opts)

    kecamatan = list(summary.get("kecamatan") or [])
    # The chart sits beside the balance, on the screen the workbook opens to; the tables follow below it.
    chart_rows = _chart_rows(len(kecamatan)) if kecamatan else 0
    row = max(row, _CHART_TOP + chart_rows)
    ws.write_string(row + 1, 0, lab["per_kecamatan"], formats["subtitle"])
    kec_header = row + 2
    kec_total = _summary_table(ws, formats, kec_header, _KEC_COLUMNS, kecamatan, opts)
    if kecamatan:
        _insert_chart(workbook, ws, kec_header, kec_total - 1, opts)

    desa = sorted(summary.get("desa") or [], key=lambda d: not d.get("silent"))
    ws.write_string(kec_total + 2, 0, lab["per_desa"], formats["subtitle"])
    desa_header = kec_total + 3
    desa_total = _summary_table(ws, formats, desa_header, _DESA_COLUMNS, desa, opts)
    ws.autofilter(desa_header, 0, max(desa_total - 1, desa_header + 1), len(_DESA_COLUMNS) - 1)
    _write_files_without_status(ws, formats, desa_total + 2, summary.get("files_without_status") or [], opts)
    ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
    print_setup(ws, header_row=desa_header)


def _failed_files(ws: Worksheet, formats: Formats, summary: dict[str, Any], row: int, opts: _Options) -> int:
    """Each file that could not be read, by name and reason, under the balance; returns the next row."""
    failures = list(summary.get("failures") or [])
    if not failures:
        return row
    ws.write_string(row + 1, 0, opts.labels["failed_files"], formats["subtitle"])
    row += 2
    for failure in failures:
        name = str(failure.get("file") or "")
        if failure.get("sheet"):
            name += f" [{failure['sheet']}]"
        reason = str(failure.get("reason") or "")
        for c, value in enumerate((name, reason)):
            ws.write_string(
                row, c, value, formats["sev_error" + (INERT if value.startswith(FORMULA_START) else "")]
            )
        row += 1
    return row


_CHART_TOP: Final = 3
_ROW_PIXELS: Final = 20


def _chart_height(n: int) -> int:
    return min(560, max(300, 120 + 24 * n))


def _chart_rows(n: int) -> int:
    return -(-_chart_height(n) // _ROW_PIXELS) + 1


_ABSENT_COLUMNS = ("file", "desa_code", "proposal", "rows", "new", "not_on_list")


def _write_files_without_status(
    ws: Worksheet, formats: Formats, top: int, files: list[dict[str, Any]], opts: _Options
) -> None:
    """The files that carry no status column, with the rows counted as new or not on the list."""
    if not files:
        return
    lab = opts.labels
    ws.write_string(top, 0, lab["files_without_status"], formats["subtitle"])
    ws.write_row(top + 1, 0, [lab[k] for k in _ABSENT_COLUMNS], formats["header"])
    for r, entry in enumerate(files, start=top + 2):
        ws.write_string(r, 0, str(entry.get("file") or ""), formats["text"])
        ws.write_string(r, 1, str(entry.get("desa_code") or ""), formats["id"])
        ws.write_string(r, 2, lab["yes"] if entry.get("proposal") else lab["no"], formats["text"])
        for c, key in enumerate(_ABSENT_COLUMNS[3:], start=3):
            ws.write_number(r, c, int(entry.get(key) or 0), formats["int"])


def _insert_chart(workbook: Workbook, ws: Worksheet, header: int, last: int, opts: _Options) -> None:
    chart = workbook.add_chart({"type": "bar", "subtype": "stacked"})
    if chart is None:  # pragma: no cover - xlsxwriter returns None only for unknown chart types
        return
    name = ws.get_name()
    for key, colour in _CHART_SERIES:
        c = _KEC_COLUMNS.index(key)
        chart.add_series(
            {
                "name": [name, header, c],
                "categories": [name, header + 1, 0, last, 0],
                "values": [name, header + 1, c, last, c],
                "fill": {"color": colour},
                "gap": 60,
            }
        )
    chart.set_title({"name": opts.labels["chart_title"]})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": _chart_height(last - header)})
    # Beside the balance block (columns A-B), so it is seen without scrolling.
    ws.insert_chart(_CHART_TOP, 2, chart, {"x_offset": 24, "y_offset": 4})
