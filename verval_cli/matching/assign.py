"""Turn scored pairs into links: each household is the primary match of at most one row."""

from __future__ import annotations

import polars as pl

from verval_cli.config import MatchingConfig
from verval_cli.matching import rules
from verval_cli.schema import H_IDX, S_IDX, T_IDX


def best_per_household(scored: pl.DataFrame) -> pl.DataFrame:
    """Keep, for each (row, household), the person pair with the most weight (deterministic ties)."""
    return (
        scored.lazy()  # polars' streaming engine sorts and dedupes this about twice as fast as eagerly
        .sort([S_IDX, H_IDX, "weight", T_IDX], descending=[False, False, True, False])
        .unique(subset=[S_IDX, H_IDX], keep="first", maintain_order=True)
        .collect()
    )


def greedy_one_to_one(
    pairs: pl.DataFrame, max_rounds: int = 100, carry: tuple[str, ...] = ()
) -> pl.DataFrame:
    """(s_idx, h_idx) of the greedy one-to-one matching: heaviest pair first, ties by s_idx, h_idx.

    Columns named in ``carry`` come along with each chosen pair.

    Vectorised as rounds of mutual best choices: a pair that is both its row's and its household's
    first choice is exactly a pair greedy would take, so each round takes them all at once; a
    strict order (weight, s_idx, h_idx) makes the result identical to the one-at-a-time greedy.
    """
    ranked = (
        pairs.lazy()
        .select(S_IDX, H_IDX, "weight", *carry)
        .sort(["weight", S_IDX, H_IDX], descending=[True, False, False])
        .with_columns(pl.int_range(pl.len()).alias("_order"))
        .collect()
    )
    taken: list[pl.DataFrame] = []
    for _ in range(max_rounds):
        if ranked.height == 0:
            break
        mutual = (
            ranked.lazy()
            .filter(
                (pl.col("_order") == pl.col("_order").min().over(S_IDX))
                & (pl.col("_order") == pl.col("_order").min().over(H_IDX))
            )
            .select(S_IDX, H_IDX, *carry)
            .collect()
        )
        taken.append(mutual)
        ranked = (
            ranked.lazy()
            .join(mutual.lazy().select(S_IDX), on=S_IDX, how="anti")
            .join(mutual.lazy().select(H_IDX), on=H_IDX, how="anti")
            .collect()
        )
    if ranked.height:  # long chains of near-equal choices: finish one pair at a time
        rows: set[int] = set()
        households: set[int] = set()
        kept: list[int] = []
        ordered = ranked.sort("_order")
        for at, (s_idx, h_idx) in enumerate(ordered.select(S_IDX, H_IDX).iter_rows()):
            if s_idx not in rows and h_idx not in households:
                rows.add(s_idx)
                households.add(h_idx)
                kept.append(at)
        taken.append(ordered[kept].select(S_IDX, H_IDX, *carry))
    if not taken:
        return pairs.select(S_IDX, H_IDX, *carry).clear().cast({S_IDX: pl.Int64, H_IDX: pl.Int64})
    return pl.concat(taken).cast({S_IDX: pl.Int64, H_IDX: pl.Int64}).sort(S_IDX)


_PAIR = "_pair"


def _primary(
    scored: pl.DataFrame, thresholds: MatchingConfig
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The pairs' keys (indexed by _PAIR), the best pair per (row, household), and the primary choice."""
    keys = scored.select(S_IDX, H_IDX, T_IDX, "weight", "score").with_row_index(_PAIR)
    # The score grows with the weight, so dropping pairs under the review threshold first keeps the
    # same best pair per (row, household) wherever that best pair reaches the threshold.
    reviewed = keys.filter(pl.col("score") >= thresholds.review)
    # A household-level list has one person per household: (row, household) is then unique already
    # and there is nothing to choose between (the steps after this one do not depend on row order).
    pairs = reviewed if _one_pair_per_household(reviewed) else best_per_household(reviewed)
    return keys, pairs, greedy_one_to_one(pairs, carry=(_PAIR,))


def _one_pair_per_household(pairs: pl.DataFrame) -> bool:
    """Whether no (s_idx, h_idx) occurs twice (checked on one integer key: cheaper than on two)."""
    if pairs.height == 0:
        return True
    width = int(pairs[H_IDX].max()) + 1  # type: ignore[arg-type]
    key = pl.col(S_IDX).cast(pl.Int64) * width + pl.col(H_IDX).cast(pl.Int64)
    return int(pairs.select(key.n_unique()).item()) == pairs.height


def primary_rows(scored: pl.DataFrame, thresholds: MatchingConfig) -> pl.DataFrame:
    """The rows (``s_idx``) :func:`assign` would give a primary link, without building the links."""
    return _primary(scored, thresholds)[2].select(S_IDX)


def assign(scored: pl.DataFrame, thresholds: MatchingConfig) -> pl.DataFrame:
    """Links with ``role`` (primary/secondary) and ``match_status`` (matched/review) for each linked row.

    Primary links are chosen greedily by weight, one per row and per household. A row whose best
    household was taken by a better row keeps a secondary link to it (a duplicate report). A primary
    link is only ``matched`` when it reaches the accept threshold and no other household fits the row
    almost as well; otherwise it is ``review``.

    The choice is made on the pairs' keys and weights only; the chosen pairs' comparison columns are
    gathered at the end.
    """
    keys, pairs, primary_frame = _primary(scored, thresholds)
    primary_links = keys[primary_frame[_PAIR]].with_columns(pl.lit("primary").alias("role"))
    owner_weight = primary_links.select(H_IDX, pl.col("weight").alias("_owner_weight"))
    # A rival household counts against a primary link unless a better row already owns it.
    rivals = (
        pairs.join(primary_frame.select(_PAIR), on=_PAIR, how="anti")
        .join(owner_weight, on=H_IDX, how="left")
        .filter(pl.col("_owner_weight").is_null() | (pl.col("_owner_weight") <= pl.col("weight")))
        .group_by(S_IDX)
        .agg(pl.col("weight").max().alias("rival_weight"))
    )
    primary_links = primary_links.join(rivals, on=S_IDX, how="left").with_columns(
        (
            (pl.col("score") >= thresholds.accept)
            & rules.clear_of_rival(pl.col("weight"), pl.col("rival_weight"))
        ).alias("_accepted")
    )
    secondary = (
        pairs.join(primary_frame.select(S_IDX), on=S_IDX, how="anti")
        .sort([S_IDX, "weight", H_IDX], descending=[False, True, False])
        .unique(subset=[S_IDX], keep="first", maintain_order=True)
        .with_columns(
            pl.lit("secondary").alias("role"),
            pl.lit(None, dtype=pl.Float64).alias("rival_weight"),
            (pl.col("score") >= thresholds.accept).alias("_accepted"),
        )
    )
    chosen = (
        pl.concat([primary_links, secondary.select(primary_links.columns)], how="vertical_relaxed")
        .sort(S_IDX)
        .select(
            _PAIR,
            "role",
            "rival_weight",
            pl.when(pl.col("_accepted"))
            .then(pl.lit("matched"))
            .otherwise(pl.lit("review"))
            .alias("match_status"),
        )
    )
    columns = [S_IDX, H_IDX, *(c for c in scored.columns if c not in (S_IDX, H_IDX))]
    return scored.select(columns)[chosen[_PAIR]].hstack(chosen.drop(_PAIR))
