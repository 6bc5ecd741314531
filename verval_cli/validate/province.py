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
        schema.H_IDX,
        pl.col(schema.HOUSEHOLD_ID).alias(schema.HOUSEHOLD_SIDE + schema.HOUSEHOLD_ID),
        pl.col(schema.DESA_CODE).alias("h_desa"),
    )
    linked = rows.select(
        schema.S_IDX,
        *ROW_KEY,
        schema.HOUSEHOLD_ID,
        schema.NIK,
        pl.when(~pl.col(schema.DESA_INFERRED)).then(pl.col(schema.DESA_CODE)).alias("row_desa"),
    ).join(
        links.select(schema.S_IDX, schema.H_IDX, schema.ROLE, schema.MATCH_STATUS),
        on=schema.S_IDX,
        how="left",
        maintain_order="left",
    )
    return linked.join(households, on=schema.H_IDX, how="left", maintain_order="left")


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
    listed_ids = province.households.select(schema.HOUSEHOLD_ID).drop_nulls()
    unknown_id = rows.filter(pl.col(schema.HOUSEHOLD_ID).is_not_null()).join(
        listed_ids, on=schema.HOUSEHOLD_ID, how="anti", maintain_order="left"
    )
    elsewhere = rows.filter(
        pl.col("row_desa").is_not_null() & (pl.col("h_desa") != pl.col("row_desa")).fill_null(False)
    )
    by_id = (pl.col(schema.HOUSEHOLD_ID) == pl.col(schema.HOUSEHOLD_SIDE + schema.HOUSEHOLD_ID)).fill_null(
        False
    )
    out = [
        _select(
            unknown_id,
            VCode.HOUSEHOLD_ID_NOT_ON_LIST,
            schema.HOUSEHOLD_ID,
            pl.col(schema.HOUSEHOLD_ID),
            pl.lit(None, pl.Utf8),
        ),
        # The key the row names its household by: its household ID when that is the list's, else its NIK.
        _select(
            elsewhere.filter(by_id),
            VCode.ROW_IN_OTHER_VILLAGE,
            schema.HOUSEHOLD_ID,
            pl.col(schema.HOUSEHOLD_ID),
            _other_desa("h_desa"),
        ),
        _select(
            elsewhere.filter(~by_id),
            VCode.ROW_IN_OTHER_VILLAGE,
            schema.NIK,
            pl.col(schema.NIK),
            _other_desa("h_desa"),
        ),
        _absent(rows, province, files),
    ]
    return pl.concat([pl.DataFrame(schema=RAW_SCHEMA), *out])


def _absent(rows: pl.DataFrame, province: Province, files: pl.DataFrame) -> pl.DataFrame:
    """Listed households of each submitted desa that no row of the batch claims; reported on the desa's first file."""
    claimed = rows.filter(pl.col(schema.ROLE) == schema.PRIMARY).select(schema.H_IDX)
    first_file = (
        files.filter(pl.col(schema.DESA_CODE).is_not_null())
        .group_by(schema.DESA_CODE, maintain_order=True)
        .agg(pl.col(schema.SOURCE_FILE).first())
    )
    listed = province.households.select(
        schema.H_IDX, schema.HOUSEHOLD_ID, schema.DESA_CODE, schema.SOURCE_ROW, pl.col("name_raw")
    )
    absent = (
        listed.join(first_file, on=schema.DESA_CODE, how="inner")
        .join(claimed, on=schema.H_IDX, how="anti")
        .sort(schema.H_IDX)
    )
    detail = pl.format(
        "{} (daftar provinsi baris {})", pl.col("name_raw").fill_null("-"), pl.col(schema.SOURCE_ROW)
    )
    return finding_rows(
        absent,
        VCode.LISTED_HOUSEHOLD_ABSENT,
        None,
        value=pl.col(schema.HOUSEHOLD_ID),
        detail=detail,
        where=(schema.SOURCE_FILE, None, None),
    )
