"""in_other_village on a household-level round with the harder cases (issue 20).

Every row of another village's file that links to its household carries the flag, accepted or in
review; the rows of another village's file left without the flag are rows that linked nowhere (a
recall miss, not a gap of the flag's rule).
"""

from __future__ import annotations

import polars as pl
import pytest

from verval_cli.reconcile import reconcile
from verval_cli.sample import HARD, SampleSpec, generate_truth, write_round

KEYS = ["file_name", "source_sheet", "source_row"]


@pytest.fixture(scope="module")
def other_village_rows(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """The truth's rows of another village's file, with what reconcile made of each."""
    out = tmp_path_factory.mktemp("round_household_hard")
    spec = SampleSpec(seed=43, regency="33.02", level="household", damage=HARD)
    write_round(generate_truth(spec), out)
    matches = reconcile(out / "province", [out / "submissions"]).matches
    predicted = matches.filter(pl.col("submission_row").is_not_null()).select(
        pl.col("submission_file").str.replace(r"^.*[\\/]", "").alias("file_name"),
        pl.col("submission_sheet").alias("source_sheet"),
        pl.col("submission_row").alias("source_row"),
        pl.col("province_id").alias("linked_id"),
        "match_status",
        pl.col("discrepancies").list.contains("in_other_village").fill_null(False).alias("flagged"),
    )
    truth = pl.read_parquet(out / "truth" / "truth_rows.parquet").filter(pl.col("in_other_village"))
    return truth.join(predicted, on=KEYS, how="left", nulls_equal=True)


def test_every_linked_row_of_another_village_is_flagged(other_village_rows: pl.DataFrame) -> None:
    linked = other_village_rows.filter(pl.col("linked_id").is_not_null())
    assert linked.height > 0 and (linked["linked_id"] == linked["province_id"]).all()
    assert linked["match_status"].is_in(["matched", "review"]).all()
    unflagged = linked.filter(~pl.col("flagged"))
    assert unflagged.height == 0, unflagged


def test_review_links_of_another_village_are_flagged_too(other_village_rows: pl.DataFrame) -> None:
    in_review = other_village_rows.filter(pl.col("match_status") == "review")
    assert in_review.height > 0, "the round has no other-village row in review: the test says nothing"
    assert in_review["flagged"].all(), in_review


def test_unflagged_rows_of_another_village_linked_nowhere(other_village_rows: pl.DataFrame) -> None:
    unflagged = other_village_rows.filter(~pl.col("flagged"))
    assert unflagged["linked_id"].is_null().all(), unflagged
