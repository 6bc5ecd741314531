"""Score a reconcile against ground truth (the sample generator's truth_rows.parquet)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class Accuracy:
    """Link quality of auto-accepted (``matched``) links, and how much was left for review."""

    rows: int
    true_links: int
    accepted: int
    accepted_correct: int
    review: int
    review_correct: int
    missed: int
    rows_missing_from_matches: int
    rows_duplicated_in_matches: int

    @property
    def precision(self) -> float:
        """Share of accepted links that point at the right household."""
        return self.accepted_correct / self.accepted if self.accepted else 1.0

    @property
    def recall(self) -> float:
        """Share of true links that were accepted and right."""
        return self.accepted_correct / self.true_links if self.true_links else 1.0

    @property
    def review_share(self) -> float:
        """Share of submission rows left for review."""
        return self.review / self.rows if self.rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data with the derived rates."""
        return {
            **asdict(self),
            "precision": self.precision,
            "recall": self.recall,
            "review_share": self.review_share,
        }


def evaluate(matches: pl.DataFrame, truth_rows: pl.DataFrame) -> Accuracy:
    """Compare ``matches.parquet`` rows with the truth, joined on file name, sheet and row."""
    predicted = matches.filter(pl.col("submission_row").is_not_null()).with_columns(
        pl.col("submission_file").str.replace(r"^.*[\\/]", "").alias("file_name")
    )
    keys = ["file_name", "source_sheet", "source_row"]
    predicted = predicted.rename({"submission_sheet": "source_sheet", "submission_row": "source_row"})
    truth = truth_rows.select(*keys, pl.col("province_id").alias("true_id"))
    joined = truth.join(predicted, on=keys, how="left", nulls_equal=True)
    counts = joined.group_by(keys).agg(
        pl.len().alias("n"), pl.col("match_status").is_null().all().alias("absent")
    )
    linked_true = pl.col("true_id").is_not_null()
    right = pl.col("province_id") == pl.col("true_id")
    stats = joined.select(
        pl.len().alias("rows"),
        linked_true.sum().alias("true_links"),
        (pl.col("match_status") == "matched").sum().alias("accepted"),
        ((pl.col("match_status") == "matched") & right).sum().alias("accepted_correct"),
        (pl.col("match_status") == "review").sum().alias("review"),
        ((pl.col("match_status") == "review") & right).sum().alias("review_correct"),
        (linked_true & (pl.col("match_status") != "matched")).sum().alias("missed"),
    ).row(0, named=True)
    return Accuracy(
        **{k: int(v) for k, v in stats.items()},
        rows_missing_from_matches=int(counts["absent"].sum()),
        rows_duplicated_in_matches=int((counts["n"] > 1).sum()),
    )
