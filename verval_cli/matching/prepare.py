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
from verval_cli.regions import code_digits

# Relation-to-head values that mark the head of the family ("Kepala Keluarga", "KK", "KRT", code 1).
HEAD_PATTERN = r"(?i)^\s*(KEPALA|KK\b|KRT\b|1$)"

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


def _valid_id(column: str) -> pl.Expr:
    return pl.col(column).str.contains(r"^\d{16}$").fill_null(False)


def is_individual_level(frame: pl.DataFrame) -> bool:
    """An individual-level list names each person's relation to the head, with several people per family."""
    if "relation" not in frame.columns or frame.height == 0:
        return False
    heads = frame.select(pl.col("relation").str.contains(HEAD_PATTERN).fill_null(False).sum()).item()
    return bool(0 < heads < frame.height)


def prepare_province(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, persons) from a normalised province list at household or individual level."""
    frame = ensure_columns(ensure_columns(frame, PERSON_COLUMNS), HOUSEHOLD_COLUMNS)
    frame = frame.with_columns(
        evaluated(frame, desa_code_expr()).to_series(), pl.int_range(pl.len()).alias("_row_order")
    )
    if is_individual_level(frame):
        is_head = pl.col("relation").str.contains(HEAD_PATTERN).fill_null(False)
        # Members share an id or a No KK; without either, a family runs from one head row to the next.
        block = pl.lit("block:") + is_head.cum_sum().cast(pl.Utf8)
        family = pl.coalesce(pl.col("household_id"), pl.when(_valid_id("no_kk")).then(pl.col("no_kk")), block)
        frame = frame.with_columns(is_head.alias("is_head"), family.alias("_family"))
        first = frame.group_by("_family").agg(
            pl.col("_row_order").filter(pl.col("is_head")).first().alias("_head_row"),
            pl.col("_row_order").first().alias("_first_row"),
        )
        first = first.with_columns(pl.coalesce("_head_row", "_first_row").alias("_head_row"))
        head_rows = first.sort("_first_row").with_columns(pl.int_range(pl.len()).alias("h_idx"))
        households = frame.join(
            head_rows.select(pl.col("_head_row").alias("_row_order"), "h_idx"), on="_row_order"
        ).sort("h_idx")
        persons = frame.join(head_rows.select("_family", "h_idx"), on="_family").with_columns(
            (pl.col("_row_order").is_in(head_rows["_head_row"].implode())).alias("is_head")
        )
        households = households.with_columns(
            households.select("h_idx").join(
                persons.group_by("h_idx").agg(pl.len().alias("member_count")), on="h_idx", how="left"
            )["member_count"]
        )
    else:
        households = frame.with_columns(
            pl.int_range(pl.len()).alias("h_idx"), pl.lit(1, dtype=pl.UInt32).alias("member_count")
        )
        persons = households.with_columns(pl.lit(True).alias("is_head"))
    persons = persons.select(
        "h_idx",
        "is_head",
        *PERSON_COLUMNS,
        pl.col("nik").cast(pl.Int64, strict=False).alias("nik_int"),
    )
    if not (persons["h_idx"].is_sorted() and persons["is_head"].all()):  # a household list is in order
        persons = persons.sort("h_idx", "is_head", descending=[False, True])
    persons = persons.with_columns(pl.int_range(pl.len()).alias("t_idx"))
    households = households.drop("_row_order", "_family", "is_head", strict=False)
    return households, persons


def prepare_submissions(frame: pl.DataFrame) -> pl.DataFrame:
    """Submission rows with an ``s_idx`` and every column the matcher reads."""
    frame = ensure_columns(ensure_columns(frame, PERSON_COLUMNS), HOUSEHOLD_COLUMNS)
    return frame.with_columns(
        evaluated(frame, desa_code_expr()).to_series(), pl.int_range(pl.len()).alias("s_idx")
    )
