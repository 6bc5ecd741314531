"""Checks against the province list (``--province``): unknown IDs, unreported households, other villages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from verval_cli import schema
from verval_cli.check import RAW_SCHEMA, finding_rows
from verval_cli.config import Config
from verval_cli.errors import InputFileError
from verval_cli.io import expand_paths, load_tables
from verval_cli.matching.prepare import desa_code_expr, ensure_columns, prepare_province
from verval_cli.normalize import normalize_frame
from verval_cli.row_desa import infer_regency, resolve_row_desa
from verval_cli.validate.checks import ROW_KEY
from verval_cli.validate.codes import VCode


@dataclass(frozen=True)
class ProvinceList:
    """The households of the province list and the NIKs that point at them."""

    households: pl.DataFrame  # h_idx, household_id, desa_code, name_raw, source_row
    persons: pl.DataFrame  # nik (valid only, one row per NIK), nik_int, name_key, h_idx
    regency: str | None  # the majority regency (4 digits) of its desa codes


_DESA_COLUMNS: dict[str, pl.DataType] = {
    "region_code": pl.Utf8(),
    "region_code_resolved": pl.Utf8(),
    schema.SOURCE_DESA_CODE: pl.Utf8(),
}


def load_province(path: str | Path, config: Config, *, regency: str | None = None) -> ProvinceList:
    """Read and prepare the province list; raise InputFileError when it cannot be used."""
    loaded = load_tables(expand_paths([str(path)]), config, regency=regency)
    if loaded.failures and loaded.frame.height == 0:
        raise InputFileError(str(path), loaded.failures[0].reason, sheet=loaded.failures[0].sheet)
    if loaded.frame.height == 0:
        raise InputFileError(str(path), "the province list holds no household rows")
    frame = normalize_frame(loaded.frame, config)
    households, persons = prepare_province(
        resolve_row_desa(frame, infer_regency(frame, regency or config.regency))
    )
    households = ensure_columns(households, {"name_raw": pl.Utf8(), schema.SOURCE_ROW: pl.Int64()})
    regencies = Counter(c[:4] for c in households["desa_code"].drop_nulls().to_list())
    return ProvinceList(
        households=households.select("h_idx", "household_id", "desa_code", "name_raw", schema.SOURCE_ROW),
        persons=persons.filter(pl.col("nik_status") == schema.NIK_VALID)
        .select("nik", "nik_int", "name_key", "h_idx")
        .unique("nik", keep="first", maintain_order=True),
        regency=regencies.most_common(1)[0][0] if regencies else None,
    )


def _linked(frame: pl.DataFrame, province: ProvinceList) -> pl.DataFrame:
    """Each row with the household it names: by household ID first, else by a listed NIK."""
    by_id = province.households.select(
        "household_id", pl.col("h_idx").alias("id_h"), pl.col("desa_code").alias("id_desa")
    ).unique("household_id", keep="first", maintain_order=True)
    by_nik = province.persons.join(
        province.households.select("h_idx", pl.col("desa_code").alias("nik_desa")), on="h_idx"
    ).rename({"h_idx": "nik_h"})
    frame = ensure_columns(frame, _DESA_COLUMNS)
    rows = frame.select(
        *ROW_KEY,
        "household_id",
        "nik",
        "nik_status",
        schema.SOURCE_DESA_CODE,
        desa_code_expr().alias("row_desa"),
    )
    rows = rows.join(by_id, on="household_id", how="left", maintain_order="left")
    valid_nik = pl.when(pl.col("nik_status") == schema.NIK_VALID).then(pl.col("nik"))
    rows = rows.with_columns(valid_nik.alias("nik")).join(by_nik, on="nik", how="left", maintain_order="left")
    rows = rows.join(_damaged_links(frame, province), on=list(ROW_KEY), how="left", nulls_equal=True)
    return rows.with_columns(pl.coalesce("id_h", "nik_h", "damaged_h").alias("h_idx"))


def _damaged_links(frame: pl.DataFrame, province: ProvinceList) -> pl.DataFrame:
    """Rows whose Excel-damaged NIK bounds exactly one listed NIK of their desa (or one of the same name).

    Without this, every household of a file with damaged NIKs would look unreported.
    """
    frame = ensure_columns(frame, _DESA_COLUMNS)
    damaged = frame.filter(pl.col("nik_lo").is_not_null()).select(
        *ROW_KEY, "nik_lo", "nik_hi", "name_key", desa_code_expr().alias("desa_code")
    )
    listed = province.persons.join(province.households.select("h_idx", "desa_code"), on="h_idx").select(
        "desa_code", "nik_int", pl.col("name_key").alias("listed_key"), pl.col("h_idx").alias("damaged_h")
    )
    pairs = damaged.join(listed, on="desa_code").filter(pl.col("nik_int").is_between("nik_lo", "nik_hi"))
    same_name = pl.col("name_key") == pl.col("listed_key")
    unique = pairs.filter((pl.len().over(ROW_KEY) == 1) | (same_name & (same_name.sum().over(ROW_KEY) == 1)))
    return unique.select(*ROW_KEY, "damaged_h").unique(list(ROW_KEY), keep="any")


def _select(
    hits: pl.DataFrame, code: VCode, field: str | None, value: pl.Expr, detail: pl.Expr
) -> pl.DataFrame:
    return finding_rows(hits, code, field, value=value, detail=detail)


def _other_desa(column: str) -> pl.Expr:
    return pl.format("terdaftar di desa {}", pl.col(column))


def province_findings(frame: pl.DataFrame, province: ProvinceList, files: pl.DataFrame) -> pl.DataFrame:
    """Findings of the province checks (RAW_SCHEMA).

    ``files`` has one row per readable input in batch order: ``source_file``, ``desa_code`` (its desa).
    """
    rows = _linked(frame, province)
    elsewhere = pl.col("row_desa").is_not_null()
    out = [
        _select(
            rows.filter(pl.col("household_id").is_not_null() & pl.col("id_h").is_null()),
            VCode.HOUSEHOLD_ID_NOT_ON_LIST,
            "household_id",
            pl.col("household_id"),
            pl.lit(None, pl.Utf8),
        ),
        _select(
            rows.filter(elsewhere & (pl.col("id_desa") != pl.col("row_desa")).fill_null(False)),
            VCode.ROW_IN_OTHER_VILLAGE,
            "household_id",
            pl.col("household_id"),
            _other_desa("id_desa"),
        ),
        _select(
            rows.filter(
                elsewhere
                & pl.col("id_h").is_null()
                & (pl.col("nik_desa") != pl.col("row_desa")).fill_null(False)
            ),
            VCode.ROW_IN_OTHER_VILLAGE,
            "nik",
            pl.col("nik"),
            _other_desa("nik_desa"),
        ),
        _absent(rows, province, files),
    ]
    return pl.concat([pl.DataFrame(schema=RAW_SCHEMA), *out])


def _absent(rows: pl.DataFrame, province: ProvinceList, files: pl.DataFrame) -> pl.DataFrame:
    """Listed households of each submitted desa that no file of that desa names; reported on its first file."""
    reported = (
        rows.filter(pl.col("h_idx").is_not_null())
        .select(pl.col(schema.SOURCE_DESA_CODE).alias("desa_code"), "h_idx")
        .unique()
    )
    first_file = (
        files.filter(pl.col("desa_code").is_not_null())
        .group_by("desa_code", maintain_order=True)
        .agg(pl.col(schema.SOURCE_FILE).first())
    )
    absent = (
        province.households.join(first_file, on="desa_code", how="inner")
        .join(reported, on=["desa_code", "h_idx"], how="anti")
        .sort("h_idx")
    )
    detail = pl.format(
        "{} (daftar provinsi baris {})", pl.col("name_raw").fill_null("-"), pl.col(schema.SOURCE_ROW)
    )
    return finding_rows(
        absent,
        VCode.LISTED_HOUSEHOLD_ABSENT,
        None,
        value=pl.col("household_id"),
        detail=detail,
        where=(schema.SOURCE_FILE, None, None),
    )
