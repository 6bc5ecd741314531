"""Checks against the province list (``--province``): unknown IDs, unreported households, other villages.

A row is linked to the list exactly as ``reconcile`` links it (:func:`verval_cli.ingest.link_batch`):
the household a finding names is the one reconcile's ``matches.province_index`` gives the row.
Both a ``matched`` and a ``review`` link count: a review link is still the household the row is
about (reconcile reports it as such, asking for a look); a household is absent when no row of the
batch holds its primary link, reconcile's ``province_only``.
"""

from __future__ import annotations

import polars as pl

from verval_cli import schema
from verval_cli.check import RAW_SCHEMA, finding_rows
from verval_cli.config import MatchingConfig
from verval_cli.ingest import Ingested, Province, link_batch, link_rows
from verval_cli.validate.checks import ROW_KEY
from verval_cli.validate.codes import VCode

ProvinceList = Province  # the name validate's callers knew; one province type for every command


def linked_households(
    batch: Ingested, province: Province, regency: str | None, thresholds: MatchingConfig
) -> pl.DataFrame:
    """Each row of the batch (ROW_KEY, in batch order) with the household reconcile links it to.

    Columns: household_id, nik, row_desa (the row's own desa, not one inferred from its file's other
    rows), h_idx (null when unlinked), role (primary/secondary/member), match_status, h_household_id,
    h_desa.
    """
    rows, links = link_batch(link_rows(batch, regency), province, thresholds)
    households = province.households.select(
        "h_idx", pl.col("household_id").alias("h_household_id"), pl.col("desa_code").alias("h_desa")
    )
    linked = rows.select(
        "s_idx",
        *ROW_KEY,
        "household_id",
        "nik",
        pl.when(~pl.col("desa_inferred")).then(pl.col("desa_code")).alias("row_desa"),
    ).join(
        links.select("s_idx", "h_idx", "role", "match_status"), on="s_idx", how="left", maintain_order="left"
    )
    return linked.join(households, on="h_idx", how="left", maintain_order="left")


def _select(
    hits: pl.DataFrame, code: VCode, field: str | None, value: pl.Expr, detail: pl.Expr
) -> pl.DataFrame:
    return finding_rows(hits, code, field, value=value, detail=detail)


def _other_desa(column: str) -> pl.Expr:
    return pl.format("terdaftar di desa {}", pl.col(column))


def province_findings(
    batch: Ingested,
    province: Province,
    files: pl.DataFrame,
    *,
    regency: str | None,
    thresholds: MatchingConfig,
) -> pl.DataFrame:
    """Findings of the province checks (RAW_SCHEMA).

    ``files`` has one row per readable input in batch order: ``source_file``, ``desa_code`` (its desa).
    """
    rows = linked_households(batch, province, regency, thresholds)
    listed_ids = province.households.select("household_id").drop_nulls()
    unknown_id = rows.filter(pl.col("household_id").is_not_null()).join(
        listed_ids, on="household_id", how="anti", maintain_order="left"
    )
    elsewhere = rows.filter(
        pl.col("row_desa").is_not_null() & (pl.col("h_desa") != pl.col("row_desa")).fill_null(False)
    )
    by_id = (pl.col("household_id") == pl.col("h_household_id")).fill_null(False)
    out = [
        _select(
            unknown_id,
            VCode.HOUSEHOLD_ID_NOT_ON_LIST,
            "household_id",
            pl.col("household_id"),
            pl.lit(None, pl.Utf8),
        ),
        # The key the row names its household by: its household ID when that is the list's, else its NIK.
        _select(
            elsewhere.filter(by_id),
            VCode.ROW_IN_OTHER_VILLAGE,
            "household_id",
            pl.col("household_id"),
            _other_desa("h_desa"),
        ),
        _select(
            elsewhere.filter(~by_id), VCode.ROW_IN_OTHER_VILLAGE, "nik", pl.col("nik"), _other_desa("h_desa")
        ),
        _absent(rows, province, files),
    ]
    return pl.concat([pl.DataFrame(schema=RAW_SCHEMA), *out])


def _absent(rows: pl.DataFrame, province: Province, files: pl.DataFrame) -> pl.DataFrame:
    """Listed households of each submitted desa that no row of the batch claims; reported on the desa's first file."""
    claimed = rows.filter(pl.col("role") == "primary").select("h_idx")
    first_file = (
        files.filter(pl.col("desa_code").is_not_null())
        .group_by("desa_code", maintain_order=True)
        .agg(pl.col(schema.SOURCE_FILE).first())
    )
    listed = province.households.select(
        "h_idx", "household_id", "desa_code", schema.SOURCE_ROW, pl.col("name_raw")
    )
    absent = (
        listed.join(first_file, on="desa_code", how="inner")
        .join(claimed, on="h_idx", how="anti")
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
