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


# A case is a damage kind of the ground truth (``truth_rows.damages``), or ``clean`` for an undamaged row.
CASE_COLUMNS: tuple[str, ...] = (
    "case",
    "rows",
    "true_links",
    "accepted",
    "accepted_correct",
    "review",
    "missed",
    "precision",
    "recall",
    "f1",
    "other_village_rows",
    "other_village_flagged",
)


def evaluate_by_case(matches: pl.DataFrame, truth_rows: pl.DataFrame) -> pl.DataFrame:
    """Accuracy per case: one row per damage kind of the truth (a row counts under each of its kinds).

    ``other_village_flagged``: rows the truth places in another village's file that carry the
    ``in_other_village`` finding in ``matches.parquet``.
    """
    predicted = matches.filter(pl.col("submission_row").is_not_null()).select(
        pl.col("submission_file").str.replace(r"^.*[\\/]", "").alias("file_name"),
        pl.col("submission_sheet").alias("source_sheet"),
        pl.col("submission_row").alias("source_row"),
        "province_id",
        "match_status",
        pl.col("discrepancies").list.contains("in_other_village").fill_null(False).alias("_flagged"),
    )
    keys = ["file_name", "source_sheet", "source_row"]
    truth = truth_rows.select(
        *keys,
        pl.col("province_id").alias("true_id"),
        pl.col("in_other_village").fill_null(False).alias("_other"),
        pl.when(pl.col("damages").list.len() > 0)
        .then(pl.col("damages"))
        .otherwise(pl.lit(["clean"]))
        .alias("case"),
    )
    joined = truth.join(predicted, on=keys, how="left", nulls_equal=True).explode("case")
    accepted = pl.col("match_status") == "matched"
    right = (pl.col("province_id") == pl.col("true_id")).fill_null(False)
    linked_true = pl.col("true_id").is_not_null()
    table = (
        joined.group_by("case")
        .agg(
            pl.len().alias("rows"),
            linked_true.sum().alias("true_links"),
            accepted.sum().alias("accepted"),
            (accepted & right).sum().alias("accepted_correct"),
            (pl.col("match_status") == "review").sum().alias("review"),
            (linked_true & ~accepted.fill_null(False)).sum().alias("missed"),
            (pl.col("_other") & linked_true).sum().alias("other_village_rows"),
            (pl.col("_other") & linked_true & pl.col("_flagged").fill_null(False))
            .sum()
            .alias("other_village_flagged"),
        )
        .with_columns(
            pl.when(pl.col("accepted") > 0)
            .then(pl.col("accepted_correct") / pl.col("accepted"))
            .otherwise(1.0)
            .alias("precision"),
            pl.when(pl.col("true_links") > 0)
            .then(pl.col("accepted_correct") / pl.col("true_links"))
            .otherwise(1.0)
            .alias("recall"),
        )
        .with_columns(
            pl.when(pl.col("precision") + pl.col("recall") > 0)
            .then(2 * pl.col("precision") * pl.col("recall") / (pl.col("precision") + pl.col("recall")))
            .otherwise(0.0)
            .alias("f1")
        )
        .sort("case")
    )
    return table.select(CASE_COLUMNS)


def case_table_text(cases: pl.DataFrame) -> str:
    """The per-case table as fixed-width text (for a terminal or a benchmark log)."""
    header = (
        f"{'case':<22}{'rows':>7}{'links':>7}{'acc':>7}{'wrong':>6}{'review':>7}{'missed':>7}"
        f"{'prec':>7}{'recall':>7}{'f1':>7}{'other':>7}{'flag':>6}"
    )
    lines = [header]
    for r in cases.iter_rows(named=True):
        lines.append(
            f"{r['case']:<22}{r['rows']:>7}{r['true_links']:>7}{r['accepted']:>7}"
            f"{r['accepted'] - r['accepted_correct']:>6}{r['review']:>7}{r['missed']:>7}"
            f"{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
            f"{r['other_village_rows']:>7}{r['other_village_flagged']:>6}"
        )
    return "\n".join(lines)
