"""Shape normalised frames into the three tables the matcher compares.

* households: one row per province household (``h_idx``), with household-level fields (No KK, RT/RW, desa).
* persons: the people a submission row may name for a household (``h_idx``): the head only for a
  household-level list, every member for an individual-level list.
* rows: one row per submission data row (``s_idx``).
"""

from __future__ import annotations

import polars as pl

from verval_cli import schema as s
from verval_cli.frames import evaluated
from verval_cli.matching.family import fold_individuals, is_individual_level
from verval_cli.regions import code_digits

PERSON_COLUMNS: dict[str, pl.DataType] = {
    "nik": pl.Utf8(),
    "nik_status": pl.Utf8(),
    "nik_lo": pl.Int64(),
    "nik_hi": pl.Int64(),
    "nik_birth_date": pl.Date(),
    "nik_sex": pl.Utf8(),
    "name": pl.Utf8(),
    "name_raw": pl.Utf8(),
    "name_key": pl.Utf8(),
    "birth_date": pl.Date(),
    "sex": pl.Utf8(),
}
HOUSEHOLD_COLUMNS: dict[str, pl.DataType] = {
    "household_id": pl.Utf8(),
    "no_kk": pl.Utf8(),
    "no_kk_status": pl.Utf8(),
    "no_kk_lo": pl.Int64(),
    "no_kk_hi": pl.Int64(),
    "rt": pl.Int32(),
    "rw": pl.Int32(),
    "region_code": pl.Utf8(),
    "region_code_resolved": pl.Utf8(),
    "source_desa_code": pl.Utf8(),
    "relation": pl.Utf8(),
    "nik_corrected": pl.Utf8(),
    "nik_corrected_status": pl.Utf8(),
    "status": pl.Utf8(),
}


def ensure_columns(frame: pl.DataFrame, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """Add missing columns as typed nulls, and type all-null ones, so expressions need no presence checks."""
    fixes = [
        pl.lit(None, dtype=dtype).alias(name) if name not in frame.columns else pl.col(name).cast(dtype)
        for name, dtype in columns.items()
        if name not in frame.columns or frame.schema[name] == pl.Null
    ]
    return frame.with_columns(fixes) if fixes else frame


def desa_code_expr() -> pl.Expr:
    """The row's desa: its own 10-digit region code (or resolved desa name), else its file's desa."""
    own = code_digits(pl.coalesce(pl.col("region_code_resolved"), pl.col("region_code")))
    return (
        pl.when(own.str.len_chars() == 10).then(own).otherwise(pl.col(s.SOURCE_DESA_CODE)).alias("desa_code")
    )


def prepare_province(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, persons) from a normalised province list at household or individual level."""
    frame = ensure_columns(ensure_columns(frame, PERSON_COLUMNS), HOUSEHOLD_COLUMNS)
    frame = frame.with_columns(
        evaluated(frame, desa_code_expr()).to_series(), pl.int_range(pl.len()).alias("_row_order")
    )
    if is_individual_level(frame):
        households, persons = fold_individuals(frame)
    else:
        households = frame.with_columns(
            pl.int_range(pl.len()).alias(s.H_IDX), pl.lit(1, dtype=pl.UInt32).alias("member_count")
        )
        persons = households.with_columns(pl.lit(True).alias("is_head"))
    persons = persons.select(
        s.H_IDX,
        "is_head",
        *PERSON_COLUMNS,
        pl.col("nik").cast(pl.Int64, strict=False).alias("nik_int"),
    )
    if not (persons[s.H_IDX].is_sorted() and persons["is_head"].all()):  # a household list is in order
        persons = persons.sort(s.H_IDX, "is_head", descending=[False, True], maintain_order=True)
    persons = persons.with_columns(pl.int_range(pl.len()).alias(s.T_IDX))
    households = households.drop("_row_order", "_family", "is_head", strict=False)
    return households, persons


def prepare_submissions(frame: pl.DataFrame) -> pl.DataFrame:
    """Submission rows with an ``s_idx`` and every column the matcher reads."""
    frame = ensure_columns(ensure_columns(frame, PERSON_COLUMNS), HOUSEHOLD_COLUMNS)
    return frame.with_columns(
        evaluated(frame, desa_code_expr()).to_series(), pl.int_range(pl.len()).alias(s.S_IDX)
    )
