"""Household-aware, explainable linkage of submission rows to the province list."""

from __future__ import annotations

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.matching.assign import assign
from verval_cli.matching.candidates import desa_candidates, exact_candidates
from verval_cli.matching.prepare import prepare_province, prepare_submissions
from verval_cli.matching.score import attach_sides, compare, evidence_text, weigh

__all__ = ["link", "prepare_province", "prepare_submissions"]


def _with_name_frequency(persons: pl.DataFrame) -> pl.DataFrame:
    total = max(persons.height, 1)
    return persons.with_columns((pl.len().over("name") / total).alias("name_frequency"))


def _score(
    pairs: pl.DataFrame, rows: pl.DataFrame, persons: pl.DataFrame, households: pl.DataFrame
) -> pl.DataFrame:
    scored = weigh(compare(attach_sides(pairs, rows, persons, households)))
    return scored.with_columns(evidence_text(scored).alias("evidence"))


def link(
    rows: pl.DataFrame, households: pl.DataFrame, persons: pl.DataFrame, thresholds: MatchingConfig
) -> pl.DataFrame:
    """Link prepared submission rows to prepared province households; one row per link.

    Exact keys (id, NIK, No KK, damaged NIK) are scored and assigned first; rows and households left
    over are then compared fuzzily within their desa, and everything is assigned again together so a
    fuzzy pair never steals a household from a better exact one.
    """
    persons = _with_name_frequency(persons)
    exact = _score(exact_candidates(rows, persons, households), rows, persons, households)
    first = assign(exact, thresholds)
    open_rows = rows.join(first.filter(pl.col("role") == "primary").select("s_idx"), on="s_idx", how="anti")
    # Open rows are compared with every person of their desa, so a retyped duplicate still finds its household.
    fuzzy_pairs = desa_candidates(open_rows, persons, households)
    if fuzzy_pairs.height == 0:
        return first
    fuzzy_pairs = fuzzy_pairs.join(exact.select("s_idx", "t_idx"), on=["s_idx", "t_idx"], how="anti")
    fuzzy = _score(fuzzy_pairs, rows, persons, households)
    return assign(pl.concat([exact, fuzzy], how="vertical_relaxed"), thresholds)
