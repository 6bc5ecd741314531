"""The row checks of ``verval validate``, as data: each is a code, the field it marks, a condition.

The checks run over the normalised batch (stage 2, see ``verval_cli.schema``); a condition never
looks at whether its column exists — findings on a column a sheet lacks are dropped afterwards,
when findings are joined to each sheet's column letters.
"""

from __future__ import annotations

import polars as pl

from verval_cli import schema
from verval_cli.check import RAW_SCHEMA, Check, finding_rows
from verval_cli.codes import Code
from verval_cli.matching.prepare import ensure_columns
from verval_cli.normalize.nik import PROVINCE_CODES

ROW_KEY = schema.PROVENANCE

# Every stage-2 column a check reads, so that a batch without some column still runs.
NEEDED: dict[str, pl.DataType] = {
    "nik_raw": pl.Utf8(),
    "nik": pl.Utf8(),
    "nik_status": pl.Utf8(),
    "nik_sex": pl.Utf8(),
    "nik_birth_date": pl.Date(),
    "nik_lo": pl.Int64(),
    "nik_hi": pl.Int64(),
    "name_key": pl.Utf8(),
    "no_kk_raw": pl.Utf8(),
    "no_kk_status": pl.Utf8(),
    "name_raw": pl.Utf8(),
    "birth_date_raw": pl.Utf8(),
    "birth_date": pl.Date(),
    "birth_date_status": pl.Utf8(),
    "sex_raw": pl.Utf8(),
    "sex": pl.Utf8(),
    "rt_raw": pl.Utf8(),
    "rt": pl.Int32(),
    "rw_raw": pl.Utf8(),
    "rw": pl.Int32(),
    "status_raw": pl.Utf8(),
    "status": pl.Utf8(),
    "household_id": pl.Utf8(),
    "region_code": pl.Utf8(),
    schema.SOURCE_DESA_CODE: pl.Utf8(),
}


def _status(column: str, *values: str) -> pl.Expr:
    return pl.col(column).is_in(list(values))


# Scientific text as Excel shows a big number: 3.30403E+15, 3,30403E+15, 3E+15.
_SCIENTIFIC = r"(?i)^[\s'`]*\d(?:[.,]\d*)?\s*E\s*\+?\s*\d+\s*$"
_nik_raw = pl.col("nik_raw")
_nik = pl.col("nik")
_scientific = _nik_raw.str.contains(_SCIENTIFIC)
_invalid = _status("nik_status", schema.NIK_INVALID_FORMAT) & ~_scientific
_sixteen = _nik.str.contains(r"^\d{16}$")
_nik_month = _nik.str.slice(8, 2).str.to_integer(strict=False)
_impossible = _status("nik_status", schema.NIK_IMPOSSIBLE_DATE)
_nik_valid = _status("nik_status", schema.NIK_VALID)
_name_raw = pl.col("name_raw")
_placeholder = r"^[\s\-–—.,_/]*$"  # "-", "..." typed for "none"


