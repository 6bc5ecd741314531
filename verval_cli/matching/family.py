"""Who heads a family and which rows make it: the one fold of an individual-level list into households.

An individual-level list (P3KE individu, Dukcapil DKB/SIAK, OpenSID penduduk, DTKS/SIKS ART) has one row
per person and says each person's relation to the head ("hubungan dengan kepala keluarga", SHDK).

* The head: a relation of code 1 ("1", "01", " 01 " — Dukcapil STAT_HBKEL, OpenSID kk_level, DTKS
  HubKRT), or a word starting with KEPALA ("Kepala Keluarga", "KEPALA RUMAH TANGGA", "Kepala"), or the
  abbreviations KK / KRT, optionally after the code ("1. Kepala Keluarga", "01 - KRT").
* The family: the household id when the row has one, else its No KK when that is 16 digits and not
  Excel-damaged (damaged No KKs of families registered on the same day round to one value). A row
  with neither belongs to the family of the nearest row above it that has one or is a head: family
  members sit on adjacent rows. Rows above the first such row make one family.
* A family with no marked head is headed by its first listed member; with two marked heads, by the
  first listed one (the other stays a member).

A list is individual-level when some of its rows, not all, are marked head; with no mark at all (no
relation column, or a vocabulary not listed here) each row is taken as a household.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from verval_cli import schema as s

# Relation-to-head values that mark the head of the family: code 1, KEPALA..., KK, KRT (see above).
HEAD_PATTERN: Final = r"(?i)^\s*(0*1|(0*1\s*[.)\-:]?\s*)?(KEPALA.*|KK\b.*|KRT\b.*))\s*$"

FAMILY: Final = "_family"
ROW_ORDER: Final = "_row_order"


def is_head_expr(column: str = s.RELATION) -> pl.Expr:
    """True where ``column`` marks the head of the family; False for other relations and for nulls."""
    return pl.col(column).cast(pl.Utf8).str.contains(HEAD_PATTERN).fill_null(False)


def is_individual_level(frame: pl.DataFrame) -> bool:
    """An individual-level list names each person's relation to the head, with several people per family."""
    if s.RELATION not in frame.columns or frame.height == 0:
        return False
    heads = frame.select(is_head_expr().sum()).item()
    return bool(0 < heads < frame.height)


def usable_no_kk() -> pl.Expr:
    """No KK that can group a family: 16 digits, and not rounded by Excel (which merges families)."""
    digits = pl.col(s.NO_KK).str.contains(r"^\d{16}$").fill_null(False)
    return digits & (pl.col(f"{s.NO_KK}_status") != s.NIK_EXCEL_DAMAGED).fill_null(True)


def family_expr() -> pl.Expr:
    """Each row's family key, for rows in list order (see the module docstring)."""
    own = pl.coalesce(
        pl.when(pl.col(s.HOUSEHOLD_ID).is_not_null()).then(pl.lit("id:") + pl.col(s.HOUSEHOLD_ID)),
        pl.when(usable_no_kk()).then(pl.lit("kk:") + pl.col(s.NO_KK)),
    )
    anchor = pl.when(own.is_not_null() | is_head_expr()).then(
        pl.coalesce(own, pl.lit("head:") + pl.int_range(pl.len()).cast(pl.Utf8))
    )
    return anchor.forward_fill().fill_null(pl.lit("block:0")).alias(FAMILY)


def fold_individuals(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, persons) from person rows numbered 0, 1, 2, ... in ``_row_order``.

    households: the head's row of each family, numbered ``h_idx`` in the order of the family's first
    row, with ``member_count``. persons: every row with its ``h_idx`` and ``is_head`` (the chosen head).
    Needs the columns relation, household_id, no_kk and no_kk_status (nulls allowed).
    """
    frame = frame.with_columns(is_head_expr().alias("is_head"), family_expr())
    first = frame.group_by(FAMILY).agg(
        pl.col(ROW_ORDER).filter(pl.col("is_head")).min().alias("_head_row"),
        pl.col(ROW_ORDER).min().alias("_first_row"),
    )
    first = first.with_columns(pl.coalesce("_head_row", "_first_row").alias("_head_row"))
    head_rows = first.sort("_first_row").with_columns(pl.int_range(pl.len()).alias(s.H_IDX))
    households = frame.join(
        head_rows.select(pl.col("_head_row").alias(ROW_ORDER), s.H_IDX), on=ROW_ORDER, maintain_order="left"
    ).sort(s.H_IDX)
    persons = frame.join(head_rows.select(FAMILY, s.H_IDX), on=FAMILY, maintain_order="left").with_columns(
        pl.col(ROW_ORDER).is_in(head_rows["_head_row"].implode()).alias("is_head")
    )
    households = households.with_columns(
        households.select(s.H_IDX).join(
            persons.group_by(s.H_IDX).agg(pl.len().alias("member_count")), on=s.H_IDX, how="left"
        )["member_count"]
    )
    return households, persons
