"""Tell household rows from layout rows (repeated headers, totals, signature block, section titles)."""

from __future__ import annotations

from typing import Final

import polars as pl

from verval_cli import schema
from verval_cli.frames import evaluated
from verval_cli.io.columns import header_key, target_fields
from verval_cli.io.grid import col_name, data_columns
from verval_cli.io.header import Header

REASON: Final = "__reason"
CONTENT: Final = "__content"

REPEATED_HEADER: Final = "repeated header row"
COLUMN_NUMBERS: Final = "column-number row"
TOTALS: Final = "totals row"
SIGNATURE: Final = "signature block"
SECTION_TITLE: Final = "section title"
NO_HOUSEHOLD_DATA: Final = "no household data (no name, NIK, No KK or household id)"

_ID_FIELDS: Final = (
    schema.NIK,
    schema.NO_KK,
    schema.HOUSEHOLD_ID,
    schema.INDIVIDUAL_ID,
    schema.NIK_CORRECTED,
)
_TOTALS_RE: Final = r"(?i)^\s*(JUMLAH|TOTAL|SUB\s*TOTAL|GRAND\s*TOTAL|JML)\b"
_SIGNATURE_RE: Final = (
    r"(?i)^\s*(?:MENGETAHUI|MENYETUJUI|KEPALA\s+DESA|KADES\b|KEPALA\s+KELURAHAN|LURAH\b|P[JL]T?\.?\s+KEPALA"
    r"|SEKRETARIS\s+DESA|SEKDES\b|CAMAT\b|PETUGAS\b|OPERATOR\b|PENDAMPING\b|TKSK\b|KETUA\s+R[TW]\b"
    r"|YANG\s+MEMBUAT|DIBUAT\s+OLEH|DIPERIKSA|DIVERIFIKASI|TTD\b|TANDA\s+TANGAN|NIP\b|NIP\.|NRP\b|ATAS\s+NAMA)"
    r"|^\s*\(.*\)\s*$"  # ( NAME )
    r"|^[^\d,]{2,60},\s*\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}\s*$"  # Kebanaran, 8 Februari 2023
    r"|^[^\d,]{2,60},\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*$"  # Kebanaran, 08-02-2023
)
_SECTION_RE: Final = (
    r"(?i)^\s*(USULAN|DATA|DAFTAR|DUSUN|DUKUH|RW|RT|KELOMPOK|TAMBAHAN|LAMPIRAN|FORM|BARU|REKAP|KK\s+BARU)\b"
)
_COLUMN_NUMBER_RE: Final = r"^\s*\(?\d{1,3}\)?\.?\s*$"
_STREAM_FROM: Final = 50_000  # rows from which a check runs on the streaming engine


def _matches(expr: pl.Expr, pattern: str) -> pl.Expr:
    return expr.str.contains(pattern).fill_null(False)


def _strong_id(body: pl.DataFrame, by_field: dict[str, str]) -> pl.Expr:
    """A cell of an ID column holding at least 8 digits: the row is a household, whatever else it holds."""
    id_cols = [pl.col(by_field[f]) for f in _ID_FIELDS if f in by_field]
    return pl.any_horizontal(
        [c.str.count_matches(r"\d").fill_null(0) >= 8 for c in id_cols] or [pl.repeat(False, pl.len())]
    )


