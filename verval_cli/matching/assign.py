"""Turn scored pairs into links: each household is the primary match of at most one row."""

from __future__ import annotations

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.matching import rules


def best_per_household(scored: pl.DataFrame) -> pl.DataFrame:
    """Keep, for each (row, household), the person pair with the most weight (deterministic ties)."""
    return scored.sort(["s_idx", "h_idx", "weight", "t_idx"], descending=[False, False, True, False]).unique(
        subset=["s_idx", "h_idx"], keep="first", maintain_order=True
    )


def assign(scored: pl.DataFrame, thresholds: MatchingConfig) -> pl.DataFrame:
    """Links with ``role`` (primary/secondary) and ``match_status`` (matched/review) for each linked row.

    Primary links are chosen greedily by weight, one per row and per household. A row whose best
    household was taken by a better row keeps a secondary link to it (a duplicate report). A primary
    link is only ``matched`` when it reaches the accept threshold and no other household fits the row
    almost as well; otherwise it is ``review``.
    """
    pairs = best_per_household(scored).filter(pl.col("score") >= thresholds.review)
    ordered = pairs.sort(["weight", "s_idx", "h_idx"], descending=[True, False, False])
    taken_rows: set[int] = set()
    taken_households: dict[int, float] = {}
    primary: list[tuple[int, int]] = []
    for s_idx, h_idx, weight in ordered.select("s_idx", "h_idx", "weight").iter_rows():
        if s_idx in taken_rows or h_idx in taken_households:
            continue
        taken_rows.add(s_idx)
        taken_households[h_idx] = weight
        primary.append((s_idx, h_idx))
    primary_frame = pl.DataFrame(primary, schema={"s_idx": pl.Int64, "h_idx": pl.Int64}, orient="row")
    primary_links = primary_frame.join(pairs, on=["s_idx", "h_idx"], how="left").with_columns(
        pl.lit("primary").alias("role")
    )
    owner_weight = pl.DataFrame(
        {"h_idx": list(taken_households), "_owner_weight": list(taken_households.values())},
        schema={"h_idx": pl.Int64, "_owner_weight": pl.Float64},
    )
    # A rival household counts against a primary link unless a better row already owns it.
    rivals = (
        pairs.join(primary_frame, on=["s_idx", "h_idx"], how="anti")
        .join(owner_weight, on="h_idx", how="left")
        .filter(pl.col("_owner_weight").is_null() | (pl.col("_owner_weight") <= pl.col("weight")))
        .group_by("s_idx")
        .agg(pl.col("weight").max().alias("rival_weight"))
    )
    primary_links = primary_links.join(rivals, on="s_idx", how="left").with_columns(
        (
            (pl.col("score") >= thresholds.accept)
            & (
                pl.col("rival_weight").is_null()
                | ((pl.col("weight") - pl.col("rival_weight")) >= rules.AMBIGUITY_MARGIN)
            )
        ).alias("_accepted")
    )
    secondary = (
        pairs.join(primary_frame.select("s_idx"), on="s_idx", how="anti")
        .sort(["s_idx", "weight", "h_idx"], descending=[False, True, False])
        .unique(subset=["s_idx"], keep="first", maintain_order=True)
        .with_columns(
            pl.lit("secondary").alias("role"),
            pl.lit(None, dtype=pl.Float64).alias("rival_weight"),
            (pl.col("score") >= thresholds.accept).alias("_accepted"),
        )
    )
    links = pl.concat([primary_links, secondary.select(primary_links.columns)], how="vertical_relaxed")
    return (
        links.with_columns(
            pl.when(pl.col("_accepted"))
            .then(pl.lit("matched"))
            .otherwise(pl.lit("review"))
            .alias("match_status")
        )
        .drop("_accepted")
        .sort("s_idx")
    )
