"""Fold an individual-level list (one row per person) into one row per family."""

from __future__ import annotations

from typing import Final

import polars as pl

from verval_cli import schema

HOUSEHOLD_KEY: Final = "household_key"
MEMBER_COUNT: Final = "member_count"
MEMBER_NIKS: Final = "member_niks"
HEAD_INFERRED: Final = "head_inferred"

# "Kepala Keluarga", "KEPALA RUMAH TANGGA", "KRT", and code 1 of the DTKS/P3KE relation lists.
_HEAD_RE: Final = r"(?i)^\s*(KEPALA\s*(KELUARGA|RUMAH\s*TANGGA|RUTA)|KRT|KK|0?1)\s*$"
_ORDER: Final = "__order"
_IS_HEAD: Final = "__is_head"


def _text(frame: pl.DataFrame, name: str) -> pl.Expr:
    if name in frame.columns:
        return pl.col(name).cast(pl.Utf8).str.strip_chars().replace("", None)
    return pl.lit(None, dtype=pl.Utf8)


def households_from_individuals(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) from rows with a ``relation`` column.

    Families are grouped by ``household_id``, else ``no_kk``; a row with neither is a family of its own.
    Each household row is the head's row (``relation`` "Kepala Keluarga"); when no member is the head,
    the first member stands in and ``head_inferred`` is True.
    """
    provenance = [pl.col(c).cast(pl.Utf8).fill_null("") for c in schema.PROVENANCE if c in frame.columns] or [
        pl.lit("")
    ]
    key = (
        pl.when(_text(frame, schema.HOUSEHOLD_ID).is_not_null())
        .then(pl.lit("id:") + _text(frame, schema.HOUSEHOLD_ID))
        .when(_text(frame, schema.NO_KK).is_not_null())
        .then(pl.lit("kk:") + _text(frame, schema.NO_KK))
        .otherwise(pl.lit("row:") + pl.concat_str(provenance, separator="#"))
    )
    is_head = _text(frame, schema.RELATION).str.contains(_HEAD_RE).fill_null(False)
    members = frame.with_row_index(_ORDER).with_columns(key.alias(HOUSEHOLD_KEY), is_head.alias(_IS_HEAD))
    nik = _text(frame, schema.NIK)
    stats = members.group_by(HOUSEHOLD_KEY).agg(
        pl.len().cast(pl.Int64).alias(MEMBER_COUNT),
        nik.sort_by(_ORDER).drop_nulls().alias(MEMBER_NIKS),
        pl.col(_ORDER).min().alias("__first"),
    )
    heads = (
        members.sort([_IS_HEAD, _ORDER], descending=[True, False])
        .unique(subset=HOUSEHOLD_KEY, keep="first", maintain_order=True)
        .join(stats, on=HOUSEHOLD_KEY, how="left")
        .sort("__first")
        .with_columns((~pl.col(_IS_HEAD)).alias(HEAD_INFERRED))
        .drop(_ORDER, _IS_HEAD, "__first")
    )
    return heads, members.drop(_ORDER, _IS_HEAD)