def _ddmmyy(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d-%m-%y")


def _not_number(field: str) -> pl.Expr:
    raw = pl.col(f"{field}_raw")
    return raw.is_not_null() & ~raw.str.contains(_placeholder) & pl.col(field).is_null()


ROW_CHECKS: tuple[Check, ...] = (
    Check(Code.NIK_MISSING, "nik", _status("nik_status", schema.NIK_MISSING), _nik_raw),
    Check(
        Code.NIK_SCIENTIFIC,
        "nik",
        _status("nik_status", schema.NIK_EXCEL_DAMAGED, schema.NIK_INVALID_FORMAT) & _scientific,
        _nik_raw,
    ),
    Check(
        Code.NIK_EXCEL_NUMBER,
        "nik",
        _status("nik_status", schema.NIK_EXCEL_DAMAGED) & ~_scientific,
        _nik_raw,
    ),
    Check(Code.NIK_NON_DIGIT, "nik", _invalid & _nik.is_null(), _nik_raw),
    Check(Code.NIK_NOT_16_DIGITS, "nik", _invalid & _nik.is_not_null() & ~_sixteen, _nik_raw),
    Check(
        Code.NIK_BAD_PROVINCE,
        "nik",
        _invalid & _sixteen & ~_nik.str.slice(0, 2).is_in(PROVINCE_CODES),
        _nik_raw,
    ),
    # What invalid_format leaves for a 16-digit NIK with a real province code: a 0000 serial.
    Check(
        Code.NIK_BAD_SERIAL,
        "nik",
        _invalid & _sixteen & _nik.str.slice(0, 2).is_in(PROVINCE_CODES),
        _nik_raw,
    ),
    Check(
        Code.NIK_IMPOSSIBLE_MONTH,
        "nik",
        _impossible & ~_nik_month.is_between(1, 12).fill_null(False),
        _nik_raw,
    ),
    Check(
        Code.NIK_IMPOSSIBLE_DATE,
        "nik",
        _impossible & _nik_month.is_between(1, 12).fill_null(False),
        _nik_raw,
    ),
    Check(
        Code.NIK_SEX_MISMATCH,
        "sex",
        _nik_valid & pl.col("sex").is_not_null() & (pl.col("nik_sex") != pl.col("sex")),
        pl.col("sex_raw"),
        detail=pl.format("menurut NIK: {}", pl.col("nik_sex")),
    ),
    # The NIK holds a two-digit year: compare day, month and year modulo 100, never the century.
    Check(
        Code.NIK_BIRTH_DATE_MISMATCH,
        "birth_date",
        _nik_valid
        & pl.col("birth_date").is_not_null()
        & (_ddmmyy("nik_birth_date") != _ddmmyy("birth_date")),
        pl.col("birth_date_raw"),
        detail=pl.format("menurut NIK: {}", _ddmmyy("nik_birth_date")),
    ),
    Check(
        Code.NO_KK_INVALID,
        "no_kk",
        _status("no_kk_status", schema.NIK_INVALID_FORMAT, schema.NIK_IMPOSSIBLE_DATE),
        pl.col("no_kk_raw"),
    ),
    Check(
        Code.NO_KK_EXCEL_DAMAGED,
        "no_kk",
        _status("no_kk_status", schema.NIK_EXCEL_DAMAGED),
        pl.col("no_kk_raw"),
    ),
    Check(Code.NAME_MISSING, "name", _name_raw.is_null() | _name_raw.str.contains(_placeholder), _name_raw),
    Check(Code.NAME_HAS_DIGITS, "name", _name_raw.str.contains(r"\d"), _name_raw),
    Check(Code.STATUS_MISSING, "status", _status("status", schema.MISSING), pl.col("status_raw")),
    Check(Code.STATUS_UNKNOWN, "status", _status("status", schema.UNKNOWN), pl.col("status_raw")),
    Check(
        Code.BIRTH_DATE_UNPARSEABLE,
        "birth_date",
        _status("birth_date_status", "unparseable"),
        pl.col("birth_date_raw"),
    ),
    Check(
        Code.BIRTH_DATE_IMPLAUSIBLE,
        "birth_date",
        _status("birth_date_status", "implausible"),
        pl.col("birth_date_raw"),
    ),
    Check(
        Code.SEX_UNKNOWN,
        "sex",
        pl.col("sex_raw").is_not_null()
        & ~pl.col("sex_raw").str.contains(_placeholder)
        & pl.col("sex").is_null(),
        pl.col("sex_raw"),
    ),
    Check(Code.RT_NOT_NUMERIC, "rt", _not_number("rt"), pl.col("rt_raw")),
    Check(Code.RW_NOT_NUMERIC, "rw", _not_number("rw"), pl.col("rw_raw")),
)


def prepared(frame: pl.DataFrame) -> pl.DataFrame:
    """The normalised batch with every column a check reads (typed nulls where absent)."""
    return ensure_columns(frame, NEEDED)


def row_findings(frame: pl.DataFrame) -> pl.DataFrame:
    """Every row check over the prepared batch (RAW_SCHEMA), in check order."""
    return pl.concat([pl.DataFrame(schema=RAW_SCHEMA), *(check.findings(frame) for check in ROW_CHECKS)])


def _where(file: bool) -> pl.Expr:
    """ "RW 02 baris 12" / "desa_x.xlsx [RW 02] baris 12": how a finding names another row."""
    row = pl.format("baris {}", pl.col(f"{schema.SOURCE_ROW}_other"))
    sheet = pl.col(f"{schema.SOURCE_SHEET}_other")
    if file:
        place = (
            pl.when(sheet.is_null())
            .then(pl.col(f"{schema.SOURCE_FILE}_other"))
            .otherwise(pl.format("{} [{}]", pl.col(f"{schema.SOURCE_FILE}_other"), sheet))
        )
        return pl.format("{} {}", place, row)
    return pl.when(sheet.is_null()).then(row).otherwise(pl.format("sheet {} {}", sheet, row))


def duplicate_findings(frame: pl.DataFrame) -> pl.DataFrame:
    """The same valid NIK on two rows of one file (error) or in two files (warning), naming the others.

    Rows the village itself marked as duplicates (status Ganda) are not counted.
    """
    rows = frame.filter(_nik_valid.fill_null(False) & (pl.col("status") != schema.DUPLICATE).fill_null(True))
    rows = rows.select(*ROW_KEY, "nik", "nik_raw")
    repeated = rows.filter(pl.len().over("nik") > 1)
    if repeated.height == 0:
        return pl.DataFrame(schema=RAW_SCHEMA)
    pairs = repeated.join(repeated, on="nik", suffix="_other").filter(
        (pl.col(schema.SOURCE_FILE) != pl.col(f"{schema.SOURCE_FILE}_other"))
        | (pl.col(schema.SOURCE_SHEET).eq_missing(pl.col(f"{schema.SOURCE_SHEET}_other")).not_())
        | (pl.col(schema.SOURCE_ROW) != pl.col(f"{schema.SOURCE_ROW}_other"))
    )
    same_file = pl.col(schema.SOURCE_FILE) == pl.col(f"{schema.SOURCE_FILE}_other")
    out = []
    for code, condition, in_file in (
        (Code.NIK_DUPLICATE_IN_FILE, same_file, False),
        (Code.NIK_DUPLICATE_IN_BATCH, ~same_file, True),
    ):
        found = (
            pairs.filter(condition)
            .sort(
                *ROW_KEY,
                f"{schema.SOURCE_FILE}_other",
                f"{schema.SOURCE_SHEET}_other",
                f"{schema.SOURCE_ROW}_other",
                nulls_last=False,
            )
            .group_by(*ROW_KEY, maintain_order=True)
            .agg(pl.col("nik_raw").first(), _where(in_file).str.join(", ").alias("detail"))
        )
        out.append(finding_rows(found, code, "nik", value=pl.col("nik_raw"), detail=pl.col("detail")))
    return pl.concat(out)