def _layout_reason(header: Header, cells: list[str], by_field: dict[str, str], by: str | None) -> pl.Expr:
    """Reason a row without a strong ID is layout, or null when it is a household."""
    filled = pl.sum_horizontal(pl.col(c).is_not_null() for c in cells)
    lead = pl.coalesce([pl.col(c) for c in cells])
    name = pl.col(by_field[schema.NAME]) if schema.NAME in by_field else pl.lit(None, dtype=pl.Utf8)
    id_cols = [pl.col(by_field[f]) for f in _ID_FIELDS if f in by_field]
    has_id = pl.any_horizontal([_matches(c, r"[0-9A-Za-z]") for c in id_cols] or [pl.repeat(False, pl.len())])
    has_name = _matches(name, r"[A-Za-z]")
    label_hits = [
        (
            pl.col(col_name(c.index)).str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
            == header_key(c.label)
        )
        .fill_null(False)
        .cast(pl.Int32)
        for c in header.columns
        if c.label and header_key(c.label)
    ]
    repeated = pl.sum_horizontal(label_hits) >= 2 if label_hits else pl.lit(False)
    numbers = pl.sum_horizontal(_matches(pl.col(c), _COLUMN_NUMBER_RE) for c in cells)
    column_numbers = (numbers == filled) & (filled >= max(3, (len(cells) + 1) // 2))
    totals = _matches(lead, _TOTALS_RE) | _matches(name, _TOTALS_RE)
    signature = _matches(lead, _SIGNATURE_RE) | _matches(name, _SIGNATURE_RE)
    # The signature block runs to the end of the sheet: a bare name under "Kepala Desa" is not a household.
    reached = signature.cast(pl.Int32).cum_max()
    after_signature = (reached if by is None else reached.over(by)) > 0
    single = filled == 1
    return (
        pl.when(repeated)
        .then(pl.lit(REPEATED_HEADER))
        .when(column_numbers)
        .then(pl.lit(COLUMN_NUMBERS))
        .when(totals)
        .then(pl.lit(TOTALS))
        .when(signature | after_signature)
        .then(pl.lit(SIGNATURE))
        .when(single & _matches(lead, _SECTION_RE))
        .then(pl.lit(SECTION_TITLE))
        .when(has_id | has_name)
        .then(None)
        .when(single & ~_matches(lead, _COLUMN_NUMBER_RE))
        .then(pl.lit(SECTION_TITLE))
        .otherwise(pl.lit(NO_HOUSEHOLD_DATA))
        .cast(pl.Utf8)
    )


def classify(body: pl.DataFrame, header: Header, by: str | None = None) -> pl.DataFrame:
    """Non-blank rows of ``body``, in order, with REASON (null for household rows) and CONTENT (cells joined).

    Rows with a full ID number are households outright; only the others (few in a province list) go
    through the costlier layout checks. ``by`` names the column telling stacked files apart (their
    signature blocks end each file, not the stack).
    """
    cells = data_columns(body)
    by_field = {f: col_name(c.index) for c in header.columns if c.field for f in target_fields(c.field)}
    filled = body.select(pl.any_horizontal(pl.col(c).is_not_null() for c in cells)).to_series()
    if not filled.all():  # copying a million-row grid to drop nothing costs more than the check
        body = body.filter(filled)
    # Eight ASCII digits in a row settle most rows cheaply; only the rest need their digits counted.
    id_cols = [pl.col(by_field[f]) for f in _ID_FIELDS if f in by_field]
    quick = pl.any_horizontal(
        [c.str.contains("[0-9]{8}").fill_null(False) for c in id_cols] or [pl.repeat(False, pl.len())]
    )
    rest_at = _selected(body, quick.alias("quick")).to_series().not_().arg_true()
    if rest_at.len() == 0:  # every row holds a full ID: no layout checks (most village sheets)
        return body.with_columns(_no_text(REASON), _no_text(CONTENT))
    rest = body[rest_at]
    weak = rest.select(_strong_id(rest, by_field).not_().alias("weak")).to_series()
    if not weak.any():
        return body.with_columns(_no_text(REASON), _no_text(CONTENT))
    others_at = rest_at.filter(weak)
    others = rest.filter(weak).select(
        _layout_reason(header, cells, by_field, by).alias(REASON),
        pl.concat_str([pl.col(c) for c in cells], separator=" | ", ignore_nulls=True).alias(CONTENT),
    )
    # Layout reasons go back in place: the rows keep their order without a sort.
    reason = pl.repeat(None, body.height, dtype=pl.Utf8, eager=True).alias(REASON)
    content = pl.repeat(None, body.height, dtype=pl.Utf8, eager=True).alias(CONTENT)
    reason = reason.scatter(others_at, others[REASON])
    content = content.scatter(others_at, others[CONTENT])
    return body.with_columns(reason, content)


def _no_text(name: str) -> pl.Expr:
    return pl.lit(None, dtype=pl.Utf8).alias(name)


def _selected(frame: pl.DataFrame, *exprs: pl.Expr) -> pl.DataFrame:
    """``frame.select``: in memory for a sheet's few thousand rows, streaming past that (see evaluated).

    Starting the streaming engine costs a few milliseconds, more than a village sheet's whole check.
    """
    return frame.select(*exprs) if frame.height < _STREAM_FROM else evaluated(frame, *exprs)
